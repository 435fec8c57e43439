"""Scorecards, largest gaps, gap changes and trend statements against hand-computed cases."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.monitor import gap_changes, gap_table, largest_gaps, latest, scorecard, trend_statement, trend_table
from npvr.monitor.scorecard import classify


def ind(theme: str, direction: int, unit: str = "%", label: str = "x") -> SimpleNamespace:
    return SimpleNamespace(
        theme=theme,
        direction=direction,
        unit=unit,
        label=lambda lang="nl", label=label: label,
        unit_label=lambda lang="nl", unit=unit: unit,
    )


CAT = {
    "werkloos": ind("werk", -1, "%", "Werkloosheid"),  # higher is worse
    "bijstand": ind("werk", -1, "per 1 000 inwoners", "Bijstand"),
    "inkomen": ind("inkomen", 1, "x 1 000 euro", "Inkomen"),
    "arm": ind("inkomen", -1, "%", "Armoede"),
    "opp": ind("demografie", 0, "km²", "Oppervlakte"),
}


def _units() -> pd.DataFrame:
    rows = [
        # werkloos: A 6.0 vs rest 4.0 in 2013 (gap +2.0 pp, +50 %), 5.0 vs 4.0 in 2024 (+1.0 pp, +25 %)
        ("A", "werkloos", 2013, 6.0),
        ("rest", "werkloos", 2013, 4.0),
        ("A", "werkloos", 2018, 5.6),
        ("rest", "werkloos", 2018, 4.1),
        ("A", "werkloos", 2024, 5.0),
        ("rest", "werkloos", 2024, 4.0),
        # bijstand: A 31.5 vs 30 (+5 %: worse, exactly at the threshold)
        ("A", "bijstand", 2024, 31.5),
        ("rest", "bijstand", 2024, 30.0),
        # inkomen: A 30 vs rest 40 in 2013 (-25 %), 36 vs 42 in 2024 (-14.3 %)
        ("A", "inkomen", 2013, 30.0),
        ("rest", "inkomen", 2013, 40.0),
        ("A", "inkomen", 2024, 36.0),
        ("rest", "inkomen", 2024, 42.0),
        # arm: A 9.9 vs rest 10 (-1 %: equal); B 8 vs 10 (-20 %: better)
        ("A", "arm", 2024, 9.9),
        ("rest", "arm", 2024, 10.0),
        ("B", "arm", 2013, 9.0),
        ("B", "arm", 2024, 8.0),
        ("rest", "arm", 2013, 10.0),
        # B werkloos: 3.0 vs 4.0 in 2013 (ahead), 4.5 vs 4.0 in 2024 (behind: the lead was lost)
        ("B", "werkloos", 2013, 3.0),
        ("B", "werkloos", 2018, 3.5),
        ("B", "werkloos", 2024, 4.5),
        ("A", "opp", 2024, 100.0),
        ("rest", "opp", 2024, 50.0),
    ]
    return pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])


@pytest.fixture
def gaps() -> pd.DataFrame:
    return gap_table(_units(), CAT)


def test_classify_threshold() -> None:
    assert classify(0.05, -1) == "worse"  # 5 % more of a bad thing
    assert classify(0.049, 1) == "equal"
    assert classify(-0.2, -1) == "better"
    assert classify(0.5, 0) == "none"


def test_scorecard_hand_counts(gaps: pd.DataFrame) -> None:
    sc = scorecard(latest(gaps), CAT, themes=["werk", "inkomen", "demografie"]).set_index(
        ["area_code", "theme"]
    )
    # A werk: werkloos +25 % (worse), bijstand +5 % (worse) -> red
    assert sc.loc[("A", "werk"), ["n_better", "n_equal", "n_worse"]].tolist() == [0, 0, 2]
    assert sc.loc[("A", "werk"), "status"] == "worse"
    # A inkomen: inkomen -14.3 % (worse), arm -1 % (equal) -> red, score (0 - 1) / 2
    assert sc.loc[("A", "inkomen"), "status"] == "worse"
    assert_allclose(sc.loc[("A", "inkomen"), "score"], -0.5)
    # context only -> no colour
    assert sc.loc[("A", "demografie"), "status"] == "none"
    # B: werk worse (4.5 vs 4.0, +12.5 %), inkomen better (arm -20 %)
    assert sc.loc[("B", "werk"), "status"] == "worse"
    assert sc.loc[("B", "inkomen"), "status"] == "better"


def test_largest_gaps_order(gaps: pd.DataFrame) -> None:
    top = largest_gaps(latest(gaps), CAT, n=2, area="A")
    # worse gaps of A: werkloos +25 %, inkomen -14.3 %, bijstand +5 % -> the first two
    assert list(top["indicator_id"]) == ["werkloos", "inkomen"]
    assert list(top["rank"]) == [1, 2]
    assert_allclose(top["gap_abs"], [1.0, -6.0])
    better = largest_gaps(latest(gaps), CAT, side="better")
    assert list(better["indicator_id"]) == ["arm"] and list(better["area_code"]) == ["B"]


def test_largest_gaps_in_standard_deviations_keep_rates_near_zero_in_their_place() -> None:
    """A growth rate of 0.1 % against 0.4 % is a relative gap of -75 %, but only 0.3 point on a
    spread of 2 points; an unemployment rate of 6 % against 4 % is +50 % and 2 points on a spread
    of 1. By relative size the growth rate tops the list; in standard deviations it is last."""
    cat = {"groei": ind("economie", 1, "%", "Groei"), "werkloos": ind("werk", -1, "%", "Werkloosheid")}
    units = pd.DataFrame(
        [
            ("A", "groei", 2024, 0.1),
            ("rest", "groei", 2024, 0.4),
            ("A", "werkloos", 2024, 6.0),
            ("rest", "werkloos", 2024, 4.0),
        ],
        columns=["area_code", "indicator_id", "period", "value"],
    )
    g = latest(gap_table(units, cat))
    by_rel = largest_gaps(g, cat, n=2)
    assert list(by_rel["indicator_id"]) == ["groei", "werkloos"]  # -75 % before +50 %
    by_sd = largest_gaps(g, cat, n=2, spread={"groei": 2.0, "werkloos": 1.0})
    assert list(by_sd["indicator_id"]) == ["werkloos", "groei"]
    assert_allclose(by_sd["gap_sd"], [2.0 / 1.0, -0.3 / 2.0])


def test_gemeente_spread_is_the_sample_sd_of_the_latest_period() -> None:
    from npvr.monitor import gemeente_spread

    values = pd.DataFrame(
        [
            ("GM0001", "x", 2020, 100.0),
            ("GM0001", "x", 2024, 1.0),
            ("GM0002", "x", 2024, 3.0),
            ("CR01", "x", 2024, 50.0),
        ],
        columns=["area_code", "indicator_id", "period", "value"],
    )
    # only gemeenten, only 2024: values 1 and 3 -> sample sd sqrt(2)
    assert_allclose(gemeente_spread(values)["x"], 2**0.5)


def test_gap_changes(gaps: pd.DataFrame) -> None:
    ch = gap_changes(trend_table(gaps), CAT).set_index(["area_code", "indicator_id"])
    assert ch.loc[("A", "werkloos"), "change"] == "closed"  # +2.0 -> +1.0 pp
    assert ch.loc[("A", "inkomen"), "change"] == "closed"  # -10 -> -6
    assert ch.loc[("B", "werkloos"), "change"] == "widened"  # a lead of -1.0 became a gap of +0.5
    assert ch.loc[("B", "arm"), "change"] == "lead_grew"  # -1 -> -2 (less poverty)
    assert_allclose(ch.loc[("A", "werkloos"), "size"], 0.25)


def test_trend_statement_names_years_and_percentage_points(gaps: pd.DataFrame) -> None:
    tr = trend_table(gaps).set_index(["area_code", "indicator_id"])
    a = tr.loc[("A", "werkloos")].to_dict() | {"indicator_id": "werkloos"}
    assert trend_statement(a, CAT, lang="nl") == (
        "Werkloosheid: de achterstand op de rest van Nederland wordt kleiner tussen 2013 en 2024 "
        "(van +2,0 procentpunt naar +1,0 procentpunt)."
    )
    assert trend_statement(a, CAT, lang="en") == (
        "Werkloosheid: the gap behind the rest of the Netherlands narrows between 2013 and 2024 "
        "(from +2.0 percentage points to +1.0 percentage point)."
    )
    b = tr.loc[("B", "werkloos")].to_dict() | {"indicator_id": "werkloos"}
    assert "omgeslagen in een achterstand" in trend_statement(b, CAT, lang="nl")
    inc = tr.loc[("A", "inkomen")].to_dict() | {"indicator_id": "inkomen"}
    assert trend_statement(inc, CAT) == (
        "Inkomen: de achterstand op de rest van Nederland wordt kleiner tussen 2013 en 2024 "
        "(van −10,0 x 1 000 euro naar −6,0 x 1 000 euro)."
    )


def test_percentage_gap_is_in_points_not_percent() -> None:
    from npvr.i18n import fmt_gap

    # 5.0 % against 4.0 %: one percentage point, which is 25 % relative
    assert fmt_gap(1.0, 0.25, "%", "nl") == "+1,0 procentpunt"
    assert fmt_gap(6.0, 0.2, "km", "nl") == "+6,0 km (+20,0%)"
    assert fmt_gap(-6.0, -1 / 7, "x 1 000 euro", "en") == "−6.0 x 1 000 euro (−14.3%)"
