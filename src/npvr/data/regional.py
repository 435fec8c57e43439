"""Readers for the fourth and fifth rounds of raw files: labour, jobs, regional accounts, crime,
facilities over time, KWB 2023, health 2022 and the population forecast.

Each reader knows its file's quirks (see the raw folder's ``SOURCES.md``): the ``dertje/cbs_datasets``
cuts identify regions by **name** and list every gemeente as it existed in that year (so they are
carried to 2025 by name, :func:`npvr.data.harmonise.carry_by_name`); counts published in thousands
are multiplied out; ``.`` means suppressed; KWB 2023 writes some numbers as text with comma decimals.
Every reader returns long values ``area_code, indicator_id, period, value`` on the 2025 division.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from npvr.data import harmonise
from npvr.data.names import name_matcher
from npvr.errors import DataError

STATS = Path("stats")
LABOUR_FILE = STATS / "regio_2025_arbeidsdeelname_86088NED_2013_2024.csv"
JOBS_FILE = STATS / "cbs_83582NED_banen_werknemers_december_2010_2023_totaal_raw.csv"
CRIME_FILE = STATS / "cbs_83648NED_geregistreerde_criminaliteit_totaal_2010_2024_raw.csv"
ACCOUNTS_FILE = STATS / "corop_2025_regionale_rekeningen_85924NED_1995_2023.csv"
FORECAST_FILE = STATS / "regio_prognose_85171NED_bevolking_2023_2050.csv"
FACILITIES_FILE = STATS / "cbs_80305NED_nabijheid_voorzieningen_regionaal_2020_2023_raw.csv"
KWB2023_FILE = STATS / "kwb2023_85618NED_subset_gemeenten.csv"
RIVM2022_FILE = STATS / "rivm_50120NED_gezondheid_wijk_buurt_2022_18plus_gemeenten.csv"
MONITOR2022_FILE = STATS / "regio_2022_gezondheidsmonitor_85563NED_waarde.csv"
POLICE_FILES = (
    STATS / "politie_47013NED" / "misdrijven_2022_2023.csv",
    STATS / "politie_47013NED" / "Misdrijven_2024.csv",
)
FILES = (
    LABOUR_FILE,
    JOBS_FILE,
    CRIME_FILE,
    ACCOUNTS_FILE,
    FORECAST_FILE,
    FACILITIES_FILE,
    KWB2023_FILE,
    RIVM2022_FILE,
    MONITOR2022_FILE,
    *POLICE_FILES,
)
#: region names in the name-only tables that are not gemeenten
_NOT_GEMEENTE = (" (CR)", " (PV)", " (LD)", " (AM)", " (RE)", " (CP)")
FORECAST_YEARS = (2030, 2035, 2040, 2045, 2050)
FORECAST_BASE = 2023


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataError(
            "bronbestand ontbreekt; geef met --source de map met de ruwe CBS-bestanden",
            en="source file is missing; pass the folder with the raw CBS files with --source",
            file=path,
        )
    return path


def _num(series: pd.Series) -> pd.Series:
    """Text numbers as published: '.' or '' is suppressed, comma decimals allowed."""
    s = series.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(s.where(~s.isin(["", ".", "nan", "None"])), errors="coerce")


def _long(codes: pd.Series, indicator: str, periods: pd.Series | int, values: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "area_code": codes.to_numpy(),
            "indicator_id": indicator,
            "period": periods.to_numpy() if isinstance(periods, pd.Series) else periods,
            "value": values.to_numpy(dtype=float),
        }
    )
    return out.dropna(subset=["value"]).reset_index(drop=True)


def _gemeente_name(name: str) -> bool:
    n = name.strip()
    return not (n.startswith("Nederland") or "niet in te delen" in n.lower() or n.endswith(_NOT_GEMEENTE))


def _is_gemeente(name: pd.Series) -> pd.Series:
    n = name.str.strip()
    bad = n.str.startswith("Nederland") | n.str.contains("niet in te delen", case=False)
    for suffix in _NOT_GEMEENTE:
        bad |= n.str.endswith(suffix)
    return ~bad


def _by_corop(frame: pd.DataFrame, column: str, indicator: str, reference: pd.DataFrame) -> pd.DataFrame:
    """A COROP-level column -> one row per gemeente carrying its COROP area's value."""
    corop = frame[frame["regio_type"] == "corop"][["regio_code", "jaar", column]]
    gm = reference.reset_index()[["gm_code", "corop_code"]]
    merged = gm.merge(corop, left_on="corop_code", right_on="regio_code", how="inner")
    return _long(merged["gm_code"], indicator, merged["jaar"].astype(int), _num(merged[column]))


# ---- werk ---------------------------------------------------------------------------------------------

LABOUR_COUNTS = {
    "bevolking_15_75_x1000": "bevolking_15_75",
    "beroepsbevolking_x1000": "beroepsbevolking",
    "werkzame_beroepsbevolking_x1000": "werkzame_beroepsbevolking",
    "werkloze_beroepsbevolking_x1000": "werkloze_beroepsbevolking",
}
LABOUR_RATES = {
    "werkloosheidspercentage": "werkloosheid",
    "netto_arbeidsparticipatie_pct": "netto_arbeidsparticipatie",
}


def read_labour(source: Path) -> pd.DataFrame:
    """86088NED (every year on the 2024 = 2025 division): counts x 1,000 and the published rates."""
    df = pd.read_csv(_require(source / LABOUR_FILE), dtype=str)
    df = df[df["regio_type"] == "gemeente"]
    parts = [
        _long(df["regio_code"], ind, df["jaar"].astype(int), _num(df[col]) * 1000.0)
        for col, ind in LABOUR_COUNTS.items()
    ]
    parts += [
        _long(df["regio_code"], ind, df["jaar"].astype(int), _num(df[col]))
        for col, ind in LABOUR_RATES.items()
    ]
    return pd.concat(parts, ignore_index=True)


def labour_national(source: Path) -> dict[tuple[str, int], float]:
    """Published NL rates of 86088NED: {(indicator, year): value}."""
    df = pd.read_csv(_require(source / LABOUR_FILE), dtype=str)
    nl = df[df["regio_code"] == "NL01"]
    return {
        (ind, int(y)): float(v)
        for col, ind in LABOUR_RATES.items()
        for y, v in zip(nl["jaar"], _num(nl[col]), strict=True)
        if not np.isnan(v)
    }


# ---- name-only annual tables (each year on its own division) ------------------------------------------


def _read_dump(path: Path) -> pd.DataFrame:
    return pd.read_csv(_require(path), sep=";", dtype=str, encoding="utf-8-sig")


def read_jobs(source: Path) -> pd.DataFrame:
    """83582NED December jobs (x 1,000), all activities, carried from each year's division to 2025."""
    path = source / JOBS_FILE
    df = _read_dump(path)
    df = df[df["BedrijfstakkenBranchesSBI2008"].str.startswith("A-U") & _is_gemeente(df["RegioS"])]
    raw = pd.DataFrame(
        {
            "name": df["RegioS"].str.strip(),
            "period": df["Perioden"].str[:4].astype(int),
            "value": _num(df["BanenVanWerknemersInDecember_1"]) * 1000.0,
        }
    ).dropna(subset=["value"])
    carried = harmonise.carry_by_name(raw, source, file=path)
    return _long(carried["gm_code"], "banen_werknemers", carried["period"], carried["value"])


def crime_population(source: Path) -> pd.DataFrame:
    """``name, period, value``: inhabitants behind each published crime rate (count / rate x 1,000).

    CBS divides by the population on 1 January, so this also serves as each year's population of the
    gemeenten as they then existed (the weight for carrying averages of name-only tables).
    """
    df = _read_dump(source / CRIME_FILE)
    df = df[_is_gemeente(df["RegioS"])]
    count, rate = (
        _num(df["TotaalGeregistreerdeMisdrijven_1"]),
        _num(df["GeregistreerdeMisdrijvenPer1000Inw_3"]),
    )
    out = pd.DataFrame(
        {
            "name": df["RegioS"].str.strip(),
            "period": df["Perioden"].str[:4].astype(int),
            "value": count / rate * 1000.0,
        }
    )
    return out[np.isfinite(out["value"]) & (out["value"] > 0)].reset_index(drop=True)


def read_crime(source: Path) -> pd.DataFrame:
    """83648NED registered and solved crimes and the rate's denominator, carried to 2025 by name."""
    path = source / CRIME_FILE
    df = _read_dump(path)
    df = df[_is_gemeente(df["RegioS"])]
    base = pd.DataFrame({"name": df["RegioS"].str.strip(), "period": df["Perioden"].str[:4].astype(int)})
    parts = []
    for col, ind in (
        ("TotaalGeregistreerdeMisdrijven_1", "geregistreerde_misdrijven"),
        ("TotaalOpgehelderdeMisdrijven_4", "opgehelderde_misdrijven"),
    ):
        raw = base.assign(value=_num(df[col]).to_numpy()).dropna(subset=["value"])
        carried = harmonise.carry_by_name(raw, source, file=path)
        parts.append(_long(carried["gm_code"], ind, carried["period"], carried["value"]))
    pop = harmonise.carry_by_name(crime_population(source), source, file=path)
    parts.append(_long(pop["gm_code"], "bevolking_misdrijfcijfer", pop["period"], pop["value"]))
    return pd.concat(parts, ignore_index=True)


def read_police(source: Path, reference: pd.DataFrame) -> pd.DataFrame:
    """Politie 47013NED (current division, names only): registered crimes 2022-2024."""
    match = name_matcher(reference["gm_naam"].to_dict())
    parts = []
    for rel in POLICE_FILES:
        path = _require(source / rel)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        periods = next(r for r in rows if r and r[0] == "Perioden")[1:]
        start = next(i for i, r in enumerate(rows) if r and r[0] == "Regio's") + 1
        for line, row in enumerate(rows[start:], start=start + 1):
            if len(row) < 2 or row[0].startswith("Bron:") or not _gemeente_name(row[0]):
                continue
            code = match(row[0])
            if code is None:
                continue
            for period, text in zip(periods, row[1:], strict=False):
                try:
                    value = float(text) if text.strip() not in ("", ".") else None
                except ValueError as exc:
                    raise DataError(
                        f"geen getal: {text!r}", en=f"not a number: {text!r}", file=path, line=line
                    ) from exc
                if value is not None:
                    parts.append((code, "misdrijven_politie", int(period), value))
    return pd.DataFrame(parts, columns=["area_code", "indicator_id", "period", "value"])


FACILITIES = {
    "AfstandTotHuisartsenpraktijk_1": "afstand_huisarts",
    "AfstandTotHuisartsenpost_5": "afstand_huisartsenpost",
    "AfstandTotApotheek_6": "afstand_apotheek",
    "AfstandTotZiekenhuis_7": "afstand_ziekenhuis",
    "AfstandTotGroteSupermarkt_20": "afstand_supermarkt",
    "AfstandTotKinderdagverblijf_48": "afstand_kinderdagverblijf",
    "AfstandTotSchool_56": "afstand_basisschool",
    "AfstandTotOpritHoofdverkeersweg_100": "afstand_oprit_hoofdweg",
    "AfstandTotTreinstationsTotaal_101": "afstand_treinstation",
}


def _complete_weights(pop: pd.DataFrame, wanted: pd.DataFrame) -> pd.DataFrame:
    """Population weights for every (name, period) of ``wanted``: a year whose rate CBS suppressed
    (Schiermonnikoog, Vlieland, Rozendaal) takes the same gemeente's nearest year with a value."""
    have = pop.set_index(["name", "period"])["value"]
    rows = []
    for name, period in wanted[["name", "period"]].drop_duplicates().itertuples(index=False):
        if (name, period) in have.index:
            continue
        years = pop.loc[pop["name"] == name, "period"]
        if len(years):
            nearest = min(years, key=lambda y: (abs(y - period), y))
            rows.append((name, period, float(have[(name, nearest)])))
        else:  # never published (Schiermonnikoog): any weight carries an unchanged gemeente exactly
            rows.append((name, period, 1.0))
    extra = pd.DataFrame(rows, columns=["name", "period", "value"])
    return pd.concat([pop, extra], ignore_index=True) if rows else pop


def read_facilities(source: Path) -> pd.DataFrame:
    """80305NED distances 2020-2023, each year's gemeenten carried to 2025 weighted by population."""
    path = source / FACILITIES_FILE
    df = _read_dump(path)
    missing = [c for c in FACILITIES if c not in df.columns]
    if missing:
        raise DataError(f"kolommen ontbreken: {missing}", en=f"columns missing: {missing}", file=path)
    df = df[_is_gemeente(df["RegioS"])]
    base = pd.DataFrame({"name": df["RegioS"].str.strip(), "period": df["Perioden"].str[:4].astype(int)})
    pop = _complete_weights(crime_population(source), base)
    parts = []
    for col, ind in FACILITIES.items():
        raw = base.assign(value=_num(df[col]).to_numpy()).dropna(subset=["value"])
        carried = harmonise.carry_by_name(raw, source, weights=pop, file=path)
        parts.append(_long(carried["gm_code"], ind, carried["period"], carried["value"]))
    return pd.concat(parts, ignore_index=True)


# ---- COROP-level tables ---------------------------------------------------------------------------------


def read_accounts(source: Path, reference: pd.DataFrame) -> pd.DataFrame:
    """85924NED regional accounts: GDP per inhabitant and real growth, per COROP area (1995-2023)."""
    df = pd.read_csv(_require(source / ACCOUNTS_FILE), dtype=str)
    return pd.concat(
        [
            _by_corop(df, "bbp_per_inwoner_eur", "bbp_per_inwoner", reference),
            _by_corop(df, "bbp_volumemutatie_pct", "bbp_volumegroei", reference),
        ],
        ignore_index=True,
    )


def accounts_national(source: Path) -> dict[tuple[str, int], float]:
    df = pd.read_csv(_require(source / ACCOUNTS_FILE), dtype=str)
    nl = df[df["regio_code"] == "NL01"]
    out = {}
    for col, ind in (
        ("bbp_per_inwoner_eur", "bbp_per_inwoner"),
        ("bbp_volumemutatie_pct", "bbp_volumegroei"),
    ):
        for y, v in zip(nl["jaar"], _num(nl[col]), strict=True):
            if not np.isnan(v):
                out[(ind, int(y))] = float(v)
    return out


def read_forecast(source: Path, reference: pd.DataFrame) -> pd.DataFrame:
    """85171NED forecast: growth of the total population since 2023, per COROP area."""
    df = pd.read_csv(_require(source / FORECAST_FILE), dtype=str)
    df["v"] = _num(df["bevolking_prognose_x1000"])
    wide = df.pivot_table(index=["regio_code", "regio_type"], columns="jaar", values="v").reset_index()
    wide.columns = [str(c) for c in wide.columns]
    rows = []
    for year in FORECAST_YEARS:
        growth = 100.0 * (wide[str(year)] / wide[str(FORECAST_BASE)] - 1.0)
        rows.append(
            pd.DataFrame(
                {
                    "regio_code": wide["regio_code"],
                    "regio_type": wide["regio_type"],
                    "jaar": year,
                    "g": growth,
                }
            )
        )
    long = pd.concat(rows, ignore_index=True)
    return _by_corop(long, "g", "bevolkingsprognose_groei", reference)


# ---- KWB 2023 -------------------------------------------------------------------------------------------

KWB2023_COUNTS = {
    "a_inw": ("inwoners", 2023),
    "a_hh": ("huishoudens", 2023),
    "a_soz_wb": ("personen_bijstand", 2023),
    "a_soz_ww": ("personen_ww", 2023),
    "a_soz_ao": ("personen_ao", 2023),
}
#: KWB 2023 income items describe 2021 (KWB publishes income two years after the fact)
KWB2023_INCOME = {
    "g_ink_pi": "gem_inkomen_per_inwoner",
    "p_ink_li": "aandeel_personen_laag_inkomen",
    "p_hh_li": "aandeel_huishoudens_laag_inkomen_40",
    "g_hh_sti": "gem_gestandaardiseerd_inkomen",
}
KWB2023_INCOME_YEAR = 2021
KWB2023_DISTANCES = {
    "g_afs_hp": "afstand_huisarts",
    "g_afs_gs": "afstand_supermarkt",
    "g_afs_kv": "afstand_kinderdagverblijf",
    "g_afs_sc": "afstand_basisschool",
}


def _kwb2023(source: Path) -> pd.DataFrame:
    df = pd.read_csv(_require(source / KWB2023_FILE), dtype=str)
    return df[df["gwb_code_10"].str.startswith("GM")]


def read_kwb2023(source: Path) -> pd.DataFrame:
    """KWB 2023 (85618NED): population, households and benefits (2023), income items (2021)."""
    df = _kwb2023(source)
    parts = [
        _long(df["gwb_code_10"], ind, year, _num(df[col])) for col, (ind, year) in KWB2023_COUNTS.items()
    ]
    parts += [
        _long(df["gwb_code_10"], ind, KWB2023_INCOME_YEAR, _num(df[col]))
        for col, ind in KWB2023_INCOME.items()
    ]
    return pd.concat(parts, ignore_index=True)


def read_kwb2023_distances(source: Path) -> pd.DataFrame:
    """KWB 2023 distances (= 80305NED 2023), used only to fill 80305NED's cut-off tail."""
    df = _kwb2023(source)
    return pd.concat(
        [_long(df["gwb_code_10"], ind, 2023, _num(df[col])) for col, ind in KWB2023_DISTANCES.items()],
        ignore_index=True,
    )


# ---- health 2022 (2022 division) -----------------------------------------------------------------------

RIVM2022 = {
    "Ervaren.gezondheid..goed.zeer.goed.....": "goede_gezondheid_18plus",
    "Hoog.risico.op.angst.of.depressie....": "risico_angst_depressie_18plus",
    "Eenzaamheid.Ernstig.zeer.ernstig.eenzaam....": "ernstig_eenzaam_18plus",
    "Roker....": "rokers_18plus",
}
MONITOR2022 = {
    "65 jaar of ouder": {
        "gezondheid_goed_zeer_goed_pct": "goede_gezondheid_65plus",
        "een_of_meer_langdurige_aandoeningen_pct": "langdurige_aandoening_65plus",
        "overgewicht_pct": "overgewicht_65plus",
    },
    "18 tot 65 jaar": {"gezondheid_goed_zeer_goed_pct": "goede_gezondheid_18_64"},
}


def _rivm2022(source: Path) -> pd.DataFrame:
    df = pd.read_csv(_require(source / RIVM2022_FILE), dtype=str)
    df["code"] = df["Regioaanduiding.Codering..code."].str.strip()
    return df


def read_health_2022_raw(source: Path) -> pd.DataFrame:
    """Health 2022 on the 2022 division: ``code, indicator_id, value`` (gemeenten only)."""
    rivm = _rivm2022(source)
    rivm = rivm[rivm["code"].str.startswith("GM")]
    parts = [
        pd.DataFrame({"code": rivm["code"], "indicator_id": ind, "value": _num(rivm[col])})
        for col, ind in RIVM2022.items()
    ]
    mon = pd.read_csv(_require(source / MONITOR2022_FILE), dtype=str)
    mon = mon[(mon["regio_type"] == "gemeente") & mon["regio_code_2022"].fillna("").str.startswith("GM")]
    for age, mapping in MONITOR2022.items():
        sub = mon[mon["leeftijd"] == age]
        parts += [
            pd.DataFrame({"code": sub["regio_code_2022"], "indicator_id": ind, "value": _num(sub[col])})
            for col, ind in mapping.items()
        ]
    out = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    out["period"] = 2022
    return out.reset_index(drop=True)


def health_2022_national(source: Path) -> dict[tuple[str, int], float]:
    """The national figures published with each 2022 health table (NL01 rows)."""
    out: dict[tuple[str, int], float] = {}
    rivm = _rivm2022(source)
    nl = rivm[rivm["code"] == "NL01"].iloc[0]
    for col, ind in RIVM2022.items():
        out[(ind, 2022)] = float(nl[col])
    mon = pd.read_csv(_require(source / MONITOR2022_FILE), dtype=str)
    for age, mapping in MONITOR2022.items():
        row = mon[(mon["regio_code_2022"] == "NL01") & (mon["leeftijd"] == age)].iloc[0]
        for col, ind in mapping.items():
            out[(ind, 2022)] = float(row[col])
    return out


def population_2022(source: Path) -> pd.DataFrame:
    """``code, period, value``: inhabitants on 1 January 2022 per gemeente of the 2022 division."""
    pop = crime_population(source)
    pop = pop[pop["period"] == 2022]
    codes = harmonise.names_to_codes(pop["name"], source, 2022, file=source / CRIME_FILE)
    return pd.DataFrame({"code": pop["name"].map(codes), "period": 2022, "value": pop["value"]}).dropna()
