"""Effect panels: the monitor's DiD with the adjustment's start year, against differences by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.areas import Region, RegionSet
from npvr.data.catalogue import Catalogue, Indicator
from npvr.errors import ConfigError
from npvr.loop.effects import effect_panel, next_period, timing


def _ind(id_: str, periods: tuple[int, ...]) -> Indicator:
    return Indicator(id=id_, label_nl=id_, label_en=id_, theme="werk", unit="%", direction=1,
                     periods=periods, sources={p: "70072NED" for p in periods}, aggregation="weighted_mean",
                     weight="inwoners")  # fmt: skip


def _made_up() -> SimpleNamespace:
    """Two gemeenten in region r1 (T1, T2), four others. x: 2020, 2024, 2027; y: every two years."""
    base = {"T1": 10.0, "T2": 20.0, "C1": 11.0, "C2": 30.0, "C3": 19.0, "C4": 100.0}
    rows = []
    for code, v in base.items():
        treated = code.startswith("T")
        rows += [(code, "x", 2020, v), (code, "x", 2024, v + (2.0 if treated else 1.0))]
        rows.append((code, "x", 2027, v + (7.0 if treated else 3.0)))
        rows += [
            (code, "y", p, v / 2 + (p - 2018) * (0.5 if treated else 0.25)) for p in (2018, 2020, 2022, 2024)
        ]
    values = pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])
    cat = Catalogue([_ind("x", (2020, 2024, 2027)), _ind("y", (2018, 2020, 2022, 2024))])
    return SimpleNamespace(values=values, catalogue=cat)


REGIONS = RegionSet("test", (Region("r1", "Regio 1", ("T1", "T2")),))


def test_panel_against_hand_computed_differences():
    p = effect_panel(["x", "y"], 2025, snap=_made_up(), region_set=REGIONS, k=1)
    pairs = dict(zip(p.matching.pairs["treated"], p.matching.pairs["control"], strict=True))
    assert pairs == {"T1": "C1", "T2": "C3"}  # nearest on the baseline values
    x = p.table.set_index("indicator_id").loc["x"]
    # baseline 2024: treated (12 + 22) / 2 = 17; matched (12 + 20) / 2 = 16
    assert x["baseline_period"] == 2024
    assert_allclose([x["baseline_npvr"], x["baseline_matched"], x["baseline_diff"]], [17.0, 16.0, 1.0])
    # placebo 2020 -> 2024: treated +2, matched +1; estimate 2024 -> 2027: treated +5, matched +2
    assert_allclose(x["placebo_did"], 1.0)
    assert x["status"] == "estimate" and x["post_period"] == 2027
    assert_allclose(x["did"], (17 - 12) - (14.0 - 12.0 + 22.0 - 20.0) / 2)  # = 3
    y = p.table.set_index("indicator_id").loc["y"]
    # y: T gains 0.5/yr, C 0.25/yr. placebo 2018 -> 2024: 3 - 1.5 = 1.5; no period after 2025 yet
    assert_allclose(y["placebo_did"], 1.5)
    assert y["status"] == "waiting" and y["first_measurement"] == 2026 and y["rhythm_years"] == 2
    assert "2026" in y["statement"] and "2024" in y["statement"]


def test_start_year_moves_the_window():
    """An adjustment from mid-2026 on a two-yearly series: 2026 is transition, first measurement 2028."""
    p = effect_panel(["y"], pd.Timestamp("2026-07-01").date(), snap=_made_up(), region_set=REGIONS, k=1)
    row = p.table.iloc[0]
    assert row["first_measurement"] == 2028 and row["baseline_period"] == 2024
    assert p.meta["start"] == 2026 and p.meta["n_treated"] == 2


@pytest.mark.parametrize(
    ("periods", "after", "expected"),
    [([2018, 2020, 2022, 2024], 2025, (2026, 2)), ([2018, 2020, 2022, 2024], 2026, (2028, 2)),
     ([2021, 2022, 2023, 2024, 2025], 2025, (2026, 1)), ([2019, 2022, 2027], 2024, (2027, 4)),
     ([2020], 2026, (2027, 1))],
)  # fmt: skip
def test_next_period_follows_the_series_rhythm(periods, after, expected):
    assert next_period(periods, after) == expected


def test_timing_states_one_period_honestly():
    t = timing([2020], 2026, "en")
    assert not t["available"] and "one period; rhythm unknown" in t["statement"]


def test_unknown_region_or_indicator_is_refused():
    with pytest.raises(ConfigError, match="onbekende regio's atlantis"):
        effect_panel(["x"], 2025, regions=["atlantis"], snap=_made_up(), region_set=REGIONS, k=1)
    with pytest.raises(ConfigError, match="onbekende indicatoren z"):
        effect_panel(["z"], 2025, snap=_made_up(), region_set=REGIONS, k=1)
    with pytest.raises(ConfigError, match="geen doelindicatoren"):
        effect_panel([], 2025, snap=_made_up(), region_set=REGIONS, k=1)


def test_real_data_one_indicator_against_a_hand_computation(snapshot):
    """Achterhoek, share 65+, adjustment from 2026: baseline and placebo recomputed from the raw values."""
    import npvr

    regions = npvr.load_regions()
    p = effect_panel(["aandeel_65plus"], 2026, regions=["achterhoek"], snap=snapshot, region_set=regions)
    row = p.table.iloc[0]
    members = sorted(regions.by_id("achterhoek").members)
    assert sorted(p.matching.pairs["treated"].unique()) == members and p.meta["n_treated"] == len(members)
    v = snapshot.values
    v = v[v["indicator_id"] == "aandeel_65plus"].pivot_table(
        index="area_code", columns="period", values="value"
    )
    base, first = row["baseline_period"], int(row["placebo_periods"].split("-")[0])
    assert base == max(p for p in v.columns if p < 2026)
    # weights: each treated gemeente spreads 1 over its k = 3 matches
    w = p.matching.pairs.groupby("control").size() / 3
    treated_mean = v.loc[members, base].mean()
    matched_mean = (v.loc[w.index, base] * w).sum() / w.sum()
    assert_allclose(row["baseline_npvr"], treated_mean)
    assert_allclose(row["baseline_matched"], matched_mean)
    change = v[base] - v[first]
    placebo = change.loc[members].mean() - (change.loc[w.index] * w).sum() / w.sum()
    assert_allclose(row["placebo_did"], placebo)
    # no period after 2026 in the shipped data: the panel waits and says when it can measure
    assert row["status"] == "waiting" and row["first_measurement"] == 2027
    assert "70072NED" in row["source"] and "2027" in row["statement"]
    assert 20 < treated_mean < 30  # share 65+ in the Achterhoek, percent
