"""Face validity of the shipped indices on the real snapshot, and the regio level.

An analyst's first look: wealthy coastal and island gemeenten must not rank as the most deprived
places of the country, and a NPVR region must be ranked as itself (its own member gemeenten)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import npvr
from npvr.areas import membership, regio_units
from npvr.index import build_index, load_config

NOT_DEPRIVED = [
    "Sluis",
    "Vlieland",
    "Schiermonnikoog",
    "Ameland",
    "Noord-Beveland",
    "Zandvoort",
    "Bloemendaal",
]
# gemeenten every Dutch deprivation study puts near the top (PON&Telos 2024; SCP statusscores)
DEPRIVED = ["Heerlen", "Kerkrade", "Pekela", "Rotterdam", "Brunssum", "Oldambt"]


@pytest.fixture(scope="module")
def deprivation() -> pd.DataFrame:
    return build_index().scores.set_index("name")


def test_no_wealthy_coastal_or_island_gemeente_in_the_top_30(deprivation) -> None:
    ranks = deprivation.loc[NOT_DEPRIVED, "rank"]
    assert (ranks > 30).all(), ranks[ranks <= 30].to_dict()


def test_known_deprived_gemeenten_lead(deprivation) -> None:
    assert (deprivation.loc[DEPRIVED, "rank"] <= 20).all(), deprivation.loc[DEPRIVED, "rank"].to_dict()


def test_no_indicator_rewards_second_homes() -> None:
    for name in ("deprivatie", "opgave"):
        ids = load_config(name).indicator_ids()
        assert "aandeel_leegstand" not in ids, name


def test_regio_divides_the_country_exactly_once() -> None:
    units = regio_units()
    members = [gm for ms in units["members"] for gm in ms]
    snap = npvr.load_snapshot()
    assert sorted(members) == sorted(snap.gemeenten.index)  # every gemeente once, none twice
    assert len(units) == 42  # 11 regions + 6 COROP remainders + 25 untouched COROP areas
    # Achterhoek is 8 of CR14's 11 gemeenten: the other 3 form "rest van CR14"
    assert set(units.loc["CR14-rest", "members"]) == {
        "GM0213",
        "GM0262",
        "GM0301",
    }  # Brummen, Lochem, Zutphen
    assert "CR12" not in units.index  # Twente covers all of CR12: no empty remainder
    m = membership("regio")
    assert m.notna().all() and m.nunique() == 42


def test_regio_ranks_equal_a_hand_aggregation() -> None:
    """Aggregate every indicator from the member gemeenten by hand (ratios from their counts,
    weighted means with their weights), then z-score, orient, average and rank, with pandas."""
    snap = npvr.load_snapshot()
    cfg = load_config()
    cat = snap.catalogue
    units = regio_units()
    owner = {gm: code for code, ms in units["members"].items() for gm in ms}
    v = snap.values.copy()
    v["unit"] = v["area_code"].map(owner)

    def at(iid: str, period: int) -> pd.Series:
        """Values of ``iid`` in ``period``, or in the nearest period it has (earlier on a tie): the
        weight of a 2018 income share is the 2020 household count when that is the nearest."""
        have = sorted(v.loc[v["indicator_id"] == iid, "period"].unique())
        p = min(have, key=lambda q: (abs(q - period), q))
        return v[(v["indicator_id"] == iid) & (v["period"] == p)].set_index("area_code")["value"]

    cols = {}
    for iid in cfg.indicator_ids():
        ind = cat[iid]
        period = int(v.loc[v["indicator_id"] == iid, "period"].max())
        x = at(iid, period)
        if ind.aggregation == "ratio":
            num, den = at(ind.numerator, period), at(ind.denominator, period)
            ok = num.index.intersection(den.index)
            g = pd.DataFrame({"n": num[ok], "d": den[ok], "u": pd.Series(owner)[ok]}).groupby("u")
            cols[iid] = g["n"].sum() / g["d"].sum() * (ind.scale or 1)
        else:
            assert ind.aggregation == "weighted_mean", iid
            w = at(ind.weight, period)
            ok = x.index.intersection(w.index)
            frame = pd.DataFrame({"x": x[ok], "w": w[ok], "u": pd.Series(owner)[ok]})
            frame["xw"] = frame["x"] * frame["w"]
            g = frame.groupby("u")
            cols[iid] = g["xw"].sum() / g["w"].sum()
    table = pd.DataFrame(cols).reindex(units.index)
    assert not table.isna().any().any()
    good = np.array([cat[i].direction for i in table.columns], dtype=float)
    z = (table - table.mean()) / table.std(ddof=1) * -good  # deprivation: higher = worse
    dom = pd.DataFrame({d.id: z[[i.id for i in d.indicators]].mean(axis=1) for d in cfg.domains})
    expected = dom.mean(axis=1)
    got = build_index(level="regio").scores.set_index("code")
    assert_allclose(got.loc[expected.index, "score"], expected, rtol=1e-9, atol=1e-12)
    assert (got.loc[expected.index, "rank"] == expected.rank(ascending=False, method="min")).all()


def test_regio_top_is_credible() -> None:
    top = build_index(level="regio").scores.head(5)["code"].tolist()
    assert {"zuid-limburg", "noord-en-oost-groningen"} <= set(top)
    assert "CR29" in top  # Groot-Rijnmond: urban deprivation outside the NPVR ranks as high


def test_region_variant_gives_its_own_ranking() -> None:
    rs = npvr.load_regions()
    narrow = build_index(level="regio", regions=rs).scores.set_index("code")
    wide = build_index(level="regio", regions=rs.with_variant("noard-fryslan", "corop-noord-friesland"))
    wide_s = wide.scores.set_index("code")
    assert "CR04-rest" in narrow.index and "CR04-rest" not in wide_s.index  # CR04 fully in the region
    assert narrow.loc["noard-fryslan", "score"] != wide_s.loc["noard-fryslan", "score"]


def test_region_sources_say_true_things_about_corop() -> None:
    """A region file that says a region 'valt samen met COROP-gebied CRnn' must mean it: the
    members are exactly that area's gemeenten (Achterhoek and the Kop were wrongly said to)."""
    import re

    gem = npvr.load_snapshot().gemeenten
    for r in npvr.load_regions():
        m = re.search(r"valt samen met COROP-gebied (CR\d\d)", r.source)
        if m:
            corop = set(gem.index[gem["corop_code"] == m.group(1)])
            assert set(r.members) == corop, r.id
