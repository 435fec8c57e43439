"""Hand-made gemeenten for the border tests: two NPVR regions and the rest, some on a border."""

from __future__ import annotations

import pandas as pd
import pytest

from npvr.impact.inputs import GemeenteData


@pytest.fixture
def border_data() -> GemeenteData:
    frame = pd.DataFrame(
        {
            "name": ["Klein", "Dorp", "Stad", "Grens", "Midden", "Groot"],
            "inwoners": [1_000, 12_000, 90_000, 25_000, 40_000, 150_000],
            "borders_belgium": [True, False, False, True, False, False],
            "borders_germany": [False, False, True, False, False, True],
            "region": ["noord", "noord", "noord", "zuid", "zuid", "rest"],
        },
        index=pd.Index([f"GM{i:04d}" for i in range(1, 7)], name="gm_code"),
    )
    return GemeenteData(frame, region_names={"noord": "Noord", "zuid": "Zuid"})
