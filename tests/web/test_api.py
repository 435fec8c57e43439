"""Every page's JSON twin returns what the library returns, and some figures are pinned against
values derived independently from the raw snapshot table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import npvr
from npvr import monitor
from npvr.register import compute_gap, open_register

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples"


def plain(df: pd.DataFrame) -> list[dict]:
    """Records with NaN as None (the JSON view), built independently of the app's helper."""
    out = []
    for rec in df.to_dict(orient="records"):
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return out


def test_home_and_region_twins_equal_the_library(client, snapshot) -> None:
    c = client()
    regions = npvr.load_regions(valid_codes=snapshot.gemeenten.index)
    home = c.get("/api/home").json()
    assert [r["id"] for r in home["regions"]] == [r.id for r in regions.regions]
    data = c.get("/api/regions/twente").json()
    _, prof = npvr.profile("twente", regions=regions, snapshot=snapshot)
    assert data["profile"]["rows"] == plain(prof)
    uv = monitor.group_values(
        snapshot.values,
        regions.groups(snapshot.gemeenten.index),
        snapshot.catalogue,
        indicators=[i for i, ind in snapshot.catalogue.items() if ind.aggregation != "sum"],
    )
    latest = monitor.latest(monitor.gap_table(uv, snapshot.catalogue))
    tw = latest[latest["area_code"] == "twente"]
    cards = monitor.scorecard(latest[latest["area_code"] == "twente"], snapshot.catalogue)
    assert [(c["theme"], c["n_better"], c["n_worse"]) for c in data["scorecard"]["themes"]] == list(
        zip(cards["theme"], cards["n_better"], cards["n_worse"], strict=True)
    )
    got = {r["indicator_id"]: r for r in data["scorecard"]["indicators"]}
    directional = tw[tw["direction"] != 0]
    assert set(got) == set(directional["indicator_id"])
    for r in directional.itertuples():
        assert got[r.indicator_id]["value"] == pytest.approx(r.value)
        # the colour rule by hand: at least 5% of the rest's value in the good or bad direction
        signed_gap = r.direction * (r.value - r.rest) / abs(r.rest)
        hand = "better" if signed_gap >= 0.05 else "worse" if signed_gap <= -0.05 else "equal"
        assert got[r.indicator_id]["status"] == hand, r.indicator_id
    assert data["money"] is None  # anonymous: no register data


def test_region_population_matches_a_hand_sum(client, snapshot) -> None:
    """Twente's inwoners on the page = the sum over its member gemeenten in the raw values table."""
    data = client().get("/api/regions/twente").json()
    row = next(r for r in data["profile"]["rows"] if r["indicator_id"] == "inwoners")
    v = snapshot.values
    members = data["region"]["members"]
    sel = (v["indicator_id"] == "inwoners") & (v["period"] == row["period"])
    hand = v[sel & v["area_code"].isin(members)]
    assert len(hand) == len(members)
    assert row["value"] == pytest.approx(float(hand["value"].sum()))


def test_index_position_is_the_uncertainty_row_of_the_region_itself(client, snapshot) -> None:
    from npvr.index import uncertainty

    data = client().get("/api/regions/zuid-limburg").json()["index"]
    from npvr.web import views

    res = uncertainty(
        None,
        draws=views.UNCERTAINTY_DRAWS,
        seed=views.UNCERTAINTY_SEED,
        select_k=views.SELECT_K,
        level="regio",
    )
    row = res.units.set_index("code").loc["zuid-limburg"]
    assert data["level"] == "regio" and data["n_units"] == len(res.units) == 42
    assert data["unit"]["code"] == "zuid-limburg" and data["unit"]["name"] == "Zuid-Limburg"
    assert (data["unit"]["p5"], data["unit"]["p95"]) == (int(row["p5"]), int(row["p95"]))
    assert data["unit"]["selection_probability"] == pytest.approx(float(row["selection_probability"]))
    assert "Zuid-Limburg" in data["text"]


@pytest.mark.parametrize("level", ["gemeente", "corop", "provincie", "npvr"])
def test_explorer_twin_is_the_indicator_table(client, level) -> None:
    data = client().get("/api/explorer", params={"indicator": "aandeel_65plus", "level": level}).json()
    table = npvr.indicator_table(["aandeel_65plus"], level=level)
    last = int(table["period"].max())
    exp = table[table["period"] == last].sort_values("area_code").reset_index(drop=True)
    assert data["period"] == last
    assert data["rows"] == plain(exp)
    assert len(data["rows"]) == {"gemeente": 342, "corop": 40, "provincie": 12, "npvr": 11}[level]


def test_explorer_csv_has_every_row(client) -> None:
    r = client().get("/indicatoren.csv", params={"indicator": "inwoners", "level": "provincie"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0].startswith("area_code,area_name,indicator_id") and len(lines) == 13


def test_whatif_default_equals_build_index_and_single_domain_equals_its_ranks(client) -> None:
    from npvr.index import build_index

    c = client()
    base = build_index()
    got = c.post("/api/index/whatif", json={}).json()
    assert [s["code"] for s in got["scores"]] == list(base.scores["code"])
    assert_allclose([s["score"] for s in got["scores"]], base.scores["score"])
    assert all(s["rank_change"] == 0 for s in got["scores"])
    # all weight on one domain: the index ranks become that domain's ranks (a second route)
    domains = [d["id"] for d in c.get("/api/index/options").json()["domains"]]
    only = {d: (1.0 if d == "werk" else 0.0) for d in domains}
    got = c.post("/api/index/whatif", json={"weights": only}).json()
    ranks = {s["code"]: s["rank"] for s in got["scores"]}
    exp = base.domain_ranks.set_index("code")["werk"]
    assert all(ranks[code] == int(r) for code, r in exp.items() if np.isfinite(r))


def test_toets_twin_equals_the_library(client) -> None:
    from npvr.impact.run import toets
    from npvr.web.views import jsonable

    path = EXAMPLES / "policies" / "vitaliteitsfonds_per_inwoner.yaml"
    r = client().post("/api/toets", files={"file": (path.name, path.read_bytes(), "application/yaml")})
    assert r.status_code == 200, r.text
    assert r.json() == jsonable(toets(path).to_dict())


def test_grenstoets_twin_equals_the_library(client) -> None:
    from npvr.border.toets import grenstoets
    from npvr.web.views import jsonable

    path = EXAMPLES / "grenstoets" / "grensarbeiders_fiscale_regel.yaml"
    r = client().post("/api/grenstoets", files={"file": (path.name, path.read_bytes(), "application/yaml")})
    assert r.status_code == 200, r.text
    assert r.json() == jsonable(grenstoets(path).to_dict())


def test_register_twins_equal_the_service(client, app) -> None:
    from npvr.web.views import jsonable

    c = client("admin")
    svc = open_register(app.state.npvr.url)
    data = c.get("/api/register").json()
    assert [m["code"] for m in data["measures"]] == list(svc.measures()["code"])
    assert data["amounts"] == [{k: jsonable(v) for k, v in r.items()} for r in plain(svc.amounts())]
    gap = c.get("/api/register/gap", params={"by": "region,year"}).json()
    exp = compute_gap(svc.needs(), svc.amounts(), by=("region", "year"))
    assert gap == [{k: jsonable(v) for k, v in r.items()} for r in exp.to_dict(orient="records")]
    log = c.get("/api/register/log", params={"limit": 5}).json()
    assert [e["id"] for e in log] == list(svc.log()["id"])[::-1][:5]


def test_errors_have_the_one_shape(client) -> None:
    c = client()
    keys = {"error", "message", "message_en", "file", "line", "field"}
    for method, url, kw, status in [
        ("get", "/api/regions/atlantis", {}, 404),
        ("get", "/api/explorer", {"params": {"indicator": "geluk"}}, 422),
        ("get", "/api/explorer", {"params": {"level": "wijkje"}}, 422),
        ("get", "/api/explorer", {"params": {"period": "abc"}}, 422),
        ("post", "/api/index/whatif", {"json": {"weights": {"werk": -1}}}, 422),
        ("post", "/api/index/whatif", {"json": {"methods": {"normalisation": "magic"}}}, 422),
        ("get", "/api/register", {}, 401),
        ("get", "/api/nope", {}, 404),
    ]:
        r = getattr(c, method)(url, **kw)
        assert r.status_code == status, (url, r.text)
        assert keys <= set(r.json()), r.json()
        assert r.json()["message"]


def test_every_offered_method_choice_recomputes(client) -> None:
    from npvr.index import build_index, load_config

    c = client()
    opts = c.get("/api/index/options").json()
    for family, o in opts["methods"].items():
        for choice in o["choices"]:
            r = c.post("/api/index/whatif", json={"methods": {family: choice}})
            assert r.status_code == 200, (family, choice, r.text)
            scores = r.json()["scores"]
            assert len(scores) == 342 and scores[0]["rank"] == 1
    # one choice against a second route: the library's own build with that method in the config
    cfg = load_config(None)
    cfg.methods.normalisation = "rank"
    exp = build_index(cfg).scores.set_index("code")
    got = c.post("/api/index/whatif", json={"methods": {"normalisation": "rank"}}).json()["scores"]
    got_score = pd.Series({g["code"]: g["score"] for g in got})
    assert_allclose(got_score[exp.index], exp["score"], rtol=1e-12)
    # ranks agree except inside ties the last float bit decides (e.g. 223.4722222222222 vs ...223)
    got_rank = pd.Series({g["code"]: g["rank"] for g in got})[exp.index]
    differ = exp.index[got_rank.to_numpy() != exp["rank"].to_numpy()]
    for code in differ:
        near = np.isclose(exp["score"], exp.loc[code, "score"], rtol=1e-12).sum()
        assert near >= 2 and abs(got_rank[code] - exp.loc[code, "rank"]) < near
    r = c.post("/api/index/whatif", json={"methods": {"normalisation": "goalposts"}})
    assert r.status_code == 422 and r.json()["field"] == "normalisation"
