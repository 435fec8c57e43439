"""Scale bias: negative slope for a vaste voet, zero within its interval for pure per capita."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from npvr.impact.policy import FundPolicy
from npvr.impact.run import run_fund
from npvr.impact.scalebias import elasticity


def test_slope_matches_numpy_polyfit():
    rng = np.random.default_rng(0)
    x = pd.Series(rng.uniform(1e3, 1e6, 50))
    y = pd.Series(np.exp(0.3 - 0.25 * np.log(x) + rng.normal(0, 0.1, 50)))
    e = elasticity(y, x)
    slope = np.polyfit(np.log(x), np.log(y), 1)[0]
    assert_allclose(e.slope, slope, rtol=1e-10)
    assert e.low < e.slope < e.high
    assert e.flag == -1


def test_per_capita_is_zero_within_interval(data):
    res = run_fund(FundPolicy(kind="fund", name="pc", budget=1_000_000, measures=["inwoners"]), data)
    for e in res.scale_bias:
        assert_allclose(e.slope, 0.0, atol=1e-9)
        assert e.low - 1e-12 <= 0.0 <= e.high + 1e-12
        assert e.flag == 0


def test_vaste_voet_slope_is_negative(data):
    pol = FundPolicy(
        kind="fund", name="vv", budget=1_000_000, measures=["inwoners", "vaste_voet"], weights=[0.8, 0.2]
    )
    e = run_fund(pol, data).scale_bias[0]
    assert e.slope < 0 and e.high < 0
    assert e.flag == -1
    assert "kleine gemeenten" in e.sentence()
