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


def skew_kurtosis(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample skewness and excess kurtosis per indicator over the units axis, the bias-corrected
    formulas of Excel's SKEW and KURT (as COINr's ``skew``/``kurt``); NaN are left out."""
    from scipy.stats import kurtosis, skew

    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sk = skew(x, axis=-2, bias=False, nan_policy="omit")
        ku = kurtosis(x, axis=-2, fisher=True, bias=False, nan_policy="omit")
    return np.asarray(sk, dtype=float), np.asarray(ku, dtype=float)


def treat_column(
    col: np.ndarray, *, max_points: int = 5, skew_threshold: float = 2.0, kurt_threshold: float = 3.5
) -> tuple[np.ndarray, int, bool]:
    """COINr's default treatment of one indicator: while |skew| > threshold and kurtosis >
    threshold, winsorise the single most extreme point on the side of the skew (it takes the value
    of the next one), at most ``max_points`` times; if the indicator still fails, take the log
    instead (after mirroring a negative skew). Returns (values, points winsorised, logged)."""
    y = np.asarray(col, dtype=float).copy()
    ok = ~np.isnan(y)

    def bad(v: np.ndarray) -> tuple[bool, float]:
        sk, ku = skew_kurtosis(v[ok][:, None])
        return bool(abs(sk[0]) > skew_threshold and ku[0] > kurt_threshold), float(sk[0])

    failing, sk = bad(y)
    n = 0
    while failing and n < max_points and ok.sum() > 3:
        vals = y[ok]
        if sk > 0:
            top = np.nanmax(vals)
            below = vals[vals < top]
            if not below.size:
                break
            y[ok & (y == top)] = below.max()
        else:
            bottom = np.nanmin(vals)
            above = vals[vals > bottom]
            if not above.size:
                break
            y[ok & (y == bottom)] = above.min()
        n += 1
        failing, sk = bad(y)
    if failing:
        raw = np.asarray(col, dtype=float)
        s0 = bad(raw)[1]
        mirrored = raw if s0 > 0 else -raw
        out = np.log(mirrored - np.nanmin(mirrored) + 1.0)
        return (out if s0 > 0 else -out), 0, True
    return y, n, False


@OUTLIERS.register(
    "skew_kurtosis",
    label_nl="winsoriseren bij scheefheid en kurtosis (COINr-regel), anders logaritme",
    formula="zolang |scheefheid| > 2 en kurtosis > 3,5: uiterste punt -> volgende (max. 5); daarna ln",
    config_params={
        "max_points": "winsorise_max_points",
        "skew_threshold": "skew_threshold",
        "kurt_threshold": "kurt_threshold",
    },
)
def skew_kurtosis_treatment(
    x: np.ndarray, *, max_points: int = 5, skew_threshold: float = 2.0, kurt_threshold: float = 3.5
) -> np.ndarray:
    """Treat only the indicators whose distribution is both skewed and heavy-tailed (the JRC/COINr
    rule), leaving well-behaved indicators untouched."""
    x = np.asarray(x, dtype=float)
    out = x.copy()
    lead = x.reshape(-1, *x.shape[-2:])
    res = out.reshape(-1, *x.shape[-2:])
    for b in range(lead.shape[0]):
        for j in range(lead.shape[-1]):
            res[b, :, j] = treat_column(
                lead[b, :, j],
                max_points=max_points,
                skew_threshold=skew_threshold,
                kurt_threshold=kurt_threshold,
            )[0]
    return out
