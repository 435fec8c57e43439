"""Normalisation: put indicators on one scale, oriented so that a higher value means a higher score.

Every method has the shape ``f(x, *, direction, **params) -> array``: ``x`` is ``(..., units,
indicators)`` (NaN = missing, kept), ``direction`` is ``(indicators,)`` of +1/-1 and says which way
is *up for the index* (for a deprivation index: +1 when a higher raw value means more deprived).
Direction is applied here, explicitly, by the formula of each method; the pipeline logs the
direction of every indicator, nothing is flipped silently.
"""

from __future__ import annotations

import warnings

import numpy as np

from npvr.index.registry import Registry

NORMALISERS = Registry("normalisation", "normalisatie")


def _d(direction: np.ndarray | float) -> np.ndarray:
    return np.asarray(direction, dtype=float)


def _nan(f, x: np.ndarray, **kw) -> np.ndarray:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(x, axis=-2, keepdims=True, **kw)


def _safe_div(num: np.ndarray, den: np.ndarray, fill: float) -> np.ndarray:
    den = np.broadcast_to(den, np.broadcast_shapes(num.shape, den.shape))
    out = np.full(np.broadcast_shapes(num.shape, den.shape), fill, dtype=float)
    ok = den != 0
    np.divide(num, den, out=out, where=ok)
    return np.where(np.isnan(num), np.nan, out)


@NORMALISERS.register(
    "minmax",
    label_nl="min-max naar [laag, hoog] (standaard [0, 1])",
    formula="y = d·x; laag + (hoog - laag)·(y - min y) / (max y - min y)",
    config_params={"low_high": "minmax_range"},
)
def minmax(x: np.ndarray, *, direction: np.ndarray, low_high: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """Linear rescale to [low, high] (COINr ``n_minmax`` with ``l_u``); a constant indicator gets
    the middle of the range (it cannot order anybody)."""
    low, high = float(low_high[0]), float(low_high[1])
    y = np.asarray(x, dtype=float) * _d(direction)
    lo, hi = _nan(np.nanmin, y), _nan(np.nanmax, y)
    return low + (high - low) * _safe_div(y - lo, hi - lo, 0.5)


@NORMALISERS.register("zscore", label_nl="z-score", formula="y = d·x; (y - gemiddelde) / sd (n-1)")
def zscore(x: np.ndarray, *, direction: np.ndarray) -> np.ndarray:
    """Standardise to mean 0 and sample standard deviation 1; a constant indicator gets 0."""
    y = np.asarray(x, dtype=float) * _d(direction)
    mu, sd = _nan(np.nanmean, y), _nan(np.nanstd, y, ddof=1)
    return _safe_div(y - mu, sd, 0.0)


@NORMALISERS.register(
    "rank",
    label_nl="rangnummer (1 = laagste score)",
    formula="y = d·x; rang(y), gelijke waarden gemiddelde rang",
)
def rank(x: np.ndarray, *, direction: np.ndarray) -> np.ndarray:
    """Ranks 1..n among units with a value (ties get the average rank): robust to outliers."""
    from scipy.stats import rankdata  # imported here: scipy.stats costs ~2 s at start-up

    y = np.asarray(x, dtype=float) * _d(direction)
    return rankdata(y, axis=-2, nan_policy="omit")


@NORMALISERS.register(
    "percentile", label_nl="percentielrang in [0, 1]", formula="y = d·x; (rang(y) - 1) / (n - 1)"
)
def percentile(x: np.ndarray, *, direction: np.ndarray) -> np.ndarray:
    """Percent rank: 0 for the lowest, 1 for the highest unit with a value."""
    r = rank(x, direction=direction)
    n = np.sum(~np.isnan(r), axis=-2, keepdims=True).astype(float)
    return _safe_div(r - 1.0, n - 1.0, 0.5)


@NORMALISERS.register(
    "goalposts",
    label_nl="doelpalen (ondergrens, bovengrens) naar [0, 1]",
    formula="d=+1: (x - L)/(U - L); d=-1: (U - x)/(U - L); afgekapt op [0, 1]",
    needs="goalposts",
)
def goalposts(x: np.ndarray, *, direction: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Fixed bounds per indicator (from the config), so scores compare across years."""
    x = np.asarray(x, dtype=float)
    d = _d(direction)
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    s = np.where(d > 0, x - lo, hi - x) / (hi - lo)
    return np.clip(s, 0.0, 1.0)


def _distance(x: np.ndarray, direction: np.ndarray, ref: np.ndarray) -> np.ndarray:
    y = np.asarray(x, dtype=float)
    lo, hi = _nan(np.nanmin, y), _nan(np.nanmax, y)
    return _safe_div(_d(direction) * (y - ref), hi - lo, 0.0)


@NORMALISERS.register(
    "reference",
    label_nl="afstand tot een referentie-eenheid (gedeeld door de spreiding)",
    formula="d·(x - x_ref) / (max x - min x)",
    needs="reference",
)
def reference(x: np.ndarray, *, direction: np.ndarray, ref_index: int) -> np.ndarray:
    """Distance to one unit (e.g. the Dutch average or a peer gemeente), 0 for the unit itself."""
    x = np.asarray(x, dtype=float)
    return _distance(x, direction, x[..., ref_index : ref_index + 1, :])


@NORMALISERS.register(
    "target",
    label_nl="afstand tot een streefwaarde (gedeeld door de spreiding)",
    formula="d·(x - T) / (max x - min x)",
    needs="target",
)
def target(x: np.ndarray, *, direction: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Distance to a target value per indicator (from the config), 0 at the target."""
    return _distance(x, direction, np.asarray(targets, dtype=float))


@NORMALISERS.register(
    "dist2ref",
    label_nl="COINr n_dist2ref: afstand tot een referentie-eenheid",
    formula="y = d·x; 1 - (y_ref - y) / (y_ref - min y), optioneel afgekapt op 1",
    needs="reference",
    config_params={"cap_max": "cap_max"},
)
def dist2ref(x: np.ndarray, *, direction: np.ndarray, ref_index: int, cap_max: bool = False) -> np.ndarray:
    """COINr's distance to a reference unit: 1 at the reference, 0 at the lowest unit (after the
    direction is applied, as COINr's ``Normalise`` does)."""
    y = np.asarray(x, dtype=float) * _d(direction)
    ref = y[..., ref_index : ref_index + 1, :]
    out = 1.0 - _safe_div(ref - y, ref - _nan(np.nanmin, y), 0.0)
    return np.minimum(out, 1.0) if cap_max else out


@NORMALISERS.register(
    "dist2targ",
    label_nl="COINr n_dist2targ: afstand tot een streefwaarde",
    formula="d=+1: (x - min x)/(T - min x); d=-1: (max x - x)/(max x - T); optioneel afgekapt op 1",
    needs="target",
    config_params={"cap_max": "cap_max"},
)
def dist2targ(
    x: np.ndarray, *, direction: np.ndarray, targets: np.ndarray, cap_max: bool = False
) -> np.ndarray:
    """COINr's distance to target: 1 at the target, 0 at the unit farthest from it on the raw scale."""
    x = np.asarray(x, dtype=float)
    d = _d(direction)
    t = np.asarray(targets, dtype=float)
    lo, hi = _nan(np.nanmin, x), _nan(np.nanmax, x)
    up = _safe_div(x - lo, np.broadcast_to(t - lo, np.broadcast_shapes(x.shape, lo.shape)), 0.0)
    down = _safe_div(hi - x, np.broadcast_to(hi - t, np.broadcast_shapes(x.shape, hi.shape)), 0.0)
    out = np.where(d > 0, up, down)
    return np.minimum(out, 1.0) if cap_max else out
