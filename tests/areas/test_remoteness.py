"""Perifeerheid: job potential and distance to an economic core, on a hand-computed case and on the
shipped snapshot."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

import npvr
from npvr.areas.remoteness import distance_to_core, job_potential, remoteness


def test_hand_computed_three_squares() -> None:
    """Three 10 x 10 km squares in a row (centroids at x = 5, 15, 45 km), 200,000 / 10,000 / 1,000 jobs.

    By hand, L = 20 km, own distance (2/3) * sqrt(100 / pi) = 3.7613 km:
      P_A = 200000 e^(-3.7613/20) + 10000 e^(-10/20) + 1000 e^(-40/20)
    """
    km = 1000.0
    geoms = {
        "GM0001": box(0, 0, 10 * km, 10 * km),
        "GM0002": box(10 * km, 0, 20 * km, 10 * km),
        "GM0003": box(40 * km, 0, 50 * km, 10 * km),
    }
    jobs = pd.Series({"GM0001": 200_000.0, "GM0002": 10_000.0, "GM0003": 1_000.0})
    own = 2.0 / 3.0 * math.sqrt(100.0 / math.pi)
    assert own == pytest.approx(3.7613, abs=1e-4)
    e = math.exp
    expected = {
        "GM0001": 200_000 * e(-own / 20) + 10_000 * e(-10 / 20) + 1_000 * e(-40 / 20),
        "GM0002": 200_000 * e(-10 / 20) + 10_000 * e(-own / 20) + 1_000 * e(-30 / 20),
        "GM0003": 200_000 * e(-40 / 20) + 10_000 * e(-30 / 20) + 1_000 * e(-own / 20),
    }
    got = remoteness(geoms, jobs)
    for code, value in expected.items():
        assert got.loc[code, "banenpotentieel"] == pytest.approx(value, rel=1e-12)
    # only GM0001 has >= 100,000 jobs: distances 0, 10 and 40 km
    assert got["afstand_economisch_kerngebied"].tolist() == pytest.approx([0.0, 10.0, 40.0])


def test_functions_on_arrays() -> None:
    x, y = np.array([0.0, 3.0]), np.array([0.0, 4.0])
    assert job_potential(
        x, y, np.array([0.0, 0.0]), np.array([1.0, 0.0]), decay_km=5.0
    ).tolist() == pytest.approx([1.0, math.exp(-1.0)])
    assert distance_to_core(x, y, np.array([5.0, 1.0]), min_jobs=2.0).tolist() == pytest.approx([0.0, 5.0])
    with pytest.raises(ValueError, match="no gemeente"):
        distance_to_core(x, y, np.array([1.0, 1.0]), min_jobs=2.0)


def test_snapshot_remoteness_is_plausible() -> None:
    snap = npvr.load_snapshot()
    v = snap.values
    dist = v[v.indicator_id == "afstand_economisch_kerngebied"].set_index("area_code")["value"]
    pot = v[v.indicator_id == "banenpotentieel"].set_index("area_code")["value"]
    assert len(dist) == len(pot) == 342
    assert dist["GM0363"] == 0.0  # Amsterdam is a core
    # the Wadden islands and Zeeuws-Vlaanderen are the most remote; the Randstad the least
    assert set(dist.nlargest(5).index) & {"GM0096", "GM0093", "GM1714", "GM0448"}
    assert pot.idxmax() in {"GM0437", "GM0362", "GM0363", "GM0384"}  # around Amsterdam
    assert pot.nsmallest(10).index.isin(["GM0096", "GM0093", "GM0060", "GM0088"]).sum() >= 3
