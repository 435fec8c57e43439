"""`npvr index selectie`: every figure of the selection report re-derived from plain builds."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import npvr
from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.index import build_index, load_config, selection_report


@pytest.fixture(scope="module")
def report():
    return selection_report(draws=300, seed=1)


def test_counts_and_ranks_equal_plain_builds(report) -> None:
    rs = npvr.load_regions()
    for name in ("deprivatie", "opgave"):
        ranks = build_index(name, level="regio").scores.set_index("code")["rank"]
        mine = report.regions[report.regions["index"] == name].set_index("region_id")
        assert (mine["nominal_rank"] == ranks[rs.ids]).all()
        c = report.counts.set_index("index").loc[name]
        for n in (11, 15, 20):
            assert c[f"in_top{n}"] == int((ranks[rs.ids] <= n).sum())
        assert c["n_units"] == 42


def test_leave_one_out_equals_a_rebuild_without_that_indicator(report) -> None:
    cfg = load_config("deprivatie").model_dump(exclude_none=True)
    werk = cfg["domains"][1]["indicators"]
    cfg["domains"][1]["indicators"] = [i for i in werk if i["id"] != "werkloosheid"]
    rebuilt = build_index(cfg, level="regio").scores.set_index("code")["rank"]
    loo = report.leave_one_out.query("index == 'deprivatie' and indicator_id == 'werkloosheid'")
    for row in loo.itertuples():
        assert row.rank_without == rebuilt[row.region_id], row.region_id


def test_verdicts_and_outsiders_are_consistent(report) -> None:
    r = report.regions
    sup = r[r["verdict"] == "gedragen"]
    assert ((sup["nominal_rank"] <= 11) & (sup["selection_probability"] >= 0.5)).all()
    nots = r[r["verdict"] == "niet gedragen"]
    assert ((nots["nominal_rank"] > 20) & (nots["selection_probability"] < 0.1)).all()
    # on the deprivation index the data do not carry every region: say so plainly
    achterhoek = r[(r["index"] == "deprivatie") & (r["region_id"] == "achterhoek")].iloc[0]
    assert achterhoek["verdict"] == "niet gedragen" and "NIET" in achterhoek["text"]
    out = report.outsiders
    rs = npvr.load_regions()
    members = set(rs.membership().index)
    assert not out["code"].isin(rs.ids).any() and not out["code"].isin(members).any()
    regio = out[out["level"] == "regio"]
    assert (regio["rank"] <= 11).all()
    # urban deprivation outside the NPVR: Groot-Rijnmond and Rotterdam, dense
    dep = out[out["index"] == "deprivatie"].set_index("code")
    assert dep.loc["CR29", "character"] == "stedelijk" and dep.loc["GM0599", "character"] == "stedelijk"


def test_variants_each_give_their_own_ranking(report) -> None:
    rs = npvr.load_regions()
    v = report.variants.query("index == 'opgave' and delimitation == 'corop-noord-friesland'").iloc[0]
    alt = build_index(
        "opgave", level="regio", regions=rs.with_variant("noard-fryslan", "corop-noord-friesland")
    )
    assert v["rank"] == alt.scores.set_index("code").loc["noard-fryslan", "rank"] and v["n_units"] == 41


def test_cli_selectie_json_equals_library() -> None:
    out = CliRunner().invoke(app, ["index", "selectie", "--draws", "50", "--index", "opgave", "--json"])
    assert out.exit_code == 0, out.output
    lib = selection_report(["opgave"], draws=50, seed=0)
    assert json.loads(out.stdout) == json.loads(json.dumps(to_jsonable(lib.to_dict())))
    out = CliRunner().invoke(app, ["index", "selectie", "--draws", "50", "--index", "opgave", "--lang", "en"])
    assert out.exit_code == 0 and "Outside the NPVR" in out.output
