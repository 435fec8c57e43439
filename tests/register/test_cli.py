"""The CLI face: --json equals the library, user errors exit 2 with one message, help everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.register import open_register
from npvr.register.io import gap_records

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "register" / "voorbeeld-register.xlsx"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["register", *args])


def test_cli_end_to_end(url, tmp_path):
    assert run("init", "--db", url).exit_code == 0
    r = run("import", str(EXAMPLE), "--db", url, "--user", "cli-test")
    assert r.exit_code == 0, r.output
    assert "4 maatregelen" in r.output

    r = run("gap", "--db", url, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == gap_records(open_register(url).gap())

    r = run("gap", "--db", url, "--by", "region,year", "--json")
    assert json.loads(r.output) == gap_records(open_register(url).gap(by=["region", "year"]))

    r = run("measure", "ACH-01", "--version", "1", "--title", "Nieuw", "--db", url, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == to_jsonable(open_register(url).get_measure("ACH-01"))

    r = run("log", "--db", url, "--json", "--limit", "2")
    assert json.loads(r.output) == to_jsonable(open_register(url).log(limit=2))
    assert json.loads(r.output)[-1]["changes"]["title"][1] == "Nieuw"

    # a stale version: exit code 2 and the Dutch message
    r = run("measure", "ACH-01", "--version", "1", "--title", "Oud", "--db", url)
    assert r.exit_code == 2
    assert "intussen gewijzigd" in r.output

    out = tmp_path / "gap.xlsx"
    assert run("gap", "--db", url, "--out", str(out)).exit_code == 0
    assert out.exists()
    exp = tmp_path / "export"
    assert run("export", "--db", url, "--out", str(exp)).exit_code == 0
    assert sorted(p.name for p in exp.glob("*.csv")) == [
        "bedragen.csv",
        "behoefte.csv",
        "maatregelen.csv",
        "plannen.csv",
    ]


def test_cli_record_by_hand(url):
    assert run("plan", "ACH-RP", "--region", "achterhoek", "--kind", "regioplan", "--title", "RP",
               "--status", "vastgesteld", "--date", "2025-05-01", "--db", url).exit_code == 0  # fmt: skip
    r = run("measure", "ACH-09", "--region", "achterhoek", "--title", "T", "--theme", "gezondheid",
            "--plan", "ACH-RP", "--gemeente", "GM0197", "--gemeente", "GM0294", "--db", url)  # fmt: skip
    assert r.exit_code == 0, r.output
    r = run("amount", "ACH-09", "--year", "2026", "--kind", "gepland", "--source", "rijk",
            "--party", "VWS", "--scheme", "X", "--amount", "1234,56", "--db", url, "--json")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["amount"] == "1234.56"
    assert run("need", "achterhoek", "--year", "2026", "--amount", "5000", "--theme", "gezondheid",
               "--db", url).exit_code == 0  # fmt: skip
    m = open_register(url).get_measure("ACH-09")
    assert (m["plan"], m["gemeenten"], m["version"]) == ("ACH-RP", ["GM0197", "GM0294"], 2)
    r = run("measure", "ACH-10", "--region", "achterhoek", "--title", "zonder thema", "--db", url)
    assert r.exit_code == 2 and "een maatregel heeft altijd een thema" in r.output
    assert run("delete-measure", "ACH-09", "--version", "2", "--db", url).exit_code == 0
    actions = open_register(url).log(entity="measures")["action"].tolist()
    assert actions == ["insert", "delete"]


def test_cli_uninitialised_db_is_a_user_error(empty_url):
    r = run("gap", "--db", empty_url)
    assert r.exit_code == 2
    assert "npvr register init" in r.output


def _register_commands() -> list[str]:
    group = next(g for g in app.registered_groups if g.typer_instance.info.name == "register")
    return [c.name or c.callback.__name__ for c in group.typer_instance.registered_commands]


def test_command_set():
    required = {"init", "import", "export", "gap", "log", "plan", "measure", "amount", "need"}
    assert required <= set(_register_commands())


@pytest.mark.parametrize("cmd", _register_commands())
def test_every_command_has_help(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0
    group = next(g for g in app.registered_groups if g.typer_instance.info.name == "register")
    command = next(c for c in group.typer_instance.registered_commands if c.name == cmd)
    assert (command.callback.__doc__ or "").strip(), cmd


def test_example_need_command(tmp_path, url):
    out = tmp_path / "need.csv"
    r = run("example-need", "--out", str(out))
    assert r.exit_code == 0 and "illustratie" in r.output
    assert run("import", str(out), "--db", url).exit_code == 0
    assert len(open_register(url).needs()) == 110


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_export_never_replaces_what_it_did_not_make(url, tmp_path):
    """Regression: `export --out DIR` on a foreign non-empty folder deleted its contents (exit 0)."""
    foreign = tmp_path / "mijn-map"
    foreign.mkdir()
    (foreign / "scriptie.docx").write_bytes(b"years of work")
    (foreign / "sub").mkdir()
    (foreign / "sub" / "data.csv").write_text("a,b\n1,2\n")
    before = _tree(foreign)
    r = run("export", "--db", url, "--out", str(foreign))
    assert r.exit_code == 2 and "geen eerder npvr-resultaat" in r.output
    assert _tree(foreign) == before
    # an existing file that npvr did not write is refused and left as it was, for either format
    for name in ("rapport.xlsx", "notities"):
        f = tmp_path / name
        f.write_bytes(b"not an npvr export")
        r = run("export", "--db", url, "--out", str(f))
        assert r.exit_code == 2, r.output
        assert f.read_bytes() == b"not an npvr export"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers
    # its own earlier export may be replaced (folder and workbook)
    for target in (tmp_path / "export", tmp_path / "export.xlsx"):
        assert run("export", "--db", url, "--out", str(target)).exit_code == 0
        assert run("export", "--db", url, "--out", str(target)).exit_code == 0


def test_outputs_get_the_usual_file_mode(url, tmp_path):
    """Exports were 0600 (mkstemp); now they get the mode the user's umask gives any file."""
    import os

    umask = os.umask(0o022)
    try:
        xlsx, folder, gap = tmp_path / "r.xlsx", tmp_path / "csv", tmp_path / "gap.csv"
        assert run("export", "--db", url, "--out", str(xlsx)).exit_code == 0
        assert run("export", "--db", url, "--out", str(folder)).exit_code == 0
        assert run("gap", "--db", url, "--out", str(gap)).exit_code == 0
        assert run("example-need", "--out", str(tmp_path / "need.csv")).exit_code == 0
    finally:
        os.umask(umask)
    for f in (xlsx, gap, tmp_path / "need.csv", *folder.glob("*.csv")):
        assert f.stat().st_mode & 0o777 == 0o644, f
    assert folder.stat().st_mode & 0o777 == 0o755


def test_example_need_into_a_missing_folder_is_a_message(tmp_path):
    target = tmp_path / "bestand"
    target.write_text("x")
    r = run("example-need", "--out", str(target / "dir" / "x.csv"))  # parent is a file: cannot be made
    assert r.exit_code == 2 and "kan" in r.output and "niet schrijven" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
