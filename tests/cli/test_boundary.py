"""The CLI's one error boundary, --lang on every command, --json errors, --problems, --regions/--variant."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import npvr
from npvr.cli import app, core
from npvr.errors import NpvrError

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
POLICY = REPO / "examples" / "policies" / "vitaliteitsfonds_per_inwoner.yaml"
FORM = REPO / "examples" / "grenstoets" / "grensarbeiders_fiscale_regel.yaml"


def _commands(group=None, prefix=()):
    group = group or get_command(app)
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


def _takes(cmd, opt: str) -> bool:
    return any(opt in p.opts for p in cmd.params)


def test_every_lang_option_refuses_unknown_languages():
    with_lang = [path for path, cmd in _commands() if _takes(cmd, "--lang")]
    assert len(with_lang) >= 8
    for path in with_lang:
        out = runner.invoke(app, [*path, "--lang", "fr"])
        assert out.exit_code == 2, (path, out.output)
        assert "onbekende taal 'fr'" in out.output, path


def test_profile_lang_fr_exits_2():
    out = runner.invoke(app, ["profile", "twente", "--lang", "fr"])
    assert out.exit_code == 2 and "kies nl of en" in out.output


def test_json_error_uses_the_documented_shape(tmp_path: Path):
    missing = tmp_path / "geen.yaml"
    out = runner.invoke(app, ["regions", "--regions", str(missing), "--json"])
    assert out.exit_code == 2
    data = json.loads(out.stdout)
    assert data == {
        "error": "ConfigError",
        "message": "bestand bestaat niet",
        "message_en": "file does not exist",
        "file": str(missing),
        "line": None,
        "field": None,
    }


def test_json_validation_error_lists_problems(tmp_path: Path):
    bad = tmp_path / "r.yaml"
    bad.write_text("regions:\n  - id: A B\n    members: [GM0153]\n  - id: b\n    members: [GM9999]\n")
    out = runner.invoke(app, ["regions", "--regions", str(bad), "--json"])
    assert out.exit_code == 2
    data = json.loads(out.stdout)
    assert data["error"] == "ConfigValidationError" and data["n_problems"] == 2
    assert [(p["row"], p["field"]) for p in data["problems"]] == [
        (2, "regions[0].id"),
        (5, "regions[1].members[0]"),
    ]


def test_problems_option_writes_the_full_list(tmp_path: Path):
    bad = tmp_path / "r.yaml"
    members = "\n".join(f"      - GM{9000 + i}" for i in range(120))
    bad.write_text(f"regions:\n  - id: a\n    members:\n{members}\n")
    listing = tmp_path / "problemen.csv"
    out = runner.invoke(app, ["--problems", str(listing), "regions", "--regions", str(bad)])
    assert out.exit_code == 2
    assert "nog 70" in out.output and "Volledige lijst problemen" in out.output
    rows = list(csv.DictReader(listing.open(encoding="utf-8")))
    assert len(rows) == 120 and rows[-1]["row"] == str(4 + 119)


def test_commands_are_module_level_functions():
    assert core.regions_cmd.__module__ == "npvr.cli.core"
    for fn in (
        core.regions_cmd,
        core.profile_cmd,
        core.indicators_cmd,
        core.data_build_cmd,
        core.data_update_cmd,
    ):
        assert fn.__doc__
    with pytest.raises(NpvrError):  # the undecorated function raises; the app turns it into exit 2
        core.regions_cmd(regions=Path("/nonexistent/r.yaml"))


def test_variant_changes_the_regions_everywhere():
    base = npvr.load_regions()
    chosen = npvr.load_regions(variants=["noord-en-oost-groningen:met-midden-groningen"])
    members = set(chosen.by_id("noord-en-oost-groningen").members)
    assert members == set(base.by_id("noord-en-oost-groningen").variants["met-midden-groningen"])
    assert "GM1952" in members and "GM1952" not in base.by_id("noord-en-oost-groningen").members
    out = runner.invoke(app, ["regions", "--variant", "met-midden-groningen", "--json"])
    row = next(r for r in json.loads(out.stdout) if r["id"] == "noord-en-oost-groningen")
    assert row["n_members"] == len(members)
    toets_default = json.loads(runner.invoke(app, ["toets", str(POLICY), "--json"]).stdout)
    toets_variant = json.loads(
        runner.invoke(app, ["toets", str(POLICY), "--json", "--variant", "met-midden-groningen"]).stdout
    )

    def euro(d, rid):
        return next(r["euro"] for r in d["regions"] if r["regio"] == rid)

    # the same gemeenten' money moves from the rest of NL to the region, the total stays
    moved = euro(toets_variant, "noord-en-oost-groningen") - euro(toets_default, "noord-en-oost-groningen")
    assert moved > 0
    assert euro(toets_default, "rest") - euro(toets_variant, "rest") == pytest.approx(moved, abs=0.02)


def test_unknown_variant_lists_the_choices():
    out = runner.invoke(app, ["regions", "--variant", "nope"])
    assert out.exit_code == 2
    assert "noord-en-oost-groningen:met-midden-groningen" in out.output


def test_regions_file_on_toets_and_grenstoets(tmp_path: Path):
    own = tmp_path / "eigen.yaml"
    own.write_text("regions:\n  - id: enschede-hengelo\n    name: EH\n    members: [GM0153, GM0164]\n")
    toets_out = json.loads(runner.invoke(app, ["toets", str(POLICY), "--json", "--regions", str(own)]).stdout)
    assert [r["regio"] for r in toets_out["regions"]][:1] == ["enschede-hengelo"]
    grens = runner.invoke(app, ["grenstoets", str(FORM), "--json", "--regions", str(own)])
    assert grens.exit_code == 0, grens.output
    regs = [r["regio"] for r in json.loads(grens.stdout)["regions"]]
    assert "enschede-hengelo" in regs and "twente" not in regs


def test_data_update_without_source_says_what_it_needs(tmp_path: Path):
    out = runner.invoke(app, ["data", "update", "--out", str(tmp_path / "snap")])
    assert out.exit_code == 2
    assert "--source" in out.output


def test_foundation_and_toets_commands_are_importable_module_functions(capsys):
    from npvr.cli import impact
    from npvr.cli._render import to_jsonable
    from npvr.impact import toets

    for fn in (
        core.regions_cmd,
        core.profile_cmd,
        core.indicators_cmd,
        impact.toets_cmd,
        impact.grenstoets_cmd,
    ):
        assert "<locals>" not in fn.__qualname__, fn
    impact.toets_cmd(
        policy=POLICY, compare=None, out=None, lang="nl", as_json=True, regions=None, variant=None
    )
    assert json.loads(capsys.readouterr().out) == to_jsonable(toets(POLICY).to_dict())
