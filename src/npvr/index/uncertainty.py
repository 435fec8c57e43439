"""Uncertainty analysis: how much do the ranks, and a selection such as "the k most deprived units",
depend on defensible method choices?

The uncertain inputs (factors) are the categorical method choices (imputation, outlier treatment,
normalisation, aggregation of indicators and of domains), the weights (each weight times
U(1 - s, 1 + s), indicators and domains as two factors) and leaving one indicator out. The level is
not a factor: changing it changes the units being ranked; run the analysis per level instead.

All draws are evaluated at once with numpy over draws x units x indicators: the few normalised
matrices are computed once per distinct (imputation, outliers, normalisation) and every draw then
only differs in weights and aggregation, so nothing is rebuilt per draw.

:func:`uncertainty` returns an :class:`UncertaintyResult` whose ``units`` frame has, per unit:
``code, name, nominal_rank, median_rank, p5, p95`` (5th and 95th percentile of the rank over the
draws), ``selection_probability`` (share of draws in which the unit's rank <= k),
``nominal_selected``, and the tipping choice: ``tipping_factor`` (the choice whose levels move the
selection probability most), ``tipping_in`` / ``p_in`` (the level under which the unit is most
often selected, and how often) and ``tipping_out`` / ``p_out`` (least often). Tipping is empty for a
unit whose selection never changes. ``choices`` has the choice of every categorical factor per draw and
``ranks`` the rank matrix (draws x units, columns in the row order of ``units``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from npvr.errors import ConfigError
from npvr.index.pipeline import (
    ConfigLike,
    Prepared,
    domain_scores,
    index_scores,
    normalised,
    prepare,
    ranks,
)
from npvr.index.weights import perturb

CATEGORICAL = {
    "imputation": "imputatie",
    "outliers": "uitbijters",
    "normalisation": "normalisatie",
    "aggregation": "aggregatie indicatoren",
    "domain_aggregation": "aggregatie domeinen",
}
DEFAULT_SELECT_K = 11  # the number of NPVR regions


@dataclass(frozen=True)
class Factor:
    """One uncertain input: a categorical choice (levels) or a weight perturbation."""

    name: str
    label_nl: str
    kind: Literal["categorical", "weights"]
    levels: tuple[str, ...] = ()


def factors(prep: Prepared) -> list[Factor]:
    """The factors a config opens up, nominal level first; factors with one level are left out."""
    cfg = prep.config
    out = []
    for name, label in CATEGORICAL.items():
        levels = [getattr(cfg.methods, name)]
        levels += [v for v in getattr(cfg.uncertainty, name) if v not in levels]
        if len(levels) > 1:
            out.append(Factor(name, label, "categorical", tuple(levels)))
    if cfg.uncertainty.weight_spread > 0:
        out.append(Factor("weights_indicators", "gewichten indicatoren", "weights"))
        if len(prep.domains) > 1:
            out.append(Factor("weights_domains", "gewichten domeinen", "weights"))
    if cfg.uncertainty.leave_one_out and len(prep.indicators) > 1:
        out.append(Factor("leave_one_out", "indicator weggelaten", "categorical", ("geen", *prep.indicators)))
    return out


@dataclass
class Plan:
    """The choices of every draw: level index per categorical factor, and the weights."""

    codes: dict[str, np.ndarray]
    w_ind: np.ndarray  # (draws, indicators)
    w_dom: np.ndarray  # (draws, domains)

    @property
    def size(self) -> int:
        return self.w_ind.shape[0]


def _level(
    prep: Prepared, facs: list[Factor], codes: dict[str, np.ndarray], name: str, size: int
) -> tuple[list[str], np.ndarray]:
    for f in facs:
        if f.name == name:
            return list(f.levels), codes[name]
    return [getattr(prep.config.methods, name)], np.zeros(size, dtype=int)


def _apply_leave_out(plan: Plan) -> None:
    loo = plan.codes.get("leave_one_out")
    if loo is not None:
        rows = np.nonzero(loo > 0)[0]
        plan.w_ind[rows, loo[rows] - 1] = 0.0


def sample_plan(prep: Prepared, facs: list[Factor], draws: int, rng: np.random.Generator) -> Plan:
    """Monte Carlo: every categorical level equally likely, weights perturbed per draw."""
    spread = prep.config.uncertainty.weight_spread
    codes = {f.name: rng.integers(0, len(f.levels), size=draws) for f in facs if f.kind == "categorical"}
    names = {f.name for f in facs}
    w_ind = np.tile(prep.w_ind, (draws, 1))
    w_dom = np.tile(prep.w_dom, (draws, 1))
    if "weights_indicators" in names:
        w_ind = perturb(prep.w_ind, spread=spread, rng=rng, size=draws)
    if "weights_domains" in names:
        w_dom = perturb(prep.w_dom, spread=spread, rng=rng, size=draws)
    plan = Plan(codes, w_ind, w_dom)
    _apply_leave_out(plan)
    return plan


def plan_from_unit(
    prep: Prepared, facs: list[Factor], x: np.ndarray, rng: np.random.Generator, pool: int = 64
) -> Plan:
    """Map points of [0, 1)^F (e.g. a Sobol sample) to choices. A categorical factor takes level
    floor(u·L); a weight factor picks one of ``pool`` perturbed weight vectors drawn from ``rng``."""
    spread = prep.config.uncertainty.weight_spread
    n = x.shape[0]
    codes: dict[str, np.ndarray] = {}
    w_ind = np.tile(prep.w_ind, (n, 1))
    w_dom = np.tile(prep.w_dom, (n, 1))
    for j, f in enumerate(facs):
        if f.kind == "categorical":
            codes[f.name] = np.minimum((x[:, j] * len(f.levels)).astype(int), len(f.levels) - 1)
        else:
            base = prep.w_ind if f.name == "weights_indicators" else prep.w_dom
            vectors = perturb(base, spread=spread, rng=rng, size=pool)
            pick = np.minimum((x[:, j] * pool).astype(int), pool - 1)
            if f.name == "weights_indicators":
                w_ind = vectors[pick]
            else:
                w_dom = vectors[pick]
    plan = Plan(codes, w_ind, w_dom)
    _apply_leave_out(plan)
    return plan


BLOCK = 1 << 17  # elements of a (draws, units, domains) block: small enough to stay in the CPU cache
# draws x units x indicators per call of the indicator aggregation. That step is a matrix product,
# and BLAS may round a draw's last bit differently depending on how many draws share the call; so
# these chunks are fixed (the original engine's), never tied to the block size or thread count.
DOMAIN_CHUNK = 3_000_000


def default_threads() -> int:
    """Threads for the block loop: the cores this process may use, at most 4 (numpy releases the
    GIL inside its loops, so blocks of draws run in parallel; more threads only fight for memory)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cores))


Task = tuple[np.ndarray, np.ndarray, str]  # draw rows, normalised matrix, indicator aggregation


def _tasks(prep: Prepared, facs: list[Factor], plan: Plan) -> list[Task]:
    """Chunks of draws that share one normalised matrix and one indicator aggregation.

    Draws are grouped by the three data steps and the indicator aggregation, so within a group
    only the weights (and the domain aggregation) vary; a group is cut, in draw order, into chunks
    of :data:`DOMAIN_CHUNK` elements."""
    names = ("imputation", "outliers", "normalisation", "aggregation")
    lv = {n: _level(prep, facs, plan.codes, n, plan.size) for n in names}
    key = np.zeros(plan.size, dtype=np.int64)
    for n in names:
        key = key * len(lv[n][0]) + lv[n][1]
    order = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(np.diff(key[order])) + 1
    chunk = max(1, DOMAIN_CHUNK // max(1, prep.n_units * len(prep.indicators)))
    tasks: list[Task] = []
    for rows in np.split(order, cuts):
        imp, out, nrm, a1 = (lv[n][0][int(lv[n][1][rows[0]])] for n in names)
        z = normalised(prep, imp, out, nrm)  # memoised on prep; computed here, before any thread
        tasks += [(rows[s : s + chunk], z, a1) for s in range(0, len(rows), chunk)]
    return tasks


def for_blocks(
    prep: Prepared,
    facs: list[Factor],
    plan: Plan,
    fn: Callable[[np.ndarray, np.ndarray], None],
    *,
    block: int = BLOCK,
    threads: int | None = None,
) -> None:
    """Call ``fn(rows, scores)`` with the index scores (rows, units) of every block of draws.

    Per chunk of :func:`_tasks` the indicators are aggregated once; the domain aggregation and
    ``fn`` then run on blocks of about ``block`` elements that stay in the CPU cache (that step
    works draw by draw, so the cut does not change a bit). Chunks run on ``threads`` threads
    (default :func:`default_threads`); results do not depend on the thread count or the block
    size. ``fn`` must only write to its own ``rows``."""
    n, n_dom = prep.n_units, len(prep.domains)
    levels, codes = _level(prep, facs, plan.codes, "domain_aggregation", plan.size)
    step = max(1, block // max(1, n * n_dom))

    def run(task: Task) -> None:
        rows, z, a1 = task
        dom = np.broadcast_to(domain_scores(z, plan.w_ind[rows], a1, prep), (len(rows), n, n_dom))
        c2 = codes[rows]
        for c in np.unique(c2):
            sel = np.flatnonzero(c2 == c)
            for s in range(0, len(sel), step):
                part = sel[s : s + step]
                fn(rows[part], index_scores(dom[part], plan.w_dom[rows[part]], levels[c], prep))

    tasks = _tasks(prep, facs, plan)
    workers = min(len(tasks), threads or default_threads())
    # the matrix products are small: BLAS threads would only spin against ours (same bits either way)
    with threadpool_limits(limits=1, user_api="blas"):
        if workers <= 1:
            for task in tasks:
                run(task)
            return
        with ThreadPoolExecutor(workers) as pool:
            for _ in pool.map(run, tasks):  # re-raises the first error of a chunk
                pass


def evaluate(
    prep: Prepared, facs: list[Factor], plan: Plan, *, block: int = BLOCK, threads: int | None = None
) -> np.ndarray:
    """Index scores for every draw, (draws, units), vectorised over the draws of each group that
    shares the data steps and the aggregations."""
    scores = np.empty((plan.size, prep.n_units))

    def keep(rows: np.ndarray, s: np.ndarray) -> None:
        scores[rows] = s

    for_blocks(prep, facs, plan, keep, block=block, threads=threads)
    return scores


def evaluate_ranks(
    prep: Prepared,
    facs: list[Factor],
    plan: Plan,
    *,
    columns: np.ndarray | None = None,
    block: int = BLOCK,
    threads: int | None = None,
) -> np.ndarray:
    """``ranks(evaluate(...))[:, columns]`` without the full score matrix: each block is ranked
    (and its units put in the order ``columns``) while it is still in the CPU cache. int32."""
    out = np.empty((plan.size, prep.n_units if columns is None else len(columns)), dtype=np.int32)

    def rank(rows: np.ndarray, s: np.ndarray) -> None:
        out[rows] = ranks(s) if columns is None else ranks(s)[:, columns]

    for_blocks(prep, facs, plan, rank, block=block, threads=threads)
    return out


def nominal_ranks(prep: Prepared) -> np.ndarray:
    """Ranks of the nominal index (the config's own method choices and weights)."""
    m = prep.config.methods
    z = normalised(prep, m.imputation, m.outliers, m.normalisation)
    dom = domain_scores(z, prep.w_ind, m.aggregation, prep)
    return ranks(index_scores(dom, prep.w_dom, m.domain_aggregation, prep))


def rank_summary(
    r: np.ndarray, q: Sequence[float], k: int, *, block: int = 1 << 18
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit (column of the rank matrix ``r``, draws x units): the percentiles ``q`` of its rank,
    equal to ``np.percentile(r, q, axis=0, method="inverted_cdf")``, and the number of draws in
    which its rank is at most ``k``.

    Ranks are integers 1..units, so both follow from a count of every rank per unit (bincount
    over blocks of units small enough to stay in the CPU cache) instead of partitioning
    10,000-long strided columns. Which order statistic each percentile takes is asked of numpy
    itself, on the positions 0..draws-1. With far more units than draws numpy partitions."""
    draws, n = r.shape
    if n > 16 * draws:  # counting would cost units² against draws x units
        pct = np.percentile(np.ascontiguousarray(r.T), q, axis=1, method="inverted_cdf").astype(r.dtype)
        return pct, np.count_nonzero(r <= k, axis=0)
    pick = np.percentile(np.arange(draws), q, method="inverted_cdf").astype(np.int64)  # 0-based
    pct = np.empty((len(pick), n), dtype=r.dtype)
    at_most = np.empty(n, dtype=np.int64)
    width = max(1, block // n)
    for a in range(0, n, width):
        sub = r[:, a : a + width]
        w = sub.shape[1]
        codes = sub + (np.arange(w, dtype=np.int64) * n - 1)  # unit j, rank v -> j·n + v - 1
        cum = np.cumsum(np.bincount(codes.ravel(), minlength=w * n).reshape(w, n), axis=1)
        # cum[j, v - 1] = draws with rank <= v; the k-th smallest (0-based) is the first rank
        # whose cumulative count exceeds k
        for i, kk in enumerate(pick):
            pct[i, a : a + w] = (cum > kk).argmax(axis=1) + 1
        at_most[a : a + w] = cum[:, k - 1]
    return pct, at_most


@dataclass
class UncertaintyResult:
    """Rank distributions and selection probabilities (columns: module docstring)."""

    level: str
    draws: int
    seed: int
    select_k: int
    factors: list[Factor]
    units: pd.DataFrame
    choices: pd.DataFrame
    ranks: np.ndarray = field(repr=False)
    log: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "draws": self.draws,
            "seed": self.seed,
            "select_k": self.select_k,
            "factors": [
                {"name": f.name, "label": f.label_nl, "levels": list(f.levels)} for f in self.factors
            ],
            "units": self.units,
            "log": self.log,
        }


def _tipping(sel: np.ndarray, facs: list[Factor], plan: Plan, p: np.ndarray) -> pd.DataFrame:
    """Per unit the categorical factor whose levels move its selection probability most: the
    conditional selection probability per level, P(selected | factor = level), over the draws.

    The counts of every level of every factor come from one matrix product of the stacked one-hot
    level indicators with the selection matrix, in float32 (exact: sums of 0/1 below 2^24)."""
    n = sel.shape[1]
    best = np.zeros(n)
    factor = np.full(n, None, dtype=object)
    lin, lout = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    pin, pout = np.full(n, np.nan), np.full(n, np.nan)
    varies = (p > 0) & (p < 1)
    cats = [f for f in facs if f.kind == "categorical"]
    if not cats:
        return pd.DataFrame(
            {"tipping_factor": factor, "tipping_in": lin, "p_in": pin, "tipping_out": lout, "p_out": pout}
        )
    exact = np.float32 if sel.shape[0] < 1 << 24 else np.float64  # counts must stay exact
    onehot = np.hstack([np.eye(len(f.levels), dtype=exact)[plan.codes[f.name]] for f in cats])
    hits = (onehot.T @ sel.astype(exact)).astype(float)  # (all levels, units)
    start = 0
    cols = np.arange(n)
    for f in cats:
        count = onehot[:, start : start + len(f.levels)].sum(axis=0, dtype=float)
        used = count > 0
        cond = hits[start : start + len(f.levels)][used] / count[used, None]  # (levels used, units)
        start += len(f.levels)
        levels = np.array(f.levels, dtype=object)[used]
        spread = cond.max(axis=0) - cond.min(axis=0)
        upd = (spread > best) & varies
        hi, lo = cond.argmax(axis=0), cond.argmin(axis=0)
        best[upd] = spread[upd]
        factor[upd] = f.name
        lin[upd], lout[upd] = levels[hi[upd]], levels[lo[upd]]
        pin[upd], pout[upd] = cond[hi, cols][upd], cond[lo, cols][upd]
    return pd.DataFrame(
        {"tipping_factor": factor, "tipping_in": lin, "p_in": pin, "tipping_out": lout, "p_out": pout}
    )


def shift_log(prep: Prepared, facs: list[Factor]) -> list[str]:
    """Log lines for the shift that keeps geometric, harmonic and generalised means off zero: the
    rule with the config's ``methods.shift``, and the shift each normalisation choice needs per
    indicator group (nominal imputation and outlier treatment)."""
    from npvr.index.aggregate import AGGREGATORS, zero_shift

    m = prep.config.methods
    used = {getattr(m, n) for n in ("aggregation", "domain_aggregation")}
    used |= {lv for f in facs if f.name in ("aggregation", "domain_aggregation") for lv in f.levels}
    positive = sorted(a for a in used if AGGREGATORS.get(a).options.get("positive"))
    if not positive:
        return []
    out = [
        f"verschuiving voor {', '.join(positive)}: c = -min + {m.shift:g}·(max - min) als min <= 0 "
        f"(methods.shift = {m.shift:g}); per trekking en per aanroep berekend"
    ]
    norms = [m.normalisation, *(lv for f in facs if f.name == "normalisation" for lv in f.levels)]
    for nrm in dict.fromkeys(norms):
        z = normalised(prep, m.imputation, m.outliers, nrm)
        shifts = [float(zero_shift(z[:, prep.leaf_of == g], m.shift)) for g in range(len(prep.leaves))]
        if any(shifts):
            parts = ", ".join(f"{d} +{c:.4g}" for d, c in zip(prep.leaves, shifts, strict=True) if c)
            out.append(f"normalisatie {nrm}: indicatoren verschoven met {parts}")
        else:
            out.append(f"normalisatie {nrm}: geen verschuiving nodig (alle waarden > 0)")
    return out


def run_prepared(prep: Prepared, *, draws: int, seed: int, select_k: int | None = None) -> UncertaintyResult:
    """The uncertainty analysis on prepared data (benchmarks call this to time the analysis alone)."""
    if draws < 1:
        raise ConfigError(
            "het aantal trekkingen moet minstens 1 zijn", en="draws must be at least 1", field="draws"
        )
    k = select_k if select_k is not None else (prep.config.uncertainty.select_k or DEFAULT_SELECT_K)
    if not 1 <= k <= prep.n_units:
        raise ConfigError(
            f"select_k = {k} past niet bij {prep.n_units} eenheden op niveau '{prep.level}'",
            en=f"select_k = {k} does not fit {prep.n_units} units at level '{prep.level}'",
            field="select_k",
        )
    facs = factors(prep)
    rng = np.random.default_rng(seed)  # seed=0 is a seed
    plan = sample_plan(prep, facs, draws, rng)
    nominal = nominal_ranks(prep)
    order = np.lexsort((np.array(prep.units), nominal))  # units by nominal rank, then code
    r = evaluate_ranks(prep, facs, plan, columns=order)  # columns follow the rows of `units`
    q, count = rank_summary(r, [5, 50, 95], k)
    p = count / draws  # the same float as (r <= k).mean(axis=0): an exact count over draws
    units = pd.DataFrame(
        {
            "code": [prep.units[i] for i in order],
            "name": [prep.names[i] for i in order],
            "nominal_rank": nominal[order],
            "median_rank": q[1].astype(int),
            "p5": q[0].astype(int),
            "p95": q[2].astype(int),
            "selection_probability": p,
            "nominal_selected": nominal[order] <= k,
        }
    )
    units = pd.concat([units, _tipping(r <= k, facs, plan, p)], axis=1)
    choices = pd.DataFrame(
        {f.name: np.array(f.levels)[plan.codes[f.name]] for f in facs if f.kind == "categorical"}
    )
    log = [f"{draws} trekkingen, seed {seed}, selectie: de {k} hoogst scorende eenheden"]
    spread = f"verstoring ±{prep.config.uncertainty.weight_spread:g}"
    log += [f"factor {f.label_nl}: {', '.join(f.levels) if f.levels else spread}" for f in facs]
    log += shift_log(prep, facs)
    return UncertaintyResult(prep.level, draws, seed, k, facs, units, choices, r, log)


def uncertainty(
    config: ConfigLike = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    select_k: int | None = None,
    snapshot: Any = None,
    level: str | None = None,
    regions: Any = None,
) -> UncertaintyResult:
    """Rank distribution and selection probability of every unit under all configured choices.

    ``select_k``: the selection rule "the k highest-scoring (most deprived) units"; default the
    config's ``uncertainty.select_k``, else 11 (the number of NPVR regions)."""
    prep = prepare(config, snapshot=snapshot, level=level, regions=regions)
    return run_prepared(prep, draws=draws, seed=seed, select_k=select_k)
