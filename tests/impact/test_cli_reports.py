"""The `npvr toets` face: JSON twin, reports written whole or not at all, exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from openpyxl import load_workbook
from typer.testing import CliRunner

from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.impact import compare, toets

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
runner = CliRunner()


def test_json_equals_library():
    path = EXAMPLES / "vitaliteitsfonds_vaste_voet.yaml"
    out = runner.invoke(app, ["toets", str(path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == to_jsonable(toets(path).to_dict())


def test_compare_report(tmp_path):
    a, b = EXAMPLES / "vitaliteitsfonds_per_inwoner.yaml", EXAMPLES / "vitaliteitsfonds_vaste_voet.yaml"
    out = runner.invoke(app, ["toets", "--compare", str(a), str(b), "--out", str(tmp_path / "c")])
    assert out.exit_code == 0, out.output
    html = (tmp_path / "c" / "vergelijking.html").read_text(encoding="utf-8")
    assert "Zeeuws-Vlaanderen" in html and "verschil_euro" in html
    cmp = compare(toets(a), toets(b))
    # B - A per region, and the differences over all regions cancel (same budget)
    assert_allclose(cmp.regions["verschil_euro"], cmp.regions["euro_B"] - cmp.regions["euro_A"])
    assert_allclose(cmp.regions["verschil_euro"].sum(), 0.0, atol=0.01)


def test_compare_json_equals_library():
    a, b = EXAMPLES / "vitaliteitsfonds_per_inwoner.yaml", EXAMPLES / "vitaliteitsfonds_vaste_voet.yaml"
    out = runner.invoke(app, ["toets", "--compare", str(a), str(b), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == to_jsonable(compare(toets(a), toets(b)).to_dict())


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_runs_and_sums(example):
    res = toets(EXAMPLES / example)
    assert len(res.gemeenten) == 342
    assert set(res.regions["oordeel"]) <= {"gunstig", "neutraal", "ongunstig"}
    assert res.regions["reden"].str.len().min() > 20
    if "euro" in res.gemeenten and res.summary.get("som_toewijzingen"):
        cents = (res.gemeenten["euro"] * 100).round().astype("int64").sum()
        assert cents == round(res.policy.budget * 100)


def test_vaste_voet_helps_small_gemeenten_on_real_data(snapshot):
    pc = toets(EXAMPLES / "vitaliteitsfonds_per_inwoner.yaml").gemeenten
    vv = toets(EXAMPLES / "vitaliteitsfonds_vaste_voet.yaml").gemeenten
    pop = snapshot.values.query("indicator_id == 'inwoners' and period == 2025").set_index("area_code")[
        "value"
    ]
    smallest, largest = pop.idxmin(), pop.idxmax()
    assert vv.loc[smallest, "euro_per_inwoner"] > pc.loc[smallest, "euro_per_inwoner"]
    assert vv.loc[largest, "euro_per_inwoner"] < pc.loc[largest, "euro_per_inwoner"]
    # per capita on the real data: each gemeente within one cent of pop x budget / total
    assert ((pc["euro"] - 100_000_000 * pop.reindex(pc.index) / pop.sum()).abs() <= 0.01).all()


def test_report_is_written_whole_and_self_contained(tmp_path):
    target = tmp_path / "rapport"
    out = runner.invoke(app, ["toets", str(EXAMPLES / "herverdeling_ingroeipad.yaml"), "--out", str(target)])
    assert out.exit_code == 0, out.output
    html = (target / "toets.html").read_text(encoding="utf-8")
    assert "Uitvoeringstoets" in html and "gunstig" in html and "Zeeuws-Vlaanderen" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<script src" not in html
    wb = load_workbook(target / "toets.xlsx", read_only=True)
    assert {"regio's", "gemeenten", "uitleg", "ingroeipad regio's", "bronnen"} <= set(wb.sheetnames)
    assert [p.name for p in tmp_path.iterdir()] == ["rapport"]  # no temp folder left behind


def test_english_report(tmp_path):
    out = runner.invoke(
        app,
        [
            "toets",
            str(EXAMPLES / "vitaliteitsfonds_vaste_voet.yaml"),
            "--out",
            str(tmp_path / "r"),
            "--lang",
            "en",
        ],
    )
    assert out.exit_code == 0, out.output
    html = (tmp_path / "r" / "toets.html").read_text(encoding="utf-8")
    assert "Verdict per region" in html
    assert "favourable" in html or "neutral" in html


def test_bad_policy_exit_2_and_nothing_written(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: fund\nname: X\nbudget: 100\nmeasures: [inwoners, vaste_voet]\nweights: [1]\n")
    target = tmp_path / "out"
    out = runner.invoke(app, ["toets", str(bad), "--out", str(target)])
    assert out.exit_code == 2
    assert "regel 5" in out.output and "weights" in out.output
    assert not target.exists()


def test_failed_render_leaves_no_half_report(tmp_path, monkeypatch):
    from npvr.report import toets as report

    def boom(sheets):
        def write(path):
            path.write_bytes(b"half")
            raise OSError("disk full")

        return write

    monkeypatch.setattr(report, "_excel", boom)
    target = tmp_path / "out"
    out = runner.invoke(
        app, ["toets", str(EXAMPLES / "vitaliteitsfonds_per_inwoner.yaml"), "--out", str(target)]
    )
    assert out.exit_code == 2
    assert "schrijven mislukt" in out.output and "disk full" in out.output
    assert list(tmp_path.iterdir()) == []


def test_bad_lang_exit_2():
    out = runner.invoke(app, ["toets", str(EXAMPLES / "vitaliteitsfonds_per_inwoner.yaml"), "--lang", "fr"])
    assert out.exit_code == 2
    assert "onbekende taal" in out.output


def test_real_phase_in_respects_the_loss_limit(snapshot):
    res = toets(EXAMPLES / "herverdeling_ingroeipad.yaml")
    limit = res.policy.phase_in.max_change_per_inwoner
    assert res.summary["ingroeipad_max_daling_per_inwoner"] <= limit
    assert res.summary["ingroeipad_voltooid"]
    path = res.phase_in_gemeenten.drop(columns="naam")
    pop = res.gemeenten["inwoners"]
    falls = -(path.diff(axis=1).iloc[:, 1:].min(axis=1)) / pop
    assert (falls <= limit + 1e-12).all()
    assert_allclose(path.sum(axis=0), res.policy.budget)  # every year the whole budget


def test_indicator_measure_on_real_data(tmp_path, snapshot):
    p = tmp_path / "ind.yaml"
    p.write_text(
        "kind: fund\nname: Bijstand\nbudget: 1000000\nmeasures:\n"
        "  - {measure: indicator, indicator: bijstandsuitkeringen}\n"
        "need: {source: indicator, indicator: aandeel_laag_inkomen}\n",
        encoding="utf-8",
    )
    res = toets(p)
    v = snapshot.values.query("indicator_id == 'bijstandsuitkeringen'")
    v = v[v["period"] == v["period"].max()].set_index("area_code")["value"]
    assert_allclose(res.gemeenten["euro"], 1_000_000 * v.reindex(res.gemeenten.index) / v.sum(), atol=0.01)
    assert "bijstandsuitkeringen" in res.provenance and "CBS" in res.provenance["bijstandsuitkeringen"]
    assert res.summary["behoefte"] == snapshot.catalogue["aandeel_laag_inkomen"].label_nl


def test_unknown_indicator_names_its_line(tmp_path):
    p = tmp_path / "ind.yaml"
    p.write_text(
        "kind: fund\nname: X\nbudget: 100\nmeasures:\n  - {measure: inwoners, weight: 1}\n"
        "  - {measure: indicator, indicator: bestaat_niet, weight: 1}\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["toets", str(p), "--out", str(tmp_path / "o")])
    assert out.exit_code == 2
    assert "bestaat_niet" in out.output and "regel 6" in out.output
    assert not (tmp_path / "o").exists()


def test_default_need_is_the_index():
    res = toets(EXAMPLES / "vitaliteitsfonds_vaste_voet.yaml")
    assert "index" in res.provenance["behoefte"]


def test_commands_have_help():
    for cmd in ("toets", "grenstoets"):
        out = runner.invoke(app, [cmd, "--help"])
        assert out.exit_code == 0
        assert "--out" in out.output and "--lang" in out.output and "--json" in out.output


def test_custom_region_file_relative_to_policy(tmp_path):
    import shutil

    import npvr.areas

    src = Path(npvr.areas.__file__).parent / "npvr_regions.yaml"
    shutil.copy(src, tmp_path / "regios.yaml")
    p = tmp_path / "p.yaml"
    p.write_text(
        "kind: fund\nname: X\nbudget: 1000\nmeasures: [inwoners]\nregions: regios.yaml\n", encoding="utf-8"
    )
    res = toets(p)
    assert "twente" in res.regions.index and round(res.gemeenten["euro"].sum(), 2) == 1000
