"""The app on PostgreSQL (two app instances = two workers on one database), and the CLI:
`npvr users add|passwd|list`, `npvr serve --help`, and the docs naming every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from npvr.cli import app as cli

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_two_workers_on_postgres_share_sessions_and_see_conflicts(pg_url, client_for) -> None:
    from npvr.register import open_register
    from npvr.web import WebSettings, create_app

    w1 = create_app(WebSettings(db_url=pg_url, secure_cookies=False))
    w2 = create_app(WebSettings(db_url=pg_url, secure_cookies=False))
    a = client_for(w1, "twente")
    b = client_for(w2, "admin")
    # a session made by worker 1 works on worker 2 (the signing secret is in the database)
    moved = client_for(w2)
    moved.cookies.set("npvr_session", a.cookies.get("npvr_session"))
    moved.headers["X-CSRF-Token"] = a.headers["X-CSRF-Token"]
    assert moved.get("/api/session").json()["user"]["username"] == "twente"
    v = a.get("/api/register/measures/TWE-01").json()["measure"]["version"]
    body = {
        "measure": "TWE-01",
        "year": 2026,
        "kind": "gepland",
        "source_type": "rijk",
        "party": "EZ",
        "scheme": "Regio Deal",
        "expected_measure_version": v,
    }
    assert moved.put("/api/register/amounts", json={**body, "amount": "300000.00"}).status_code == 200
    r = b.put("/api/register/amounts", json={**body, "amount": "400000.00"})
    assert r.status_code == 409
    amounts = open_register(pg_url).amounts()
    sel = (amounts["measure"] == "TWE-01") & (amounts["year"] == 2026)
    assert [str(x) for x in amounts[sel]["amount"]] == ["300000.00"]
    log = open_register(pg_url).log()
    assert log.iloc[-1]["actor"] == "twente"
    assert b.get("/regio/twente").status_code == 200


def test_users_cli(tmp_path, monkeypatch) -> None:
    from npvr.register import init_register

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    init_register(url)
    run = CliRunner().invoke
    r = run(
        cli, ["users", "add", "eerste", "--role", "admin", "--password", "een-lang-wachtwoord", "--db", url]
    )
    assert r.exit_code == 0, r.output
    monkeypatch.setenv("NPVR_PASSWORD", "nog-een-lang-wachtwoord")
    r = run(cli, ["users", "add", "tw", "--role", "regio-redacteur", "--region", "twente", "--db", url])
    assert r.exit_code == 0, r.output
    r = run(cli, ["users", "add", "x", "--role", "regio-redacteur", "--region", "atlantis", "--db", url])
    assert r.exit_code == 2 and "atlantis" in r.output
    r = run(cli, ["users", "add", "y", "--role", "lezer", "--password", "kort", "--db", url])
    assert r.exit_code == 2 and "te kort" in r.output
    r = run(cli, ["users", "list", "--json", "--db", url])
    assert r.exit_code == 0
    import json

    rows = json.loads(r.output)
    assert [(u["username"], u["role"], u["region"]) for u in rows] == [
        ("eerste", "admin", None),
        ("tw", "regio-redacteur", "twente"),
    ]
    r = run(cli, ["users", "passwd", "tw", "--password", "weer-een-ander-wachtwoord", "--db", url])
    assert r.exit_code == 0
    from sqlalchemy.orm import sessionmaker

    from npvr.register import db
    from npvr.web.users import Users

    users = Users(sessionmaker(db.make_engine(url)), {"twente"})
    assert users.authenticate("tw", "weer-een-ander-wachtwoord").region == "twente"


def test_serve_help_and_docs_name_every_command_and_option() -> None:
    run = CliRunner().invoke
    r = run(cli, ["serve", "--help"])
    assert r.exit_code == 0
    docs = (REPO / "docs" / "web.md").read_text(encoding="utf-8") + (REPO / "README.md").read_text(
        encoding="utf-8"
    )
    for opt in ("--db", "--host", "--port", "--workers", "--insecure-cookies"):
        assert opt in r.output and opt in docs, opt
    for cmd in ("npvr serve", "npvr users add", "npvr users passwd", "npvr users list"):
        assert cmd in docs, cmd
    for sub in ("add", "passwd", "list"):
        assert run(cli, ["users", sub, "--help"]).exit_code == 0
