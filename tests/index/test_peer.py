"""Peer equivalence: a small example in the style of the JRC/COINr worked examples, with a
three-level hierarchy (indicators -> sub-domains -> domains -> index), a different method per
level, manual weights, min-max to [0, 100] and one unit that lacks a whole domain. Every level is
recomputed by hand here, with the textbook formulas, and must agree to 1e-9."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.data.catalogue import Catalogue, Indicator
from npvr.index import build_index

UNITS = ["U1", "U2", "U3", "U4", "U5"]
RAW = {  # U5 has no value for i5 and i6: the whole domain "social" is missing
    "i1": [10.0, 20.0, 30.0, 40.0, 50.0],
    "i2": [3.0, 1.0, 4.0, 1.5, 5.0],
    "i3": [200.0, 150.0, 100.0, 50.0, 75.0],
    "i4": [0.2, 0.4, 0.1, 0.3, 0.5],
    "i5": [7.0, 9.0, 8.0, 6.0, np.nan],
    "i6": [1.0, 3.0, 2.0, 4.0, np.nan],
}
GOOD = {"i1": 1, "i2": 1, "i3": -1, "i4": 1, "i5": 1, "i6": -1}  # +1 higher is better

CONFIG = {
    "name": "peer",
    "orientation": "welfare",
    "methods": {
        "imputation": "none",
        "normalisation": "minmax",
        "minmax_range": [0, 100],
        "aggregation": "arithmetic",  # indicators -> sub-domains
        "intermediate_aggregation": ["geometric"],  # sub-domains -> domains
        "domain_aggregation": "arithmetic",  # domains -> index
        "weights": "manual",
    },
    "domains": [
        {
            "id": "economy",
            "weight": 2,
            "domains": [
                {
                    "id": "income",
                    "weight": 1,
                    "indicators": [{"id": "i1", "weight": 1}, {"id": "i2", "weight": 3}],
                },
                {
                    "id": "work",
                    "weight": 1,
                    "indicators": [{"id": "i3", "weight": 1}, {"id": "i4", "weight": 1}],
                },
            ],
        },
        {
            "id": "social",
            "weight": 1,
            "domains": [
                {
                    "id": "health",
                    "weight": 1,
                    "indicators": [{"id": "i5", "weight": 1}, {"id": "i6", "weight": 2}],
                }
            ],
        },
    ],
}


def _snapshot() -> SimpleNamespace:
    cat = Catalogue(
        [
            Indicator(
                id=k,
                label_nl=k,
                label_en=k,
                theme="inkomen",
                unit="u",
                direction=GOOD[k],
                periods=(2024,),
                sources={2024: "voorbeeld"},
                aggregation="sum",
            )
            for k in RAW
        ]
    )
    rows = [
        {"area_code": u, "indicator_id": k, "period": 2024, "value": v}
        for k, vals in RAW.items()
        for u, v in zip(UNITS, vals, strict=True)
        if not np.isnan(v)
    ]
    gem = pd.DataFrame({"name": UNITS, "province_code": ["P"] * 5}, index=pd.Index(UNITS, name="gm_code"))
    return SimpleNamespace(values=pd.DataFrame(rows), catalogue=cat, gemeenten=gem)


def _by_hand() -> dict[str, np.ndarray]:
    def mm(k: str) -> np.ndarray:  # min-max to [0, 100] after the direction, over the units that have it
        y = np.array(RAW[k]) * GOOD[k]
        return 100 * (y - np.nanmin(y)) / (np.nanmax(y) - np.nanmin(y))

    n = {k: mm(k) for k in RAW}
    income = (1 * n["i1"] + 3 * n["i2"]) / 4
    work = (n["i3"] + n["i4"]) / 2
    health = (1 * n["i5"] + 2 * n["i6"]) / 3  # NaN for U5
    # geometric mean of the sub-domains: income and work are all > 0 (min 6.25), no shift;
    # health has a 0, so all inputs of that call shift by c = -min + 0.1·(max - min)
    sub = np.column_stack([income, work])
    assert sub.min() > 0
    economy = np.sqrt(income * work)
    hs = health[~np.isnan(health)]
    assert hs.min() == 0
    c2 = -hs.min() + 0.1 * (hs.max() - hs.min())
    social = health + c2  # one child: the geometric mean is the shifted value itself
    # index: weighted mean over the domains each unit has (U5: economy alone)
    index = np.where(np.isnan(social), economy, (2 * economy + 1 * np.nan_to_num(social)) / 3)
    return {
        "income": income,
        "work": work,
        "health": health,
        "economy": economy,
        "social": social,
        "index": index,
    }


def test_three_level_hierarchy_equals_hand_computation() -> None:
    res = build_index(CONFIG, snapshot=_snapshot())
    hand = _by_hand()
    nodes = res.nodes.set_index("code").loc[UNITS]
    for node in ("income", "work", "health", "economy", "social"):
        assert_allclose(nodes[node].to_numpy(), hand[node], rtol=1e-9, atol=1e-9, err_msg=node)
    scores = res.scores.set_index("code").loc[UNITS, "score"].to_numpy()
    assert_allclose(scores, hand["index"], rtol=1e-9, atol=1e-9)
    assert np.isnan(nodes.loc["U5", "social"]) and not np.isnan(scores[4])
    # effective weights: i2 = 3/4 of income, 1/2 of economy, 2/3 of the index
    eff = res.indicators.set_index("indicator_id")["effective_weight"]
    assert_allclose(eff["i2"], 3 / 4 * 1 / 2 * 2 / 3)
    assert_allclose(eff.sum(), 1.0)


def test_shift_is_configurable() -> None:
    cfg = {**CONFIG, "methods": {**CONFIG["methods"], "shift": 0.5}}
    res = build_index(cfg, snapshot=_snapshot())
    health = _by_hand()["health"]
    hs = health[~np.isnan(health)]
    social = health + (-hs.min() + 0.5 * (hs.max() - hs.min()))
    assert_allclose(res.nodes.set_index("code").loc[UNITS, "social"], social, rtol=1e-12)


def test_uneven_hierarchy_is_refused() -> None:
    from npvr.errors import ConfigError

    cfg = {**CONFIG, "domains": [CONFIG["domains"][0], {"id": "flat", "indicators": [{"id": "i5"}]}]}
    cfg["methods"] = {**CONFIG["methods"], "weights": "equal"}
    with pytest.raises(ConfigError, match="even diep"):
        build_index(cfg, snapshot=_snapshot())


def test_shift_is_logged_in_uncertainty_runs() -> None:
    from npvr.index import uncertainty

    cfg = {
        **CONFIG,
        "methods": {**CONFIG["methods"], "shift": 0.5, "weights": "equal"},
        "uncertainty": {"normalisation": ["zscore"], "domain_aggregation": ["harmonic"]},
    }
    res = uncertainty(cfg, snapshot=_snapshot(), draws=20, seed=0, select_k=2)
    text = "\n".join(res.log)
    assert "methods.shift = 0.5" in text and "harmonic" in text
    # min-max to [0, 100] has zeros: every group shifts by 0.5·100 = 50
    assert "normalisatie minmax: indicatoren verschoven met income +50, work +50, health +50" in text
