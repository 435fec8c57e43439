"""The loop's CLI: help and docs for every command, JSON twins, one-line errors with exit code 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.loop import open_loop
from npvr.register import init_register

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
GROUPS = ("aanpassing", "les", "belemmering", "bridge")


def _commands() -> list[tuple[str, str, object]]:
    out = []
    for group in app.registered_groups:
        name = group.name or group.typer_instance.info.name
        if name in GROUPS:
            for cmd in group.typer_instance.registered_commands:
                out.append((name, cmd.name, cmd))
    return out


def test_every_command_has_help_and_is_documented():
    doc = (REPO / "docs" / "loop.md").read_text(encoding="utf-8")
    cmds = _commands()
    assert {g for g, _c, _x in cmds} == set(GROUPS)
    for group, name, _cmd in cmds:
        result = runner.invoke(app, [group, name, "--help"])
        assert result.exit_code == 0 and len(result.output) > 80, (group, name)
        assert f"npvr {group} {name}" in doc, f"npvr {group} {name} missing from docs/loop.md"
        for opt in set(re.findall(r"(--[a-z][a-z-]*)", result.output)) - {"--help"}:
            assert opt in doc, f"option {opt} of npvr {group} {name} missing from docs/loop.md"


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    init_register(url)
    loop = open_loop(url)
    loop.bridge_new(
        "BR-01",
        title="Ambulance",
        initiator="EUREGIO",
        on="2026-01-05",
        elements={"a": "a", "b": "b", "c": "c", "e": "e"},
    )
    loop.bridge_step("BR-01", "ingediend", on="2026-01-06")
    return url


def test_refused_step_exits_2_naming_state_and_allowed_steps(db):
    r = runner.invoke(app, ["bridge", "step", "BR-01", "afgerond", "--datum", "2026-02-01", "--db", db])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "staat op 'ingediend'" in r.output and "verduidelijking-gevraagd, gesloten-onvolledig" in r.output
    r = runner.invoke(
        app, ["bridge", "step", "BR-01", "afgerond", "--datum", "2026-02-01", "--db", db, "--lang", "en"]
    )
    assert r.exit_code == 2 and r.output.startswith("Error: ") and "Allowed next steps:" in r.output


def test_bridge_list_json_equals_library_and_flags_overdue(db):
    r = runner.invoke(app, ["bridge", "list", "--peildatum", "2026-03-09", "--json", "--db", db])
    assert r.exit_code == 0, r.output
    import datetime as dt

    lib = open_loop(db).bridge_files(today=dt.date(2026, 3, 9))
    assert json.loads(r.output) == to_jsonable(lib)
    assert lib[0]["overdue"]  # submitted 6 January; two months ended Friday 6 March
    r = runner.invoke(app, ["bridge", "list", "--peildatum", "2026-03-06", "--db", db])
    assert "JA" not in r.output and "2026-03-06" in r.output


def test_malformed_import_via_cli_lists_rows(db, tmp_path):
    bad = tmp_path / "lessen.csv"
    bad.write_text("code,regio,thema,titel\nL1,twente,gezondheid,ok\nL2,atlantis,sport,\n", encoding="utf-8")
    r = runner.invoke(app, ["les", "import", str(bad), "--db", db])
    assert r.exit_code == 2
    for where in ("regel 3, veld 'regio'", "regel 3, veld 'thema'", "regel 3, veld 'titel'"):
        assert where in r.output
    assert open_loop(db).lessons().empty


def test_lesson_export_selects_and_round_trips(db, tmp_path):
    for code, region, theme in (("L1", "twente", "gezondheid"), ("L2", "achterhoek", "huisvesting")):
        r = runner.invoke(
            app,
            [
                "les",
                "add",
                code,
                "--regio",
                region,
                "--thema",
                theme,
                "--titel",
                f"les {code}",
                "--datum",
                "2026-02-01",
                "--db",
                db,
            ],
        )
        assert r.exit_code == 0, r.output
    out = tmp_path / "zorg.xlsx"
    args = ["les", "export", "--out", str(out), "--thema", "gezondheid", "--db", db]
    assert runner.invoke(app, args).exit_code == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    init_register(other)
    r = runner.invoke(app, ["les", "import", str(out), "--db", other])
    assert r.exit_code == 0, r.output
    assert list(open_loop(other).lessons()["code"]) == ["L1"]


def test_effect_and_limits_json_equal_the_library(db):
    loop = open_loop(db)
    loop.add_adjustment(
        "A1",
        scheme="Fonds",
        kind="vaste-voet",
        change="x",
        effective_from="2026-07-01",
        regions=["twente"],
        indicators=["aandeel_65plus"],
    )
    r = runner.invoke(app, ["aanpassing", "effect", "A1", "--json", "--db", db])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == to_jsonable(loop.adjustment_effect("A1").to_dict())
    from npvr.loop import load_deadlines

    r = runner.invoke(app, ["bridge", "termijnen", "--json"])
    assert json.loads(r.output) == to_jsonable(load_deadlines().model_dump())


def reference_md() -> str:
    """The command reference of docs/loop.md, generated from the Typer app (help texts and options)."""
    from typer.main import get_command

    root = get_command(app)
    out = [
        "## Opdrachten (referentie)\n",
        "Elke opdracht kent ook `--help`. Gemeenschappelijke opties: `--db` (database-URL van het register),",
        "`--json` (uitvoer als JSON, gelijk aan wat de bibliotheek teruggeeft), `--lang` (`nl` of `en`) en",
        "`--user` (wie de wijziging doet, voor de audit-trail).\n",
    ]
    for g in GROUPS:
        for name, cmd in root.commands[g].commands.items():
            out.append(f"### npvr {g} {name}\n")
            out.append((cmd.help or "").strip().split("\n")[0] + "\n")
            out += [
                f"- `{a.name.upper()}` (argument): {a.help}"
                for a in cmd.params
                if a.param_type_name == "argument"
            ]
            out += [
                f"- `{max(p.opts, key=len)}`: {p.help}"
                for p in cmd.params
                if p.param_type_name == "option" and p.name != "help"
            ]
            out.append("")
    return "\n".join(out) + "\n"


def test_command_reference_in_the_docs_is_current():
    doc = (REPO / "docs" / "loop.md").read_text(encoding="utf-8")
    assert reference_md() in doc, "run: python tests/loop/test_loop_cli.py (regenerates the reference)"


if __name__ == "__main__":  # regenerate the reference section of docs/loop.md
    path = REPO / "docs" / "loop.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("## Opdrachten (referentie)"), text.index("## Uitwisselformaat")
    path.write_text(text[:start] + reference_md() + "\n" + text[end:], encoding="utf-8")
