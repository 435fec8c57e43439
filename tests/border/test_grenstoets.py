"""Grenseffectentoets: the form, measured border exposure, the CLI face."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from npvr.border import border_exposure, grenstoets, load_form
from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.errors import ConfigError

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "grenstoets" / "grensarbeiders_fiscale_regel.yaml"
)
runner = CliRunner()


def test_border_exposure_by_hand(border_data):
    data = border_data
    tab = border_exposure(data, ["belgium", "germany"])
    # noord: Klein (BE, 1,000) and Stad (DE, 90,000) of 103,000; zuid: Grens (BE, 25,000) of 65,000
    assert tab.loc["noord", "inwoners_grensgemeenten"] == 91_000
    assert_allclose(tab.loc["noord", "aandeel_grensgemeenten"], 91_000 / 103_000)
    assert_allclose(tab.loc["zuid", "aandeel_grensgemeenten"], 25_000 / 65_000)
    assert tab.loc["NL", "grensgemeenten"] == 4  # Groot (DE) in the rest as well
    assert_allclose(tab.loc["NL", "aandeel_grensgemeenten"], 266_000 / 318_000)
    only_de = border_exposure(data, ["germany"])
    assert (
        only_de.loc["zuid", "grensgemeenten"] == 0
        and only_de.loc["noord", "inwoners_grensgemeenten"] == 90_000
    )


def test_real_border_exposure_matches_snapshot_flags(snapshot):
    res = grenstoets(EXAMPLE)
    gm = snapshot.gemeenten
    flagged = gm.index[gm["borders_belgium"] | gm["borders_germany"]]
    assert res.regions.loc["NL", "grensgemeenten"] == len(flagged)
    pop = snapshot.values.query("indicator_id == 'inwoners' and period == 2025").set_index("area_code")[
        "value"
    ]
    assert_allclose(res.regions.loc["NL", "inwoners_grensgemeenten"], pop.reindex(flagged).sum())
    assert res.regions.loc["zeeuws-vlaanderen", "aandeel_grensgemeenten"] == 1.0  # Hulst, Sluis, Terneuzen
    steps = res.steps()
    assert [s["stap"] for s in steps][:7] == ["1a", "1b", "1c", "1d", "2a", "2b", "3"]
    assert "Zeeuws-Vlaanderen" in steps[6]["toelichting"]


def test_yes_without_explanation_is_refused(tmp_path):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines = ["  persons: {affected: true}" if ln.startswith("  persons:") else ln for ln in lines]
    text = "\n".join(lines) + "\n"
    bad = tmp_path / "f.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="toelichting") as info:
        load_form(bad)
    assert info.value.field == "free_movement.persons.explanation"
    assert info.value.line == text.splitlines().index("  persons: {affected: true}") + 1


def test_cli_json_equals_library_and_report(tmp_path):
    out = runner.invoke(app, ["grenstoets", str(EXAMPLE), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == to_jsonable(grenstoets(EXAMPLE).to_dict())
    out = runner.invoke(app, ["grenstoets", str(EXAMPLE), "--out", str(tmp_path / "g")])
    assert out.exit_code == 0, out.output
    html = (tmp_path / "g" / "grenstoets.html").read_text(encoding="utf-8")
    assert "Grenseffectentoets" in html and "Stappenplan" in html and "https://" not in html
    assert (tmp_path / "g" / "grenstoets.xlsx").stat().st_size > 0


def test_cli_missing_file_exit_2(tmp_path):
    out = runner.invoke(app, ["grenstoets", str(tmp_path / "nope.yaml")])
    assert out.exit_code == 2
    assert "bestaat niet" in out.output
