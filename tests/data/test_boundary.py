"""Carrying series over boundary corrections and splits: real cases, against what the gemeenten' own
published series imply (computed here with the csv module from the raw files)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import npvr
from npvr.data import harmonise as h

EXPORT = Path("stats") / "statline_exports_2012_2024" / "Bevolkingsontwikkeling_per_jaar.csv"
CRIME = Path("stats") / "cbs_83648NED_geregistreerde_criminaliteit_totaal_2010_2024_raw.csv"


def own_population(shared_data: Path, name: str, year: int) -> float:
    """37230NED population at the end of ``year``, as published for the gemeente as it was then."""
    with (shared_data / EXPORT).open(encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["Regio's"] == name)
    return float(row[str(year)])


def january_series(shared_data: Path, name: str) -> dict[int, float]:
    """Inhabitants on 1 January per year behind CBS's published crimes per 1,000 inhabitants."""
    with (shared_data / CRIME).open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["RegioS"] == name]
    return {
        int(r["Perioden"]): float(r["TotaalGeregistreerdeMisdrijven_1"])
        / float(r["GeregistreerdeMisdrijvenPer1000Inw_3"])
        * 1000
        for r in rows
        if r["GeregistreerdeMisdrijvenPer1000Inw_3"]
    }


def jump(series: dict[int, float], year: int) -> float:
    """Change into ``year`` beyond the mean change of the years just before and after (a second method:
    npvr itself uses the median of +-3 years)."""
    ordinary = np.mean([series[year - 1] - series[year - 2], series[year + 1] - series[year]])
    return series[year] - series[year - 1] - float(ordinary)


@pytest.fixture(scope="module")
def carried(shared_data: Path):  # type: ignore[no-untyped-def]
    s = h.read_statline_series(shared_data)
    return s[s.variable == "population_end_of_year"].set_index(["gm_code", "period"])["value"]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("GM1876", "Bronckhorst"),  # took land from Doetinchem (2018), almost no people
        ("GM0222", "Doetinchem"),
        ("GM0361", "Alkmaar"),  # land to (now) Dijk en Waard
        ("GM0770", "Eersel"),  # land to Bladel (2020)
        ("GM1728", "Bladel"),
    ],
)
@pytest.mark.parametrize("year", [2012, 2016, 2020])
def test_boundary_corrections_move_no_invented_people(shared_data: Path, carried, code, name, year) -> None:  # type: ignore[no-untyped-def]
    own = own_population(shared_data, name, year)
    if (code, year) == ("GM0361", 2012):  # Alkmaar took in Graft-De Rijp and Schermer whole in 2015
        own += own_population(shared_data, "Graft-De Rijp", 2012) + own_population(
            shared_data, "Schermer", 2012
        )
    assert abs(carried[(code, year)] - own) / own < 0.01


def test_nissewaard_gave_what_its_own_series_shows(shared_data: Path, carried) -> None:  # type: ignore[no-untyped-def]
    """Nissewaard -> Hellevoetsluis (now Voorne aan Zee), 1 January 2018: Nissewaard dropped by ~1,000
    people that year while it grows by ~300 a year; its 2016 population carries without them."""
    moved = -jump(january_series(shared_data, "Nissewaard"), 2018)
    assert 700 < moved < 1400
    own = own_population(shared_data, "Nissewaard", 2016)
    assert abs(carried[("GM1930", 2016)] - (own - moved)) / own < 0.01
    voorne = sum(own_population(shared_data, n, 2016) for n in ("Brielle", "Hellevoetsluis", "Westvoorne"))
    assert abs(carried[("GM1992", 2016)] - (voorne + moved)) / voorne < 0.01


def test_dijk_en_waard_is_its_predecessors(shared_data: Path, carried) -> None:  # type: ignore[no-untyped-def]
    for year in (2012, 2016, 2020):
        own = sum(own_population(shared_data, n, year) for n in ("Heerhugowaard", "Langedijk"))
        assert abs(carried[("GM1980", year)] - own) / own < 0.01


@pytest.mark.parametrize(
    ("code", "name"),
    [("GM0757", "Boxtel"), ("GM0824", "Oisterwijk"), ("GM0865", "Vught"), ("GM0855", "Tilburg")],
)
def test_haaren_split_follows_the_successors_series(shared_data: Path, carried, code, name) -> None:  # type: ignore[no-untyped-def]
    """Haaren was divided on 1 January 2021; each successor's own series jumps by what it received."""
    received = jump(january_series(shared_data, name), 2021)
    own = own_population(shared_data, name, 2020)
    assert abs(carried[(code, 2020)] - (own + received)) / (own + received) < 0.01


def test_bronckhorst_is_not_the_fastest_shrinking_gemeente() -> None:
    snap = npvr.load_snapshot()
    growth = snap.values[(snap.values.indicator_id == "bevolkingsgroei") & (snap.values.period == 2024)]
    growth = growth.set_index("area_code")["value"]
    assert growth.idxmin() != "GM1876"
    assert -4.0 < growth["GM1876"] < -2.0  # its own series: 37,3 thousand (2012) -> 36,2 thousand (2024)


def test_every_applied_change_is_reported(shared_data: Path) -> None:
    snap = npvr.load_snapshot()
    changes = snap.manifest["boundary_changes"]
    haaren = [c for c in changes if c["from_code"] == "GM0788" and c["from_year"] == 2020]
    assert {c["to_code"] for c in haaren} == {"GM0757", "GM0824", "GM0855", "GM0865"}
    assert all(c["method"] == h.METHOD_RECEIVER and c["persons"] > 0 for c in haaren)
    assert sum(c["share"] for c in haaren) == pytest.approx(1.0)
    bronckhorst = next(c for c in changes if c["from_code"] == "GM0222" and c["to_code"] == "GM1876")
    assert (
        bronckhorst["persons"]
        < 300
        < bronckhorst["area_share"] * own_population(shared_data, "Doetinchem", 2012)
    )
    # the area share is the flagged last resort and says so
    assert {c["method"] for c in changes} <= {h.METHOD_RECEIVER, h.METHOD_DONOR, h.METHOD_REST, h.METHOD_AREA}
    assert "oppervlakte" in (Path(snap.path) / "SOURCES.md").read_text(encoding="utf-8")
