"""Imputation of missing indicator values.

Every method has the shape ``f(x, *, groups=None, **params) -> array`` where ``x`` is
``(..., units, indicators)`` with NaN for a missing value; statistics run over the units axis (-2),
so the same function serves one build and a stack of uncertainty draws.
"""

from __future__ import annotations

import warnings

import numpy as np

from npvr.index.registry import Registry

IMPUTERS = Registry("imputation", "imputatie")


def _fill(x: np.ndarray, stat: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), stat, x)


def _nanstat(x: np.ndarray, how: str) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column stays missing
        f = np.nanmean if how == "mean" else np.nanmedian
        return f(x, axis=-2, keepdims=True)


@IMPUTERS.register(
    "none",
    label_nl="geen imputatie (ontbrekend blijft ontbrekend; gewichten herverdeeld)",
    formula="x_ij ontbrekend -> weggelaten; het gemiddelde loopt over de aanwezige indicatoren",
)
def none(x: np.ndarray, *, groups: np.ndarray | None = None) -> np.ndarray:
    """Keep gaps; the aggregators re-normalise weights over the indicators a unit has."""
    return np.asarray(x, dtype=float)


@IMPUTERS.register("mean", label_nl="gemiddelde van alle eenheden", formula="x_ij := mean_k x_kj")
def mean(x: np.ndarray, *, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill a gap with the indicator's mean over all units."""
    return _fill(x, _nanstat(x, "mean"))


@IMPUTERS.register("median", label_nl="mediaan van alle eenheden", formula="x_ij := median_k x_kj")
def median(x: np.ndarray, *, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill a gap with the indicator's median over all units."""
    return _fill(x, _nanstat(x, "median"))


def _group_fill(x: np.ndarray, groups: np.ndarray | None, how: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    overall = _nanstat(x, how)
    if groups is None:
        return _fill(x, overall)
    groups = np.asarray(groups)
    out = x.copy()
    for g in np.unique(groups):
        sel = groups == g
        sub = x[..., sel, :]
        stat = _nanstat(sub, how)
        stat = np.where(np.isnan(stat), overall, stat)  # a group with no value falls back to all units
        out[..., sel, :] = _fill(sub, stat)
    return out


@IMPUTERS.register(
    "group_mean",
    label_nl="gemiddelde binnen de groep (provincie), anders van alle eenheden",
    formula="x_ij := mean_{k in groep(i)} x_kj",
)
def group_mean(x: np.ndarray, *, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill a gap with the mean of the unit's group (the province at gemeente and COROP level)."""
    return _group_fill(x, groups, "mean")


@IMPUTERS.register(
    "group_median",
    label_nl="mediaan binnen de groep (provincie), anders van alle eenheden",
    formula="x_ij := median_{k in groep(i)} x_kj",
)
def group_median(x: np.ndarray, *, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill a gap with the median of the unit's group."""
    return _group_fill(x, groups, "median")
