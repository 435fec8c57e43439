"""Carry municipal statistics from an older boundary division (peiljaar) to the 2025 division.

CBS publishes a series on the division of its own year: the 2012 population of Appingedam is a number,
but Appingedam no longer exists. To compare years, every value is carried to the 2025 division:

* **Geometry.** The divisions are read from the generalised CBS/PDOK TopoJSON files
  ``geo/gemeente_{year}.topojson`` (decoded here, no GIS stack needed) and projected to
  ETRS89-LAEA Europe (EPSG:3035, equal-area) with pyproj, so areas are true areas.
* **Crosswalk.** Each old gemeente is overlaid on the 2025 gemeenten. Because the files are
  generalised at about 100 m, an unchanged border is drawn slightly differently in two years and
  produces thin *slivers* of overlap with neighbours (up to ~8 % of a small gemeente's area in these
  files). A piece of overlap counts only if it holds a real area, not a boundary strip: at least
  :data:`MIN_CORE_KM2` km² of it lies more than :data:`SLIVER_BUFFER_M` m inside its edge (a negative
  buffer). The largest piece always counts. The kept pieces' areas are renormalised so that the
  shares of each old gemeente sum to exactly 1.
* **Allocation rule.** Counts are carried with the shares: a merger sums its predecessors (share 1
  each); a genuine split (e.g. Haaren 2021, Littenseradiel 2018, Boarnsterhim 2014, Winsum 2019)
  allocates the old value over its successors **in proportion to area** -- the only allocation key
  available for every year; it misallocates where population is unevenly spread over the parts, but
  it never loses or invents anything, so national totals are preserved exactly. :func:`splits`
  lists the splits found for a year.
* **2024 -> 2025** is the identity by code: the two divisions are the same 342 gemeenten (SOURCES.md);
  the files differ only in generalisation.
* **Averages** (the mean house price) are carried as a mean weighted by the same year's housing stock
  times the crosswalk share (the number of sales, the ideal weight, is not available).
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from npvr.data.names import name_matcher
from npvr.errors import DataError

__all__ = [
    "DIVISION_YEARS",
    "IDENTICAL_DIVISIONS",
    "MIN_CORE_KM2",
    "SERIES",
    "SLIVER_BUFFER_M",
    "STATLINE_YEARS",
    "Division",
    "Series",
    "crosswalk",
    "harmonise",
    "names_to_codes",
    "read_division",
    "read_statline_series",
    "splits",
]

#: Divisions shipped as TopoJSON under ``geo/``.
DIVISION_YEARS: tuple[int, ...] = (2012, 2016, 2020, 2022, 2024, 2025)
#: Pairs of years whose divisions are the same gemeenten (crosswalk = identity by code).
IDENTICAL_DIVISIONS: frozenset[tuple[int, int]] = frozenset({(2024, 2025)})
#: Inward buffer (metres) that removes generalisation strips; the files are generalised at ~100 m.
SLIVER_BUFFER_M: float = 250.0
#: Minimum area (km²) left after the inward buffer for a piece of overlap to count as a real transfer.
#: Chosen from the data: in the 2022 -> 2025 overlay (one real change, Weesp) the largest sliver core is
#: 0.98 km²; the smallest real transfer kept (Vijfheerenlanden -> Molenlanden, 2020) has 1.24 km².
MIN_CORE_KM2: float = 1.2
#: Years in the StatLine exports of ``stats/statline_exports_2012_2024``.
STATLINE_YEARS: tuple[int, ...] = (2012, 2016, 2020, 2024)

_EQUAL_AREA = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
_STATLINE_DIR = Path("stats") / "statline_exports_2012_2024"


@dataclass(frozen=True)
class Division:
    """One boundary division: geometries in WGS84 lon/lat and in EPSG:3035 (metres, equal-area)."""

    year: int
    names: Mapping[str, str]  # statcode -> statnaam as published in that year's file
    geometries: Mapping[str, BaseGeometry]  # statcode -> (Multi)Polygon, lon/lat
    projected: Mapping[str, BaseGeometry]  # statcode -> (Multi)Polygon, EPSG:3035 metres
    file: Path

    @property
    def codes(self) -> list[str]:
        return sorted(self.names)

    def area_km2(self) -> dict[str, float]:
        """Area per gemeente in km² (equal-area projection; includes inland and coastal water)."""
        return {code: geom.area / 1e6 for code, geom in self.projected.items()}


def _division_file(source_dir: Path, year: int) -> Path:
    return Path(source_dir) / "geo" / f"gemeente_{year}.topojson"


def _rings_to_geometry(polygons: list[list[np.ndarray]]) -> BaseGeometry:
    geom: BaseGeometry = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polygons])
    if len(polygons) == 1:
        geom = geom.geoms[0]
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


def _decode_topojson(path: Path, year: int) -> Division:
    """Decode a quantised, delta-encoded TopoJSON GeometryCollection of (Multi)Polygons."""
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
        obj = topo["objects"][f"gemeente_{year}"]
        raw_arcs = topo["arcs"]
    except FileNotFoundError as exc:
        raise DataError(
            f"bestand met de gemeentegrenzen van {year} ontbreekt",
            en=f"boundary file for {year} is missing",
            file=path,
        ) from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise DataError(
            f"geen geldige TopoJSON met object 'gemeente_{year}': {exc}",
            en=f"not a valid TopoJSON with object 'gemeente_{year}': {exc}",
            file=path,
        ) from exc

    lonlat: list[np.ndarray] = []
    metres: list[np.ndarray] = []
    for arc in raw_arcs:
        q = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)  # undo delta encoding (exact on ints)
        lon, lat = q[:, 0] * sx + tx, q[:, 1] * sy + ty
        lonlat.append(np.column_stack([lon, lat]))
        metres.append(np.column_stack(_EQUAL_AREA.transform(lon, lat)))

    def ring(arc_ids: list[int], arcs: list[np.ndarray]) -> np.ndarray:
        parts = []
        for i, a in enumerate(arc_ids):
            pts = arcs[a] if a >= 0 else arcs[~a][::-1]
            parts.append(pts if i == 0 else pts[1:])  # consecutive arcs share their joint point
        return np.vstack(parts)

    names: dict[str, str] = {}
    geoms: dict[str, BaseGeometry] = {}
    projected: dict[str, BaseGeometry] = {}
    for feature in obj["geometries"]:
        props = feature.get("properties") or {}
        code, name = props.get("statcode"), props.get("statnaam")
        if not code or not name or feature.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataError(
                f"gemeente zonder statcode/statnaam of met geometrie {feature.get('type')!r}",
                en=f"gemeente without statcode/statnaam or with geometry {feature.get('type')!r}",
                file=path,
                field="statcode",
            )
        polys = [feature["arcs"]] if feature["type"] == "Polygon" else feature["arcs"]
        names[code] = name
        geoms[code] = _rings_to_geometry([[ring(r, lonlat) for r in p] for p in polys])
        projected[code] = _rings_to_geometry([[ring(r, metres) for r in p] for p in polys])
    return Division(year=year, names=names, geometries=geoms, projected=projected, file=path)


@functools.lru_cache(maxsize=16)
def _read_division_cached(path: Path, year: int) -> Division:
    return _decode_topojson(path, year)


def read_division(source_dir: Path, year: int) -> Division:
    """Read the gemeente division of ``year`` from ``source_dir/geo/gemeente_{year}.topojson``.

    Returns a :class:`Division` with ``names`` (statcode -> statnaam) and ``geometries`` (statcode ->
    shapely geometry, lon/lat), plus ``projected`` geometries in EPSG:3035 for area computations.
    Cached in-process per file.
    """
    return _read_division_cached(_division_file(source_dir, year).resolve(), int(year))


# --------------------------------------------------------------------------- crosswalk


@functools.lru_cache(maxsize=16)
def _crosswalk_cached(source_dir: Path, from_year: int, to_year: int) -> pd.DataFrame:
    src = read_division(source_dir, from_year)
    dst = read_division(source_dir, to_year)
    if from_year == to_year or (from_year, to_year) in IDENTICAL_DIVISIONS:
        if set(src.names) != set(dst.names):
            raise DataError(
                f"de indelingen {from_year} en {to_year} zouden gelijk moeten zijn, "
                "maar de codes verschillen",
                en=f"divisions {from_year} and {to_year} should be identical, but their codes differ",
                file=src.file,
            )
        codes = src.codes
        return pd.DataFrame({"from_code": codes, "to_code": codes, "share": 1.0})

    dst_codes = dst.codes
    tree = shapely.STRtree([dst.projected[c] for c in dst_codes])
    min_core_m2 = MIN_CORE_KM2 * 1e6
    rows: list[tuple[str, str, float]] = []
    for code in src.codes:
        geom = src.projected[code]
        pieces: list[tuple[str, BaseGeometry]] = []
        for i in tree.query(geom, predicate="intersects"):
            inter = geom.intersection(dst.projected[dst_codes[i]])
            if inter.area > 0:
                pieces.append((dst_codes[i], inter))
        if not pieces:
            raise DataError(
                f"gemeente {code} ({src.names[code]}) van {from_year} overlapt met geen enkele gemeente "
                f"van {to_year}",
                en=f"gemeente {code} ({src.names[code]}) of {from_year} overlaps no gemeente of {to_year}",
                file=src.file,
            )
        largest = max(pieces, key=lambda p: p[1].area)[0]
        kept = {
            to: piece.area
            for to, piece in pieces
            if to == largest
            or (piece.area >= min_core_m2 and piece.buffer(-SLIVER_BUFFER_M).area >= min_core_m2)
        }
        total = sum(kept.values())
        rows.extend((code, to, area / total) for to, area in sorted(kept.items()))
    out = pd.DataFrame(rows, columns=["from_code", "to_code", "share"])
    # Make the shares of each old code sum to exactly 1 (the last one takes the float remainder).
    for _code, idx in out.groupby("from_code").groups.items():
        if len(idx) > 1:
            out.loc[idx[-1], "share"] = 1.0 - out.loc[idx[:-1], "share"].sum()
    return out


def area_crosswalk(source_dir: Path, from_year: int, to_year: int = 2025) -> pd.DataFrame:
    """Share of each ``from_year`` gemeente's **area** that lies in each ``to_year`` gemeente.

    Columns ``from_code, to_code, share``; the shares of every ``from_code`` sum to 1. Generalisation
    slivers are dropped (see the module docstring for the rule).
    """
    return _crosswalk_cached(Path(source_dir).resolve(), int(from_year), int(to_year)).copy()


def crosswalk(source_dir: Path, from_year: int, to_year: int = 2025) -> pd.DataFrame:
    """Share of each ``from_year`` gemeente's **inhabitants** that goes to each ``to_year`` gemeente.

    The area overlay finds which pieces moved; how many people moved with them comes from the best
    evidence available (:func:`transfers`): the gemeenten's own population series around the change,
    area shares only as the flagged last resort. Columns ``from_code, to_code, share``; the shares of
    every ``from_code`` sum to 1, so national totals are kept. Cached; the frame is a copy.
    """
    return _evidence_crosswalk(Path(source_dir).resolve(), int(from_year), int(to_year))[0].copy()


def transfers(source_dir: Path, from_year: int, to_year: int = 2025) -> list[Transfer]:
    """Every piece of a ``from_year`` gemeente carried to another ``to_year`` gemeente: year of the change,
    method (``eigen reeks ontvanger`` / ``eigen reeks schenker`` / ``oppervlakte``), persons moved."""
    return list(_evidence_crosswalk(Path(source_dir).resolve(), int(from_year), int(to_year))[1])


# --------------------------------------------------------------------------- evidence for transfers

#: the raw table whose published rates give every gemeente's population on 1 January, 2010-2024
POPULATION_SERIES_FILE = Path("stats") / "cbs_83648NED_geregistreerde_criminaliteit_totaal_2010_2024_raw.csv"
METHOD_RECEIVER = "eigen reeks ontvanger"
METHOD_DONOR = "eigen reeks schenker"
METHOD_AREA = "oppervlakte"
METHOD_WHOLE = "samenvoeging"
METHOD_REST = "rest na eigen reeksen"
#: a jump counts as persons moved only beyond this many standard deviations of the ordinary yearly change
SIGNIFICANT = 2.0
#: tolerance (share of the old gemeente) before series estimates that add up to more than 100 % are rejected
IMPLAUSIBLE = 0.05


@dataclass(frozen=True)
class Transfer:
    """One piece of an old gemeente that goes to another 2025 gemeente, and how its share was set."""

    from_year: int
    from_code: str
    to_code: str
    year: int | None  # 1 January of this year is when the change took effect (None: not found)
    method: (
        str  # METHOD_WHOLE, METHOD_RECEIVER, METHOD_DONOR, METHOD_REST or METHOD_AREA (flagged last resort)
    )
    persons: float | None  # persons moved according to the series (None for area shares)
    area_share: float
    share: float  # the share of the old gemeente's inhabitants carried to ``to_code``

    def as_record(self) -> dict[str, object]:
        return {
            "from_year": self.from_year,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "year": self.year,
            "method": self.method,
            "persons": None if self.persons is None else round(self.persons),
            "area_share": round(self.area_share, 6),
            "share": round(self.share, 6),
        }


@functools.lru_cache(maxsize=4)
def _population_by_code(source_dir: Path) -> dict[str, dict[int, float]]:
    """code -> {year: inhabitants on 1 January} for each gemeente as it existed in that year.

    Read from CBS 83648NED: the published crimes divided by the published crimes per 1,000 inhabitants
    (CBS divides by the population on 1 January). Empty when the raw file is absent.
    """
    if not (source_dir / POPULATION_SERIES_FILE).is_file():
        return {}
    from npvr.data.regional import crime_population

    pop = crime_population(source_dir)
    out: dict[str, dict[int, float]] = {}
    for year, group in pop.groupby("period"):
        places = locate_names(group["name"], source_dir, int(year), file=source_dir / POPULATION_SERIES_FILE)
        for name, value in zip(group["name"], group["value"], strict=True):
            out.setdefault(places[name].code, {})[int(year)] = float(value)
    return out


def _anomaly(series: Mapping[int, float], year: int) -> float | None:
    """Change into ``year`` minus the gemeente's typical yearly change around it (median of +-3 years)."""
    if year not in series or year - 1 not in series:
        return None
    around = [
        series[y] - series[y - 1]
        for y in range(year - 3, year + 4)
        if y != year and y in series and y - 1 in series
    ]
    typical = float(np.median(around)) if around else 0.0
    return series[year] - series[year - 1] - typical


def _change_years(source_dir: Path, code: str, from_year: int, to_year: int) -> list[int]:
    """The years (1 January) in which ``code``'s area may have changed: those of the first division
    step after ``from_year`` in which the area overlay moves a piece of it elsewhere."""
    steps = [y for y in DIVISION_YEARS if from_year <= y <= to_year]
    for a, b in itertools.pairwise(steps):
        if (a, b) in IDENTICAL_DIVISIONS:
            continue
        cw = _crosswalk_cached(source_dir, a, b)
        part = cw[cw["from_code"] == code]
        if len(part) and (part["to_code"] != code).any():
            return list(range(a + 1, b + 1))
    return list(range(from_year + 1, to_year + 1))


def _absorbed_whole(
    source_dir: Path, pop: Mapping[str, Mapping[int, float]], receiver: str, year: int, skip: set[str]
) -> float:
    """Inhabitants of gemeenten that ceased on 1 January ``year`` and went mostly to ``receiver``."""
    total = 0.0
    for code, series in pop.items():
        if code in skip or code == receiver or year - 1 not in series or year in series:
            continue
        division = max((d for d in DIVISION_YEARS if d <= year - 1), default=None)
        if division is None:
            continue
        cw = _crosswalk_cached(source_dir, division, 2025)
        part = cw[cw["from_code"] == code]
        if len(part) and part.loc[part["share"].idxmax(), "to_code"] == receiver:
            total += series[year - 1]
    return total


def _noise(series: Mapping[int, float], year: int) -> float:
    """Spread of the gemeente's yearly changes around ``year`` (how much of a jump is ordinary)."""
    around = [
        series[y] - series[y - 1]
        for y in range(year - 3, year + 4)
        if y != year and y in series and y - 1 in series
    ]
    return float(np.std(around)) if len(around) > 1 else 0.0


@functools.lru_cache(maxsize=16)
def _evidence_crosswalk(
    source_dir: Path, from_year: int, to_year: int
) -> tuple[pd.DataFrame, tuple[Transfer, ...]]:
    """The area crosswalk with the inhabitants' shares set from the population series (see crosswalk)."""
    area = _crosswalk_cached(source_dir, from_year, to_year)
    pop = _population_by_code(source_dir)
    if not pop or from_year == to_year or (from_year, to_year) in IDENTICAL_DIVISIONS:
        return area, ()
    survivors = set(read_division(source_dir, to_year).names)
    before = set(read_division(source_dir, from_year).names)
    km2 = read_division(source_dir, from_year).area_km2()
    pieces_of = {
        code: dict(zip(part["to_code"], part["share"], strict=True))
        for code, part in area.groupby("from_code", sort=True)
    }

    # 1. which year each piece moved, and whose series can show it
    plan: dict[tuple[str, str], tuple[str, int, float]] = {}  # (from, to) -> (method, year, persons)
    claims: dict[tuple[str, int], list[tuple[str, float]]] = {}  # (receiver, year) -> [(from, km²)]
    for code, pieces in pieces_of.items():
        others = [b for b in pieces if b != code]
        if not others:
            continue
        series_a = pop.get(code, {})
        if code in survivors and code in pieces:
            years = _change_years(source_dir, code, from_year, to_year)
        else:  # dissolved: the change took effect the first year it no longer reports
            years = [y for y in range(from_year + 1, to_year + 1) if y not in series_a and y - 1 in series_a][
                :1
            ]
        other_area = sum(pieces[b] for b in others)
        for b in others:
            series_b = pop.get(b, {}) if b in before else {}
            recv = [(y, a) for y in years if (a := _anomaly(series_b, y)) is not None]
            if recv:
                y = max(recv, key=lambda t: t[1])[0]
                claims.setdefault((b, y), []).append((code, pieces[b] * km2[code]))
                plan[(code, b)] = (METHOD_RECEIVER, y, 0.0)
            elif code in survivors:
                donor = [(y, -a) for y in years if (a := _anomaly(series_a, y)) is not None]
                if donor:
                    y, drop = max(donor, key=lambda t: t[1])
                    drop = drop if drop > SIGNIFICANT * _noise(series_a, y) else 0.0
                    plan[(code, b)] = (METHOD_DONOR, y, drop * pieces[b] / other_area)
    # 2. a receiver's jump is shared by everything it received that year (in proportion to area)
    for (b, y), claimants in claims.items():
        jump = (_anomaly(pop[b], y) or 0.0) - _absorbed_whole(
            source_dir, pop, b, y, {c for c, _ in claimants}
        )
        received = jump if jump > SIGNIFICANT * _noise(pop[b], y) else 0.0
        total_km2 = sum(a for _, a in claimants)
        for c, a in claimants:
            plan[(c, b)] = (METHOD_RECEIVER, y, received * a / total_km2 if total_km2 > 0 else 0.0)
    # 3. shares of each old gemeente's inhabitants
    rows: list[tuple[str, str, float]] = []
    found: list[Transfer] = []
    for code, pieces in pieces_of.items():
        others = [b for b in pieces if b != code]
        series_a = pop.get(code, {})
        shares = dict(pieces)
        if not others:
            rows.extend((code, b, sh) for b, sh in shares.items())
            continue
        survives = code in survivors and code in pieces
        est = {b: plan[(code, b)] for b in others if (code, b) in plan}
        base_year = {b: y - 1 for b, (_, y, _) in est.items()}
        est = {b: v for b, v in est.items() if series_a.get(base_year[b], 0.0) > 0}
        if survives:
            for b in others:
                if b in est:
                    shares[b] = min(est[b][2] / series_a[base_year[b]], pieces[b])
            shares[code] = max(0.0, 1.0 - sum(shares[b] for b in others))
        elif est:
            for b in est:
                shares[b] = est[b][2] / series_a[base_year[b]]
            left = 1.0 - sum(shares[b] for b in est)
            rest = [b for b in pieces if b not in est]
            rest_area = sum(pieces[b] for b in rest)
            if left < -IMPLAUSIBLE or (rest and left < rest_area / 2):
                # the series claim more than the gemeente had, or leave a new gemeente next to nothing
                # of a sizable piece: they do not separate this change; fall back to area shares
                shares, est = dict(pieces), {}
            elif rest:  # new gemeenten without a series of their own take what is left, by area
                for b in rest:
                    shares[b] = max(left, 0.0) * pieces[b] / rest_area
            else:  # all receivers have a series: the residual goes where the series are noisiest
                noise = {b: _noise(pop[b], est[b][1]) ** 2 for b in est}
                weight = sum(noise.values())
                for b in est:
                    shares[b] += left * (noise[b] / weight if weight > 0 else pieces[b])
        norm = sum(shares.values())
        for b in pieces:
            rows.append((code, b, shares[b] / norm))
        for b in others:
            if len(pieces) == 1:  # a whole gemeente merged: nothing to estimate
                last = max((y for y in series_a if y <= to_year), default=None)
                persons = series_a.get(last) if last is not None and last < to_year - 1 else None
                gone = None if last is None else last + 1
                found.append(Transfer(from_year, code, b, gone, METHOD_WHOLE, persons, 1.0, 1.0))
            elif b in est:
                method, y, _ = est[b]
                persons = shares[b] / norm * series_a[base_year[b]]
                found.append(Transfer(from_year, code, b, y, method, persons, pieces[b], shares[b] / norm))
            elif est and not survives:  # a new gemeente: what the series of the others leave
                persons = shares[b] / norm * series_a[max(base_year.values())]
                found.append(
                    Transfer(from_year, code, b, None, METHOD_REST, persons, pieces[b], shares[b] / norm)
                )
            else:
                found.append(
                    Transfer(from_year, code, b, None, METHOD_AREA, None, pieces[b], shares[b] / norm)
                )
    out = pd.DataFrame(rows, columns=["from_code", "to_code", "share"])
    return out, tuple(found)


def splits(source_dir: Path, from_year: int, to_year: int = 2025) -> dict[str, dict[str, float]]:
    """Old gemeenten of ``from_year`` that are divided over more than one ``to_year`` gemeente.

    Returns ``{from_code: {to_code: share}}``; this includes real splits (Haaren, Littenseradiel, ...)
    and boundary corrections large enough to pass the sliver rule.
    """
    cw = crosswalk(source_dir, from_year, to_year)
    multi = cw[cw.duplicated("from_code", keep=False)]
    return {code: dict(zip(g["to_code"], g["share"], strict=True)) for code, g in multi.groupby("from_code")}


# --------------------------------------------------------------------------- names


def names_to_codes(
    names: Iterable[str], source_dir: Path, year: int, *, file: str | Path | None = None
) -> dict[str, str]:
    """Map gemeente names as written in a StatLine export to the CBS codes of the division of ``year``.

    Matching ignores case, diacritics, apostrophes and punctuation (``s-Gravenhage`` = ``'s-Gravenhage``,
    ``Nuenen, Gerwen`` = ``Nuenen. Gerwen``, ``Súdwest-Fryslân`` = ``Sûdwest Fryslân``); then a
    ``(gemeente)`` or province suffix (``(L.)``, ``(NH.)``) is dropped on both sides when that leaves a
    unique name. StatLine writes every region with its latest name, so a name still unmatched is looked
    up in the later divisions and accepted when that code exists in ``year`` (a renamed gemeente, e.g.
    Tietjerksteradeel -> Tytsjerksteradiel). Every unmatched name is reported in one DataError naming
    ``file``.
    """
    division = read_division(source_dir, year)
    match = name_matcher(division.names)
    later = [
        name_matcher(read_division(source_dir, y).names)
        for y in DIVISION_YEARS
        if y > year and _division_file(source_dir, y).exists()
    ]
    result: dict[str, str] = {}
    unmatched: list[str] = []
    for name in dict.fromkeys(names):
        code = match(name)
        if code is None:
            for later_match in later:
                candidate = later_match(name)
                if candidate is not None and candidate in division.names:
                    code = candidate
                    break
        if code is None:
            unmatched.append(name)
        else:
            result[name] = code
    if unmatched:
        listed = ", ".join(repr(n) for n in unmatched)
        raise DataError(
            f"{len(unmatched)} gemeentenaam/-namen niet gevonden in de indeling {year}: {listed}",
            en=f"{len(unmatched)} gemeente name(s) not found in the {year} division: {listed}",
            file=file,
            field="Regio's",
        )
    return result


# --------------------------------------------------------------------------- StatLine series


@dataclass(frozen=True)
class Series:
    """One variable in the StatLine exports of 2012-2024 and how it is carried to 2025."""

    variable: str
    file: str  # file name in stats/statline_exports_2012_2024/
    table: str  # CBS table id
    column: str  # column in the export ('wide' files: the Onderwerp value; 'long' files: the column)
    unit: str
    aggregation: str  # "sum" or "weighted_mean"
    weight: str | None = None  # variable used as weight for weighted_mean


#: The series read by :func:`read_statline_series` (one registry, read by the harmoniser and the tests).
SERIES: tuple[Series, ...] = (
    Series(
        "population_end_of_year",
        "Bevolkingsontwikkeling_per_jaar.csv",
        "37230NED",
        "Bevolking aan het einde van de periode",
        "aantal",
        "sum",
    ),
    Series(
        "dwellings_stock_begin",
        "Voorraad_woningen_en_nieuwbouw.csv",
        "81955NED",
        "Beginstand voorraad",
        "aantal",
        "sum",
    ),
    Series(
        "dwellings_new",
        "Voorraad_woningen_en_nieuwbouw.csv",
        "81955NED",
        "Nieuwbouw",
        "aantal",
        "sum",
    ),
    Series(
        "dwellings_stock_end",
        "Voorraad_woningen_en_nieuwbouw.csv",
        "81955NED",
        "Eindstand voorraad",
        "aantal",
        "sum",
    ),
    Series(
        "house_price_mean",
        "gemiddelde_verkoopprijzen_koopwoningen.csv",
        "83625NED",
        "Gemiddelde verkoopprijs",
        "euro",
        "weighted_mean",
        weight="dwellings_stock_end",
    ),
)


def _read_export_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a StatLine CSV export without the trailing ``Bron:`` footer."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError as exc:
        raise DataError("StatLine-export ontbreekt", en="StatLine export is missing", file=path) from exc
    return [r for r in rows if not (r.get("Regio's") or "").startswith("Bron:")]


def _number(text: str | None, *, path: Path, line: int, field: str) -> float | None:
    text = (text or "").strip()
    if text in ("", ".", "-"):
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise DataError(
            f"geen getal: {text!r}", en=f"not a number: {text!r}", file=path, line=line, field=field
        ) from exc


def _read_raw_series(source_dir: Path) -> pd.DataFrame:
    """Long frame ``name, variable, period, value`` as published (division of each period's year)."""
    records: list[tuple[str, str, int, float]] = []
    for series in SERIES:
        path = Path(source_dir) / _STATLINE_DIR / series.file
        for line, row in enumerate(_read_export_rows(path), start=2):
            name = row["Regio's"]
            if "Perioden" in row:  # long layout: one row per (region, year), one column per variable
                period = int(row["Perioden"].strip()[:4])
                value = _number(row.get(series.column), path=path, line=line, field=series.column)
                if value is not None:
                    records.append((name, series.variable, period, value))
            elif row.get("Onderwerp") == series.column:  # wide layout: one column per year
                for year in STATLINE_YEARS:
                    value = _number(row.get(str(year)), path=path, line=line, field=str(year))
                    if value is not None:
                        records.append((name, series.variable, year, value))
    return pd.DataFrame(records, columns=["name", "variable", "period", "value"])


def harmonise(
    values: pd.DataFrame,
    source_dir: Path,
    *,
    weights: pd.DataFrame | None = None,
    to_year: int = 2025,
) -> pd.DataFrame:
    """Carry long values ``code, period, value`` (code on the division of ``period``) to ``to_year``.

    Without ``weights`` the values are counts and are summed with the crosswalk shares. With
    ``weights`` (same layout: ``code, period, value``) the result is the mean weighted by
    ``weight * share``; old gemeenten without a weight or value are left out of that mean.
    Returns ``gm_code, period, value``. The division of each period must exist under ``geo/``.
    """
    out: list[pd.DataFrame] = []
    for period, group in values.groupby("period"):
        cw = crosswalk(source_dir, int(period), to_year)
        merged = group.merge(cw, left_on="code", right_on="from_code", how="left")
        missing = merged.loc[merged["to_code"].isna(), "code"].tolist()
        if missing:
            raise DataError(
                f"codes {missing} bestaan niet in de indeling {period}",
                en=f"codes {missing} do not exist in the {period} division",
            )
        if weights is None:
            merged["v"] = merged["value"] * merged["share"]
            agg = merged.groupby("to_code", as_index=False)["v"].sum().rename(columns={"v": "value"})
        else:
            w = weights[weights["period"] == period][["code", "value"]].rename(columns={"value": "w"})
            merged = merged.merge(w, on="code", how="inner")
            merged["w"] = merged["w"] * merged["share"]
            merged["wv"] = merged["w"] * merged["value"]
            sums = merged.groupby("to_code", as_index=False)[["wv", "w"]].sum()
            sums = sums[sums["w"] > 0]
            agg = pd.DataFrame({"to_code": sums["to_code"], "value": sums["wv"] / sums["w"]})
        agg.insert(1, "period", int(period))
        out.append(agg.rename(columns={"to_code": "gm_code"}))
    if not out:
        return pd.DataFrame(columns=["gm_code", "period", "value"])
    return pd.concat(out, ignore_index=True)


def read_statline_series(source_dir: Path) -> pd.DataFrame:
    """The 2012-2024 StatLine exports carried to the 2025 division.

    Reads ``stats/statline_exports_2012_2024/`` (population 37230NED, housing stock 81955NED, mean house
    price 83625NED; see :data:`SERIES`), maps each period's names with the division of that year and
    carries them to 2025 (counts summed with the crosswalk shares, the price as a mean weighted by the
    end-of-year housing stock). Returns a long frame ``gm_code, variable, period, value`` sorted by
    variable, gm_code and period.
    """
    source_dir = Path(source_dir)
    raw = _read_raw_series(source_dir)
    coded: list[pd.DataFrame] = []
    for period, group in raw.groupby("period"):
        file = source_dir / _STATLINE_DIR
        mapping = names_to_codes(group["name"].unique(), source_dir, int(period), file=file)
        coded.append(group.assign(code=group["name"].map(mapping)))
    raw = pd.concat(coded, ignore_index=True)
    dup = raw[raw.duplicated(["code", "variable", "period"], keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        raise DataError(
            f"twee regels voor {first['code']} ({first['variable']}, {first['period']}): "
            f"{sorted(set(dup['name']))}",
            en=f"two rows for {first['code']} ({first['variable']}, {first['period']})",
            file=source_dir / _STATLINE_DIR,
        )
    frames: list[pd.DataFrame] = []
    by_var = {s.variable: raw[raw["variable"] == s.variable] for s in SERIES}
    for series in SERIES:
        values = by_var[series.variable][["code", "period", "value"]]
        weights = by_var[series.weight][["code", "period", "value"]] if series.weight else None
        result = harmonise(values, source_dir, weights=weights)
        frames.append(result.assign(variable=series.variable))
    out = pd.concat(frames, ignore_index=True)[["gm_code", "variable", "period", "value"]]
    return out.sort_values(["variable", "gm_code", "period"], ignore_index=True)


# --------------------------------------------------------------------------- annual tables by name


@dataclass(frozen=True)
class NamePlace:
    """Where a gemeente name of a given year is carried from: a division year and its code there."""

    name: str
    year: int
    division: int  # the division file whose territory stands for this name in ``year``
    code: str


#: Gemeente names in CBS's annual tables that no division file (2012, 2016, ...) knows, with the gemeente
#: that took them over whole or the later name (CBS "Gemeentelijke indelingen" of those years).
FORMER_NAMES: dict[str, str] = {
    "Menaldumadeel": "Menameradiel",  # renamed 1 January 2011
    "Abcoude": "De Ronde Venen",  # merged 1 January 2011
    "Andijk": "Medemblik",
    "Wervershoof": "Medemblik",
    "Bodegraven": "Bodegraven-Reeuwijk",
    "Reeuwijk": "Bodegraven-Reeuwijk",
    "Breukelen": "Stichtse Vecht",
    "Loenen": "Stichtse Vecht",
    "Maarssen": "Stichtse Vecht",
    "Eijsden": "Eijsden-Margraten",
    "Margraten": "Eijsden-Margraten",
    "Lith": "Oss",
    "Bolsward": "Súdwest-Fryslân",
    "Sneek": "Súdwest-Fryslân",
    "Nijefurd": "Súdwest-Fryslân",
    "Wûnseradiel": "Súdwest-Fryslân",
    "Wymbritseradiel": "Súdwest-Fryslân",
    "Anna Paulowna": "Hollands Kroon",  # merged 1 January 2012
    "Niedorp": "Hollands Kroon",
    "Wieringen": "Hollands Kroon",
    "Wieringermeer": "Hollands Kroon",
    "Rozenburg": "Rotterdam",  # joined Rotterdam 18 March 2010
    "De Friese Meren": "De Fryske Marren",  # the 2014 name of De Fryske Marren (renamed 2015)
}


@functools.lru_cache(maxsize=16)
def _division_matcher(source_dir: Path, year: int) -> Callable[[str], str | None]:
    return name_matcher(read_division(source_dir, year).names)


def locate_names(
    names: Iterable[str], source_dir: Path, year: int, *, file: str | Path | None = None
) -> dict[str, NamePlace]:
    """Find each gemeente name of ``year`` in the shipped divisions.

    CBS's annual tables list every gemeente as it existed in that year, by name. A name is looked up in
    the latest division on or before ``year`` (its territory then), else in the first later one (a
    gemeente formed between two division files). A name found in no division belongs to a gemeente
    renamed or merged whole before 2012 (:data:`FORMER_NAMES`) and is placed with its successor.
    A name found nowhere is a DataError naming ``file``.
    """
    source_dir = Path(source_dir).resolve()
    order = [d for d in sorted(DIVISION_YEARS, reverse=True) if d <= year]
    order += [d for d in sorted(DIVISION_YEARS) if d > year]
    matchers = [(d, _division_matcher(source_dir, d)) for d in order]
    out: dict[str, NamePlace] = {}
    unmatched: list[str] = []
    for name in dict.fromkeys(names):
        for lookup in (name, FORMER_NAMES.get(name.strip())):
            if lookup is None:
                continue
            found = next(((d, c) for d, match in matchers if (c := match(lookup)) is not None), None)
            if found is not None:
                out[name] = NamePlace(name, year, found[0], found[1])
                break
        else:
            unmatched.append(name)
    if unmatched:
        listed = ", ".join(repr(n) for n in unmatched)
        raise DataError(
            f"{len(unmatched)} gemeentenaam/-namen van {year} niet gevonden: {listed}",
            en=f"{len(unmatched)} gemeente name(s) of {year} not found: {listed}",
            file=file,
            field="RegioS",
        )
    return out


def name_crosswalk(
    names: Iterable[str], source_dir: Path, year: int, *, file: str | Path | None = None
) -> pd.DataFrame:
    """``name, to_code, share``: how each gemeente name of ``year`` is carried to the 2025 division."""
    key = tuple(sorted(dict.fromkeys(names)))
    return _name_crosswalk_cached(key, Path(source_dir).resolve(), int(year), str(file or "")).copy()


@functools.lru_cache(maxsize=256)
def _pieces(source_dir: Path, division: int) -> dict[str, list[tuple[str, float]]]:
    cw = crosswalk(source_dir, division)
    out: dict[str, list[tuple[str, float]]] = {}
    for f, t, sh in zip(cw["from_code"], cw["to_code"], cw["share"], strict=True):
        out.setdefault(f, []).append((t, float(sh)))
    return out


@functools.lru_cache(maxsize=256)
def _name_crosswalk_cached(names: tuple[str, ...], source_dir: Path, year: int, file: str) -> pd.DataFrame:
    rows: list[tuple[str, str, float]] = []
    for name, place in locate_names(names, source_dir, year, file=file or None).items():
        rows.extend((name, to, sh) for to, sh in _pieces(source_dir, place.division)[place.code])
    return pd.DataFrame(rows, columns=["name", "to_code", "share"])


def carry_by_name(
    values: pd.DataFrame,
    source_dir: Path,
    *,
    weights: pd.DataFrame | None = None,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Carry ``name, period, value`` (each period on its own year's division) to 2025.

    Counts (no ``weights``) are summed with the crosswalk shares; with ``weights`` (``name, period,
    value``) the result is the mean weighted by ``weight * share``. Returns ``gm_code, period, value``.
    """
    out: list[pd.DataFrame] = []
    for period, group in values.groupby("period"):
        cw = name_crosswalk(group["name"].unique(), source_dir, int(period), file=file)
        merged = group.merge(cw, on="name", how="inner")
        if weights is None:
            merged["v"] = merged["value"] * merged["share"]
            agg = merged.groupby("to_code", as_index=False)["v"].sum().rename(columns={"v": "value"})
        else:
            w = weights[weights["period"] == period][["name", "value"]].rename(columns={"value": "w"})
            merged = merged.merge(w, on="name", how="inner")
            merged["w"] = merged["w"] * merged["share"]
            merged["wv"] = merged["w"] * merged["value"]
            sums = merged.groupby("to_code", as_index=False)[["wv", "w"]].sum()
            sums = sums[sums["w"] > 0]
            agg = pd.DataFrame({"to_code": sums["to_code"], "value": sums["wv"] / sums["w"]})
        agg.insert(1, "period", int(period))
        out.append(agg.rename(columns={"to_code": "gm_code"}))
    if not out:
        return pd.DataFrame(columns=["gm_code", "period", "value"])
    return pd.concat(out, ignore_index=True)
