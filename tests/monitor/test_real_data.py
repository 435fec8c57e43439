"""The monitor on the shipped snapshot, checked against pysal and against sums from the raw values."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import npvr
from npvr import monitor


@pytest.fixture(scope="module")
def snap():  # type: ignore[no-untyped-def]
    return npvr.load_snapshot()


@pytest.fixture(scope="module")
def groups(snap):  # type: ignore[no-untyped-def]
    return npvr.load_regions().groups(snap.gemeenten.index)


def _latest(snap, iid: str):  # type: ignore[no-untyped-def]
    v = snap.values[snap.values["indicator_id"] == iid]
    return v[v["period"] == v["period"].max()].set_index("area_code")["value"]


@pytest.mark.parametrize("iid", ["gem_gestandaardiseerd_inkomen", "aandeel_65plus"])
def test_unweighted_inequality_equals_pysal_on_real_data(snap, groups, iid: str) -> None:  # type: ignore[no-untyped-def]
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    y = _latest(snap, iid).dropna()
    part = (groups.reindex(y.index) != "rest").to_numpy().astype(int)
    yv = y.to_numpy()
    d = monitor.decompose(yv, part)
    assert_allclose(d["theil_t"].total, float(np.ravel(Theil(yv).T)[0]))
    td = TheilD(yv, part)
    assert_allclose(d["theil_t"].between, float(np.ravel(td.bg)[0]))
    assert_allclose(d["theil_t"].within, float(np.ravel(td.wg)[0]))
    assert_allclose(d["gini"].total, Gini(yv).g)


def test_group_values_equal_sums_of_raw_values(snap, groups) -> None:  # type: ignore[no-untyped-def]
    uv = monitor.group_values(snap.values, groups, snap.catalogue, indicators=["aandeel_65plus"])
    v = snap.values
    period = int(uv["period"].max())
    num = v[(v["indicator_id"] == "inwoners_65plus") & (v["period"] == period)].set_index("area_code")[
        "value"
    ]
    den = v[(v["indicator_id"] == "inwoners") & (v["period"] == period)].set_index("area_code")["value"]
    got = uv[uv["period"] == period].set_index("area_code")["value"]
    for unit, members in [
        ("twente", groups.index[groups == "twente"]),
        ("rest", groups.index[groups == "rest"]),
        ("npvr", groups.index[groups != "rest"]),
        ("nl", groups.index),
    ]:
        assert_allclose(got[unit], 100 * num.reindex(members).sum() / den.reindex(members).sum())


def test_effect_waits_for_post_programme_data(snap, groups) -> None:  # type: ignore[no-untyped-def]
    treated = list(groups.index[groups != "rest"])
    base = snap.values[snap.values["indicator_id"].isin(["gem_gestandaardiseerd_inkomen", "aandeel_65plus"])]
    m = monitor.match(base, treated, k=3)
    assert len(m.pairs) == 3 * (len(treated) - len(m.unmatched))
    assert not set(m.pairs["control"]) & set(treated)
    t = monitor.did_table(snap.values, m, ["gem_gestandaardiseerd_inkomen"]).iloc[0]
    assert t["status"] == "waiting" and t["first_measurement"] == 2026
    # matching brings the comparison group closer to the NPVR gemeenten than the rest of NL is
    assert (m.balance["smd_after"].abs() <= m.balance["smd_before"].abs() + 1e-9).all()
