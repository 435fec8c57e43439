"""Dutch and English text for npvr reports, and number formatting per language.

One table, :data:`TEXT`, maps a key to ``{"nl": ..., "en": ...}``; :func:`t` looks a key up and
fills ``{placeholders}``. Reports are Dutch by default; a missing English text falls back to Dutch
(and a test checks that none is missing). Numbers follow the reader's convention:
``fmt_num(1234.5, "nl") == "1.234,5"``, ``fmt_num(1234.5, "en") == "1,234.5"``.
"""

from __future__ import annotations

import math
from typing import Any

LANGS: tuple[str, ...] = ("nl", "en")

TEXT: dict[str, dict[str, str]] = {
    "report_title": {"nl": "NPVR-monitor", "en": "NPVR monitor"},
    "step_start": {"nl": "rapport maken", "en": "building the report"},
    "step_load": {"nl": "gegevens geladen", "en": "data loaded"},
    "step_compute": {"nl": "monitor berekend", "en": "monitor computed"},
    "step_maps": {"nl": "kaarten", "en": "maps"},
    "step_profiles": {"nl": "regioprofielen", "en": "region profiles"},
    "step_trends": {"nl": "trends", "en": "trends"},
    "step_inequality": {"nl": "ongelijkheid", "en": "inequality"},
    "step_effect": {"nl": "effectmonitoring", "en": "effect monitoring"},
    "step_excel": {"nl": "Excel-werkmap", "en": "Excel workbook"},
    "step_html": {"nl": "HTML en afbeeldingen", "en": "HTML and images"},
    "written": {
        "nl": "Rapport geschreven naar {out}: {html}, {xlsx} en {n_images} afbeeldingen (PNG).",
        "en": "Report written to {out}: {html}, {xlsx} and {n_images} images (PNG).",
    },
    "report_subtitle": {
        "nl": "De elf regio's van het Nationaal Programma Vitale Regio's naast de rest van Nederland",
        "en": "The eleven regions of the Nationaal Programma Vitale Regio's beside the rest of the "
        "Netherlands",
    },
    "generated": {"nl": "Gemaakt met npvr {version} op {date}", "en": "Made with npvr {version} on {date}"},
    "nav_overview": {"nl": "Overzicht", "en": "Overview"},
    "nav_maps": {"nl": "Kaarten", "en": "Maps"},
    "nav_profiles": {"nl": "Regioprofielen", "en": "Region profiles"},
    "nav_trends": {"nl": "Trends", "en": "Trends"},
    "nav_inequality": {"nl": "Ongelijkheid", "en": "Inequality"},
    "nav_effect": {"nl": "Effectmonitoring", "en": "Effect monitoring"},
    "nav_register": {"nl": "Investeringen", "en": "Investments"},
    "nav_sources": {"nl": "Bronnen en methode", "en": "Sources and method"},
    "overview_intro": {
        "nl": "De kaart toont de {n} NPVR-regio's ({members} gemeenten, {pop} inwoners). "
        "De overige {rest} gemeenten vormen samen de 'rest van Nederland'.",
        "en": "The map shows the {n} NPVR regions ({members} gemeenten, {pop} inhabitants). "
        "The other {rest} gemeenten together form the 'rest of the Netherlands'.",
    },
    "overview_map": {"nl": "De NPVR-regio's", "en": "The NPVR regions"},
    "rest_of_nl": {"nl": "Rest van Nederland", "en": "Rest of the Netherlands"},
    "npvr_all": {"nl": "NPVR-regio's samen", "en": "NPVR regions together"},
    "nl": {"nl": "Nederland", "en": "Netherlands"},
    "maps_intro": {
        "nl": "Kies een indicator. Gemeenten zijn ingedeeld met {scheme}; de legenda geeft de "
        "klassengrenzen. "
        "Beweeg over een gemeente voor waarde, eenheid en periode.",
        "en": "Choose an indicator. Gemeenten are classified with {scheme}; the legend gives the "
        "class bounds. "
        "Hover over a gemeente for value, unit and period.",
    },
    "schemes": {
        "nl": "kwantielen of Fisher-Jenks (klassengrenzen als mapclassify)",
        "en": "quantiles or Fisher-Jenks (class bounds as in mapclassify)",
    },
    "scheme_quantiles": {"nl": "kwantielen", "en": "quantiles"},
    "scheme_fisher_jenks": {"nl": "Fisher-Jenks", "en": "Fisher-Jenks"},
    "no_data": {"nl": "geen gegevens", "en": "no data"},
    "higher_better": {"nl": "hoger is beter", "en": "higher is better"},
    "higher_worse": {"nl": "hoger is slechter", "en": "higher is worse"},
    "context": {"nl": "context", "en": "context"},
    "static_image": {"nl": "statische afbeelding (PNG)", "en": "static image (PNG)"},
    "profiles_intro": {
        "nl": "Per regio: de indicatoren naast Nederland en de rest van Nederland (laatste periode). "
        "Groen = beter dan de rest van Nederland, rood = slechter (volgens de richting van de indicator).",
        "en": "Per region: the indicators beside the Netherlands and the rest of the Netherlands "
        "(latest period). "
        "Green = better than the rest of the Netherlands, red = worse (by the indicator's direction).",
    },
    "members": {"nl": "Gemeenten", "en": "Gemeenten"},
    "border_gemeenten": {"nl": "Grensgemeenten", "en": "Border gemeenten"},
    "border_none": {"nl": "geen", "en": "none"},
    "confidence": {"nl": "Betrouwbaarheid afbakening", "en": "Confidence of the delimitation"},
    "source": {"nl": "Bron", "en": "Source"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "region": {"nl": "Regio", "en": "Region"},
    "period": {"nl": "Periode", "en": "Period"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "value": {"nl": "Waarde", "en": "Value"},
    "gap_abs": {"nl": "Verschil met rest", "en": "Gap with rest"},
    "gap_rel": {"nl": "Verschil met rest (%)", "en": "Gap with rest (%)"},
    "index_rank": {"nl": "Positie in de index", "en": "Position in the index"},
    "index_pending": {
        "nl": "Rang, selectiekans en CBS-kwartielen komen uit de index-engine (npvr.index); "
        "die is in deze installatie niet beschikbaar, dus ze worden niet getoond.",
        "en": "Rank, selection probability and CBS quartiles come from the index engine (npvr.index), "
        "which is not available in this installation, so they are not shown.",
    },
    "quartile": {"nl": "CBS-kwartiel", "en": "CBS quartile"},
    "quartile_note": {
        "nl": "CBS-kwartiel: de regiowaarde tegen de verdeling over de 342 gemeenten; Q4 (groen) is "
        "het beste "
        "kwart, Q1 (rood) het slechtste, volgens de richting van de indicator.",
        "en": "CBS quartile: the region's value against the distribution over the 342 gemeenten; Q4 "
        "(green) is the "
        "best quarter, Q1 (red) the worst, by the indicator's direction.",
    },
    "trends_intro": {
        "nl": "Voor elke indicator met meer dan één periode: de NPVR-regio's samen, de rest van Nederland en "
        "Nederland door de tijd. De tabel zegt per regio of de kloof met de rest kleiner of groter wordt, "
        "absoluut en relatief.",
        "en": "For every indicator with more than one period: the NPVR regions together, the rest of the "
        "Netherlands and the Netherlands over time. The table says per region whether the gap with the rest "
        "narrows or widens, absolute and relative.",
    },
    "trends_none": {
        "nl": "Geen indicator heeft meer dan één periode.",
        "en": "No indicator has more than one period.",
    },
    "trend_boundary_note": {
        "nl": "Let op: waarden zijn zoals gepubliceerd voor de gemeente in dat jaar; herindelingen "
        "kunnen sprongen geven.",
        "en": "Note: values are as published for the gemeente in that year; mergers can cause jumps.",
    },
    "trend_colour_note": {
        "nl": "Groen: de regio is tegenover de rest van Nederland vooruitgegaan (volgens de richting van de "
        "indicator); rood: achteruitgegaan. Verschillen in procenten zijn procentpunten.",
        "en": "Green: the region improved against the rest of the Netherlands (by the indicator's "
        "direction); red: it fell back. Gaps in percentages are percentage points.",
    },
    "narrowing": {"nl": "kleiner", "en": "narrowing"},
    "widening": {"nl": "groter", "en": "widening"},
    "unchanged": {"nl": "gelijk", "en": "unchanged"},
    "gap_first": {"nl": "Kloof begin", "en": "Gap first"},
    "gap_last": {"nl": "Kloof eind", "en": "Gap last"},
    "verdict_abs": {"nl": "Kloof absoluut", "en": "Gap absolute"},
    "verdict_rel": {"nl": "Kloof relatief", "en": "Gap relative"},
    "inequality_intro": {
        "nl": "Ongelijkheid tussen gemeenten, gewogen naar inwoners: Theil T, Theil L (gemiddelde "
        "log-afwijking) "
        "en Gini, gesplitst in 'tussen NPVR en rest' en 'binnen de groepen' (Gini heeft ook een "
        "overlapdeel). "
        "Intervallen: {level}% bootstrap ({n_boot} trekkingen, gestratificeerd).",
        "en": "Inequality between gemeenten, weighted by population: Theil T, Theil L (mean log deviation) "
        "and Gini, split into 'between NPVR and rest' and 'within the groups' (Gini also has an "
        "overlap part). "
        "Intervals: {level}% bootstrap ({n_boot} draws, stratified).",
    },
    "inequality_none": {
        "nl": "Geen indicator is geschikt (positieve waarden per inwoner met bevolkingsgewicht).",
        "en": "No indicator is suitable (positive per-capita values with a population weight).",
    },
    "sigma_intro": {
        "nl": "Sigma-convergentie: neemt de spreiding (gewogen standaardafwijking van de logaritme) "
        "tussen gemeenten af?",
        "en": "Sigma convergence: does the dispersion (weighted standard deviation of logs) between "
        "gemeenten shrink?",
    },
    "converging": {"nl": "convergentie (spreiding neemt af)", "en": "converging (dispersion shrinks)"},
    "diverging": {"nl": "divergentie (spreiding neemt toe)", "en": "diverging (dispersion grows)"},
    "between": {"nl": "tussen", "en": "between"},
    "within": {"nl": "binnen", "en": "within"},
    "overlap": {"nl": "overlap", "en": "overlap"},
    "total": {"nl": "totaal", "en": "total"},
    "theil_t": {"nl": "Theil T", "en": "Theil T"},
    "theil_l": {"nl": "Theil L", "en": "Theil L"},
    "gini": {"nl": "Gini", "en": "Gini"},
    "effect_intro": {
        "nl": "Verschil-in-verschillen: elke NPVR-gemeente krijgt de {k} meest vergelijkbare "
        "niet-NPVR-gemeenten "
        "(dichtstbijzijnde buren op gestandaardiseerde waarden uit de jaren vóór {start}). Het effect is de "
        "verandering in de NPVR-groep min de verandering in de vergelijkingsgroep.",
        "en": "Difference-in-differences: each NPVR gemeente gets the {k} most similar non-NPVR gemeenten "
        "(nearest neighbours on standardised values from the years before {start}). The effect is "
        "the change in "
        "the NPVR group minus the change in the comparison group.",
    },
    "effect_waiting": {
        "nl": "Er zijn nog geen gegevens van na de start van het programma ({start}). Dit is de "
        "nulmeting; de "
        "eerste effectmeting kan worden gedaan zodra CBS cijfers over {first} publiceert.",
        "en": "There are no data from after the programme start ({start}) yet. This is the "
        "baseline; the first "
        "effect measurement can be made once CBS publishes figures for {first}.",
    },
    "matched_on": {
        "nl": "Gematcht op {n} variabelen; {unmatched} NPVR-gemeenten zonder volledige basisgegevens.",
        "en": "Matched on {n} variables; {unmatched} NPVR gemeenten without complete baseline data.",
    },
    "baseline": {"nl": "Nulmeting", "en": "Baseline"},
    "pairs_summary": {
        "nl": "Welke gemeenten vormen de vergelijkingsgroep? (afstand tussen haakjes)",
        "en": "Which gemeenten form the comparison group? (distance in brackets)",
    },
    "npvr_group": {"nl": "NPVR-gemeenten", "en": "NPVR gemeenten"},
    "matched_group": {"nl": "Vergelijkingsgroep", "en": "Comparison group"},
    "placebo": {"nl": "Placebo (vóór de start)", "en": "Placebo (before start)"},
    "first_measurement": {"nl": "Eerste meting", "en": "First measurement"},
    "status_waiting": {"nl": "wacht op gegevens", "en": "waiting for data"},
    "status_estimate": {"nl": "schatting", "en": "estimate"},
    "balance": {
        "nl": "Balans vóór en na matching (gestandaardiseerd verschil)",
        "en": "Balance before and after matching (standardised difference)",
    },
    "smd_before": {"nl": "vóór matching", "en": "before matching"},
    "smd_after": {"nl": "na matching", "en": "after matching"},
    "register_intro": {
        "nl": "Investeringen uit het register tegenover de opgave.",
        "en": "Investments from the register against the need.",
    },
    "sources_intro": {
        "nl": "Elk cijfer in dit rapport komt uit de meegeleverde momentopname van CBS-gegevens. "
        "Per indicator: tabel, perioden en eenheid. Daaronder de afbakening van de regio's met haar "
        "betrouwbaarheid.",
        "en": "Every figure in this report comes from the shipped snapshot of CBS data. Per "
        "indicator: table, "
        "periods and unit. Below that, the delimitation of the regions with its confidence.",
    },
    "delimitation": {"nl": "Afbakening", "en": "Delimitation"},
    "table": {"nl": "Tabel", "en": "Table"},
    "periods": {"nl": "Perioden", "en": "Periods"},
    "aggregation": {"nl": "Aggregatie", "en": "Aggregation"},
    "direction": {"nl": "Richting", "en": "Direction"},
    "provenance": {"nl": "Herkomst", "en": "Provenance"},
    "method_note": {
        "nl": "Regio- en groepswaarden zijn per indicator berekend volgens de eigen aggregatieregel (som, "
        "verhouding van sommen of naar inwoners gewogen gemiddelde), niet als gemiddelde van "
        "gemeentepercentages.",
        "en": "Region and group values are computed per indicator by its own aggregation rule (sum, ratio of "
        "sums or population-weighted mean), never as an average of gemeente percentages.",
    },
    "licence": {
        "nl": "Gegevens: CBS, Kadaster, RIVM (CC BY 4.0).",
        "en": "Data: CBS, Kadaster, RIVM (CC BY 4.0).",
    },
    "excel_about": {
        "nl": "Alle tabellen uit het NPVR-monitorrapport.",
        "en": "All tables of the NPVR monitor report.",
    },
}


def t(key: str, lang: str = "nl", **fmt: Any) -> str:
    """The text for ``key`` in ``lang`` (Dutch fallback), with ``{placeholders}`` filled."""
    entry = TEXT[key]
    text = entry.get(lang) or entry["nl"]
    return text.format(**fmt) if fmt else text


def fmt_num(value: float | int | None, lang: str = "nl", decimals: int | None = None) -> str:
    """A number as the reader writes it; ``decimals=None`` picks 0-3 decimals by magnitude."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    v = float(value)
    if decimals is None:
        a = abs(v)
        decimals = 0 if a >= 1000 or float(v).is_integer() else 1 if a >= 10 else 2 if a >= 0.1 else 3
    s = f"{v:,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s


def fmt_pct(share: float | None, lang: str = "nl", decimals: int = 1) -> str:
    """A share (0.123) as a percentage ("12,3%")."""
    if share is None or not math.isfinite(float(share)):
        return "–"
    return fmt_num(100 * float(share), lang, decimals) + "%"
