"""The fast paths of the uncertainty analysis against straightforward reference computations.

The engine packs scores into integer sort keys, ranks draws block by block, caches normalised
matrices on the prepared data, counts rank percentiles and tipping levels with bincount/matrix
products. Every piece is checked here against the obvious slow computation (scipy's rankdata, one
build per draw, np.percentile, loops per unit), on random data with ties and gaps, so an
optimisation cannot silently change a result.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import rankdata

from npvr.index.pipeline import domain_scores, index_scores, normalised, prepare, rank_shift, ranks
from npvr.index.uncertainty import (
    CATEGORICAL,
    _tipping,
    evaluate,
    evaluate_ranks,
    factors,
    rank_summary,
    sample_plan,
    uncertainty,
)

from .conftest import make_snapshot, tiny_config


def reference_ranks(scores: np.ndarray) -> np.ndarray:
    """1 = highest, ties share the best rank, a missing score is last: rankdata per row."""
    s = np.where(np.isnan(scores), -np.inf, scores)
    return np.apply_along_axis(lambda row: rankdata(-row, method="min"), -1, s).astype(np.int32)


def random_snapshot(seed: int, units: int = 40) -> SimpleNamespace:
    """The conftest catalogue with random values: one decimal (so ties occur) and a few gaps."""
    rng = np.random.default_rng(seed)
    snap = make_snapshot()
    codes = [f"GM{i:04d}" for i in range(1, units + 1)]
    rows = []
    for k in ("a", "b", "c", "d"):
        vals = np.round(rng.gamma(2.0, 10.0, units), 1)
        for c, v in zip(codes, vals, strict=True):
            if rng.random() > 0.08:
                rows.append({"area_code": c, "indicator_id": k, "period": 2020, "value": float(v)})
    snap.values = pd.DataFrame(rows)
    snap.gemeenten = pd.DataFrame(
        {
            "name": [f"Gemeente {c}" for c in codes],
            "province_code": rng.choice(["PV20", "PV21", "PV22"], units),
        },
        index=pd.Index(codes, name="gm_code"),
    )
    return snap


def random_config() -> dict:
    cfg = tiny_config(imputation="none")
    cfg["domains"] = [
        {"id": "x", "indicators": [{"id": "a"}, {"id": "b"}]},
        {"id": "y", "indicators": [{"id": "c"}, {"id": "d", "direction": 1}]},
    ]
    cfg["uncertainty"] = {
        "imputation": ["mean", "group_median"],
        "outliers": ["winsorise"],
        "normalisation": ["zscore", "rank", "percentile"],
        "aggregation": ["geometric", "copeland"],
        "domain_aggregation": ["geometric", "harmonic"],
        "weight_spread": 0.3,
        "leave_one_out": True,
    }
    return cfg


def test_ranks_equal_rankdata_with_ties_gaps_and_near_ties() -> None:
    rng = np.random.default_rng(7)
    s = rng.random((300, 257))
    s[:, ::5] = np.round(s[:, ::5], 1)  # exact ties
    s[3, 10:20] = np.nan
    s[4] = np.nan
    s[5, :3] = [np.inf, -np.inf, np.nan]  # -inf ties with a gap, both last
    s[6, :6] = [0.0, -0.0, 0.0, -0.0, 1e-300, -1e-300]
    s[7] = 1.0 + rng.integers(0, 4, 257) * 2.2e-16  # a few ulp apart: same high key, different values
    s[8] = -(1.0 + rng.integers(0, 4, 257) * 2.2e-16)
    s[9] = 5.0  # one tie over the whole row
    for m in (s, s.T, s[:, :1], s[:, :2], s[:20].reshape(4, 5, 257), rng.normal(size=(3, 4100))):
        assert_array_equal(ranks(m), reference_ranks(m))
    assert ranks(s).dtype == np.int32
    nominal = reference_ranks(s[0])
    assert_array_equal(rank_shift(s, nominal), np.abs(reference_ranks(s) - nominal).sum(axis=1))
    assert ranks(np.empty((2, 0))).shape == (2, 0)


def test_evaluate_equals_one_build_per_draw() -> None:
    """The grouped, blocked, cached evaluation against a fresh single build for every draw."""
    prep = prepare(random_config(), snapshot=random_snapshot(1))
    facs = factors(prep)
    plan = sample_plan(prep, facs, 150, np.random.default_rng(3))
    fast = evaluate(prep, facs, plan, block=2_000)  # small blocks: many groups are cut
    fast_ranks = evaluate_ranks(prep, facs, plan, block=700)
    expected = np.empty_like(fast)
    for i in range(plan.size):
        choice = {n: getattr(prep.config.methods, n) for n in CATEGORICAL}
        for f in facs:
            if f.name in CATEGORICAL:
                choice[f.name] = f.levels[plan.codes[f.name][i]]
        fresh = dataclasses.replace(prep, cache={})  # nothing memoised
        z = normalised(fresh, choice["imputation"], choice["outliers"], choice["normalisation"])
        dom = domain_scores(z, plan.w_ind[i], choice["aggregation"], fresh)
        expected[i] = index_scores(dom, plan.w_dom[i], choice["domain_aggregation"], fresh)
    assert_allclose(fast, expected, rtol=1e-12, atol=1e-12)
    assert_array_equal(fast_ranks, reference_ranks(expected))
    assert len({tuple(plan.codes[f.name]) for f in facs if f.kind == "categorical"}) > 1


def test_normalised_is_memoised_and_read_only() -> None:
    prep = prepare(random_config(), snapshot=random_snapshot(2))
    writeable = prep.raw.flags.writeable
    z = normalised(prep, "group_median", "winsorise", "rank")
    assert normalised(prep, "group_median", "winsorise", "rank") is z
    with pytest.raises(ValueError, match="read-only"):
        z[0, 0] = 1.0
    assert prep.raw.flags.writeable == writeable  # the cache froze a view, not the data itself
    assert normalised(prep, "none", "none", "zscore") is not normalised(prep, "none", "none", "minmax")


@pytest.mark.parametrize(
    ("draws", "units", "block"), [(1, 5, 97), (7, 3, 97), (1000, 40, 97), (999, 57, 1 << 18)]
)
def test_rank_summary_equals_numpy(draws: int, units: int, block: int) -> None:
    rng = np.random.default_rng(draws)
    r = np.argsort(rng.random((draws, units)), axis=1).astype(np.int32) + 1
    r[: draws // 3, : units // 2] = 1  # ties and lopsided distributions
    for q in ([5, 50, 95], [0, 25, 100]):
        for k in (1, units // 2 + 1, units):
            pct, count = rank_summary(r, q, k, block=block)
            assert_array_equal(pct, np.percentile(r, q, axis=0, method="inverted_cdf"))
            assert_array_equal(count, (r <= k).sum(axis=0))


def test_rank_summary_with_more_units_than_draws_falls_back_to_numpy() -> None:
    r = np.random.default_rng(0).integers(1, 500, size=(5, 500)).astype(np.int32)  # 500 > 16 x 5
    pct, count = rank_summary(r, [5, 50, 95], 7)
    assert_array_equal(pct, np.percentile(r, [5, 50, 95], axis=0, method="inverted_cdf"))
    assert_array_equal(count, (r <= 7).sum(axis=0))


@pytest.mark.parametrize("threads", [1, 3])
def test_results_do_not_depend_on_threads_or_blocks(threads: int) -> None:
    prep = prepare(random_config(), snapshot=random_snapshot(8))
    facs = factors(prep)
    plan = sample_plan(prep, facs, 200, np.random.default_rng(9))
    one = evaluate(prep, facs, plan, threads=1)
    for block in (500, 3_000, 1 << 20):  # bit for bit, whatever the blocks and threads
        assert_array_equal(evaluate(prep, facs, plan, threads=threads, block=block), one)
        assert_array_equal(
            evaluate_ranks(prep, facs, plan, threads=threads, block=block), reference_ranks(one)
        )


def test_tipping_equals_per_unit_loops() -> None:
    prep = prepare(random_config(), snapshot=random_snapshot(4))
    facs = factors(prep)
    plan = sample_plan(prep, facs, 400, np.random.default_rng(5))
    sel = evaluate_ranks(prep, facs, plan) <= 8
    p = sel.mean(axis=0)
    got = _tipping(sel, facs, plan, p)
    for u in range(prep.n_units):
        best, want = 0.0, (None, None, np.nan, None, np.nan)
        for f in facs:
            if f.kind != "categorical":
                continue
            cond = {
                lv: sel[plan.codes[f.name] == i, u].mean()
                for i, lv in enumerate(f.levels)
                if (plan.codes[f.name] == i).any()
            }
            hi, lo = max(cond, key=cond.get), min(cond, key=cond.get)
            if 0 < p[u] < 1 and cond[hi] - cond[lo] > best:
                best, want = cond[hi] - cond[lo], (f.name, hi, cond[hi], lo, cond[lo])
        row = got.iloc[u]
        for col, value in zip(
            ("tipping_factor", "tipping_in", "tipping_out"), want[0:2] + want[3:4], strict=True
        ):
            assert row[col] == value if value is not None else pd.isna(row[col])
        assert_allclose([row["p_in"], row["p_out"]], [want[2], want[4]], rtol=1e-15)
    assert got["tipping_factor"].notna().any()


def test_uncertainty_units_from_the_reference_pieces() -> None:
    """run_prepared's frame equals what np.percentile, a mean and rankdata give on its own ranks."""
    snap = random_snapshot(6)
    res = uncertainty(random_config(), snapshot=snap, draws=300, seed=2, select_k=5)
    r = res.ranks
    assert_array_equal(res.units["median_rank"], np.percentile(r, 50, axis=0, method="inverted_cdf"))
    assert_array_equal(res.units["p5"], np.percentile(r, 5, axis=0, method="inverted_cdf"))
    assert_array_equal(res.units["p95"], np.percentile(r, 95, axis=0, method="inverted_cdf"))
    assert_array_equal(res.units["selection_probability"], (r <= 5).mean(axis=0))
    prep = prepare(random_config(), snapshot=snap)
    m = prep.config.methods
    fresh = dataclasses.replace(prep, cache={})
    z = normalised(fresh, m.imputation, m.outliers, m.normalisation)
    nominal = reference_ranks(
        index_scores(
            domain_scores(z, prep.w_ind, m.aggregation, fresh), prep.w_dom, m.domain_aggregation, fresh
        )
    )
    by_code = dict(zip(prep.units, nominal, strict=True))
    assert res.units["nominal_rank"].tolist() == [by_code[c] for c in res.units["code"]]
