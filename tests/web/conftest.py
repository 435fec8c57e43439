"""Fixtures for the web tests: a register seeded with the shipped example workbook, three kinds of
users, the app, an HTTP client per role, and (for the browser tests) a live uvicorn server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["NPVR_ARGON2_TEST_PROFILE"] = "1"  # cheap hashes in tests only (see npvr.web.users)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "register" / "voorbeeld-register.xlsx"
PASSWORD = "correct-horse-battery"
USERS = {
    "admin": ("admin", None),
    "lezer": ("lezer", None),
    "twente": ("regio-redacteur", "twente"),
    "zuidlimburg": ("regio-redacteur", "zuid-limburg"),
}


def seeded_url(path: Path) -> str:
    """A fresh SQLite register with the example workbook and the USERS."""
    return seeded_url_at(f"sqlite:///{path}")


def seeded_url_at(url: str) -> str:
    """Initialise ``url`` and fill it with the example workbook, a Twente plan and the USERS."""
    from sqlalchemy.orm import sessionmaker

    from npvr.register import db, import_file, init_register, open_register
    from npvr.web.users import Users

    init_register(url)
    import_file(EXAMPLE, url, actor="seed")
    svc = open_register(url, actor="seed")
    svc.save_plan(
        "TWE-RP",
        region="twente",
        kind="regioplan",
        title="Regioplan Twente (testillustratie)",
        status="in-voorbereiding",
    )
    svc.create_measure(
        "TWE-01",
        region="twente",
        title="Werkgelegenheid grensstreek (testillustratie)",
        theme="economie",
        plan="TWE-RP",
        gemeenten=["GM0153"],
    )
    svc.set_amount(
        "TWE-01",
        year=2026,
        kind="gepland",
        source_type="rijk",
        party="EZ",
        scheme="Regio Deal",
        amount="250000.00",
    )
    users = Users(sessionmaker(db.make_engine(url), expire_on_commit=False), {"twente", "zuid-limburg"})
    for name, (role, region) in USERS.items():
        users.add(name, PASSWORD, role=role, region=region)
    return url


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("webdb") / "template.sqlite"
    seeded_url(path)
    return path


@pytest.fixture
def db_url(template_db, tmp_path) -> str:
    """A private copy of the seeded register per test (copying is much faster than seeding)."""
    path = tmp_path / "register.sqlite"
    shutil.copy(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(db_url):
    from npvr.web import WebSettings, create_app

    return create_app(WebSettings(db_url=db_url, secure_cookies=False, max_upload=200_000))


def make_client(app, user: str | None = None):
    from fastapi.testclient import TestClient

    c = TestClient(app, raise_server_exceptions=True)
    tok = c.get("/api/session").json()["csrf_token"]
    c.headers["X-CSRF-Token"] = tok
    if user is not None:
        r = c.post("/api/login", json={"username": user, "password": PASSWORD})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


@pytest.fixture
def client(app):
    return lambda user=None: make_client(app, user)


@pytest.fixture
def client_for():
    """A client for any app (e.g. a second worker on the same database)."""
    return make_client


@pytest.fixture
def password() -> str:
    return PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app on a loopback port in a thread (uvicorn), for the browser."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    th.join(timeout=10)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A seeded register in a fresh PostgreSQL schema ($NPVR_TEST_POSTGRES_URL), dropped afterwards."""
    import uuid
    from urllib.parse import quote

    import sqlalchemy as sa

    from npvr.register import db

    base = os.environ.get("NPVR_TEST_POSTGRES_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    try:
        admin = sa.create_engine(base, connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as exc:  # not reachable: skip with the reason (CI turns it into a failure)
        pytest.skip(f"PostgreSQL not reachable at {base} ({type(exc).__name__})")
    schema = f"npvr_web_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        yield seeded_url_at(url)
    finally:
        db.make_engine(url).dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
