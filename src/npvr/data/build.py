"""Build the compact snapshot from the raw CBS/PDOK files, reproducibly.

``build_snapshot(source, out)`` reads the raw folder (see its SOURCES.md), carries older divisions to
2025, derives every ratio from its counts with the catalogue's own rules, and writes the snapshot
folder atomically: everything goes to a temporary sibling folder that replaces ``out`` only when
complete. The same inputs give the same files (no timestamps, sorted rows).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from npvr.areas.border import resolve_border
from npvr.areas.remoteness import remoteness
from npvr.data import harmonise, regional, sources
from npvr.data.aggregate import aggregate
from npvr.data.catalogue import Catalogue, definitions
from npvr.errors import DataError
from npvr.output import atomic_dir

ATTRIBUTION = (
    "Bron: CBS open data (StatLine, Kerncijfers wijken en buurten, Regionale kerncijfers), RIVM/GGD GHOR/CBS "
    "(Gezondheidsmonitor), CBS/Kadaster (gebiedsindelingen, verkoopprijzen). Licentie CC BY 4.0. "
    "Afgeleid en omgerekend door npvr; de bewerkingen staan in de broncode (npvr.data.build)."
)
COORD_DECIMALS = 5  # ~1 m: far below the ~100 m generalisation of the source boundaries

#: harmonised StatLine series variable -> catalogue indicator id
SERIES_INDICATORS = {
    "population_end_of_year": "bevolking_eind_jaar",
    "dwellings_stock_begin": "woningvoorraad_begin",
    "dwellings_new": "nieuwbouw_woningen",
    "dwellings_stock_end": "woningvoorraad_eind",
    "house_price_mean": "gem_verkoopprijs",
}
RAW_FILES = (
    "reference/gemeenten_2025_corop_provincie.csv",
    "reference/gemeenten_2025_grens_belgie_duitsland_derived.csv",
    "geo/gemeente_2025.geojson",
    "geo/gemeente_2012.topojson",
    "geo/gemeente_2016.topojson",
    "geo/gemeente_2020.topojson",
    "geo/gemeente_2024.topojson",
    "stats/kwb2024_85984NED_gemeenten.csv",
    "stats/kwb2024_85984NED_wijken.csv",
    "stats/kwb2024_leeftijdsgroepen_gemeenten.csv",
    "stats/statline_exports_2024_2025/Regionale_kerncijfers_Nederland_11122025_133649.csv",
    "stats/statline_exports_2024_2025/Inkomen_van_huishoudens__regio_11122025_135329.csv",
    "stats/rivm_ggd_50140NED_gezondheidsmonitor_jongvolwassenen_2024_gemeenten.csv",
    "stats/rivm_50090NED_gezondheid_wijk_buurt_2020_18plus_gemeenten.csv",
    "stats/rivm_50090NED_gezondheid_wijk_buurt_2020_65plus_gemeenten.csv",
    "stats/bevolking_leeftijd10jr_gemeenten_2020_mzelst.csv",
    "stats/kwb2020_gemeenten_buurtvergelijker_355.csv",
    "stats/statline_exports_2012_2024/Bevolkingsontwikkeling_per_jaar.csv",
    "stats/statline_exports_2012_2024/Voorraad_woningen_en_nieuwbouw.csv",
    "stats/statline_exports_2012_2024/gemiddelde_verkoopprijzen_koopwoningen.csv",
    "geo/gemeente_2022.topojson",
    *(str(f) for f in regional.FILES),
)
#: the raw variables of the 2020 division that weight an average while it is carried to 2025, where the
#: indicator's own aggregation weight (a 2025 count) is not published on that division
CARRY_WEIGHTS = {"inwoners": "inwoners_kwb2020", "inwoners_65plus": "inwoners_kwb2020"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _geometries(source: Path) -> dict[str, Any]:
    path = source / "geo" / "gemeente_2025.geojson"
    if not path.is_file():
        raise DataError("bronbestand ontbreekt", en="source file is missing", file=path)
    fc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["statcode"]: shape(f["geometry"]) for f in fc["features"]}


def _feature_collection(geoms: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """GeoJSON with rounded coordinates and clockwise outer rings (what d3/plotly draw correctly)."""
    features = []
    for code in sorted(geoms):
        g = shapely.set_precision(geoms[code], 10**-COORD_DECIMALS)
        polys = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
        g = (
            shapely.MultiPolygon([orient(p, sign=-1.0) for p in polys])
            if len(polys) > 1
            else orient(polys[0], -1.0)
        )
        geom = json.loads(json.dumps(mapping(g)))  # tuples -> lists
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": names[code]},
                "geometry": geom,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _old_division_values(source: Path, catalogue: Catalogue) -> pd.DataFrame:
    """Sources published on the 2020 division, carried to 2025 with the crosswalk."""
    raw = pd.concat(
        [sources.read_kwb2020(source), sources.read_rivm_2020(source), sources.read_age_2020(source)],
        ignore_index=True,
    ).rename(columns={"area_code": "code"})
    out = []
    for iid, group in raw.groupby("indicator_id"):
        ind = catalogue[iid]
        weights = None
        if ind.aggregation in ("weighted_mean", "median_approx"):
            w = (
                CARRY_WEIGHTS.get(ind.weight or "", ind.weight)
                if ind.weight not in set(raw["indicator_id"])
                else ind.weight
            )
            weights = raw[raw["indicator_id"] == w][["code", "period", "value"]]
        carried = harmonise.harmonise(group[["code", "period", "value"]], source, weights=weights)
        if iid in sources.KWB2020_INCOME_IDS:  # KWB 2020 income describes 2018
            carried["period"] = sources.KWB2020_INCOME_YEAR
        out.append(carried.rename(columns={"gm_code": "area_code"}).assign(indicator_id=iid))
    values = pd.concat(out, ignore_index=True)
    # inhabitants on 1 January 2020 are also the 2020 point of the 'inwoners' series
    pop = values[values["indicator_id"] == "inwoners_kwb2020"].assign(indicator_id="inwoners")
    return pd.concat([values, pop], ignore_index=True)


def _health_2022(source: Path) -> pd.DataFrame:
    """Health 2022 on the 2022 division (Weesp, Brielle, Hellevoetsluis, Westvoorne still separate) -> 2025,
    each old gemeente weighted by its inhabitants on 1 January 2022."""
    raw = regional.read_health_2022_raw(source)
    weights = regional.population_2022(source)
    out = []
    for iid, group in raw.groupby("indicator_id"):
        carried = harmonise.harmonise(group[["code", "period", "value"]], source, weights=weights)
        out.append(carried.rename(columns={"gm_code": "area_code"}).assign(indicator_id=iid))
    return pd.concat(out, ignore_index=True)


def _with_gaps_filled(main: pd.DataFrame, *fills: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """``main`` plus the fill rows whose (area, indicator, period) ``main`` lacks; lists what was filled."""
    key = ["area_code", "indicator_id", "period"]
    have = main[key]
    parts, filled = [main], []
    for fill in fills:
        fill = fill.merge(have, on=key, how="left", indicator=True)
        fill = fill[fill["_merge"] == "left_only"].drop(columns="_merge")
        fill = fill[fill["indicator_id"].isin(set(main["indicator_id"]))]
        parts.append(fill)
        have = pd.concat([have, fill[key]], ignore_index=True)
        for (iid, period), g in fill.groupby(["indicator_id", "period"]):
            filled.append({"indicator_id": iid, "period": int(period), "gm_codes": sorted(g["area_code"])})
    return pd.concat(parts, ignore_index=True), filled


def _series_values(source: Path) -> pd.DataFrame:
    s = harmonise.read_statline_series(source)
    return pd.DataFrame(
        {
            "area_code": s["gm_code"],
            "indicator_id": s["variable"].map(SERIES_INDICATORS),
            "period": s["period"],
            "value": s["value"],
        }
    )


def _with_derived(base: pd.DataFrame, catalogue: Catalogue, codes: pd.Index) -> pd.DataFrame:
    """Add every ratio/change indicator at the base level, using the catalogue's own rules.

    Where the base already holds a published value (``published: true``), that value stays.
    """
    derived_ids = [i for i, ind in catalogue.items() if ind.aggregation in ("ratio", "change")]
    identity = pd.Series(codes, index=codes)
    derived = aggregate(base, identity, catalogue, indicators=derived_ids).drop(columns="n_areas")
    key = ["area_code", "indicator_id", "period"]
    derived = derived.merge(base[key], on=key, how="left", indicator=True)
    derived = derived[derived["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([base, derived], ignore_index=True)


def _remoteness(source: Path, base: pd.DataFrame) -> pd.DataFrame:
    """Perifeerheid from the 2025 geometry and the latest employee jobs (npvr.areas.remoteness)."""
    jobs = base[base["indicator_id"] == "banen_werknemers"]
    latest = int(jobs["period"].max())
    r = remoteness(
        harmonise.read_division(source, 2025).projected,
        jobs[jobs["period"] == latest].set_index("area_code")["value"],
    )
    return pd.concat(
        [
            pd.DataFrame(
                {"area_code": r.index, "indicator_id": col, "period": latest, "value": r[col].to_numpy()}
            )
            for col in r.columns
        ],
        ignore_index=True,
    )


def _with_national_note(note: str, unit: str, checks: dict[int, dict[str, float]]) -> str:
    """State beside the figure where npvr's Nederland value differs from the published national figure
    (by more than 0.1 point for a percentage, 0.5 % otherwise)."""
    off = []
    for period, c in sorted(checks.items()):
        diff = c["aggregate"] - c["published"]
        if (unit == "%" and abs(diff) > 0.1) or (unit != "%" and abs(diff) > 0.005 * abs(c["published"])):
            off.append(f"{period}: {c['aggregate']:.1f} tegen {c['published']:g}".replace(".", ","))
    if not off:
        return note
    return (
        f"{note} Nederland als som van de gemeenten wijkt af van het gepubliceerde landelijke cijfer "
        f"({'; '.join(off)}): andere weging of afronding, of (bbp) de niet aan regio's toe te delen "
        "Extra-Regio."
    ).strip()


def _national_checks(source: Path) -> dict[tuple[str, int], float]:
    """Published national figures of every table that publishes one beside its gemeenten."""
    return {
        **regional.labour_national(source),
        **regional.accounts_national(source),
        **regional.health_2022_national(source),
        **sources.rivm_2020_national(source),
        **sources.young_adult_national(source),
    }


def _finish(values: pd.DataFrame) -> pd.DataFrame:
    values = values.dropna(subset=["value"]).copy()
    values["period"] = values["period"].astype("int64")
    values["value"] = values["value"].astype("float64").round(10)
    values = values.sort_values(["indicator_id", "period", "area_code"], ignore_index=True)
    dup = values.duplicated(["indicator_id", "period", "area_code"])
    if dup.any():
        first = values[dup].iloc[0]
        raise DataError(f"dubbele waarde voor {first['area_code']} {first['indicator_id']} {first['period']}")
    return values


def collect(source: Path) -> dict[str, Any]:
    """Read and derive everything; returns the snapshot's contents in memory."""
    source = Path(source)
    catalogue = definitions()
    ref = sources.read_reference(source)
    codes = pd.Index(ref.index, name="gm_code")
    kwb = sources.read_kwb2024(source)
    old = _old_division_values(source, catalogue)
    facility_ids = set(regional.FACILITIES.values())
    kwb2020_distances = old[old["indicator_id"].isin(facility_ids)]
    old = old[~old["indicator_id"].isin(facility_ids)]
    facilities, filled = _with_gaps_filled(
        regional.read_facilities(source), kwb2020_distances, regional.read_kwb2023_distances(source)
    )
    inwoners = kwb[kwb["indicator_id"] == "inwoners"]
    base = pd.concat(
        [
            kwb,
            sources.read_kwb2024_age(source),
            sources.read_kerncijfers_2025(source, ref),
            sources.read_income_2024(source, ref),
            sources.read_young_adult_health(source),
            old,
            _series_values(source),
            # the population at the end of 2023 is the population on 1 January 2024
            inwoners.assign(indicator_id="bevolking_eind_jaar", period=2023),
            regional.read_labour(source),
            regional.read_jobs(source),
            regional.read_crime(source),
            regional.read_police(source, ref),
            regional.read_accounts(source, ref),
            regional.read_forecast(source, ref),
            regional.read_kwb2023(source),
            facilities,
            _health_2022(source),
        ],
        ignore_index=True,
    )
    base = pd.concat([base, _remoteness(source, base)], ignore_index=True)
    unknown = sorted(set(base["indicator_id"]) - set(catalogue))
    if unknown:
        raise DataError(f"indicatoren niet in de catalogus: {unknown}")
    outside = sorted(set(base["area_code"]) - set(codes))
    if outside:
        raise DataError(f"codes buiten de indeling 2025: {outside[:5]}")
    values = _finish(_with_derived(base, catalogue, codes))

    wijk_base = sources.read_kwb2024_wijken(source)
    wijk_gm = wijk_base.drop_duplicates("area_code").set_index("area_code")["gm_code"]
    wijken = _finish(_with_derived(wijk_base.drop(columns="gm_code"), catalogue, pd.Index(wijk_gm.index)))
    wijken["gm_code"] = wijken["area_code"].map(wijk_gm)

    geoms = _geometries(source)
    land = kwb[kwb["indicator_id"] == "oppervlakte_land"].set_index("area_code")["value"]
    border = resolve_border(sources.read_border_flags(source), geoms)
    gemeenten = pd.DataFrame(
        {
            "gm_code": codes,
            "name": ref["gm_naam"].to_numpy(),
            "corop_code": ref["corop_code"].to_numpy(),
            "corop_name": ref["corop_naam"].to_numpy(),
            "province_code": ref["provincie_code"].to_numpy(),
            "province_name": ref["provincie_naam"].to_numpy(),
            "land_area_km2": land.reindex(codes).to_numpy(),
            "borders_belgium": border["borders_belgium"].reindex(codes).to_numpy(dtype=bool),
            "borders_germany": border["borders_germany"].reindex(codes).to_numpy(dtype=bool),
            "border_basis": border["basis"].reindex(codes).to_numpy(),
        }
    )
    names = dict(zip(gemeenten["gm_code"], gemeenten["name"], strict=True))
    geo = {"gemeente": _feature_collection(geoms, names)}
    for level, code_col, name_col in (
        ("corop", "corop_code", "corop_name"),
        ("provincie", "province_code", "province_name"),
    ):
        groups = gemeenten.groupby(code_col)
        merged = {c: shapely.union_all([geoms[g] for g in grp["gm_code"]]) for c, grp in groups}
        geo[level] = _feature_collection(
            merged, dict(zip(gemeenten[code_col], gemeenten[name_col], strict=False))
        )

    nl = aggregate(values, pd.Series("NL01", index=codes), catalogue).set_index(["indicator_id", "period"])[
        "value"
    ]
    national = _national_checks(source)
    present = values.groupby("indicator_id")
    records = []
    for iid, ind in catalogue.items():
        rec = ind.model_dump()
        if iid in present.groups:
            g = present.get_group(iid)
            rec["periods"] = sorted(int(p) for p in g["period"].unique())
            rec["sources"] = {p: t for p, t in ind.sources.items() if p in rec["periods"]}
            rec["coverage"] = {int(p): int(n) for p, n in g.groupby("period").size().items()}
            rec["national"] = {
                p: {"published": national[(iid, p)], "aggregate": round(float(nl[(iid, p)]), 6)}
                for p in rec["periods"]
                if (iid, p) in national and (iid, p) in nl.index
            }
            rec["note"] = _with_national_note(rec["note"], ind.unit, rec["national"])
        else:
            raise DataError(
                f"indicator {iid} heeft geen waarden in de bron", en=f"indicator {iid} has no values"
            )
        records.append(rec)

    manifest = {
        "name": "npvr snapshot",
        "division": 2025,
        "licence": "CC BY 4.0",
        "attribution": ATTRIBUTION,
        "n_gemeenten": len(gemeenten),
        "n_values": len(values),
        "n_wijk_values": len(wijken),
        "sources": [{"file": f, "sha256": _sha256(source / f)} for f in RAW_FILES if (source / f).is_file()],
        "gaps_filled": filled,
        "boundary_changes": [
            t.as_record()
            for year in (2012, 2016, 2020, 2022)
            for t in harmonise.transfers(source, year)
            if t.method != harmonise.METHOD_WHOLE
        ],
    }
    return {
        "gemeenten": gemeenten,
        "values": values,
        "wijken": wijken,
        "catalogue": records,
        "geo": geo,
        "manifest": manifest,
    }


def write_snapshot(contents: dict[str, Any], out: Path) -> Path:
    """Write a snapshot folder atomically: a temporary sibling replaces ``out`` only when complete."""
    out = Path(out)
    with atomic_dir(out, kind="snapshot", owned=lambda p: (p / "manifest.json").is_file()) as tmp:
        contents["gemeenten"].to_parquet(tmp / "gemeenten.parquet", index=False)
        contents["values"].to_parquet(tmp / "values.parquet", index=False)
        contents["wijken"].to_parquet(tmp / "wijken.parquet", index=False)
        _dump(tmp / "catalogue.json", {"indicators": contents["catalogue"]})
        for level, fc in contents["geo"].items():
            _dump(tmp / f"{level}.geojson", fc, compact=True)
        _dump(tmp / "manifest.json", contents["manifest"])
        (tmp / "SOURCES.md").write_text(_sources_md(contents), encoding="utf-8")
    return out


def _dump(path: Path, obj: Any, *, compact: bool = False) -> None:
    text = json.dumps(
        obj,
        ensure_ascii=False,
        sort_keys=not compact,
        separators=(",", ":") if compact else None,
        indent=None if compact else 1,
    )
    path.write_text(text + "\n", encoding="utf-8")


def _sources_md(contents: dict[str, Any]) -> str:
    lines = [
        "# npvr snapshot: sources and attribution",
        "",
        contents["manifest"]["attribution"],
        "",
        "Built by `npvr data build --source DIR` from these raw files (sha256):",
        "",
    ]
    lines += [f"- `{s['file']}` {s['sha256'][:16]}…" for s in contents["manifest"]["sources"]]
    lines += ["", "Indicators, periods and CBS tables: see catalogue.json (or `npvr indicators`).", ""]
    lines += [
        "## Omrekening naar de indeling 2025 (grenswijzigingen)",
        "",
        "Reeksen op een oudere indeling zijn omgerekend naar 2025. Samenvoegingen tellen op. Waar een stuk",
        "van een gemeente naar een andere ging, bepaalt de eigen bevolkingsreeks van de betrokken gemeenten",
        "(sprong op 1 januari van het wijzigingsjaar, CBS 83648NED) hoeveel inwoners meegingen; alleen waar",
        "die reeks ontbreekt of niets onderscheidt, het oppervlakteaandeel (methode `oppervlakte`).",
        "",
        "| indeling | van | naar | jaar | methode | inwoners | aandeel oppervlakte | aandeel inwoners |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in contents["manifest"]["boundary_changes"]:
        persons = "" if c["persons"] is None else f"{c['persons']:,}".replace(",", ".")
        lines.append(
            f"| {c['from_year']} | {c['from_code']} | {c['to_code']} | {c['year'] or ''} | {c['method']} | "
            f"{persons} | {c['area_share']:.3f} | {c['share']:.3f} |"
        )
    lines.append("")
    return "\n".join(lines)


def build_snapshot(source: str | Path, out: str | Path | None = None) -> Path:
    """Build the snapshot from the raw folder ``source`` into ``out`` (default: the shipped one)."""
    from npvr.data.snapshot import clear_cache, default_snapshot_dir

    path = write_snapshot(collect(Path(source)), Path(out) if out is not None else default_snapshot_dir())
    clear_cache()
    return path
