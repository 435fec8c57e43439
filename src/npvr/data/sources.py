"""Readers for the raw CBS/PDOK files: each turns one file into long-form values.

Each reader knows one file's quirks (see ``SOURCES.md`` of the raw data folder): semicolon
separators, comma decimals, doubled quotes, space-padded codes, name-only regions, footers.
A reader returns ``area_code, indicator_id, period, value`` on the file's own municipal division;
the build carries older divisions to 2025 (:mod:`npvr.data.harmonise`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from npvr.data.names import name_matcher
from npvr.errors import DataError

#: the nine age bands of 70072NED; together they are the whole population (checked in SOURCES.md)
AGE_BANDS_2025 = (
    "Jonger dan 5 jaar (aantal)",
    "5 tot 10 jaar (aantal)",
    "10 tot 15 jaar (aantal)",
    "15 tot 20 jaar (aantal)",
    "20 tot 25 jaar (aantal)",
    "25 tot 45 jaar (aantal)",
    "45 tot 65 jaar (aantal)",
    "65 tot 80 jaar (aantal)",
    "80 jaar of ouder (aantal)",
)
KWB2024_COLUMNS = {
    "AantalInwoners_5": "inwoners",
    "Woningvoorraad_35": "woningvoorraad",
    "land_km2": "oppervlakte_land",
}


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataError(
            "bronbestand ontbreekt; geef met --source de map met de ruwe CBS-bestanden",
            en="source file is missing; pass the folder with the raw CBS files with --source",
            file=path,
        )
    return path


def _long(frame: pd.DataFrame, columns: dict[str, str], period: int, code_col: str) -> pd.DataFrame:
    """Wide frame (one row per area) -> long values for the mapped columns; NaN rows dropped."""
    parts = []
    for col, ind in columns.items():
        vals = pd.to_numeric(frame[col], errors="coerce")
        parts.append(
            pd.DataFrame(
                {
                    "area_code": frame[code_col].astype(str).str.strip(),
                    "indicator_id": ind,
                    "period": period,
                    "value": vals.astype(float),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.dropna(subset=["value"]).reset_index(drop=True)


def read_reference(source: Path) -> pd.DataFrame:
    """gemeente -> COROP -> province (2025), indexed by gm_code."""
    df = pd.read_csv(_require(source / "reference" / "gemeenten_2025_corop_provincie.csv"), dtype=str)
    return df.set_index("gm_code").sort_index()


def read_border_flags(source: Path) -> pd.DataFrame:
    """The derived border flags with their confidence and distances, indexed by gm_code."""
    df = pd.read_csv(_require(source / "reference" / "gemeenten_2025_grens_belgie_duitsland_derived.csv"))
    return df.set_index("gm_code").sort_index()


def read_kwb2024(source: Path) -> pd.DataFrame:
    """85984NED gemeenten: inhabitants, housing stock, land area (ha -> km²)."""
    df = pd.read_csv(_require(source / "stats" / "kwb2024_85984NED_gemeenten.csv"), dtype={"gm_code": str})
    df["land_km2"] = pd.to_numeric(df["OppervlakteLand_123"]) / 100.0
    return _long(df, KWB2024_COLUMNS, 2024, "gm_code")


def read_kwb2024_wijken(source: Path) -> pd.DataFrame:
    """85984NED wijken: the same variables for 3,393 wijken, with their gm_code."""
    df = pd.read_csv(_require(source / "stats" / "kwb2024_85984NED_wijken.csv"), dtype=str)
    df["land_km2"] = pd.to_numeric(df["OppervlakteLand_123"]) / 100.0
    out = _long(df, KWB2024_COLUMNS, 2024, "wk_code")
    out["gm_code"] = out["area_code"].map(df.set_index("wk_code")["gm_code"])
    return out


def read_kwb2024_age(source: Path) -> pd.DataFrame:
    """85984NED StatLine export with age groups (space-padded codes, ';'-separated)."""
    df = pd.read_csv(
        _require(source / "stats" / "kwb2024_leeftijdsgroepen_gemeenten.csv"), sep=";", dtype=str
    )
    code = "Regioaanduiding/Codering (code)"
    df[code] = df[code].str.strip()
    df = df[df[code].str.startswith("GM")]
    prefix = "Bevolking/Leeftijdsgroepen/"
    return _long(
        df,
        {
            prefix + "0 tot 15 jaar (aantal)": "inwoners_0_14",
            prefix + "15 tot 25 jaar (aantal)": "inwoners_15_24",
            prefix + "25 tot 45 jaar (aantal)": "inwoners_25_44",
            prefix + "45 tot 65 jaar (aantal)": "inwoners_45_64",
            prefix + "65 jaar of ouder (aantal)": "inwoners_65plus",
        },
        2024,
        code,
    )


def _match_names(names: pd.Series, reference: pd.DataFrame) -> pd.Series:
    """Name-only StatLine regions -> 2025 codes (rows that are not 2025 gemeenten map to None)."""
    return names.map(name_matcher(reference["gm_naam"].to_dict()))


def read_kerncijfers_2025(source: Path, reference: pd.DataFrame) -> pd.DataFrame:
    """70072NED (1 Jan 2025): population by age, households. Name-only regions, comma decimals."""
    path = _require(
        source
        / "stats"
        / "statline_exports_2024_2025"
        / "Regionale_kerncijfers_Nederland_11122025_133649.csv"
    )
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    df.columns = [c.split("/")[-1] for c in df.columns]
    df["gm_code"] = _match_names(df["Regio's"], reference)
    df = df[df["gm_code"].notna() & df["Totale bevolking (aantal)"].notna()].copy()

    def num(col: str) -> pd.Series:
        return pd.to_numeric(df[col].str.replace(",", "."), errors="coerce")

    df["i0_14"] = (
        num("Jonger dan 5 jaar (aantal)") + num("5 tot 10 jaar (aantal)") + num("10 tot 15 jaar (aantal)")
    )
    df["i15_24"] = num("15 tot 20 jaar (aantal)") + num("20 tot 25 jaar (aantal)")
    df["i0_19"] = df["i0_14"] + num("15 tot 20 jaar (aantal)")
    df["i20_64"] = (
        num("20 tot 25 jaar (aantal)") + num("25 tot 45 jaar (aantal)") + num("45 tot 65 jaar (aantal)")
    )
    df["i65"] = num("65 tot 80 jaar (aantal)") + num("80 jaar of ouder (aantal)")
    df["itot"] = sum(num(c) for c in AGE_BANDS_2025)
    df["i20plus"] = df["itot"] - df["i0_19"]
    return _long(
        df,
        {
            "Totale bevolking (aantal)": "inwoners",
            "i0_14": "inwoners_0_14",
            "i15_24": "inwoners_15_24",
            "25 tot 45 jaar (aantal)": "inwoners_25_44",
            "45 tot 65 jaar (aantal)": "inwoners_45_64",
            "i65": "inwoners_65plus",
            "80 jaar of ouder (aantal)": "inwoners_80plus",
            "i0_19": "inwoners_0_19",
            "i20_64": "inwoners_20_64",
            "itot": "inwoners_totaal_leeftijd",
            "i20plus": "inwoners_20plus",
            "Totaal particuliere huishoudens (aantal)": "huishoudens",
            "Eenpersoonshuishoudens (aantal)": "eenpersoonshuishoudens",
            "Meerpersoonshuishoudens met kinderen (aantal)": "huishoudens_met_kinderen",
        },
        2025,
        "gm_code",
    )


def read_income_2024(source: Path, reference: pd.DataFrame) -> pd.DataFrame:
    """Household income 2024 (provisional). The export doubles every quote: undo that first."""
    path = _require(
        source / "stats" / "statline_exports_2024_2025" / "Inkomen_van_huishoudens__regio_11122025_135329.csv"
    )
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    fixed = "\n".join(line.replace('""', '"') for line in lines if line.strip() not in ('"', ""))
    df = pd.DataFrame(list(csv.reader(io.StringIO(fixed), delimiter=";")))
    df.columns = [c.strip('"') for c in df.iloc[0]]
    df = df.iloc[1:]
    df["gm_code"] = _match_names(df["Regio's"], reference)
    df = df[df["gm_code"].notna()].copy()
    for c in df.columns[4:-1]:
        df[c] = pd.to_numeric(df[c].str.replace(",", "."), errors="coerce")
    df["hh"] = df["Particuliere huishoudens (x 1 000)"] * 1000.0
    return _long(
        df,
        {
            "Inkomen/Gemiddeld gestandaardiseerd inkomen (1 000 euro)": "gem_gestandaardiseerd_inkomen",
            "Inkomen/Mediaan gestandaardiseerd inkomen (1 000 euro)": "mediaan_gestandaardiseerd_inkomen",
            "hh": "particuliere_huishoudens",
        },
        2024,
        "gm_code",
    )


YOUNG_ADULT_HEALTH = {
    "GoedErvarenGezondheid_6": "jv_goede_gezondheid",
    "GoedErvarenMentaleGezondheid_12": "jv_goede_mentale_gezondheid",
    "EnigszinsTotSterkEenzaam_53": "jv_eenzaam",
    "Overgewicht_59": "jv_overgewicht",
    "MoeiteMetRondkomen_1": "jv_moeite_rondkomen",
    "HeeftSchulden_3": "jv_schulden",
}


def read_young_adult_health(source: Path) -> pd.DataFrame:
    """50140NED Gezondheidsmonitor Jongvolwassenen 2024: totals, point estimates, gemeenten only."""
    path = _require(
        source / "stats" / "rivm_ggd_50140NED_gezondheidsmonitor_jongvolwassenen_2024_gemeenten.csv"
    )
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    df["RegioS"] = df["RegioS"].str.strip()
    df = df[
        df["RegioS"].str.startswith("GM")
        & (df["Marges"] == "MW00000")
        & (df["Persoonskenmerken"] == "T009002")
    ]
    return _long(df, YOUNG_ADULT_HEALTH, 2024, "RegioS")


# ---- sources on the 2020 division (carried to 2025 by the build) ------------------------------------

ADULT_HEALTH = {
    "ErvarenGezondheidGoedZeerGoed_4": "goede_gezondheid_18plus",
    "Eenzaam_28": "eenzaam_18plus",
    "Overgewicht_9": "overgewicht_18plus",
    "BeperktVanwegeGezondheid_17": "beperkt_gezondheid_18plus",
    "HoogRisicoOpAngstOfDepressie_25": "risico_angst_depressie_18plus",
    "MoeiteMetRondkomen_38": "moeite_rondkomen_18plus",
    "ErnstigZeerErnstigEenzaam_29": "ernstig_eenzaam_18plus",
    "Roker_11": "rokers_18plus",
}
ELDERLY_HEALTH = {
    "ErvarenGezondheidGoedZeerGoed_4": "goede_gezondheid_65plus",
    "Eenzaam_28": "eenzaam_65plus",
    "EenOfMeerLangdurigeAandoeningen_16": "langdurige_aandoening_65plus",
    "Overgewicht_9": "overgewicht_65plus",
}


def rivm_2020_national(source: Path) -> dict[tuple[str, int], float]:
    """The national (NL01) figures published with 50090NED 2020, for the 18+ and 65+ indicators."""
    out: dict[tuple[str, int], float] = {}
    for suffix, mapping in (("18plus", ADULT_HEALTH), ("65plus", ELDERLY_HEALTH)):
        path = _require(source / "stats" / f"rivm_50090NED_gezondheid_wijk_buurt_2020_{suffix}_gemeenten.csv")
        df = pd.read_csv(path, dtype=str)
        nl = df[(df["WijkenEnBuurten"].str.strip() == "NL01") & (df["Marges"].str.strip() == "MW00000")]
        for col, ind in mapping.items():
            out[(ind, 2020)] = float(nl[col].iloc[0])
    return out


def young_adult_national(source: Path) -> dict[tuple[str, int], float]:
    """The national (NL01) figures published with 50140NED 2024 (young adults)."""
    path = _require(
        source / "stats" / "rivm_ggd_50140NED_gezondheidsmonitor_jongvolwassenen_2024_gemeenten.csv"
    )
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    nl = df[
        (df["RegioS"].str.strip() == "NL01")
        & (df["Marges"] == "MW00000")
        & (df["Persoonskenmerken"] == "T009002")
    ]
    return {(ind, 2024): float(nl[col].iloc[0]) for col, ind in YOUNG_ADULT_HEALTH.items()}


def read_rivm_2020(source: Path) -> pd.DataFrame:
    """50090NED (2020, indeling 2020): adult (18+) and elderly (65+) health, point estimates."""
    parts = []
    for suffix, mapping in (("18plus", ADULT_HEALTH), ("65plus", ELDERLY_HEALTH)):
        path = _require(source / "stats" / f"rivm_50090NED_gezondheid_wijk_buurt_2020_{suffix}_gemeenten.csv")
        df = pd.read_csv(path, dtype=str)
        df["WijkenEnBuurten"] = df["WijkenEnBuurten"].str.strip()
        df = df[df["WijkenEnBuurten"].str.startswith("GM") & (df["Marges"].str.strip() == "MW00000")]
        parts.append(_long(df, mapping, 2020, "WijkenEnBuurten"))
    return pd.concat(parts, ignore_index=True)


def read_age_2020(source: Path) -> pd.DataFrame:
    """Population by 10-year age group on 1 Jan 2020 (indeling 2020). '10-19' arrives as 'okt-19'."""
    df = pd.read_csv(
        _require(source / "stats" / "bevolking_leeftijd10jr_gemeenten_2020_mzelst.csv"), dtype=str
    )
    bands = ["0-9", "okt-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+"]
    for b in bands:
        df[b] = pd.to_numeric(df[b])
    df["i0_19"] = df["0-9"] + df["okt-19"]
    df["i80"] = df["80-89"] + df["90+"]
    df["itot"] = df[bands].sum(axis=1)
    df["i20plus"] = df["itot"] - df["i0_19"]
    return _long(
        df,
        {
            "i0_19": "inwoners_0_19",
            "i80": "inwoners_80plus",
            "itot": "inwoners_totaal_leeftijd",
            "i20plus": "inwoners_20plus",
        },
        2020,
        "Gemeentecode",
    )


KWB2020_COLUMNS = {
    "Aantal inwoners": "inwoners_kwb2020",
    "Aantal huishoudens": "huishoudens_kwb2020",
    "Aantal woningen": "woningen_kwb2020",
    "Aantal algemene bijstandsuitkeringen": "bijstandsuitkeringen",
    "Aantal werkloosheiduitkeringen": "ww_uitkeringen",
    "Aantal arbeidsongeschiktheidsuitkeringen": "ao_uitkeringen",
    "Aantal personen met laag opleidingsniveau": "opleiding_laag",
    "Aantal personen met hoog opleidingsniveau": "opleiding_hoog",
    "opleiding_totaal": "opleiding_totaal",
    "niet_westers": "inwoners_niet_westers",
    "Huishoudens onder of rond sociaal minimum (%)": "aandeel_huishoudens_sociaal_minimum",
    "Huishoudens met een laag inkomen(%)": "aandeel_laag_inkomen",
    "Koopwoningen (%)": "aandeel_koopwoningen",
    "Leegstaande woningen (%)": "aandeel_leegstand",
}
#: KWB 2020 distances (= 80305NED 2020); used only to fill 80305NED's cut-off tail (Zwolle, Zwijndrecht)
KWB2020_DISTANCES = {
    "Afstand tot huisartsenpraktijk (km)": "afstand_huisarts",
    "Afstand tot grote supermarkt (km)": "afstand_supermarkt",
    "Afstand tot basisscholen (km)": "afstand_basisschool",
    "Afstand tot ziekenhuis incl. buitenpolikliniek (km)": "afstand_ziekenhuis",
    "Afstand tot treinstation (km)": "afstand_treinstation",
    "Afstand tot huisartsenpost (km)": "afstand_huisartsenpost",
    "Afstand tot kinderdagverblijf  (km)": "afstand_kinderdagverblijf",
    "Afstand tot oprit hoofdverkeersweg (km)": "afstand_oprit_hoofdweg",
    "Afstand tot apotheek (km)": "afstand_apotheek",
}
#: KWB 2020 income items (they describe 2018: carried on the 2020 division, then labelled 2018)
KWB2020_INCOME = {
    "Gemiddeld inkomen per inwoner (x1000 euro)": "gem_inkomen_per_inwoner",
    "Personen met laagste inkomen (%)": "aandeel_personen_laag_inkomen",
    "Huishoudens met laagste inkomen (%)": "aandeel_huishoudens_laag_inkomen_40",
    "Gemiddeld gestandaardiseerd inkomen van huishoudens (x1000 euro)": "gem_gestandaardiseerd_inkomen",
}
KWB2020_INCOME_YEAR = 2018
KWB2020_INCOME_IDS = frozenset(
    {*KWB2020_INCOME.values(), "aandeel_huishoudens_sociaal_minimum", "aandeel_laag_inkomen"}
)


def read_kwb2020(source: Path) -> pd.DataFrame:
    """KWB 2020 (84799NED, indeling 2020) via the Buurtvergelijker export; NA is already empty."""
    path = _require(source / "stats" / "kwb2020_gemeenten_buurtvergelijker_355.csv")
    df = pd.read_csv(path, dtype={"GM_CODE": str}).copy()
    missing = [
        c
        for c in (*KWB2020_COLUMNS, *KWB2020_DISTANCES, *KWB2020_INCOME)
        if c not in df.columns and c not in ("opleiding_totaal", "niet_westers")
    ]
    if missing:
        raise DataError(f"kolommen ontbreken: {missing}", en=f"columns missing: {missing}", file=path)
    df["opleiding_totaal"] = (
        df["Aantal personen met laag opleidingsniveau"]
        + df["Aantal personen met middelbaar opleidingsniveau"]
        + df["Aantal personen met hoog opleidingsniveau"]
    )
    df["niet_westers"] = np.round(
        df["Niet-westerse migratieachtergrond (% van aantal inwoners)"] * df["Aantal inwoners"] / 100.0
    )
    return _long(df, {**KWB2020_COLUMNS, **KWB2020_DISTANCES, **KWB2020_INCOME}, 2020, "GM_CODE")
