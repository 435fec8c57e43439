"""Boundary harmonisation: decoder, crosswalk, name matching and the 2012-2024 series on 2025 boundaries.

Expected values are computed independently: from hand-made TopoJSON squares, from the raw StatLine CSV
rows read here with the csv module, and from CBS's own area figures (KWB 2024).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.data import harmonise as h
from npvr.errors import DataError

# The raw folder as the conftest's ``shared_data`` fixture finds it (NPVR_SHARED_DATA or ../shared/data);
# every test reading it requests that fixture, so it skips locally and fails in CI when it is absent.
SHARED = Path(
    os.environ.get("NPVR_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
).resolve()
EXPORTS = SHARED / "stats" / "statline_exports_2012_2024"


@pytest.fixture(scope="module")
def series(shared_data: Path) -> pd.DataFrame:
    return h.read_statline_series(shared_data)


def raw_wide(file: str, year: int) -> dict[str, float]:
    """name -> value of a wide StatLine export (Onderwerp rows, one column per year), read by hand."""
    with (EXPORTS / file).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["Regio's"].startswith("Bron:")]
    return {r["Regio's"]: float(r[str(year)]) for r in rows if r[str(year)].strip()}


def raw_long(column: str, year: int) -> dict[str, float]:
    """name -> value of the housing-stock export (one row per region and year), read by hand."""
    with (EXPORTS / "Voorraad_woningen_en_nieuwbouw.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["Regio's"].startswith("Bron:")]
    return {r["Regio's"]: float(r[column]) for r in rows if r["Perioden"] == str(year) and r[column]}


def value(series: pd.DataFrame, variable: str, code: str, period: int) -> float:
    sel = series[(series.variable == variable) & (series.gm_code == code) & (series.period == period)]
    assert len(sel) == 1, (variable, code, period)
    return float(sel["value"].iloc[0])


# --------------------------------------------------------------------------- hand-made divisions


def _square_arc(x0: int, y0: int, w: int, hgt: int) -> list[list[int]]:
    """A closed counter-clockwise rectangle, delta-encoded as TopoJSON wants it."""
    return [[x0, y0], [w, 0], [0, hgt], [-w, 0], [0, -hgt]]


def _write_topojson(path: Path, year: int, arcs: list, features: list[tuple[str, str, str, list]]) -> None:
    geometries = [
        {"type": kind, "arcs": arc_ids, "id": code, "properties": {"statcode": code, "statnaam": name}}
        for code, name, kind, arc_ids in features
    ]
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [5.0, 52.0]},
        "arcs": arcs,
        "objects": {f"gemeente_{year}": {"type": "GeometryCollection", "geometries": geometries}},
    }
    path.write_text(json.dumps(topo), encoding="utf-8")


@pytest.fixture()
def toy(tmp_path: Path) -> Path:
    """2020: A, B (merge into C in 2025), D (split into E and F), G (renamed). Units of 0.001 degree."""
    geo = tmp_path / "geo"
    geo.mkdir()
    arcs_2020 = [
        _square_arc(0, 0, 100, 100),  # 0: A
        [[100, 0], [0, 100], [100, 0], [0, -100], [-100, 0]],  # 1: B drawn clockwise; used reversed
        [[200, 0], [200, 0], [0, 100]],  # 2: D, bottom and right side
        [[400, 100], [-200, 0], [0, -100]],  # 3: D, top and left side (shares its end points with 2)
        _square_arc(0, 100, 100, 100),  # 4: G
    ]
    _write_topojson(
        geo / "gemeente_2020.topojson",
        2020,
        arcs_2020,
        [
            ("GM9001", "Aa (L.)", "Polygon", [[0]]),
            ("GM9002", "'s-Bee", "Polygon", [[~1]]),
            ("GM9004", "Dee. en Omstreken", "MultiPolygon", [[[2, 3]]]),
            ("GM9007", "Gee-oud", "Polygon", [[4]]),
        ],
    )
    arcs_2025 = [
        _square_arc(0, 0, 200, 100),  # C = A + B
        _square_arc(200, 0, 50, 100),  # E = left quarter of D
        _square_arc(250, 0, 150, 100),  # F = right three quarters of D
        _square_arc(0, 100, 100, 100),  # G, renamed
    ]
    _write_topojson(
        geo / "gemeente_2025.topojson",
        2025,
        arcs_2025,
        [
            ("GM9003", "Cee", "Polygon", [[0]]),
            ("GM9005", "Ee", "Polygon", [[1]]),
            ("GM9006", "Ef", "Polygon", [[2]]),
            ("GM9007", "Gee nieuw", "Polygon", [[3]]),
        ],
    )
    return tmp_path


def test_decoder_on_hand_made_squares(toy: Path) -> None:
    div = h.read_division(toy, 2020)
    assert div.names == {
        "GM9001": "Aa (L.)",
        "GM9002": "'s-Bee",
        "GM9004": "Dee. en Omstreken",
        "GM9007": "Gee-oud",
    }
    # B is stored clockwise and referenced reversed; D is two arcs joined; both must decode to rectangles.
    assert_allclose(div.geometries["GM9002"].bounds, (5.1, 52.0, 5.2, 52.1), atol=1e-12)
    assert_allclose(div.geometries["GM9004"].bounds, (5.2, 52.0, 5.4, 52.1), atol=1e-12)
    assert_allclose(div.geometries["GM9004"].area, 0.2 * 0.1, rtol=1e-9)
    # Equal-area check: a 0.1° x 0.1° cell at 52° N on the GRS80 ellipsoid, by the closed-form formula.
    a, f = 6378137.0, 1 / 298.257222101
    e = np.sqrt(f * (2 - f))

    def q(phi: float) -> float:
        s = np.sin(np.radians(phi))
        return (1 - e**2) * (s / (1 - e**2 * s**2) - np.log((1 - e * s) / (1 + e * s)) / (2 * e))

    expected = a**2 / 2 * np.radians(0.1) * (q(52.1) - q(52.0))
    assert_allclose(div.projected["GM9001"].area, expected, rtol=1e-6)


def test_crosswalk_merger_and_split_on_squares(toy: Path) -> None:
    cw = h.crosswalk(toy, 2020).set_index(["from_code", "to_code"])["share"]
    assert_allclose(cw[("GM9001", "GM9003")], 1.0)
    assert_allclose(cw[("GM9002", "GM9003")], 1.0)
    assert_allclose(cw[("GM9004", "GM9005")], 0.25, rtol=1e-3)  # E is a quarter of D by area
    assert_allclose(cw[("GM9004", "GM9006")], 0.75, rtol=1e-3)
    assert h.splits(toy, 2020) == {"GM9004": pytest.approx({"GM9005": 0.25, "GM9006": 0.75}, rel=1e-3)}


def test_harmonise_counts_and_weighted_mean_on_squares(toy: Path) -> None:
    counts = pd.DataFrame(
        {"code": ["GM9001", "GM9002", "GM9004", "GM9007"], "period": 2020, "value": [10.0, 30.0, 100.0, 5.0]}
    )
    got = h.harmonise(counts, toy).set_index("gm_code")["value"]
    assert_allclose(got["GM9003"], 40.0)
    assert_allclose([got["GM9005"], got["GM9006"]], [25.0, 75.0], rtol=1e-3)
    assert_allclose(got.sum(), counts["value"].sum(), rtol=1e-12)
    prices = counts.assign(value=[200.0, 300.0, 150.0, 100.0])
    mean = h.harmonise(prices, toy, weights=counts).set_index("gm_code")["value"]
    assert_allclose(mean["GM9003"], (200 * 10 + 300 * 30) / 40)
    assert_allclose(mean["GM9005"], 150.0)


def test_names_quirks_and_renames(toy: Path) -> None:
    got = h.names_to_codes(["Aa", "s-Bee (gemeente)", "Dee, en omstreken", "Gee nieuw"], toy, 2020)
    assert got == {
        "Aa": "GM9001",
        "s-Bee (gemeente)": "GM9002",
        "Dee, en omstreken": "GM9004",
        "Gee nieuw": "GM9007",
    }


def test_unmatched_names_are_all_reported_with_file(toy: Path) -> None:
    with pytest.raises(DataError, match=r"2 gemeentenaam.*'Atlantis'.*'Cee'") as info:
        h.names_to_codes(["Aa", "Atlantis", "Cee"], toy, 2020, file="export.csv")
    assert info.value.file == "export.csv"  # 'Cee' exists only from 2025 on: not a 2020 code


def test_missing_division_file_is_a_data_error(toy: Path) -> None:
    with pytest.raises(DataError, match="2016") as info:
        h.read_division(toy, 2016)
    assert info.value.file.endswith("gemeente_2016.topojson")


# --------------------------------------------------------------------------- the real divisions


def test_divisions_have_the_documented_counts(shared_data: Path) -> None:
    counts = {y: len(h.read_division(shared_data, y).names) for y in h.DIVISION_YEARS}
    assert counts == {2012: 415, 2016: 390, 2020: 355, 2022: 345, 2024: 342, 2025: 342}


def test_areas_agree_with_cbs_kwb_2024(shared_data: Path) -> None:
    kwb = pd.read_csv(shared_data / "stats" / "kwb2024_85984NED_gemeenten.csv").set_index("gm_code")
    ours = pd.Series(h.read_division(shared_data, 2024).area_km2())
    ratio = ours / (kwb["OppervlakteTotaal_122"] / 100)  # hectares -> km²
    # CBS's total area includes territorial sea for coastal gemeenten; inland ones agree closely.
    assert 0.98 < ratio.median() < 1.01


def test_crosswalk_shares_sum_to_one_and_cover_2025(shared_data: Path) -> None:
    codes_2025 = set(h.read_division(shared_data, 2025).names)
    for year in (2012, 2016, 2020, 2022, 2024):
        cw = h.crosswalk(shared_data, year)
        assert set(cw["from_code"]) == set(h.read_division(shared_data, year).names)
        assert set(cw["to_code"]) == codes_2025
        assert_allclose(cw.groupby("from_code")["share"].sum(), 1.0, rtol=0, atol=1e-12)
        assert (cw["share"] >= 0).all()  # a piece that moved without inhabitants carries nothing
        assert (h.area_crosswalk(shared_data, year)["share"] > 0).all()


def test_identity_2024_and_weesp_2022(shared_data: Path) -> None:
    cw24 = h.crosswalk(shared_data, 2024)
    assert (cw24["from_code"] == cw24["to_code"]).all() and (cw24["share"] == 1.0).all()
    cw22 = h.crosswalk(shared_data, 2022)
    assert cw22[cw22.from_code == "GM0457"][["to_code", "share"]].values.tolist() == [["GM0363", 1.0]]
    # Zutphen's generalisation strip along the IJssel (6 % of its area in the overlay) is noise.
    assert cw22[cw22.from_code == "GM0301"]["to_code"].tolist() == ["GM0301"]
    assert h.splits(shared_data, 2022) == {}


def test_known_splits_are_found(shared_data: Path) -> None:
    haaren = h.splits(shared_data, 2020)["GM0788"]
    assert set(haaren) == {"GM0757", "GM0824", "GM0855", "GM0865"}  # Boxtel, Oisterwijk, Tilburg, Vught
    assert set(h.splits(shared_data, 2016)["GM0140"]) == {"GM0080", "GM1900", "GM1949"}  # Littenseradiel
    assert set(h.splits(shared_data, 2012)["GM1671"]) == {"GM0796", "GM0828"}  # Maasdonk
    # Second route for Haaren -> Vught: the area Vught gained between 2020 and 2025.
    a20 = h.read_division(shared_data, 2020).area_km2()
    a25 = h.read_division(shared_data, 2025).area_km2()
    area = h.area_crosswalk(shared_data, 2020).query("from_code == 'GM0788'").set_index("to_code")["share"]
    assert_allclose(area["GM0865"] * a20["GM0788"], a25["GM0865"] - a20["GM0865"], rtol=0.1)


# --------------------------------------------------------------------------- the StatLine series


def test_every_2025_gemeente_has_every_year(series: pd.DataFrame) -> None:
    counts = series.groupby(["variable", "period"]).size()
    assert len(counts) == len(h.SERIES) * len(h.STATLINE_YEARS)
    assert (counts == 342).all()
    assert not series["value"].isna().any()


@pytest.mark.parametrize("year", h.STATLINE_YEARS)
@pytest.mark.parametrize(
    ("variable", "reader"),
    [
        ("population_end_of_year", lambda y: raw_wide("Bevolkingsontwikkeling_per_jaar.csv", y)),
        ("dwellings_stock_end", lambda y: raw_long("Eindstand voorraad", y)),
        ("dwellings_new", lambda y: raw_long("Nieuwbouw", y)),
    ],
)
def test_harmonised_counts_add_up_to_the_national_total(series, year, variable, reader) -> None:
    raw = reader(year)
    division = h.read_division(SHARED, year)
    # The raw rows with a value are exactly the gemeenten of that year's own division.
    assert len(raw) == len(division.names)
    got = series[(series.variable == variable) & (series.period == year)]["value"]
    assert len(got) == 342
    assert_allclose(got.sum(), sum(raw.values()), rtol=1e-12)


@pytest.mark.parametrize("year", [2012, 2016, 2020])
def test_eemsdelta_is_the_sum_of_its_predecessors(series, year) -> None:
    pop = raw_wide("Bevolkingsontwikkeling_per_jaar.csv", year)
    expected = pop["Appingedam"] + pop["Delfzijl"] + pop["Loppersum"]
    assert_allclose(value(series, "population_end_of_year", "GM1979", year), expected)
    price = raw_wide("gemiddelde_verkoopprijzen_koopwoningen.csv", year)
    stock = raw_long("Eindstand voorraad", year)
    names = ["Appingedam", "Delfzijl", "Loppersum"]
    weighted = sum(price[n] * stock[n] for n in names) / sum(stock[n] for n in names)
    assert_allclose(value(series, "house_price_mean", "GM1979", year), weighted)


def test_unchanged_gemeente_keeps_its_published_values(series) -> None:
    pop = raw_wide("Bevolkingsontwikkeling_per_jaar.csv", 2012)
    price = raw_wide("gemiddelde_verkoopprijzen_koopwoningen.csv", 2012)
    assert value(series, "population_end_of_year", "GM0193", 2012) == pop["Zwolle"]
    assert value(series, "house_price_mean", "GM0193", 2012) == price["Zwolle"]
    assert value(series, "population_end_of_year", "GM0518", 2024) == pop_2024("s-Gravenhage (gemeente)")


def pop_2024(name: str) -> float:
    return raw_wide("Bevolkingsontwikkeling_per_jaar.csv", 2024)[name]


def test_haaren_split_allocates_its_full_value(shared_data: Path, series) -> None:
    pop = raw_wide("Bevolkingsontwikkeling_per_jaar.csv", 2020)
    shares = h.splits(shared_data, 2020)["GM0788"]
    successors = {"GM0757": "Boxtel", "GM0824": "Oisterwijk", "GM0855": "Tilburg", "GM0865": "Vught"}
    gained = [
        value(series, "population_end_of_year", code, 2020) - pop[name] for code, name in successors.items()
    ]
    assert_allclose(sum(gained), pop["Haaren"], rtol=1e-12)  # all of Haaren, nothing more
    assert_allclose(gained, [shares[c] * pop["Haaren"] for c in successors], rtol=1e-9)


def test_all_statline_names_match_their_year(shared_data: Path) -> None:
    pop_file = "Bevolkingsontwikkeling_per_jaar.csv"
    for year in h.STATLINE_YEARS:
        names = list(raw_wide(pop_file, year))
        codes = h.names_to_codes(names, shared_data, year, file=EXPORTS / pop_file)
        assert sorted(codes.values()) == h.read_division(shared_data, year).codes  # one-to-one
    quirks = h.names_to_codes(
        [
            "s-Gravenhage (gemeente)",
            "Nuenen, Gerwen en Nederwetten",
            "Súdwest-Fryslân",
            "Bergen (L.)",
            "Bergen (NH.)",
        ],
        shared_data,
        2012,
    )
    assert quirks == {
        "s-Gravenhage (gemeente)": "GM0518",
        "Nuenen, Gerwen en Nederwetten": "GM0820",
        "Súdwest-Fryslân": "GM1900",
        "Bergen (L.)": "GM0893",
        "Bergen (NH.)": "GM0373",
    }
