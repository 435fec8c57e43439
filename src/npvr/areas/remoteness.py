"""Perifeerheid (remoteness), measured rather than assumed: how many jobs lie within reach of a gemeente
and how far it is from the nearest economic core.

Both measures use straight-line distances between gemeente centroids in an equal-area projection
(ETRS89-LAEA, metres) and the CBS count of employee jobs per gemeente (83582NED):

- **job potential** ``P_i = sum_j J_j * exp(-d_ij / L)`` with ``L`` = :data:`DECAY_KM` (20 km): jobs
  20 km away count for 37 %, 50 km away for 8 %. The own gemeente's jobs are counted at the mean
  distance from the centre of a disc of the gemeente's area to a point in it, ``d_ii = (2/3) sqrt(A/pi)``,
  so a large rural gemeente does not get its own jobs at distance zero.
- **distance to an economic core**: the distance from the centroid to the nearest centroid of a gemeente
  with at least :data:`CORE_MIN_JOBS` employee jobs (0 for a core itself).

Straight lines ignore roads, water and the Wadden ferries; the measures rank gemeenten by position in
the national job map, they are not travel times.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

DECAY_KM: float = 20.0
CORE_MIN_JOBS: float = 100_000.0

__all__ = [
    "CORE_MIN_JOBS",
    "DECAY_KM",
    "centroids_km",
    "distance_to_core",
    "job_potential",
    "remoteness",
]


def centroids_km(projected: Mapping[str, BaseGeometry]) -> pd.DataFrame:
    """Centroid (x_km, y_km) and area_km2 per code, from geometries in a metric equal-area projection."""
    codes = sorted(projected)
    return pd.DataFrame(
        {
            "x_km": [projected[c].centroid.x / 1000.0 for c in codes],
            "y_km": [projected[c].centroid.y / 1000.0 for c in codes],
            "area_km2": [projected[c].area / 1e6 for c in codes],
        },
        index=pd.Index(codes, name="gm_code"),
    )


def _distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])


def job_potential(
    x: np.ndarray, y: np.ndarray, area_km2: np.ndarray, jobs: np.ndarray, decay_km: float = DECAY_KM
) -> np.ndarray:
    """``P_i = sum_j jobs_j exp(-d_ij / decay_km)``, the own term at ``(2/3) sqrt(area/pi)``."""
    d = _distances(np.asarray(x, float), np.asarray(y, float))
    np.fill_diagonal(d, (2.0 / 3.0) * np.sqrt(np.asarray(area_km2, float) / np.pi))
    return np.exp(-d / decay_km) @ np.asarray(jobs, float)


def distance_to_core(
    x: np.ndarray, y: np.ndarray, jobs: np.ndarray, min_jobs: float = CORE_MIN_JOBS
) -> np.ndarray:
    """Distance (km) to the nearest centroid with at least ``min_jobs`` jobs; 0 for such a centre."""
    core = np.asarray(jobs, float) >= min_jobs
    if not core.any():
        raise ValueError(f"no gemeente has {min_jobs:,.0f} jobs or more")
    d = _distances(np.asarray(x, float), np.asarray(y, float))[:, core]
    return d.min(axis=1)


def remoteness(projected: Mapping[str, BaseGeometry], jobs: pd.Series) -> pd.DataFrame:
    """Both measures per gemeente: columns ``banenpotentieel`` and ``afstand_economisch_kerngebied``.

    ``jobs`` is a Series gm_code -> employee jobs; gemeenten without a count are left out of both sums.
    """
    c = centroids_km(projected)
    j = jobs.reindex(c.index)
    keep = j.notna().to_numpy()
    c, jv = c[keep], j[keep].to_numpy(dtype=float)
    x, y, a = c["x_km"].to_numpy(), c["y_km"].to_numpy(), c["area_km2"].to_numpy()
    return pd.DataFrame(
        {
            "banenpotentieel": job_potential(x, y, a, jv),
            "afstand_economisch_kerngebied": distance_to_core(x, y, jv),
        },
        index=c.index,
    )
