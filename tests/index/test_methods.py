"""Each method against a small example worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from npvr.index.aggregate import AGGREGATORS, arithmetic, copeland, geometric, harmonic, zero_shift
from npvr.index.impute import IMPUTERS, group_median, mean, median
from npvr.index.normalise import NORMALISERS, goalposts, minmax, percentile, rank, reference, zscore
from npvr.index.outliers import OUTLIERS, log, winsorise
from npvr.index.weights import WEIGHTS, effective, manual

X = np.array([[1.0, 10.0], [2.0, np.nan], [3.0, 30.0], [6.0, 20.0]])


def test_impute_by_hand() -> None:
    assert_allclose(mean(X)[1, 1], 20.0)  # (10 + 30 + 20) / 3
    assert_allclose(median(X)[1, 1], 20.0)
    groups = np.array(["a", "a", "b", "b"])
    # group a has only 10 for column 2 -> 10; an all-missing group falls back to all units
    assert_allclose(group_median(X, groups=groups)[1, 1], 10.0)
    g2 = np.array(["a", "b", "a", "a"])
    assert_allclose(group_median(X, groups=g2)[1, 1], 20.0)
    assert np.isnan(IMPUTERS.get("none").func(X)[1, 1])


def test_outliers_by_hand() -> None:
    x = np.array([[0.0], [1.0], [2.0], [3.0], [100.0]])
    w = winsorise(x, q=0.25)  # quartiles 1 and 3 (linear interpolation)
    assert_allclose(w[:, 0], [1, 1, 2, 3, 3])
    assert_allclose(log(np.array([[2.0], [3.0], [5.0]]))[:, 0], np.log([1.0, 2.0, 4.0]))


def test_normalisation_by_hand_with_direction() -> None:
    x = np.array([[1.0], [3.0], [5.0]])
    up, down = np.array([1.0]), np.array([-1.0])
    assert_allclose(minmax(x, direction=up)[:, 0], [0, 0.5, 1])
    assert_allclose(minmax(x, direction=down)[:, 0], [1, 0.5, 0])  # explicit flip, not silent
    assert_allclose(zscore(x, direction=up)[:, 0], [-1, 0, 1])  # sd (n-1) = 2
    assert_allclose(rank(x, direction=down)[:, 0], [3, 2, 1])
    assert_allclose(percentile(x, direction=up)[:, 0], [0, 0.5, 1])
    assert_allclose(
        goalposts(x, direction=up, lower=np.array([2.0]), upper=np.array([4.0]))[:, 0], [0, 0.5, 1]
    )
    assert_allclose(
        goalposts(x, direction=down, lower=np.array([2.0]), upper=np.array([4.0]))[:, 0], [1, 0.5, 0]
    )
    assert_allclose(reference(x, direction=up, ref_index=1)[:, 0], [-0.5, 0, 0.5])  # (x - 3) / 4
    target = NORMALISERS.get("target").func
    assert_allclose(target(x, direction=down, targets=np.array([1.0]))[:, 0], [0, -0.5, -1])


def test_normalisation_keeps_missing_and_constant() -> None:
    x = np.array([[1.0, 7.0], [np.nan, 7.0], [3.0, 7.0]])
    z = minmax(x, direction=np.array([1.0, 1.0]))
    assert np.isnan(z[1, 0])
    assert_allclose(z[:, 1], 0.5)  # a constant indicator orders nobody


def test_aggregation_by_hand() -> None:
    x = np.array([[1.0, 4.0], [2.0, np.nan]])
    w = np.array([1.0, 3.0])
    assert_allclose(arithmetic(x, w), [(1 + 12) / 4, 2.0])  # a gap re-normalises the weights
    assert_allclose(geometric(x, w), [1**0.25 * 4**0.75, 2.0])
    assert_allclose(harmonic(x, w), [1 / (0.25 / 1 + 0.75 / 4), 2.0])
    p = AGGREGATORS.get("generalised").func
    assert_allclose(p(x, w, p=2.0)[0], np.sqrt(0.25 * 1 + 0.75 * 16))


def test_geometric_never_meets_zero() -> None:
    x = np.array([[0.0, 1.0], [1.0, 1.0]])  # min-max output has zeros
    assert_allclose(zero_shift(x), 0.1)  # -min + 0.1 * range
    assert_allclose(geometric(x, np.array([1.0, 1.0])), [np.sqrt(0.1 * 1.1), 1.1])
    assert np.all(np.isfinite(harmonic(x - 5.0, np.array([1.0, 1.0]))))


def test_copeland_by_hand() -> None:
    # a beats b on both items, b beats c on item 1 only, c beats b on item 2 (weight 2) -> c beats b
    x = np.array([[3.0, 3.0], [2.0, 1.0], [1.0, 2.0]])
    assert_allclose(copeland(x, np.array([1.0, 2.0])), [2, -2, 0])
    # shared data, a stack of weights: the same as one call per weight vector
    ws = np.array([[1.0, 2.0], [2.0, 1.0]])
    assert_allclose(copeland(x, ws), [copeland(x, ws[0]), copeland(x, ws[1])])


def test_weights_by_hand() -> None:
    assert_allclose(manual(np.array([1.0, 3.0])), [0.25, 0.75])
    eff = effective(np.array([0, 0, 1]), np.array([0.5, 0.5, 1.0]), np.array([1.0, 3.0]))
    assert_allclose(eff, [0.125, 0.125, 0.75])


@pytest.mark.parametrize("name", NORMALISERS.names())
def test_every_normaliser_is_monotone_in_direction(name: str) -> None:
    x = np.array([[1.0], [2.0], [4.0]])
    params = {
        "goalposts": {"lower": np.array([0.0]), "upper": np.array([5.0])},
        "target": {"targets": np.array([3.0])},
        "reference": {"ref_index": 1},  # not the minimum: dist2ref divides by y_ref - min y
    }
    kw = params.get(NORMALISERS.get(name).options.get("needs"), {})
    up = NORMALISERS.get(name).func(x, direction=np.array([1.0]), **kw)[:, 0]
    down = NORMALISERS.get(name).func(x, direction=np.array([-1.0]), **kw)[:, 0]
    assert np.all(np.diff(up) > 0) and np.all(np.diff(down) < 0)


@pytest.mark.parametrize("name", AGGREGATORS.names())
def test_every_aggregator_broadcasts_over_draws(name: str) -> None:
    """The stacked call the uncertainty analysis makes equals one call per draw."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3))
    x[1, 2] = np.nan
    ws = rng.uniform(0.5, 1.5, size=(4, 3))
    f = AGGREGATORS.get(name).func
    assert_allclose(f(x, ws), np.vstack([f(x, w) for w in ws]))
    assert_allclose(f(np.broadcast_to(x, (4, 5, 3)), ws), np.vstack([f(x, w) for w in ws]))


# --- COINr-style methods --------------------------------------------------------------------------


def test_minmax_to_any_range() -> None:
    x = np.array([[2.0, 5.0], [4.0, 5.0], [10.0, 5.0]])
    got = NORMALISERS.get("minmax").func(x, direction=np.array([1.0, -1.0]), low_high=(1.0, 10.0))
    assert_allclose(got[:, 0], [1.0, 1 + 9 * 2 / 8, 10.0])
    assert_allclose(got[:, 1], 5.5)  # constant: the middle of the range


def test_dist2ref_and_dist2targ_follow_coinr() -> None:
    x = np.array([[1.0], [3.0], [6.0], [8.0]])
    # n_dist2ref(x, iref = 3): 1 - (x_ref - x) / (x_ref - x_min), x_ref = 6
    got = NORMALISERS.get("dist2ref").func(x, direction=np.array([1.0]), ref_index=2)[:, 0]
    assert_allclose(got, 1 - (6 - x[:, 0]) / (6 - 1))
    capped = NORMALISERS.get("dist2ref").func(x, direction=np.array([1.0]), ref_index=2, cap_max=True)
    assert capped[3, 0] == 1.0
    # n_dist2targ(x, targ = 7, direction = 1) = (x - min)/(targ - min); direction -1: (max - x)/(max - targ)
    t = np.array([7.0])
    up = NORMALISERS.get("dist2targ").func(x, direction=np.array([1.0]), targets=t)[:, 0]
    assert_allclose(up, (x[:, 0] - 1) / (7 - 1))
    down = NORMALISERS.get("dist2targ").func(x, direction=np.array([-1.0]), targets=np.array([2.0]))[:, 0]
    assert_allclose(down, (8 - x[:, 0]) / (8 - 2))


def test_skew_kurtosis_treatment_against_scipy() -> None:
    from scipy.stats import kurtosis, skew

    from npvr.index.outliers import skew_kurtosis, treat_column

    rng = np.random.default_rng(1)
    normal = rng.normal(size=60)
    heavy = np.append(rng.normal(size=57), [15.0, 25.0, 40.0])  # three far outliers
    x = np.column_stack([normal, heavy])
    sk, ku = skew_kurtosis(x)
    assert_allclose(sk, skew(x, axis=0, bias=False))
    assert_allclose(ku, kurtosis(x, axis=0, bias=False))
    out = OUTLIERS.get("skew_kurtosis").func(x)
    assert_allclose(out[:, 0], normal)  # well-behaved: untouched
    col, n, logged = treat_column(heavy)
    assert not logged and 1 <= n <= 5
    # the three outliers were pulled in one by one, each to the next-highest value
    assert col.max() < 40.0 and np.sort(col)[-1] == np.sort(col)[-n - 1]
    assert abs(skew(col, bias=False)) <= 2.0 or kurtosis(col, bias=False) <= 3.5
    assert_allclose(out[:, 1], col)


def test_pca_weights_against_numpy_svd() -> None:
    rng = np.random.default_rng(2)
    f = rng.normal(size=200)
    d = np.column_stack([f + rng.normal(scale=s, size=200) for s in (0.3, 0.6, 1.5)])
    w = WEIGHTS.get("pca").func(np.full(3, np.nan), data=d)
    zs = (d - d.mean(axis=0)) / d.std(axis=0, ddof=1)
    _, _, vt = np.linalg.svd(zs, full_matrices=False)  # first right singular vector = PC1 of the correlations
    assert_allclose(w, vt[0] ** 2 / (vt[0] ** 2).sum(), rtol=1e-10)
    assert w[0] > w[1] > w[2]


def test_balance_weights_equalise_correlations() -> None:
    rng = np.random.default_rng(3)
    f = rng.normal(size=300)
    d = np.column_stack([f + rng.normal(scale=s, size=300) for s in (0.2, 0.2, 1.0)])
    w = WEIGHTS.get("balance").func(np.full(3, np.nan), data=d)
    r = [np.corrcoef(d[:, j], d @ w)[0, 1] for j in range(3)]
    r_equal = [np.corrcoef(d[:, j], d.mean(axis=1))[0, 1] for j in range(3)]
    assert np.ptp(r) < 1e-3 < np.ptp(r_equal)
    assert_allclose(w.sum(), 1.0)
