"""Inequality measures against hand calculations, replicated data and pysal's `inequality`."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.errors import DataError
from npvr.monitor import inequality as ineq


def test_two_person_hand_example() -> None:
    # y = (1, 3), mu = 2: worked out on paper.
    t = 0.5 * 0.5 * math.log(0.5) + 0.5 * 1.5 * math.log(1.5)
    lval = 0.5 * math.log(2 / 1) + 0.5 * math.log(2 / 3)
    assert_allclose(ineq.theil_t([1, 3]), t)
    assert_allclose(ineq.theil_t([1, 3]), 0.1308120, atol=1e-7)
    assert_allclose(ineq.theil_l([1, 3]), lval)
    assert_allclose(ineq.theil_l([1, 3]), 0.1438410, atol=1e-7)
    assert_allclose(ineq.gini([1, 3]), 0.25)


def test_integer_weights_equal_replicated_people() -> None:
    y = np.array([12.0, 30.0, 7.5, 51.0])
    w = np.array([3, 1, 2, 5])
    rep = np.repeat(y, w)
    assert_allclose(ineq.theil_t(y, w), ineq.theil_t(rep))
    assert_allclose(ineq.theil_l(y, w), ineq.theil_l(rep))
    assert_allclose(ineq.gini(y, w), ineq.gini(rep))


def test_gini_against_pairwise_double_sum() -> None:
    rng = np.random.default_rng(3)
    y = rng.lognormal(3, 0.4, 50)
    w = rng.integers(1, 100, 50).astype(float)
    p = w / w.sum()
    mu = (p * y).sum()
    direct = (p[:, None] * p[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (2 * mu)
    assert_allclose(ineq.gini(y, w), direct)


def test_decomposition_hand_example() -> None:
    y = np.array([1.0, 3.0, 6.0, 6.0])
    g = np.array(["a", "a", "b", "b"])
    w = np.array([1.0, 1.0, 1.0, 1.0])
    d = ineq.decompose(y, g, w)
    mu, mua, mub = 4.0, 2.0, 6.0
    # Theil T: within = S_a * T_a (T_b = 0), S_a = 0.5 * 2 / 4
    ta = 0.5 * 0.5 * math.log(0.5) + 0.5 * 1.5 * math.log(1.5)
    assert_allclose(d["theil_t"].within, 0.25 * ta)
    assert_allclose(d["theil_t"].between, 0.25 * math.log(mua / mu) + 0.75 * math.log(mub / mu))
    # Theil L: within = P_a * L_a
    la = 0.5 * math.log(2) + 0.5 * math.log(2 / 3)
    assert_allclose(d["theil_l"].within, 0.5 * la)
    assert_allclose(d["theil_l"].between, 0.5 * math.log(mu / mua) + 0.5 * math.log(mu / mub))
    # Gini: between for two groups = P_a P_b |mu_a - mu_b| / mu; within = P_a S_a G_a.
    assert_allclose(d["gini"].between, 0.5 * 0.5 * 4 / 4)
    assert_allclose(d["gini"].within, 0.5 * 0.25 * 0.25)
    # No overlap: every a is below every b.
    assert_allclose(d["gini"].overlap, 0.0, atol=1e-12)
    for m in ineq.MEASURES:
        assert_allclose(d[m].total, d[m].between + d[m].within + d[m].overlap)


def test_between_equals_measure_on_group_means() -> None:
    rng = np.random.default_rng(7)
    y = rng.lognormal(2, 0.5, 40)
    w = rng.uniform(1, 10, 40)
    g = np.where(rng.uniform(size=40) < 0.3, "npvr", "rest")
    d = ineq.decompose(y, g, w)
    smoothed = y.copy()
    for label in ("npvr", "rest"):
        m = g == label
        smoothed[m] = (w[m] * y[m]).sum() / w[m].sum()
    assert_allclose(d["theil_t"].between, ineq.theil_t(smoothed, w))
    assert_allclose(d["theil_l"].between, ineq.theil_l(smoothed, w))
    assert_allclose(d["gini"].between, ineq.gini(smoothed, w))
    assert d["gini"].overlap > 0


def test_against_pysal_unweighted_random() -> None:
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    rng = np.random.default_rng(11)
    y = rng.lognormal(3, 0.6, 120)
    g = rng.integers(0, 2, 120)
    assert_allclose(ineq.gini(y), Gini(y).g)
    assert_allclose(ineq.theil_t(y), Theil(y).T)
    td = TheilD(y, g)
    d = ineq.decompose(y, g)
    assert_allclose(d["theil_t"].between, float(np.ravel(td.bg)[0]))
    assert_allclose(d["theil_t"].within, float(np.ravel(td.wg)[0]))


def test_bootstrap_is_seeded_and_brackets_point() -> None:
    rng = np.random.default_rng(5)
    y = rng.lognormal(3, 0.3, 60)
    w = rng.uniform(1, 5, 60)
    g = np.array(["npvr"] * 20 + ["rest"] * 40)
    a = ineq.bootstrap(y, g, w, n_boot=200, seed=0)
    b = ineq.bootstrap(y, g, w, n_boot=200, seed=0)
    pd.testing.assert_frame_equal(a, b)
    c = ineq.bootstrap(y, g, w, n_boot=200, seed=1)
    assert not np.allclose(a["lo"], c["lo"])
    total = a[a["component"] == "total"]
    assert (total["lo"] < total["estimate"]).all() and (total["estimate"] < total["hi"]).all()
    assert set(a["measure"]) == set(ineq.MEASURES)


def test_bootstrap_within_zero_when_groups_constant() -> None:
    y = np.array([2.0] * 5 + [5.0] * 7)
    g = np.array(["npvr"] * 5 + ["rest"] * 7)
    out = ineq.bootstrap(y, g, np.arange(1, 13), n_boot=50, seed=0).set_index(["measure", "component"])
    for m in ineq.MEASURES:
        assert_allclose(out.loc[(m, "within"), ["lo", "hi"]].to_numpy(float), [0, 0], atol=1e-12)


def test_sigma_convergence_hand_example() -> None:
    frame = pd.DataFrame(
        {
            "period": [2012, 2012, 2024, 2024],
            "value": [1.0, math.e**2, 1.0, math.e],
            "weight": [1.0, 1.0, 1.0, 1.0],
            "group": ["npvr", "rest", "npvr", "rest"],
        }
    )
    out = ineq.sigma_convergence(frame)
    assert_allclose(out["sd_log"], [1.0, 0.5])
    assert bool(out["converging"].iloc[-1]) is True
    assert_allclose(out["theil_t_between"], out["theil_t"])  # one gemeente per group


@pytest.mark.parametrize("bad", [[1.0, 0.0], [1.0, -2.0], [1.0, float("nan")]])
def test_rejects_non_positive_values(bad: list[float]) -> None:
    with pytest.raises(DataError, match="positieve"):
        ineq.theil_t(bad)
