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

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

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


def evaluate(prep: Prepared, facs: list[Factor], plan: Plan, *, block: int = 3_000_000) -> np.ndarray:
    """Index scores for every draw, (draws, units), vectorised over draws within each group of
    draws that share the data steps and the indicator aggregation."""
    names = ("imputation", "outliers", "normalisation", "aggregation", "domain_aggregation")
    lv = {n: _level(prep, facs, plan.codes, n, plan.size) for n in names}
    imp, out, nrm, a1, a2 = (lv[n][1] for n in names)
    key = ((imp * len(lv["outliers"][0]) + out) * len(lv["normalisation"][0]) + nrm) * len(
        lv["aggregation"][0]
    ) + a1
    scores = np.empty((plan.size, prep.n_units))
    z_cache: dict[tuple[int, int, int], np.ndarray] = {}
    n, m = prep.n_units, len(prep.indicators)
    chunk = max(1, block // max(1, n * m))
    for k in np.unique(key):
        rows = np.nonzero(key == k)[0]
        i0 = rows[0]
        combo = (int(imp[i0]), int(out[i0]), int(nrm[i0]))
        if combo not in z_cache:
            z_cache[combo] = normalised(
                prep,
                lv["imputation"][0][combo[0]],
                lv["outliers"][0][combo[1]],
                lv["normalisation"][0][combo[2]],
            )
        z = z_cache[combo]
        agg1 = lv["aggregation"][0][int(a1[i0])]
        for s in range(0, len(rows), chunk):
            r = rows[s : s + chunk]
            dom = domain_scores(z, plan.w_ind[r], agg1, prep)
            dom = np.broadcast_to(dom, (len(r), n, len(prep.domains)))
            for c in np.unique(a2[r]):
                sel = a2[r] == c
                scores[r[sel]] = index_scores(
                    dom[sel], plan.w_dom[r[sel]], lv["domain_aggregation"][0][c], prep
                )
    return scores


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
        }


def _tipping(sel: np.ndarray, facs: list[Factor], plan: Plan, p: np.ndarray) -> pd.DataFrame:
    """Per unit the categorical factor whose levels move its selection probability most: the
    conditional selection probability per level, P(selected | factor = level), over the draws."""
    n = sel.shape[1]
    best = np.zeros(n)
    factor = np.full(n, None, dtype=object)
    lin, lout = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    pin, pout = np.full(n, np.nan), np.full(n, np.nan)
    s = sel.astype(float)
    varies = (p > 0) & (p < 1)
    for f in facs:
        if f.kind != "categorical":
            continue
        onehot = np.eye(len(f.levels))[plan.codes[f.name]]  # (draws, levels)
        count = onehot.sum(axis=0)
        used = count > 0
        cond = (onehot.T @ s)[used] / count[used, None]  # (levels used, units)
        levels = np.array(f.levels, dtype=object)[used]
        spread = cond.max(axis=0) - cond.min(axis=0)
        upd = (spread > best) & varies
        hi, lo = cond.argmax(axis=0), cond.argmin(axis=0)
        cols = np.arange(n)
        best[upd] = spread[upd]
        factor[upd] = f.name
        lin[upd], lout[upd] = levels[hi[upd]], levels[lo[upd]]
        pin[upd], pout[upd] = cond[hi, cols][upd], cond[lo, cols][upd]
    return pd.DataFrame(
        {"tipping_factor": factor, "tipping_in": lin, "p_in": pin, "tipping_out": lout, "p_out": pout}
    )


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
    r = ranks(evaluate(prep, facs, plan))
    m = prep.config.methods
    nominal = ranks(
        index_scores(
            domain_scores(
                normalised(prep, m.imputation, m.outliers, m.normalisation), prep.w_ind, m.aggregation, prep
            ),
            prep.w_dom,
            m.domain_aggregation,
            prep,
        )
    )
    sel = r <= k
    p = sel.mean(axis=0)
    q = np.percentile(r, [5, 50, 95], axis=0, method="inverted_cdf")
    units = pd.DataFrame(
        {
            "code": prep.units,
            "name": prep.names,
            "nominal_rank": nominal,
            "median_rank": q[1].astype(int),
            "p5": q[0].astype(int),
            "p95": q[2].astype(int),
            "selection_probability": p,
            "nominal_selected": nominal <= k,
        }
    )
    units = pd.concat([units, _tipping(sel, facs, plan, p)], axis=1)
    order = np.lexsort((np.array(prep.units), nominal))
    units = units.iloc[order].reset_index(drop=True)
    r = r[:, order]  # columns follow the rows of `units`
    choices = pd.DataFrame(
        {f.name: np.array(f.levels)[plan.codes[f.name]] for f in facs if f.kind == "categorical"}
    )
    log = [f"{draws} trekkingen, seed {seed}, selectie: de {k} hoogst scorende eenheden"]
    spread = f"verstoring ±{prep.config.uncertainty.weight_spread:g}"
    log += [f"factor {f.label_nl}: {', '.join(f.levels) if f.levels else spread}" for f in facs]
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
