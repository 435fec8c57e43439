"""Small hand-made gemeente data, so the key arithmetic is checked on numbers a person can follow."""

from __future__ import annotations

import pandas as pd
import pytest

from npvr.impact.inputs import GemeenteData


def make_data() -> GemeenteData:
    """Eight gemeenten: two NPVR regions ('noord', 'zuid') and the rest; sizes from 1,000 to 500,000."""
    frame = pd.DataFrame(
        {
            "name": ["Klein", "Dorp", "Stad", "Grens", "Midden", "Groot", "Metropool", "Eiland"],
            "inwoners": [1_000, 12_000, 90_000, 25_000, 40_000, 150_000, 500_000, 3_000],
            "inwoners_65plus": [300, 3_000, 15_000, 6_000, 8_000, 24_000, 60_000, 1_000],
            "huishoudens": [450, 5_200, 42_000, 11_000, 18_000, 70_000, 260_000, 1_400],
            "woningen": [480, 5_400, 43_000, 11_500, 18_500, 72_000, 265_000, 1_700],
            "land_km2": [40.0, 120.5, 80.25, 150.0, 60.0, 50.0, 160.0, 100.0],
            "borders_belgium": [True, False, False, True, False, False, False, False],
            "borders_germany": [False, False, True, False, False, False, False, False],
            "region": ["noord", "noord", "noord", "zuid", "zuid", "rest", "rest", "rest"],
            "province_name": ["A", "A", "A", "B", "B", "C", "C", "C"],
            "armoede": [12.0, 9.0, 8.0, 11.0, 7.0, 6.0, 10.0, 5.0],
        },
        index=pd.Index([f"GM{i:04d}" for i in (1, 2, 3, 4, 5, 6, 7, 8)], name="gm_code"),
    )
    return GemeenteData(
        frame,
        provenance={"inwoners": "hand-made test data"},
        region_names={"noord": "Noord", "zuid": "Zuid"},
        labels={"armoede": ("Armoede", "Poverty")},
    )


@pytest.fixture
def data() -> GemeenteData:
    return make_data()
