"""A tiny hand-made snapshot: 6 gemeenten, 4 indicators in 2 domains, values chosen so the
hand calculations in the tests stay short."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from npvr.data.catalogue import Catalogue, Indicator

CODES = ["GM0001", "GM0002", "GM0003", "GM0004", "GM0005", "GM0006"]
# a: higher is worse (-1); b: higher is better (+1); c: higher is worse; d: context (0)
RAW = {
    "a": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
    "b": [6.0, 5.0, 4.0, 3.0, 2.0, 1.0],
    "c": [1.0, 1.0, 2.0, 2.0, 3.0, None],
    "d": [5.0, 1.0, 4.0, 2.0, 3.0, 6.0],
}
DIRECTION = {"a": -1, "b": 1, "c": -1, "d": 0}


def _catalogue() -> Catalogue:
    return Catalogue(
        [
            Indicator(
                id=k,
                label_nl=f"Indicator {k}",
                label_en=f"Indicator {k}",
                theme="inkomen",
                unit="%",
                direction=DIRECTION[k],
                periods=(2020,),
                sources={2020: "84799NED"},
                aggregation="sum",
            )
            for k in RAW
        ]
    )


def make_snapshot() -> SimpleNamespace:
    rows = [
        {"area_code": c, "indicator_id": k, "period": 2020, "value": v}
        for k, vals in RAW.items()
        for c, v in zip(CODES, vals, strict=True)
        if v is not None
    ]
    gemeenten = pd.DataFrame(
        {"name": [f"Gemeente {i}" for i in range(1, 7)], "province_code": ["PV20"] * 3 + ["PV21"] * 3},
        index=pd.Index(CODES, name="gm_code"),
    )
    return SimpleNamespace(values=pd.DataFrame(rows), catalogue=_catalogue(), gemeenten=gemeenten)


@pytest.fixture
def snap() -> SimpleNamespace:
    return make_snapshot()


def tiny_config(**methods: object) -> dict:
    """Two domains: {a, b} and {c}; deprivation orientation."""
    return {
        "name": "tiny",
        "methods": {"imputation": "none", "normalisation": "minmax", **methods},
        "domains": [
            {"id": "x", "indicators": [{"id": "a"}, {"id": "b"}]},
            {"id": "y", "indicators": [{"id": "c"}]},
        ],
    }
