"""Benchmark ``npvr.aggregate`` against a straightforward pandas baseline, in the same run.

Run on demand (not a test)::

    python benchmarks/bench_aggregate.py [--repeat 5]

Both routes aggregate every catalogue indicator of the shipped snapshot to a level (the 11 NPVR
regions, the 40 COROP areas, and the 342 gemeenten themselves, as the snapshot build does). The
baseline pivots one indicator at a time and groups with pandas, the way the first version did; the
library multiplies one sparse member->unit matrix into each column. The script checks the two
agree and prints the median time of each and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

import npvr
from npvr.data.catalogue import Catalogue


def baseline(values: pd.DataFrame, membership: pd.Series, catalogue: Catalogue) -> pd.DataFrame:
    """Per indicator: pivot to member x period, group with pandas, apply the rule."""
    rows = []

    def frame(iid: str | None) -> pd.DataFrame:
        sub = values[(values["indicator_id"] == iid) & values["area_code"].isin(membership.index)]
        return sub.pivot_table(index="area_code", columns="period", values="value", aggfunc="first")

    def grouped(x: pd.Series) -> pd.Series:
        x = x.dropna()
        return x.groupby(membership.reindex(x.index)).sum()

    for ind in catalogue.values():
        if ind.aggregation == "sum":
            f = frame(ind.id)
            out = {p: grouped(f[p]) for p in f.columns}
        elif ind.aggregation == "ratio":
            n, d = frame(ind.numerator), frame(ind.denominator)
            out = {}
            for p in n.columns.intersection(d.columns):
                pair = pd.concat([n[p], d[p]], axis=1, keys=["n", "d"]).dropna()
                out[p] = ind.scale * grouped(pair["n"]) / grouped(pair["d"])
        elif ind.aggregation in ("weighted_mean", "median_approx"):
            v, w = frame(ind.id), frame(ind.weight)
            out = {}
            for p in v.columns:
                q = min(w.columns, key=lambda c: (abs(c - p), c))
                pair = pd.concat([v[p], w[q]], axis=1, keys=["v", "w"]).dropna()
                out[p] = grouped(pair["v"] * pair["w"]) / grouped(pair["w"])
        else:
            f = frame(ind.of)
            out = {}
            for p in f.columns.drop(ind.base_period):
                pair = pd.concat([f[p], f[ind.base_period]], axis=1, keys=["a", "b"]).dropna()
                out[p] = ind.scale * (grouped(pair["a"]) / grouped(pair["b"]) - 1)
        for p, s in out.items():
            rows.append(
                pd.DataFrame({"area_code": s.index, "indicator_id": ind.id, "period": p, "value": s.values})
            )
    return pd.concat(rows, ignore_index=True)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    snap = npvr.load_snapshot()
    levels = {
        "npvr (11)": npvr.load_regions().membership(),
        "corop (40)": snap.gemeenten["corop_code"],
        "gemeente (342)": pd.Series(snap.gemeenten.index, index=snap.gemeenten.index),
    }
    key = ["indicator_id", "period", "area_code"]
    for name, membership in levels.items():
        t_lib, lib = timed(lambda m=membership: npvr.aggregate(snap.values, m, snap.catalogue), args.repeat)
        t_base, base = timed(lambda m=membership: baseline(snap.values, m, snap.catalogue), args.repeat)
        a = lib.sort_values(key).reset_index(drop=True)
        b = base.sort_values(key).reset_index(drop=True)
        assert len(a) == len(b) and np.allclose(a["value"], b["value"], rtol=1e-12), name
        print(
            f"{name:15s} library {t_lib * 1000:7.1f} ms | baseline {t_base * 1000:7.1f} ms | "
            f"ratio {t_base / t_lib:5.1f}x | {len(a)} values, identical"
        )


if __name__ == "__main__":
    main()
