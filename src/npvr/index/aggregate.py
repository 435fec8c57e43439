"""Aggregation of normalised indicators into one score per unit (used twice: indicators -> domain,
domains -> index).

Every method has the shape ``f(x, w, **params) -> array``: ``x`` is ``(..., units, items)``, ``w``
broadcasts to ``(..., items)`` (non-negative, need not sum to 1). Per unit the weights are
re-normalised over the items that unit has (NaN = missing), so a gap neither counts as zero nor
drops the unit. A unit with no item (or only zero weights) gets NaN.

The geometric, harmonic and generalised means need positive inputs. They never meet a zero:
when the smallest input is <= 0 all inputs of that call are shifted by one constant
``c = -min + s·(max - min)`` (``-min + 1`` for a constant input), see :func:`zero_shift`. The
fraction ``s`` is the config's ``methods.shift`` (default 0.1); the pipeline and the uncertainty
analysis log the shift.
"""

from __future__ import annotations

import numpy as np

from npvr.index.registry import Registry

AGGREGATORS = Registry("aggregation", "aggregatie")


def _wsum(gx: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_j w_j g(x_j) per unit: a matrix product when ``x`` is shared by a stack of weight vectors
    (the uncertainty analysis), an einsum over leading draw axes otherwise."""
    w = np.asarray(w, dtype=float)
    if gx.ndim == 2:
        return w @ gx.T
    return np.einsum("...nm,...m->...n", gx, w)


def _power_mean(x: np.ndarray, w: np.ndarray, g, g_inv) -> np.ndarray:  # type: ignore[no-untyped-def]
    """g⁻¹(Σ w_j g(x_j) / Σ w_j) over the items each unit has; NaN when it has none (or zero weight)."""
    mask = ~np.isnan(x)
    gx = np.where(mask, g(np.where(mask, x, 1.0)), 0.0)
    num = _wsum(gx, w)
    den = _wsum(mask.astype(float), w)
    ok = den > 0
    mean = np.divide(num, den, out=np.zeros(np.broadcast_shapes(num.shape, den.shape)), where=ok)
    return np.where(ok, g_inv(np.where(ok, mean, 1.0)), np.nan)


def zero_shift(x: np.ndarray, shift: float = 0.1) -> np.ndarray:
    """The constant added to make every input positive, per leading batch element (0 if none needed):
    ``-min + shift·(max - min)``."""
    x = np.asarray(x, dtype=float)
    all_nan = np.all(np.isnan(x), axis=(-2, -1))
    xs = np.where(np.isnan(x), np.inf, x)
    lo = np.min(xs, axis=(-2, -1))
    hi = np.max(np.where(np.isnan(x), -np.inf, x), axis=(-2, -1))
    rng = np.where(hi > lo, hi - lo, 1.0 / shift)
    return np.where((lo <= 0) & ~all_nan, -lo + shift * rng, 0.0)


def _positive(x: np.ndarray, shift: float = 0.1) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x + zero_shift(x, shift)[..., None, None]


@AGGREGATORS.register("arithmetic", label_nl="rekenkundig gemiddelde", formula="s = Σ w_j x_j")
def arithmetic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean: fully compensatory (a low value is offset by a high one)."""
    return _power_mean(np.asarray(x, dtype=float), w, lambda v: v, lambda v: v)


@AGGREGATORS.register(
    "geometric",
    label_nl="meetkundig gemiddelde",
    formula="s = Π (x_j + c)^w_j, c = -min x + shift·(max x - min x) als min x <= 0",
    positive=True,
    config_params={"shift": "shift"},
)
def geometric(x: np.ndarray, w: np.ndarray, *, shift: float = 0.1) -> np.ndarray:
    """Partly compensatory: a weak domain costs more than a strong one earns."""
    return _power_mean(_positive(x, shift), w, np.log, np.exp)


@AGGREGATORS.register(
    "harmonic",
    label_nl="harmonisch gemiddelde",
    formula="s = 1 / Σ (w_j / (x_j + c)), c = -min x + shift·(max x - min x) als min x <= 0",
    positive=True,
    config_params={"shift": "shift"},
)
def harmonic(x: np.ndarray, w: np.ndarray, *, shift: float = 0.1) -> np.ndarray:
    """Least compensatory of the power means: dominated by the lowest value."""
    return _power_mean(_positive(x, shift), w, np.reciprocal, np.reciprocal)


@AGGREGATORS.register(
    "generalised",
    label_nl="gegeneraliseerd gemiddelde (macht p, standaard 0,5)",
    formula="s = (Σ w_j (x_j + c)^p)^(1/p), c > 0 als min x <= 0",
    config_params={"p": "generalised_p", "shift": "shift"},
    positive=True,
)
def generalised(x: np.ndarray, w: np.ndarray, *, p: float = 0.5, shift: float = 0.1) -> np.ndarray:
    """Power mean of order p; p=1 arithmetic, p->0 geometric, p=-1 harmonic."""
    if p == 0:
        return geometric(x, w, shift=shift)
    return _power_mean(_positive(x, shift), w, lambda v: v**p, lambda v: v ** (1.0 / p))


@AGGREGATORS.register(
    "copeland",
    label_nl="Copeland-rangschikking (paarsgewijze vergelijking)",
    formula="s_a = Σ_b sign(Σ_j w_j sign(x_aj - x_bj))",
)
def copeland(x: np.ndarray, w: np.ndarray, *, block_elements: int = 8_000_000) -> np.ndarray:
    """Non-compensatory outranking: a unit scores +1 for each unit it beats on the weighted
    majority of items and -1 for each it loses to. Cost grows with units², so it runs in blocks;
    when ``x`` is shared by a stack of weight vectors the pairwise signs are computed once."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = x.shape[-2:]
    lead = np.broadcast_shapes(x.shape[:-2], w.shape[:-1])
    wb = np.broadcast_to(w, (*lead, m)).reshape(-1, m)
    shared = int(np.prod(x.shape[:-2], dtype=int)) == 1
    xb = x.reshape(-1, n, m) if not shared else x.reshape(n, m)
    out = np.empty((wb.shape[0], n))
    step = max(1, block_elements // max(1, n * n * (1 if shared else m)))
    if shared:
        diff = np.nan_to_num(np.sign(xb[:, None, :] - xb[None, :, :]))  # (n, n, m); missing = no vote
    for s in range(0, wb.shape[0], step):
        ws = wb[s : s + step]
        if shared:
            net = np.einsum("ijm,bm->bij", diff, ws)
        else:
            xs = np.broadcast_to(xb, (wb.shape[0], n, m))[s : s + step]
            d = np.nan_to_num(np.sign(xs[:, :, None, :] - xs[:, None, :, :]))
            net = np.einsum("bijm,bm->bij", d, ws)
        out[s : s + step] = np.sign(net).sum(axis=-1)
    res = out.reshape(*lead, n)
    has = np.any(~np.isnan(x), axis=-1)
    return np.where(has, res, np.nan)
