"""Gaps and trends on hand-made unit values."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from numpy.testing import assert_allclose

from npvr.monitor.gaps import gap_table, latest, unit_memberships
from npvr.monitor.trends import trend_table


def _units() -> pd.DataFrame:
    rows = []
    # income (higher is better): twente 30 -> 33, rest 40 -> 42, nl 38 -> 40
    for per, tw, rest, nl in [(2012, 30.0, 40.0, 38.0), (2024, 33.0, 42.0, 40.0)]:
        rows += [("twente", "inkomen", per, tw), ("rest", "inkomen", per, rest), ("nl", "inkomen", per, nl)]
    # unemployment (higher is worse): twente 6 -> 5, rest 4 -> 4
    for per, tw, rest in [(2012, 6.0, 4.0), (2024, 5.0, 4.0)]:
        rows += [("twente", "ww", per, tw), ("rest", "ww", per, rest)]
    # context, one period only
    rows += [("twente", "opp", 2024, 10.0), ("rest", "opp", 2024, 20.0)]
    return pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])


CAT = {
    "inkomen": SimpleNamespace(direction=1),
    "ww": SimpleNamespace(direction=-1),
    "opp": SimpleNamespace(direction=0),
}


def test_gap_table_hand_values() -> None:
    g = gap_table(_units(), CAT).set_index(["indicator_id", "period"])
    assert set(g["area_code"]) == {"twente"}
    assert_allclose(g.loc[("inkomen", 2012), "gap_abs"], -10.0)
    assert_allclose(g.loc[("inkomen", 2012), "gap_rel"], -0.25)
    assert_allclose(g.loc[("inkomen", 2024), "gap_nl_abs"], -7.0)
    assert_allclose(g.loc[("inkomen", 2024), "gap_nl_rel"], -7.0 / 40.0)
    assert g.loc[("inkomen", 2012), "better"] == -1
    assert g.loc[("ww", 2012), "better"] == -1  # more unemployment is worse
    assert g.loc[("opp", 2024), "better"] == 0


def test_latest_keeps_last_period() -> None:
    lt = latest(gap_table(_units(), CAT)).set_index("indicator_id")
    assert lt.loc["inkomen", "period"] == 2024
    assert lt.loc["opp", "period"] == 2024


def test_trend_verdicts_absolute_and_relative_can_disagree() -> None:
    t = trend_table(gap_table(_units(), CAT)).set_index("indicator_id")
    assert "opp" not in t.index  # one period only
    inc = t.loc["inkomen"]
    # absolute gap -10 -> -9 narrows; relative -0.25 -> -9/42 = -0.2143 narrows too
    assert inc["verdict_abs"] == "narrowing"
    assert_allclose(inc["change_abs"], 1.0)
    assert_allclose(inc["gap_rel_last"], -9 / 42)
    assert inc["verdict_rel"] == "narrowing"
    assert bool(inc["improving"]) is True
    ww = t.loc["ww"]
    assert ww["verdict_abs"] == "narrowing"
    assert bool(ww["improving"]) is True  # gap +2 -> +1 on an indicator where higher is worse


def test_trend_widening_relative_while_absolute_constant() -> None:
    rows = [
        ("r", "x", 2012, 10.0),
        ("rest", "x", 2012, 20.0),
        ("r", "x", 2024, 5.0),
        ("rest", "x", 2024, 15.0),
    ]
    u = pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])
    t = trend_table(gap_table(u, {"x": SimpleNamespace(direction=1)})).iloc[0]
    assert t["verdict_abs"] == "unchanged"  # -10 both years
    assert t["verdict_rel"] == "widening"  # -0.5 -> -0.667


def test_unit_memberships() -> None:
    groups = pd.Series({"GM1": "twente", "GM2": "rest", "GM3": "achterhoek"})
    regions, npvr_rest, nl = unit_memberships(groups)
    assert regions.to_dict() == {"GM1": "twente", "GM3": "achterhoek"}
    assert npvr_rest.to_dict() == {"GM1": "npvr", "GM2": "rest", "GM3": "npvr"}
    assert set(nl) == {"nl"} and len(nl) == 3
