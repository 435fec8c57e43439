"""Population-weighted inequality between gemeenten: Theil T, Theil L (MLD) and Gini.

Why weighted: a gemeente of 1,000 people must not count as much as one of 900,000 when we ask how
unequal the Netherlands is. Every measure takes values ``y`` (per-capita style, > 0) and weights
``w`` (population); ``w=None`` gives the classic unweighted measure (what pysal's ``inequality``
computes, which the tests use as a second method).

Decomposition into "between groups" (NPVR vs rest of NL) and "within groups":

* Theil T: ``T = sum_g S_g T_g + sum_g S_g ln(mu_g / mu)`` with ``S_g`` the group's share of the
  total (income share); exact, no remainder.
* Theil L: ``L = sum_g P_g L_g + sum_g P_g ln(mu / mu_g)`` with ``P_g`` the population share; exact.
* Gini (Pyatt / Bhattacharya-Mahalanobis): ``G = sum_g P_g S_g G_g + G_between + overlap``, where
  ``G_between`` is the Gini when everybody gets the group mean and ``overlap`` (>= 0) is what the
  groups' overlapping ranges add. Gini is not additively decomposable, so the overlap is reported.

All core functions work on 2-D arrays (replicates x gemeenten) so the bootstrap is vectorised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from npvr.errors import DataError

MEASURES: tuple[str, ...] = ("theil_t", "theil_l", "gini")
"""The registered measures, in display order; every table and chart reads this tuple."""

COMPONENTS: tuple[str, ...] = ("total", "between", "within", "overlap")


def _prepare(y: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    y = np.atleast_2d(np.asarray(y, dtype=float))
    w = np.ones_like(y) if w is None else np.atleast_2d(np.asarray(w, dtype=float))
    if w.shape != y.shape:
        w = np.broadcast_to(w, y.shape)
    if not np.all(np.isfinite(y)) or np.any(y <= 0):
        raise DataError(
            "ongelijkheidsmaten vragen positieve, eindige waarden",
            en="inequality measures need positive, finite values",
        )
    if np.any(w < 0) or np.any(w.sum(axis=1) <= 0):
        raise DataError("gewichten moeten niet-negatief zijn", en="weights must be non-negative")
    return y, w / w.sum(axis=1, keepdims=True)


def _theil_t(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    mu = (p * y).sum(axis=1, keepdims=True)
    r = y / mu
    return (p * r * np.log(r)).sum(axis=1)


def _theil_l(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    mu = (p * y).sum(axis=1, keepdims=True)
    return (p * np.log(mu / y)).sum(axis=1)


def _gini(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    # G = sum_i p_i y_i (2 F_<i + p_i - 1) / mu over y sorted ascending; ties cancel exactly.
    order = np.argsort(y, axis=1, kind="stable")
    ys = np.take_along_axis(y, order, axis=1)
    ps = np.take_along_axis(p, order, axis=1)
    below = np.cumsum(ps, axis=1) - ps
    mu = (ps * ys).sum(axis=1)
    return (ps * ys * (2 * below + ps - 1)).sum(axis=1) / mu


_CORE = {"theil_t": _theil_t, "theil_l": _theil_l, "gini": _gini}


def theil_t(y: Sequence[float] | np.ndarray, w: Sequence[float] | np.ndarray | None = None) -> float:
    """Theil T (GE(1)): sensitive to the top of the distribution."""
    return float(_theil_t(*_prepare(np.asarray(y), None if w is None else np.asarray(w)))[0])


def theil_l(y: Sequence[float] | np.ndarray, w: Sequence[float] | np.ndarray | None = None) -> float:
    """Theil L, the mean log deviation (GE(0)): sensitive to the bottom of the distribution."""
    return float(_theil_l(*_prepare(np.asarray(y), None if w is None else np.asarray(w)))[0])


def gini(y: Sequence[float] | np.ndarray, w: Sequence[float] | np.ndarray | None = None) -> float:
    """Gini coefficient (mean absolute difference over twice the mean), weighted by ``w``."""
    return float(_gini(*_prepare(np.asarray(y), None if w is None else np.asarray(w)))[0])


def _decompose_2d(y: np.ndarray, p: np.ndarray, groups: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Every measure split into components, per replicate row. ``groups`` labels the columns."""
    mu = (p * y).sum(axis=1)
    labels = np.unique(groups)
    out: dict[str, dict[str, np.ndarray]] = {m: {} for m in MEASURES}
    within_t = np.zeros(len(y))
    within_l = np.zeros(len(y))
    within_g = np.zeros(len(y))
    y_between = np.empty_like(y)
    for g in labels:
        cols = groups == g
        pg = p[:, cols].sum(axis=1)
        mug = (p[:, cols] * y[:, cols]).sum(axis=1) / pg
        sg = pg * mug / mu
        pin = p[:, cols] / pg[:, None]
        within_t += sg * _theil_t(y[:, cols], pin)
        within_l += pg * _theil_l(y[:, cols], pin)
        within_g += pg * sg * _gini(y[:, cols], pin)
        y_between[:, cols] = mug[:, None]
    total_t, total_l, total_g = _theil_t(y, p), _theil_l(y, p), _gini(y, p)
    zero = np.zeros(len(y))
    out["theil_t"] = {"total": total_t, "between": total_t - within_t, "within": within_t, "overlap": zero}
    out["theil_l"] = {"total": total_l, "between": total_l - within_l, "within": within_l, "overlap": zero}
    # Gini of the distribution where everybody has the group mean, in closed form over group pairs.
    g_between = _gini_between(p, y_between, groups, labels, mu)
    out["gini"] = {
        "total": total_g,
        "between": g_between,
        "within": within_g,
        "overlap": total_g - g_between - within_g,
    }
    return out


def _gini_between(
    p: np.ndarray, y_between: np.ndarray, groups: np.ndarray, labels: np.ndarray, mu: np.ndarray
) -> np.ndarray:
    pg = np.stack([p[:, groups == g].sum(axis=1) for g in labels], axis=1)
    mug = np.stack([y_between[:, np.flatnonzero(groups == g)[0]] for g in labels], axis=1)
    diff = np.abs(mug[:, :, None] - mug[:, None, :])
    return (pg[:, :, None] * pg[:, None, :] * diff).sum(axis=(1, 2)) / (2 * mu)


@dataclass(frozen=True)
class Decomposition:
    """One measure split into between-group, within-group and (Gini only) overlap parts."""

    measure: str
    total: float
    between: float
    within: float
    overlap: float

    @property
    def between_share(self) -> float:
        """The part of inequality explained by the grouping (e.g. NPVR vs rest)."""
        return self.between / self.total if self.total else float("nan")


def decompose(
    y: Sequence[float] | np.ndarray,
    groups: Sequence[str] | np.ndarray,
    w: Sequence[float] | np.ndarray | None = None,
) -> dict[str, Decomposition]:
    """All measures decomposed over ``groups`` (one label per gemeente), keyed by measure name."""
    yy, p = _prepare(np.asarray(y), None if w is None else np.asarray(w))
    g = np.asarray(groups)
    parts = _decompose_2d(yy, p, g)
    return {
        m: Decomposition(m, *(float(parts[m][c][0]) for c in COMPONENTS))  # type: ignore[arg-type]
        for m in MEASURES
    }


def bootstrap(
    y: Sequence[float] | np.ndarray,
    groups: Sequence[str] | np.ndarray,
    w: Sequence[float] | np.ndarray | None = None,
    *,
    n_boot: int = 499,
    level: float = 0.90,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Percentile bootstrap intervals for every measure and component.

    Gemeenten are resampled with replacement *within* their group (stratified), so every replicate
    keeps the NPVR / rest split; a gemeente travels with its own weight. Returns one row per
    (measure, component) with ``estimate``, ``lo``, ``hi``.
    """
    yy, p = _prepare(np.asarray(y), None if w is None else np.asarray(w))
    yy, p = yy[0], p[0]
    g = np.asarray(groups)
    rng = np.random.default_rng(seed)
    idx = np.empty((n_boot, len(yy)), dtype=np.intp)
    for label in np.unique(g):
        members = np.flatnonzero(g == label)
        idx[:, members] = rng.choice(members, size=(n_boot, len(members)), replace=True)
    yb, wb = yy[idx], p[idx]
    wb = wb / wb.sum(axis=1, keepdims=True)
    boot = _decompose_2d(yb, wb, g)
    point = _decompose_2d(yy[None, :], p[None, :], g)
    alpha = (1 - level) / 2
    rows = []
    for m in MEASURES:
        for c in COMPONENTS:
            if m != "gini" and c == "overlap":
                continue
            lo, hi = np.quantile(boot[m][c], [alpha, 1 - alpha])
            rows.append(
                {
                    "measure": m,
                    "component": c,
                    "estimate": float(point[m][c][0]),
                    "lo": float(lo),
                    "hi": float(hi),
                    "level": level,
                    "n_boot": n_boot,
                }
            )
    return pd.DataFrame(rows)


def sigma_convergence(
    frame: pd.DataFrame,
    *,
    value: str = "value",
    weight: str | None = "weight",
    period: str = "period",
    group: str | None = "group",
) -> pd.DataFrame:
    """Dispersion over gemeenten per period: is it shrinking (sigma convergence)?

    ``frame`` has one row per gemeente and period. Returns per period the population-weighted
    standard deviation of log values (``sd_log``), the coefficient of variation (``cv``), Theil T
    with its between-group part, and ``n``. ``converging`` on the last row compares the first and
    last period's ``sd_log``.
    """
    rows = []
    for per, sub in frame.groupby(period, sort=True):
        y = sub[value].to_numpy(dtype=float)
        w = sub[weight].to_numpy(dtype=float) if weight else np.ones_like(y)
        keep = np.isfinite(y) & (y > 0) & np.isfinite(w) & (w > 0)
        y, w = y[keep], w[keep]
        if len(y) < 2:
            continue
        p = w / w.sum()
        mu = (p * y).sum()
        ly = np.log(y)
        sd_log = float(np.sqrt((p * (ly - (p * ly).sum()) ** 2).sum()))
        cv = float(np.sqrt((p * (y - mu) ** 2).sum()) / mu)
        row = {
            "period": int(per),
            "n": len(y),
            "sd_log": sd_log,
            "cv": cv,
            "theil_t": float(_theil_t(y[None, :], p[None, :])[0]),
        }
        if group:
            gl = sub[group].to_numpy()[keep]
            row["theil_t_between"] = float(_decompose_2d(y[None, :], p[None, :], gl)["theil_t"]["between"][0])
        rows.append(row)
    out = pd.DataFrame(rows)
    if len(out) >= 2:
        out["converging"] = out["sd_log"].iloc[-1] < out["sd_log"].iloc[0]
    return out
