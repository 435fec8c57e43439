"""Distribution keys: exact cents, per-capita quotas, vaste voet, floors, caps, phase-in."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from npvr.errors import ConfigError
from npvr.impact.keys import allocate, largest_remainder, phase_in, to_cents
from npvr.impact.policy import FundPolicy
from npvr.impact.run import run_fund

POP = pd.Series([1_000, 12_000, 90_000, 25_000], index=["GM1", "GM2", "GM3", "GM4"], name="inwoners")


def test_per_capita_quota_is_population_times_budget_over_total():
    budget = 12_345_678_91  # cents
    res = allocate(POP.to_frame(), {"inwoners": 1}, budget)
    total = int(POP.sum())
    for code, pop in POP.items():
        exact = Fraction(budget * int(pop), total)
        assert abs(res.cents[code] - exact) < 1  # within one cent of the exact quota
    assert int(res.cents.sum()) == budget


def test_largest_remainder_by_hand():
    # 100 cents over 3 equal gemeenten: 33.33 each, the leftover cent goes to the first code (tie)
    out = largest_remainder({"b": Fraction(100, 3), "a": Fraction(100, 3), "c": Fraction(100, 3)}, 100)
    assert out == {"a": 34, "b": 33, "c": 33}
    out = largest_remainder({"x": Fraction(101, 2), "y": Fraction(99, 2)}, 100)  # 50.5 and 49.5
    assert out == {"x": 51, "y": 49} or out == {"x": 50, "y": 50}
    assert sum(out.values()) == 100


def test_vaste_voet_raises_small_gemeenten_per_inwoner():
    q = pd.DataFrame({"inwoners": POP, "vaste_voet": 1})
    plain = allocate(q, {"inwoners": 1, "vaste_voet": 0}, 100_000_000)
    voet = allocate(q, {"inwoners": Decimal("0.8"), "vaste_voet": Decimal("0.2")}, 100_000_000)
    per_plain = plain.cents / POP
    per_voet = voet.cents / POP
    assert per_voet["GM1"] > per_plain["GM1"]  # the smallest gains
    assert per_voet["GM3"] < per_plain["GM3"]  # the largest loses
    # by hand: GM1 = 0.8 * 1e8 * 1000/128000 + 0.2 * 1e8 / 4
    assert abs(voet.cents["GM1"] - (0.8 * 1e8 * 1000 / 128_000 + 0.2 * 1e8 / 4)) <= 1


def test_floor_and_cap_hold_and_budget_is_exact():
    q = POP.to_frame()
    floor = pd.Series(5_000_000, index=POP.index)  # € 50.000 each
    cap = pd.Series(60_000_000, index=POP.index)  # € 600.000 each
    res = allocate(q, {"inwoners": 1}, 100_000_000, floor_cents=floor, cap_cents=cap)
    assert (res.cents >= floor).all() and (res.cents <= cap).all()
    assert int(res.cents.sum()) == 100_000_000
    assert res.bound["GM3"] == "plafond" and res.bound["GM1"] == "ondergrens"
    # GM2 and GM4 share what is left after the floor and cap, in proportion to population
    rest = 100_000_000 - 5_000_000 - 60_000_000
    assert_allclose(res.cents["GM2"], rest * 12_000 / 37_000, atol=1)
    assert_allclose(res.cents["GM4"], rest * 25_000 / 37_000, atol=1)


def test_parts_plus_correction_equal_total():
    q = pd.DataFrame({"inwoners": POP, "vaste_voet": 1})
    res = allocate(
        q, {"inwoners": 0.7, "vaste_voet": 0.3}, 1_000_001, floor_cents=pd.Series({"GM1": 300_000})
    )
    assert (res.parts_cents.sum(axis=1) + res.correction_cents == res.cents).all()


def test_infeasible_floors_are_a_config_error():
    with pytest.raises(ConfigError, match="ondergrenzen"):
        allocate(POP.to_frame(), {"inwoners": 1}, 100, floor_cents=pd.Series(50, index=POP.index))
    with pytest.raises(ConfigError, match="plafonds"):
        allocate(POP.to_frame(), {"inwoners": 1}, 1000, cap_cents=pd.Series(10, index=POP.index))


def test_to_cents_refuses_fractions():
    assert to_cents(1234.56) == 123456
    with pytest.raises(ConfigError, match="centen"):
        to_cents("1.005")


@settings(max_examples=60, deadline=None)
@given(
    pops=st.lists(st.integers(min_value=0, max_value=900_000), min_size=2, max_size=12).filter(
        lambda p: sum(p) > 0
    ),
    budget=st.integers(min_value=0, max_value=10**13),
    w=st.integers(min_value=0, max_value=100),
)
def test_allocations_always_sum_to_the_budget(pops, budget, w):
    idx = [f"GM{i:04d}" for i in range(len(pops))]
    q = pd.DataFrame({"inwoners": pops, "vaste_voet": 1}, index=idx)
    res = allocate(q, {"inwoners": w + 1, "vaste_voet": 100 - w}, budget)
    assert int(res.cents.sum()) == budget
    assert (res.cents >= 0).all()


def test_phase_in_never_faster_than_allowed():
    q = pd.DataFrame({"inwoners": POP, "vaste_voet": 1})
    base = allocate(q, {"inwoners": 1}, 500_000_000).cents
    target = allocate(q, {"inwoners": 0.5, "vaste_voet": 0.5}, 500_000_000).cents
    path = phase_in(base, target, POP, max_change_per_inwoner=150)
    steps = path.diff().iloc[1:].abs()
    limit = np.floor(150 * POP * 100)
    assert (steps <= limit).all().all()
    assert (path.sum(axis=1) == 500_000_000).all()  # every year the whole budget, to the cent
    assert (path.iloc[-1] == target).all()
    assert (path.iloc[0] == base).all()
    # GM1 gains 62.5M - 0.39M cents at most 15M cents a year: exactly 5 steps (ceil(62.1/15))
    assert len(path) - 1 == 5
    assert steps["GM1"].iloc[0] == 15_000_000  # the first step is at the limit, not beyond


def test_phase_in_stops_after_max_years():
    q = pd.DataFrame({"inwoners": POP, "vaste_voet": 1})
    base = allocate(q, {"inwoners": 1}, 500_000_000).cents
    target = allocate(q, {"vaste_voet": 1}, 500_000_000).cents
    path = phase_in(base, target, POP, max_change_per_inwoner=0.01, max_years=3)
    assert len(path) == 4
    assert not (path.iloc[-1] == target).all()
    assert ((path.diff().iloc[1:].abs()) <= np.floor(0.01 * POP * 100)).all().all()


def test_run_fund_per_capita_matches_hand_computation(data):
    policy = FundPolicy(kind="fund", name="pc", budget=1_000_000, measures=["inwoners"])
    res = run_fund(policy, data)
    pop = data.frame["inwoners"]
    assert_allclose(res.gemeenten["euro"], 1_000_000 * pop / pop.sum(), atol=0.01)
    assert round(res.gemeenten["euro"].sum(), 2) == 1_000_000
    # the region explain table adds up to the region totals and to the budget
    ex = res.explain
    assert_allclose(ex.loc["NL", "totaal"], 1_000_000)
    assert_allclose(ex.loc["noord", "totaal"], res.gemeenten.loc[pop.index[:3], "euro"].sum())


def test_phase_in_losses_only_limits_losers_and_lets_gains_follow():
    q = pd.DataFrame({"inwoners": POP, "vaste_voet": 1})
    base = allocate(q, {"inwoners": 1}, 500_000_000).cents
    target = allocate(q, {"inwoners": 0.5, "vaste_voet": 0.5}, 500_000_000).cents
    path = phase_in(base, target, POP, max_change_per_inwoner=150, limit_gains=False)
    steps = path.diff().iloc[1:]
    limit = np.floor(150 * POP * 100)
    losers = target < base
    assert (steps.loc[:, losers].abs() <= limit[losers]).all().all()
    assert (steps.loc[:, losers] <= 0).all().all() and (steps.loc[:, ~losers] >= 0).all().all()
    assert (path.sum(axis=1) == 500_000_000).all()
    assert (path.iloc[-1] == target).all()
    # GM3 (the only big loser, 90,000 inw) may lose 13.5M cents a year; gains equal that loss
    assert (
        steps["GM3"].iloc[0] == -13_500_000
        or steps.loc[:, losers].iloc[0].sum() == -steps.iloc[0][~losers].sum()
    )
