"""Aggregation of normalised indicators into one score per unit (used twice: indicators -> domain,
domains -> index).

Every method has the shape ``f(x, w, **params) -> array``: ``x`` is ``(..., units, items)``, ``w``
broadcasts to ``(..., items)`` (non-negative, need not sum to 1). Per unit the weights are
re-normalised over the items that unit has (NaN = missing), so a gap neither counts as zero nor
drops the unit. A unit with no item (or only zero weights) gets NaN.

The geometric, harmonic and generalised means need positive inputs. They never meet a zero:
when the smallest input is <= 0 all inputs of that call are shifted by one constant
``c = -min + 0.1·(max - min)`` (``-min + 1`` for a constant input), see :func:`zero_shift`; the
pipeline logs the shift.
"""

from __future__ import annotations

import numpy as np

from npvr.index.registry import Registry

AGGREGATORS = Registry("aggregation", "aggregatie")


def _weights(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit weights over present items, summing to 1, and the mask of units with any weight."""
    present = ~np.isnan(x)
    wf = np.where(present, np.asarray(w, dtype=float)[..., None, :], 0.0)
    tot = wf.sum(axis=-1, keepdims=True)
    ok = tot > 0
    wn = np.divide(wf, tot, out=np.zeros_like(wf), where=ok)
    return wn, ok[..., 0]


def zero_shift(x: np.ndarray) -> np.ndarray:
    """The constant added to make every input positive, per leading batch element (0 if none needed)."""
    x = np.asarray(x, dtype=float)
    all_nan = np.all(np.isnan(x), axis=(-2, -1))
    xs = np.where(np.isnan(x), np.inf, x)
    lo = np.min(xs, axis=(-2, -1))
    hi = np.max(np.where(np.isnan(x), -np.inf, x), axis=(-2, -1))
    rng = np.where(hi > lo, hi - lo, 1.0 / 0.1)
    shift = np.where((lo <= 0) & ~all_nan, -lo + 0.1 * rng, 0.0)
    return shift


def _positive(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x + zero_shift(x)[..., None, None]


def _finish(val: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok, val, np.nan)


@AGGREGATORS.register("arithmetic", label_nl="rekenkundig gemiddelde", formula="s = Σ w_j x_j")
def arithmetic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean: fully compensatory (a low value is offset by a high one)."""
    wn, ok = _weights(x, w)
    return _finish(np.sum(wn * np.nan_to_num(x), axis=-1), ok)


@AGGREGATORS.register(
    "geometric",
    label_nl="meetkundig gemiddelde",
    formula="s = Π (x_j + c)^w_j, c > 0 als min x <= 0",
    positive=True,
)
def geometric(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Partly compensatory: a weak domain costs more than a strong one earns."""
    xp = _positive(x)
    wn, ok = _weights(xp, w)
    return _finish(np.exp(np.sum(wn * np.log(np.nan_to_num(xp, nan=1.0)), axis=-1)), ok)


@AGGREGATORS.register(
    "harmonic",
    label_nl="harmonisch gemiddelde",
    formula="s = 1 / Σ (w_j / (x_j + c)), c > 0 als min x <= 0",
    positive=True,
)
def harmonic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Least compensatory of the power means: dominated by the lowest value."""
    xp = _positive(x)
    wn, ok = _weights(xp, w)
    den = np.sum(wn / np.nan_to_num(xp, nan=1.0), axis=-1)
    return _finish(1.0 / np.where(ok, den, 1.0), ok)


@AGGREGATORS.register(
    "generalised",
    label_nl="gegeneraliseerd gemiddelde (macht p, standaard 0,5)",
    formula="s = (Σ w_j (x_j + c)^p)^(1/p), c > 0 als min x <= 0",
    config_params={"p": "generalised_p"},
    positive=True,
)
def generalised(x: np.ndarray, w: np.ndarray, *, p: float = 0.5) -> np.ndarray:
    """Power mean of order p; p=1 arithmetic, p->0 geometric, p=-1 harmonic."""
    if p == 0:
        return geometric(x, w)
    xp = _positive(x)
    wn, ok = _weights(xp, w)
    m = np.sum(wn * np.nan_to_num(xp, nan=1.0) ** p, axis=-1)
    return _finish(np.where(ok, m, 1.0) ** (1.0 / p), ok)


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
