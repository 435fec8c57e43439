"""Benchmark: the vectorised uncertainty + Sobol analysis against a per-draw pandas rebuild.

Run on demand: ``/work/venv/bin/python benchmarks/bench_index.py [--draws 10000] [--n 1024]``.

Workload (issues 3 and 11): 10,000 uncertainty draws plus a Sobol analysis with N = 1024 over the 8 factors
of the shipped default index (N·(8+2) = 10,240 model runs) on all 342 gemeenten. The baseline
rebuilds the index once per draw with pandas, the way COINr works; it runs for a sample of the
same draws in the same process (its time per draw is flat) and is extrapolated to the full
workload. Its ranks are compared with the vectorised ranks for those draws, so the benchmark also
checks that the two implementations agree. Then the same on the 3,393 wijken: the snapshot has
only 4 wijk indicators (density, inhabitants, dwellings, land area; all 'context' in the
catalogue), so the wijk run uses a speed-only config with explicit directions, not a meaningful
index.

Issue 11 adds the ``regio`` level (the 11 NPVR regions as themselves plus the COROP remainders,
42 units) for both shipped indices, and the what-if recompute the web app calls on every slider
move: ``whatif(prep, weights=...)`` on a prepared pipeline (target < 20 ms) against a full
``build_index`` per change (the baseline).

The engine runs blocks of draws on ``default_threads()`` threads (the cores this process may use,
at most 4); the results do not depend on the thread count. Pin it with ``taskset -c 0`` to time one
core.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import npvr
from npvr.index import build_index, prepare, whatif
from npvr.index.pipeline import Prepared, ranks
from npvr.index.sensitivity import run_prepared as run_sensitivity
from npvr.index.uncertainty import CATEGORICAL, default_threads, evaluate, factors, sample_plan
from npvr.index.uncertainty import run_prepared as run_uncertainty

WIJK_CONFIG = {
    "name": "wijk-benchmark (alleen snelheid)",
    "level": "wijk",
    "domains": [
        {"id": "dichtheid", "indicators": [{"id": "bevolkingsdichtheid", "direction": -1}]},
        {
            "id": "omvang",
            "indicators": [
                {"id": "inwoners", "direction": 1},
                {"id": "woningvoorraad", "direction": 1},
                {"id": "oppervlakte_land", "direction": -1},
            ],
        },
    ],
    "uncertainty": {
        "imputation": ["median", "mean", "group_median"],
        "outliers": ["none", "winsorise"],
        "normalisation": ["zscore", "minmax", "rank"],
        "aggregation": ["arithmetic", "geometric"],
        "domain_aggregation": ["arithmetic", "geometric", "harmonic"],
        "weight_spread": 0.25,
        "leave_one_out": True,
    },
}


# --- the baseline: one pandas rebuild per draw ------------------------------------------------------


def _pandas_build(prep: Prepared, choice: dict[str, str], w_ind: np.ndarray, w_dom: np.ndarray) -> pd.Series:
    df = pd.DataFrame(prep.raw, index=prep.units, columns=prep.indicators)
    groups = pd.Series(prep.groups, index=prep.units) if prep.groups is not None else None
    imp = choice["imputation"]
    if imp in ("mean", "median"):
        df = df.fillna(df.agg(imp))
    elif imp in ("group_mean", "group_median"):
        stat = imp.split("_")[1]
        if groups is not None:
            df = df.fillna(df.groupby(groups).transform(stat))
        df = df.fillna(df.agg(stat))
    if choice["outliers"] == "winsorise":
        df = df.clip(df.quantile(0.05), df.quantile(0.95), axis=1)
    elif choice["outliers"] == "log":
        df = np.log(df - df.min() + 1)
    df = df * pd.Series(prep.direction, index=prep.indicators)
    norm = choice["normalisation"]
    if norm == "zscore":
        df = (df - df.mean()) / df.std()
    elif norm == "minmax":
        df = (df - df.min()) / (df.max() - df.min())
    elif norm == "rank":
        df = df.rank()
    elif norm == "percentile":
        df = (df.rank() - 1) / (df.count() - 1)

    def agg(frame: pd.DataFrame, w: pd.Series, how: str) -> pd.Series:
        if how in ("geometric", "harmonic"):
            lo, hi = frame.min().min(), frame.max().max()
            if lo <= 0:
                frame = frame - lo + 0.1 * (hi - lo if hi > lo else 10.0)
        wm = frame.notna().mul(w, axis=1)
        wn = wm.div(wm.sum(axis=1), axis=0)
        if how == "arithmetic":
            return (frame.fillna(0) * wn).sum(axis=1)
        if how == "geometric":
            return np.exp((np.log(frame.fillna(1)) * wn).sum(axis=1))
        return 1.0 / (wn / frame.fillna(1)).sum(axis=1)

    dom = pd.DataFrame(
        {
            d: agg(
                df.loc[:, prep.domain_of == k],
                pd.Series(w_ind[prep.domain_of == k], index=df.columns[prep.domain_of == k]),
                choice["aggregation"],
            )
            for k, d in enumerate(prep.domains)
        }
    )
    score = agg(dom, pd.Series(w_dom, index=prep.domains), choice["domain_aggregation"])
    return score.rank(ascending=False, method="min")


def _choice(prep: Prepared, facs: list, plan, i: int) -> dict[str, str]:
    out = {n: getattr(prep.config.methods, n) for n in CATEGORICAL}
    for f in facs:
        if f.kind == "categorical" and f.name in out:
            out[f.name] = f.levels[plan.codes[f.name][i]]
    return out


def bench(prep: Prepared, *, draws: int, n: int, baseline_draws: int, label: str) -> None:
    facs = factors(prep)
    print(
        f"\n== {label}: {prep.n_units} eenheden x {len(prep.indicators)} indicatoren, {len(facs)} factoren, "
        f"{default_threads()} threads =="
    )
    t0 = time.perf_counter()
    unc = run_uncertainty(prep, draws=draws, seed=0)
    t1 = time.perf_counter()
    sens = run_sensitivity(prep, n=n, seed=0)
    t2 = time.perf_counter()
    evaluations = draws + sens.evaluations
    fast = t2 - t0
    print(
        f"vectorised: uncertainty {draws} draws {t1 - t0:.2f} s + Sobol N={n} ({sens.evaluations} runs) "
        f"{t2 - t1:.2f} s = {fast:.2f} s"
    )

    plan = sample_plan(prep, facs, baseline_draws, np.random.default_rng(1))
    vec = ranks(evaluate(prep, facs, plan))
    t3 = time.perf_counter()
    base = np.vstack(
        [
            _pandas_build(prep, _choice(prep, facs, plan, i), plan.w_ind[i], plan.w_dom[i]).to_numpy()
            for i in range(baseline_draws)
        ]
    )
    t4 = time.perf_counter()
    per_draw = (t4 - t3) / baseline_draws
    agree = float((base == vec).all(axis=1).mean())
    slow = per_draw * evaluations
    print(
        f"pandas baseline: {1000 * per_draw:.1f} ms per rebuild (measured on {baseline_draws} draws), "
        f"extrapolated to {evaluations} runs: {slow:.1f} s"
    )
    print(f"ranks identical to the vectorised engine in {100 * agree:.1f}% of the sampled draws")
    print(f"RATIO baseline / vectorised = {slow / fast:.0f}x  (target >= 100x, vectorised < 5 s)")
    print(sens.indices.round(3).to_string(index=False))
    top = unc.units.head(3)[["code", "name", "median_rank", "p5", "p95", "selection_probability"]]
    print(top.to_string(index=False))


def bench_whatif(prep: Prepared, *, calls: int = 200, baseline_calls: int = 10) -> None:
    """What-if recompute after a weight change on the prepared pipeline vs a full rebuild."""
    rng = np.random.default_rng(0)
    whatif(prep)  # the first call fills the caches (as the web app's start-up does)
    t0 = time.perf_counter()
    for _ in range(calls):
        i = int(rng.integers(len(prep.indicators)))
        whatif(prep, weights={prep.indicators[i]: float(rng.uniform(0, 2))})
    fast = (time.perf_counter() - t0) / calls
    t1 = time.perf_counter()
    for _ in range(baseline_calls):
        build_index(prep.config, level=prep.level)
    slow = (time.perf_counter() - t1) / baseline_calls
    print(
        f"what-if ({prep.level}, {prep.n_units} eenheden): {1000 * fast:.2f} ms per weight change "
        f"(target < 20 ms); full rebuild {1000 * slow:.0f} ms; RATIO {slow / fast:.0f}x"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--baseline-draws", type=int, default=200)
    args = ap.parse_args()
    # one-time start-up costs (scipy.stats ~2 s, SALib) are paid before the clock runs, so the
    # first workload is not charged for imports the later ones get for free
    import scipy.stats  # noqa: F401
    from SALib.analyze import sobol  # noqa: F401

    snap = npvr.load_snapshot()
    prep = prepare(None, snapshot=snap, level="gemeente")
    bench(
        prep,
        draws=args.draws,
        n=args.n,
        baseline_draws=args.baseline_draws,
        label="gemeenten, standaardindex",
    )
    for name in ("deprivatie", "opgave"):
        rprep = prepare(name, snapshot=snap, level="regio")
        bench(
            rprep,
            draws=args.draws,
            n=args.n,
            baseline_draws=args.baseline_draws,
            label=f"regio (11 NPVR-regio's + COROP-resten), {name}",
        )
    bench(
        prepare("opgave", snapshot=snap, level="gemeente"),
        draws=args.draws,
        n=args.n,
        baseline_draws=args.baseline_draws,
        label="gemeenten, NPVR-opgave-index",
    )
    print()
    bench_whatif(prepare(None, snapshot=snap, level="gemeente"))
    bench_whatif(prepare(None, snapshot=snap, level="regio"))
    wprep = prepare(WIJK_CONFIG, snapshot=snap, level="wijk")
    bench(
        wprep,
        draws=args.draws,
        n=args.n,
        baseline_draws=max(20, args.baseline_draws // 4),
        label="wijken, snelheidsconfiguratie",
    )


if __name__ == "__main__":
    main()
