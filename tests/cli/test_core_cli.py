"""The foundation commands: JSON twins equal the library, user errors exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import npvr
from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.cli.core import indicators_table, regions_table

runner = CliRunner()


def test_regions_json_equals_library():
    result = runner.invoke(app, ["regions", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == to_jsonable(regions_table())
    assert [r["n_members"] for r in data] == [8, 14, 4, 3, 5, 8, 7, 16, 5, 7, 4]


def test_profile_json_equals_library():
    result = runner.invoke(app, ["profile", "CR39", "--json"])
    assert result.exit_code == 0, result.output
    info, table = npvr.profile("CR39")
    assert json.loads(result.stdout) == to_jsonable({"area": info, "indicators": table})


def test_indicators_json_lists_catalogue():
    result = runner.invoke(app, ["indicators", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == to_jsonable(indicators_table())
    assert {d["theme"] for d in data} >= {"demografie", "inkomen", "gezondheid", "voorzieningen"}


def test_unknown_area_exits_2_without_traceback():
    result = runner.invoke(app, ["profile", "GM9999"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "GM9999" in result.output and "niet gevonden" in result.output


def test_bad_region_file_exits_2_naming_file_and_region(tmp_path: Path):
    path = tmp_path / "r.yaml"
    path.write_text("regions:\n  - id: twente\n    members: [GM0153, GM9999]\n", encoding="utf-8")
    result = runner.invoke(app, ["regions", "--regions", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output and "twente" in result.output and "GM9999" in result.output


def test_every_command_has_help():
    for args in (["regions"], ["profile"], ["indicators"], ["data", "build"], ["data", "update"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and len(result.output) > 50, args
