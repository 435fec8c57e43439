"""The difference-in-differences set-up on a hand-made panel."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.errors import DataError
from npvr.monitor import effect


def _panel(post: bool) -> pd.DataFrame:
    # Two treated (T1, T2) and four controls; one matching variable x in 2020 and 2024.
    base = {"T1": 10.0, "T2": 20.0, "C1": 11.0, "C2": 30.0, "C3": 19.0, "C4": 100.0}
    rows = []
    for code, v in base.items():
        rows.append((code, "x", 2020, v))
        rows.append((code, "x", 2024, v + (2.0 if code.startswith("T") else 1.0)))
        if post:
            rows.append((code, "x", 2027, v + (7.0 if code.startswith("T") else 3.0)))
    return pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])


def test_periods() -> None:
    assert effect.pre_periods([2012, 2024, 2025, 2026]) == [2012, 2024]
    assert effect.post_periods([2012, 2024, 2025, 2026]) == [2026]
    assert effect.first_measurement() == 2026


def test_nearest_neighbour_matching() -> None:
    m = effect.match(_panel(False), ["T1", "T2"], k=1)
    pairs = dict(zip(m.pairs["treated"], m.pairs["control"], strict=True))
    assert pairs == {"T1": "C1", "T2": "C3"}
    assert m.unmatched == []
    bal = m.balance.set_index(["indicator_id", "period"])
    assert_allclose(bal.loc[("x", 2020), "mean_npvr"], 15.0)
    assert_allclose(bal.loc[("x", 2020), "mean_matched"], 15.0)
    assert_allclose(bal.loc[("x", 2020), "mean_rest"], 40.0)
    assert abs(bal.loc[("x", 2020), "smd_after"]) < abs(bal.loc[("x", 2020), "smd_before"])


def test_did_waiting_without_post_data() -> None:
    panel = _panel(False)
    m = effect.match(panel, ["T1", "T2"], k=1)
    t = effect.did_table(panel, m, ["x"]).iloc[0]
    assert t["status"] == "waiting"
    assert t["first_measurement"] == 2026
    assert t["baseline_period"] == 2024
    assert_allclose(t["baseline_npvr"], 17.0)  # (12 + 22) / 2
    assert_allclose(t["baseline_matched"], 16.0)  # (12 + 20) / 2
    # placebo 2020 -> 2024: treated +2, controls +1
    assert_allclose(t["placebo_did"], 1.0)


def test_did_estimate_with_post_data() -> None:
    panel = _panel(True)
    m = effect.match(panel, ["T1", "T2"], k=1, variables=[("x", 2020), ("x", 2024)])
    t = effect.did_table(panel, m, ["x"]).iloc[0]
    assert t["status"] == "estimate"
    assert t["post_period"] == 2027
    # 2024 -> 2027: treated +5, controls +2
    assert_allclose(t["did"], 3.0)


def test_k2_weights_spread() -> None:
    m = effect.match(_panel(False), ["T1", "T2"], k=2)
    w = m.control_weights()
    assert_allclose(w.sum(), 2.0)  # one unit of weight per treated gemeente


def test_match_without_baseline_raises() -> None:
    panel = _panel(False)
    panel["period"] = 2026
    with pytest.raises(DataError, match="basisjaren"):
        effect.match(panel, ["T1"])
