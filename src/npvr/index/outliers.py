"""Outlier treatment, applied per indicator over the units axis (-2) before normalisation.

Shape: ``f(x, **params) -> array`` with ``x`` as ``(..., units, indicators)``; NaN passes through.
"""

from __future__ import annotations

import warnings

import numpy as np

from npvr.index.registry import Registry

OUTLIERS = Registry("outliers", "uitbijter")


@OUTLIERS.register("none", label_nl="geen behandeling", formula="x' = x")
def none(x: np.ndarray) -> np.ndarray:
    """Leave values as they are."""
    return np.asarray(x, dtype=float)


@OUTLIERS.register(
    "winsorise",
    label_nl="winsoriseren op het q- en (1-q)-kwantiel",
    formula="x' = min(max(x, Q_q), Q_(1-q)), standaard q = 0,05",
    config_params={"q": "winsorise_q"},
)
def winsorise(x: np.ndarray, *, q: float = 0.05) -> np.ndarray:
    """Clip each indicator to its q and 1-q quantiles (linear interpolation), so one extreme
    gemeente cannot stretch the scale for all others."""
    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = np.nanquantile(x, q, axis=-2, keepdims=True)
        hi = np.nanquantile(x, 1.0 - q, axis=-2, keepdims=True)
    return np.clip(x, lo, hi)


@OUTLIERS.register(
    "log",
    label_nl="logaritme na verschuiving naar minimum 1",
    formula="x' = ln(x - min_k x_k + 1)",
)
def log(x: np.ndarray) -> np.ndarray:
    """Compress a long right tail; shifting so the smallest value is 1 keeps the log defined and
    order-preserving (COINr's log transform)."""
    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = np.nanmin(x, axis=-2, keepdims=True)
    return np.log(x - lo + 1.0)
