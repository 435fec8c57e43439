"""Subsidy thresholds, need incidence and exposure × sensitivity on hand-made data."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.errors import ConfigError
from npvr.impact.need import incidence, resolve_need
from npvr.impact.policy import ExposurePolicy, NeedSpec, SubsidyPolicy
from npvr.impact.run import run_exposure, run_subsidy


def subsidy(**kw) -> SubsidyPolicy:
    base = dict(
        kind="subsidy",
        name="S",
        budget=1_000_000,
        min_project_size={"value": 500_000, "unit": "euro"},
        cofinancing_pct=50,
        capacity={"euro_per_inwoner": 10},
        need={"source": "indicator", "indicator": "armoede"},
    )
    base.update(kw)
    return SubsidyPolicy(**base)


def test_capacity_model_and_who_falls_below(data):
    res = run_subsidy(subsidy(min_applicant_size={"value": 2_000, "unit": "inwoners"}), data)
    g = res.gemeenten
    # largest project = 10 €/inw x inwoners / 0.5 = 20 x inwoners; reaches 500k from 25,000 inwoners
    assert_allclose(g["max_project"], 20 * data.frame["inwoners"])
    below = set(g.index[~g["haalt_ondergrens"]])
    assert below == {"GM0001", "GM0002", "GM0008"}  # Klein (1,000), Dorp (12,000), Eiland (3,000)
    assert not g.loc["GM0001", "boven_aanvragersgrens"] and g.loc["GM0008", "boven_aanvragersgrens"]
    # money only to gemeenten that reach the threshold, in proportion to what they can absorb
    assert (g.loc[list(below), "euro"] == 0).all()
    reach = g[g["haalt_ondergrens"]]
    assert_allclose(reach["euro"], 1_000_000 * reach["inwoners"] / reach["inwoners"].sum(), atol=0.01)
    assert round(g["euro"].sum(), 2) == 1_000_000
    r = res.regions
    assert r.loc["noord", "gemeenten_onder_grens"] == 2
    assert_allclose(r.loc["noord", "aandeel_inwoners_onder_grens"], 13_000 / 103_000)
    assert bool(r.loc["noord", "samen_haalbaar"])  # 103,000 x 20 = 2.06M >= 500k jointly
    assert res.summary["gemeenten_onder_grens"] == 3


def test_threshold_shuts_region_out_gives_ongunstig(data):
    # threshold 3M: only Metropool (10M) and Groot (3M) reach it; zuid jointly 1.3M < 3M
    res = run_subsidy(subsidy(min_project_size={"value": 3_000_000, "unit": "euro"}), data)
    assert res.regions.loc["zuid", "oordeel"] == "ongunstig"
    assert "halen de ondergrens niet" in res.regions.loc["zuid", "reden"]


def test_incidence_shares_by_hand(data):
    euros = pd.Series([100.0, 0, 0, 50.0, 50.0, 0, 800.0, 0], index=data.frame.index)
    need = resolve_need(NeedSpec(source="indicator", indicator="armoede"), data, None)
    tab = incidence(euros, data, need=need)
    assert list(tab.index) == ["noord", "zuid", "rest"]
    assert_allclose(tab.loc["noord", "aandeel_budget"], 0.1)
    assert_allclose(tab.loc["zuid", "aandeel_bevolking"], 65_000 / 821_000)
    need_noord = 12 * 1_000 + 9 * 12_000 + 8 * 90_000
    need_all = need_noord + 11 * 25_000 + 7 * 40_000 + 6 * 150_000 + 10 * 500_000 + 5 * 3_000
    assert_allclose(tab.loc["noord", "aandeel_behoefte"], need_noord / need_all)
    assert_allclose(tab.loc["noord", "ratio_behoefte"], 0.1 / (need_noord / need_all))


def exposure_policy(**kw) -> ExposurePolicy:
    base = dict(
        kind="exposure",
        name="E",
        exposure=[{"source": "border"}],
        sensitivity=[{"measure": "inwoners_65plus"}],
    )
    base.update(kw)
    return ExposurePolicy(**base)


def test_exposure_times_sensitivity_by_hand(data):
    res = run_exposure(exposure_policy(), data)
    g = res.gemeenten
    share = data.frame["inwoners_65plus"] / data.frame["inwoners"]
    sens = (share - share.min()) / (share.max() - share.min())
    border = pd.Series([1.0, 0, 1, 1, 0, 0, 0, 0], index=g.index)
    assert_allclose(g["impact"], border * sens)
    # region value = population-weighted mean
    noord = g.loc[["GM0001", "GM0002", "GM0003"]]
    assert_allclose(res.regions.loc["noord", "impact"], (noord["impact"] * noord["inwoners"]).sum() / 103_000)


def test_expert_spread(data):
    pol = exposure_policy(
        exposure=[],
        experts={"a": {"noord": 3, "zuid": 1}, "b": {"noord": 1, "zuid": 1, "GM0004": 3}},
    )
    g = run_exposure(pol, data).gemeenten
    assert_allclose(g.loc["GM0001", "blootstelling_experts"], (3 + 1) / 2 / 3)
    assert_allclose(g.loc["GM0001", ["experts_min", "experts_max"]].to_numpy(float), [1 / 3, 1.0])
    assert_allclose(g.loc["GM0004", "blootstelling_experts"], (1 + 3) / 2 / 3)  # gemeente overrides region
    assert (g["impact_laag"] <= g["impact"] + 1e-12).all() and (g["impact"] <= g["impact_hoog"] + 1e-12).all()


def test_expert_unknown_area(data):
    pol = exposure_policy(experts={"a": {"atlantis": 2}})
    with pytest.raises(ConfigError, match="atlantis"):
        run_exposure(pol, data)


def test_exposure_verdicts_never_call_a_harmful_measure_favourable(data):
    res = run_exposure(exposure_policy(), data)
    assert set(res.regions["oordeel"]) <= {"ongunstig", "neutraal"}
    # noord holds two border gemeenten with many elderly: above the national mean impact
    assert res.regions.loc["noord", "oordeel"] == "ongunstig"
    pos = run_exposure(exposure_policy(effect="positive"), data)
    assert pos.regions.loc["noord", "oordeel"] == "gunstig"
