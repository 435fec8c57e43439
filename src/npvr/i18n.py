"""The one home for npvr's Dutch and English texts and number formats (CLI, reports, toets, web).

End users read Dutch; ``--lang en`` gives English. Every face takes its words and its number
formats from here, so "493.750,47" never appears in an English table and "ja/nee" never in an
English report:

* :func:`check_lang` validates a ``--lang`` value (a :class:`~npvr.errors.ConfigError` otherwise);
* :func:`t` looks a text up in :data:`TEXT` (``{"key": {"nl": ..., "en": ...}}``) and fills
  ``{placeholders}``; a test checks that every key has both languages;
* :func:`column` / :func:`columns` give people's names for the column keys of library tables
  (:data:`COLUMNS`), so no ``euro_per_inwoner`` or ``gap_rel`` reaches a reader;
* :func:`fmt_num`, :func:`fmt_int`, :func:`fmt_money`, :func:`fmt_pct`, :func:`fmt_pct_value`,
  :func:`fmt_pp`, :func:`fmt_signed` and :func:`yes_no` write numbers the reader's way:
  ``fmt_num(1234.5, "nl") == "1.234,5"``, ``fmt_num(1234.5, "en") == "1,234.5"``;
* :func:`theme_name` names a theme of the indicator catalogue (the one theme list).

A difference of two percentages is a number of percentage points (:func:`fmt_pp`), never a
relative percentage.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pandas as pd

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
        "nl": "Per regio: de indicatoren naast de rest van Nederland en Nederland (laatste periode), per "
        "thema "
        "en binnen een thema van de grootste achterstand naar de grootste voorsprong. Groen = beter, rood = "
        "slechter, grijs = gelijk (binnen 5%), volgens de kleurregel. Een verschil tussen twee percentages "
        "staat "
        "in procentpunten; andere verschillen in de eenheid, met het relatieve verschil tussen haakjes. De "
        "grafiek toont het relatieve verschil, zodat alle indicatoren op één schaal passen.",
        "en": "Per region: the indicators beside the rest of the Netherlands and the Netherlands (latest "
        "period), by theme and within a theme from the largest gap to the largest lead. Green = better, red "
        "= "
        "worse, grey = equal (within 5%), by the colour rule. A difference of two percentages is in "
        "percentage "
        "points; other differences are in the unit, with the relative difference in brackets. The chart "
        "shows "
        "the relative difference, so all indicators fit one scale.",
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


# The uitvoeringstoets and grenseffectentoets reports (npvr.report.toets).
TEXT.update(
    {
        "toets_title": {"nl": "Uitvoeringstoets", "en": "Regional impact assessment (uitvoeringstoets)"},
        "toets_compare": {
            "nl": "Uitvoeringstoets: vergelijking van twee varianten",
            "en": "Regional impact assessment: two variants compared",
        },
        "toets_grens": {
            "nl": "Grenseffectentoets",
            "en": "Cross-border effects assessment (grenseffectentoets)",
        },
        "toets_summary": {"nl": "Samenvatting", "en": "Summary"},
        "toets_regions": {
            "nl": "Per NPVR-regio en de rest van Nederland",
            "en": "Per NPVR region and the rest of the Netherlands",
        },
        "toets_verdict": {"nl": "Oordeel per regio", "en": "Verdict per region"},
        "toets_explain": {
            "nl": "Uitleg: opbouw van het bedrag per regio naar maatstaf",
            "en": "Explanation: each region's amount by measure",
        },
        "toets_phase": {
            "nl": "Ingroeipad per regio (euro per jaar)",
            "en": "Phase-in path per region (euro per year)",
        },
        "toets_scale": {"nl": "Schaaleffect", "en": "Scale bias"},
        "toets_gemeenten": {"nl": "Per gemeente", "en": "Per gemeente"},
        "toets_below": {
            "nl": "Gemeenten die de ondergrens niet halen",
            "en": "Gemeenten below the threshold",
        },
        "toets_matrix": {
            "nl": "Blootstelling × gevoeligheid per regio",
            "en": "Exposure × sensitivity per region",
        },
        "toets_map": {"nl": "Kaart: impactscore per gemeente", "en": "Map: impact score per gemeente"},
        "toets_map_verdict": {
            "nl": "Kaart: oordeel van de regio per gemeente",
            "en": "Map: the region's verdict per gemeente",
        },
        "toets_map_border": {"nl": "Kaart: grensgemeenten", "en": "Map: border gemeenten"},
        "toets_sources": {"nl": "Bronnen", "en": "Sources"},
        "toets_generated": {"nl": "Gemaakt met npvr op", "en": "Made with npvr on"},
        "toets_budget": {"nl": "Budget", "en": "Budget"},
        "toets_sum": {"nl": "Som van de toewijzingen", "en": "Sum of allocations"},
        "toets_rounding": {
            "nl": "Afronding: exacte rekenkunde, daarna hele centen per gemeente met de methode van de "
            "grootste resten (Hamilton); de toewijzingen tellen op tot het budget, tot op de cent.",
            "en": "Rounding: exact arithmetic, then whole cents per gemeente by the largest-remainder "
            "(Hamilton) method; allocations add up to the budget to the cent.",
        },
        "toets_none": {"nl": "Geen.", "en": "None."},
        "toets_variant": {"nl": "Variant", "en": "Variant"},
        "toets_difference": {"nl": "Verschil (B − A)", "en": "Difference (B − A)"},
        "toets_border_exposure": {
            "nl": "Gemeten grensblootstelling per regio",
            "en": "Measured border exposure per region",
        },
        "toets_border_gemeenten": {"nl": "Grensgemeenten", "en": "Border gemeenten"},
        "toets_steps": {"nl": "Stappenplan", "en": "Step plan"},
        "toets_question": {"nl": "Vraag", "en": "Question"},
        "toets_answer": {"nl": "Antwoord", "en": "Answer"},
        "toets_explanation": {"nl": "Toelichting", "en": "Explanation"},
        "toets_region_col": {"nl": "Regio", "en": "Region"},
        "toets_reason": {"nl": "Reden", "en": "Reason"},
        "toets_verdict_col": {"nl": "Oordeel", "en": "Verdict"},
        "toets_per_inhabitant": {"nl": "€ per inwoner", "en": "€ per inhabitant"},
        "toets_below_count": {
            "nl": "Gemeenten onder de ondergrens: {n} ({pop} inwoners)",
            "en": "Gemeenten below the threshold: {n} ({pop} inhabitants)",
        },
        "toets_phase_years": {"nl": "Ingroeipad: {n} jaar", "en": "Phase-in: {n} years"},
        "toets_phase_unfinished": {
            "nl": "niet voltooid binnen het maximum aantal jaren",
            "en": "not completed within the maximum number of years",
        },
        "toets_phase_fall": {
            "nl": "grootste daling: {amount} per inwoner per jaar",
            "en": "largest fall: {amount} per inhabitant per year",
        },
        "toets_need_by": {"nl": "Behoefte gemeten met", "en": "Need measured by"},
        "toets_n_gemeenten": {"nl": "{n} gemeenten", "en": "{n} gemeenten"},
        "toets_legend": {"nl": "Legenda", "en": "Legend"},
        "toets_legend_rest": {
            "nl": "rest van Nederland (geen NPVR-regio, geen oordeel)",
            "en": "rest of the Netherlands (no NPVR region, no verdict)",
        },
        "toets_legend_rest_verdict": {
            "nl": "rest van Nederland (geen NPVR-regio; eigen oordeel: {verdict}, niet ingekleurd)",
            "en": "rest of the Netherlands (no NPVR region; its verdict: {verdict}, not coloured)",
        },
        "toets_legend_no_border": {"nl": "geen grensgemeente", "en": "not a border gemeente"},
        "toets_legend_low": {"nl": "laag", "en": "low"},
        "toets_legend_high": {"nl": "hoog", "en": "high"},
        "toets_legend_no_data": {"nl": "geen waarde", "en": "no value"},
        "yes": {"nl": "ja", "en": "yes"},
        "no": {"nl": "nee", "en": "no"},
        "verdict_gunstig": {"nl": "gunstig", "en": "favourable"},
        "verdict_neutraal": {"nl": "neutraal", "en": "neutral"},
        "verdict_ongunstig": {"nl": "ongunstig", "en": "unfavourable"},
        "border_belgium": {"nl": "België", "en": "Belgium"},
        "border_germany": {"nl": "Duitsland", "en": "Germany"},
        "border_both": {"nl": "België en Duitsland", "en": "Belgium and Germany"},
        "legend_region_outline": {"nl": "grens van een NPVR-regio", "en": "outline of an NPVR region"},
        "map_source_gemeenten": {
            "nl": "Bron: CBS/Kadaster (PDOK), gemeentegrenzen 2025; NPVR-regio's: npvr",
            "en": "Source: CBS/Kadaster (PDOK), gemeente boundaries 2025; NPVR regions: npvr",
        },
        "trend_what_behind": {
            "nl": "de achterstand op de rest van Nederland",
            "en": "the gap behind the rest of the Netherlands",
        },
        "trend_what_ahead": {
            "nl": "de voorsprong op de rest van Nederland",
            "en": "the lead over the rest of the Netherlands",
        },
        "trend_what_diff": {
            "nl": "het verschil met de rest van Nederland",
            "en": "the difference with the rest of the Netherlands",
        },
        "trend_what_turn_ahead": {
            "nl": "de achterstand op de rest van Nederland is omgeslagen in een voorsprong",
            "en": "the gap behind the rest of the Netherlands has turned into a lead",
        },
        "trend_what_turn_behind": {
            "nl": "de voorsprong op de rest van Nederland is omgeslagen in een achterstand",
            "en": "the lead over the rest of the Netherlands has turned into a gap behind it",
        },
        "trend_narrowing": {"nl": "wordt kleiner", "en": "narrows"},
        "trend_widening": {"nl": "wordt groter", "en": "widens"},
        "trend_unchanged": {"nl": "blijft gelijk", "en": "stays the same"},
        "trend_span": {
            "nl": "tussen {first} en {last} (van {a} naar {b})",
            "en": "between {first} and {last} (from {a} to {b})",
        },
        # the monitor report: key messages, region pages, maps, money
        "step_pdf": {"nl": "PDF per regio", "en": "PDF per region"},
        "nav_key": {"nl": "Kernboodschappen", "en": "Key messages"},
        "key_intro": {
            "nl": "Per regio en thema: hoe de regio scoort tegenover de rest van Nederland. ▲ beter, ▼ "
            "slechter, "
            "= gelijk; de getallen zijn beter/gelijk/slechter per indicator. Klik op een regio voor haar "
            "pagina "
            "en PDF.",
            "en": "Per region and theme: how the region scores against the rest of the Netherlands. ▲ "
            "better, "
            "▼ worse, = equal; the numbers are better/equal/worse per indicator. Click a region for its page "
            "and "
            "PDF.",
        },
        "index_col": {"nl": "Index: plaats (kans)", "en": "Index: rank (probability)"},
        "index_short": {
            "nl": "{index} {rank}/{n} ({p})",
            "en": "{index} {rank}/{n} ({p})",
        },
        "index_level": {
            "nl": "Wat de index zegt, op regioniveau (de 11 NPVR-regio's naast de overige COROP-gebieden en "
            "COROP-resten):",
            "en": "What the index says, at region level (the 11 NPVR regions beside the other COROP areas "
            "and "
            "COROP remainders):",
        },
        "index_sentence": {
            "nl": "In de {index} staat de regio op plaats {rank} van {n} (90%-interval {lo}–{hi}); bij de "
            "{k} "
            "hoogste in {p} van {draws} redelijke methodekeuzes: {verdict}.",
            "en": "In the {index} the region ranks {rank} of {n} (90% interval {lo}–{hi}); among the {k} "
            "highest in {p} of {draws} reasonable choices of method: {verdict}.",
        },
        "index_verdict_gedragen": {
            "nl": "de gegevens dragen de selectie (zeker)",
            "en": "the data support the selection (certain)",
        },
        "index_verdict_grensgeval": {
            "nl": "grensgeval, het hangt af van de methodekeuzes (onzeker)",
            "en": "borderline, it depends on the choices of method (uncertain)",
        },
        "index_verdict_niet_gedragen": {
            "nl": "deze gegevens dragen de selectie niet",
            "en": "these data do not support the selection",
        },
        "index_loo": {
            "nl": "Zonder '{indicator}' zou de regio op plaats {rank} staan.",
            "en": "Without '{indicator}' the region would rank {rank}.",
        },
        "index_note": {
            "nl": "Index: plaats in de deprivatie-index en de opgave-index op regioniveau (42 gebieden) en "
            "de "
            "kans om bij de 11 hoogste te horen over duizend redelijke methodekeuzes (npvr index selectie).",
            "en": "Index: rank in the deprivation index and the task index at region level (42 areas) and "
            "the "
            "probability of being among the 11 highest over a thousand reasonable choices of method (npvr "
            "index selectie).",
        },
        "status_better": {"nl": "beter", "en": "better"},
        "status_worse": {"nl": "slechter", "en": "worse"},
        "status_equal": {"nl": "gelijk", "en": "equal"},
        "status_none": {"nl": "geen oordeel (context)", "en": "no verdict (context)"},
        "change_closed": {"nl": "achterstand kleiner", "en": "gap closing"},
        "change_widened": {"nl": "achterstand groter", "en": "gap widening"},
        "change_lead_grew": {"nl": "voorsprong groter", "en": "lead growing"},
        "change_lead_shrank": {"nl": "voorsprong kleiner", "en": "lead shrinking"},
        "change_unchanged": {"nl": "gelijk gebleven", "en": "unchanged"},
        "counts_note": {"nl": "beter/gelijk/slechter", "en": "better/equal/worse"},
        "status_col": {"nl": "Oordeel", "en": "Verdict"},
        "statement_col": {"nl": "Uitspraak", "en": "Statement"},
        "gap_col": {"nl": "Verschil met rest", "en": "Gap with rest"},
        "gap_rel_chart": {
            "nl": "relatief verschil met de rest van Nederland, per thema",
            "en": "relative gap with the rest of the Netherlands, by theme",
        },
        "gap_rel_axis": {
            "nl": "verschil in % van de waarde van de rest",
            "en": "gap in % of the rest's value",
        },
        "profile_source": {
            "nl": "Bron: CBS en RIVM via de npvr-momentopname; laatste periode per indicator (zie Bronnen)",
            "en": "Source: CBS and RIVM via the npvr snapshot; latest period per indicator (see Sources)",
        },
        "largest_gaps": {"nl": "Grootste achterstanden", "en": "Largest gaps"},
        "gaps_closed": {"nl": "Achterstand wordt kleiner", "en": "Gaps closing"},
        "gaps_widened": {"nl": "Achterstand wordt groter", "en": "Gaps widening"},
        "none_found": {"nl": "geen", "en": "none"},
        "region_page": {"nl": "regiopagina", "en": "region page"},
        "pdf": {"nl": "PDF", "en": "PDF"},
        "csv": {"nl": "gegevens (CSV)", "en": "data (CSV)"},
        "workbook_link": {"nl": "Alle tabellen (Excel)", "en": "All tables (Excel)"},
        "back_to_monitor": {"nl": "Terug naar de monitor", "en": "Back to the monitor"},
        "level_region": {"nl": "per regio", "en": "per region"},
        "level_gemeente": {"nl": "per gemeente", "en": "per gemeente"},
        "maps_levels": {
            "nl": "Links per gemeente, rechts per regio (de regiowaarde volgens de eigen aggregatieregel); "
            "de "
            "zwarte lijnen zijn de grenzen van de NPVR-regio's. Een groeicijfer heeft een tweezijdige "
            "schaal: rood "
            "krimpt, blauw groeit.",
            "en": "Left per gemeente, right per region (the region's value by the indicator's own "
            "aggregation "
            "rule); the black lines are the outlines of the NPVR regions. A growth rate has a two-sided "
            "scale: "
            "red shrinks, blue grows.",
        },
        "scheme_diverging": {"nl": "tweezijdig rond 0", "en": "two-sided around 0"},
        "quartile_why": {
            "nl": "Kleur en kwartiel zijn twee verschillende vergelijkingen: de kleur vergelijkt de regio "
            "met de "
            "rest van Nederland als geheel, het CBS-kwartiel plaatst de regiowaarde tussen de 342 gemeenten. "
            "Een "
            "regio kan beter scoren dan het gemiddelde van de rest en toch in een laag kwartiel vallen, "
            "omdat "
            "veel gemeenten boven het gemiddelde liggen.",
            "en": "Colour and quartile are two different comparisons: the colour compares the region with "
            "the "
            "rest of the Netherlands as a whole, the CBS quartile places the region's value among the 342 "
            "gemeenten. A region can do better than the rest's average and still fall in a low quartile, "
            "because "
            "many gemeenten lie above the average.",
        },
        "other_gemeenten": {"nl": "overige gemeenten", "en": "other gemeenten"},
        "region_subtitle": {"nl": "NPVR-monitor · regioprofiel", "en": "NPVR monitor · region profile"},
        "region_trends": {
            "nl": "Trends: de regio naast de rest van Nederland",
            "en": "Trends: the region beside the rest of the Netherlands",
        },
        "region_trends_two": {
            "nl": "Indicatoren met twee perioden (te weinig voor een lijn):",
            "en": "Indicators with two periods (too few for a line):",
        },
        "region_trends_none": {
            "nl": "Geen indicator heeft meer dan twee perioden.",
            "en": "No indicator has more than two periods.",
        },
        "region_sources": {"nl": "Bronnen van deze pagina", "en": "Sources of this page"},
        "money_title": {"nl": "opgave tegenover geld per jaar", "en": "need against money per year"},
        "money_unit": {"nl": "miljoen euro", "en": "million euro"},
        "money_source": {
            "nl": "Bron: investeringsregister (npvr register); opgave en bedragen zoals ingevoerd",
            "en": "Source: investment register (npvr register); need and amounts as entered",
        },
        "money_banner": {
            "nl": "Let op: dit register bevat de meegeleverde ILLUSTRATIE (verzonnen plannen en een "
            "geschatte opgave). "
            "De bedragen zijn geen echte gegevens.",
            "en": "Note: this register holds the shipped ILLUSTRATION (invented plans and an estimated "
            "need). The "
            "amounts are not real data.",
        },
        "money_intro": {
            "nl": "Per regio en jaar: de opgave (stippellijn) tegenover het geplande, toegezegde en betaalde "
            "geld "
            "(staven). Dekking = toegezegd gedeeld door opgave, over alle jaren.",
            "en": "Per region and year: the need (dashed line) against the money planned, committed and paid "
            "(bars). Coverage = committed divided by need, over all years.",
        },
        "money_theme": {"nl": "Geld per thema", "en": "Money per theme"},
        "money_theme_note": {
            "nl": "De opgave in dit register is niet per thema vastgelegd, dus dekking per thema is niet te "
            "berekenen; "
            "hieronder het geld per thema.",
            "en": "The need in this register is not recorded per theme, so coverage per theme cannot be "
            "computed; "
            "below, the money per theme.",
        },
        "theme": {"nl": "Thema", "en": "Theme"},
        "coverage_total": {"nl": "Dekking over alle jaren", "en": "Coverage over all years"},
        "od_heading": {"nl": "BRIDGEforEU-dossiers over tijd", "en": "BRIDGEforEU files past a time limit"},
        "od_intro": {
            "nl": "Deze dossiers (Verordening (EU) 2025/925) hebben een termijn die verstreken is terwijl de "
            "stap nog openstaat; de termijnen staan met hun artikel in bridge_deadlines.yaml.",
            "en": "These files (Regulation (EU) 2025/925) have a time limit that has passed while the step "
            "is still open; the limits and their articles are in bridge_deadlines.yaml.",
        },
        "od_code": {"nl": "dossier", "en": "file"},
        "od_title": {"nl": "titel", "en": "title"},
        "od_state": {"nl": "stap", "en": "step"},
        "od_limit": {"nl": "termijn", "en": "time limit"},
        "od_due": {"nl": "uiterlijk", "en": "due"},
        "od_basis": {"nl": "grondslag", "en": "legal basis"},
        "pdf_no_chromium": {
            "nl": "Geen PDF's gemaakt: Chromium is niet geïnstalleerd (apt-get install chromium).",
            "en": "No PDFs made: Chromium is not installed (apt-get install chromium).",
        },
        "pdf_failed": {"nl": "PDF mislukt voor: {pages}", "en": "PDF failed for: {pages}"},
        "agg_sum": {"nl": "som", "en": "sum"},
        "agg_ratio": {"nl": "verhouding van sommen", "en": "ratio of sums"},
        "agg_weighted_mean": {"nl": "naar inwoners gewogen gemiddelde", "en": "population-weighted mean"},
        "agg_median_approx": {"nl": "benaderde mediaan (gewogen)", "en": "approximate median (weighted)"},
        "agg_change": {"nl": "verandering over de periode", "en": "change over the period"},
        "explain_wide": {
            "nl": "één kolom per indicator: de waarde per gemeente in de laatste periode (eenheid: zie "
            "'indicatoren')",
            "en": "one column per indicator: the value per gemeente in the latest period (unit: see "
            "'indicators')",
        },
        "bad_lang": {
            "nl": "onbekende taal '{value}'; kies nl of en",
            "en": "unknown language '{value}'; choose nl or en",
        },
    }
)

# People's names for the column keys of library tables (toets, monitor, register, index).
COLUMNS: dict[str, dict[str, str]] = {
    # shared
    "naam": {"nl": "naam", "en": "name"},
    "name": {"nl": "naam", "en": "name"},
    "regio": {"nl": "regio", "en": "region"},
    "region": {"nl": "regio", "en": "region"},
    "gemeente": {"nl": "gemeente", "en": "gemeente"},
    "gm_code": {"nl": "gemeentecode", "en": "gemeente code"},
    "area_code": {"nl": "gebied", "en": "area"},
    "area_name": {"nl": "gebied", "en": "area"},
    "inwoners": {"nl": "inwoners", "en": "inhabitants"},
    "population": {"nl": "inwoners", "en": "inhabitants"},
    "jaar": {"nl": "jaar", "en": "year"},
    "year": {"nl": "jaar", "en": "year"},
    "period": {"nl": "periode", "en": "period"},
    "theme": {"nl": "thema", "en": "theme"},
    "thema": {"nl": "thema", "en": "theme"},
    "indicator_id": {"nl": "indicator (code)", "en": "indicator (code)"},
    "indicator": {"nl": "indicator", "en": "indicator"},
    "label": {"nl": "indicator", "en": "indicator"},
    "label_nl": {"nl": "indicator", "en": "indicator (Dutch)"},
    "label_en": {"nl": "indicator (Engels)", "en": "indicator"},
    "unit": {"nl": "eenheid", "en": "unit"},
    "value": {"nl": "waarde", "en": "value"},
    "source": {"nl": "bron", "en": "source"},
    "bron": {"nl": "bron", "en": "source"},
    "gegeven": {"nl": "gegeven", "en": "item"},
    "table": {"nl": "CBS-tabel", "en": "CBS table"},
    "tables": {"nl": "CBS-tabellen", "en": "CBS tables"},
    "periods": {"nl": "perioden", "en": "periods"},
    "latest": {"nl": "laatste periode", "en": "latest period"},
    "direction": {"nl": "richting", "en": "direction"},
    "aggregation": {"nl": "aggregatie", "en": "aggregation"},
    "weight": {"nl": "gewicht", "en": "weight"},
    "note": {"nl": "toelichting", "en": "note"},
    "provenance_nl": {"nl": "herkomst", "en": "provenance (Dutch)"},
    "provenance_en": {"nl": "herkomst (Engels)", "en": "provenance"},
    "confidence": {"nl": "betrouwbaarheid afbakening", "en": "confidence of delimitation"},
    "n_members": {"nl": "aantal gemeenten", "en": "number of gemeenten"},
    "members": {"nl": "gemeenten", "en": "gemeenten"},
    "border": {"nl": "grensgemeenten", "en": "border gemeenten"},
    "group": {"nl": "groep", "en": "group"},
    "npvr": {"nl": "NPVR-gemeente", "en": "NPVR gemeente"},
    # toets
    "euro": {"nl": "euro", "en": "euro"},
    "euro_per_inwoner": {"nl": "euro per inwoner", "en": "euro per inhabitant"},
    "aandeel_budget": {"nl": "aandeel budget", "en": "share of budget"},
    "aandeel_bevolking": {"nl": "aandeel bevolking", "en": "share of population"},
    "aandeel_behoefte": {"nl": "aandeel behoefte", "en": "share of need"},
    "ratio_bevolking": {"nl": "verhouding tot bevolking", "en": "ratio to population"},
    "ratio_behoefte": {"nl": "verhouding tot behoefte", "en": "ratio to need"},
    "behoefte": {"nl": "behoefte", "en": "need"},
    "euro_basis": {"nl": "euro basis", "en": "baseline euro"},
    "verschil_euro": {"nl": "verschil euro", "en": "difference euro"},
    "verschil": {"nl": "verschil", "en": "difference"},
    "verschil_per_inwoner": {"nl": "verschil per inwoner", "en": "difference per inhabitant"},
    "oordeel": {"nl": "oordeel", "en": "verdict"},
    "reden": {"nl": "reden", "en": "reason"},
    "grens": {"nl": "grens", "en": "border"},
    "blootstelling": {"nl": "blootstelling", "en": "exposure"},
    "blootstelling_data": {"nl": "blootstelling (data)", "en": "exposure (data)"},
    "blootstelling_experts": {"nl": "blootstelling (experts)", "en": "exposure (experts)"},
    "experts_min": {"nl": "experts minimum", "en": "experts minimum"},
    "experts_max": {"nl": "experts maximum", "en": "experts maximum"},
    "experts_sd": {"nl": "experts standaardafwijking", "en": "experts standard deviation"},
    "gevoeligheid": {"nl": "gevoeligheid", "en": "sensitivity"},
    "impact": {"nl": "impact", "en": "impact"},
    "impact_laag": {"nl": "impact laag", "en": "impact low"},
    "impact_hoog": {"nl": "impact hoog", "en": "impact high"},
    "gemeenten": {"nl": "gemeenten", "en": "gemeenten"},
    "gemeenten_subsidiabel": {"nl": "gemeenten subsidiabel", "en": "gemeenten eligible"},
    "gemeenten_onder_grens": {"nl": "gemeenten onder de grens", "en": "gemeenten below the threshold"},
    "max_project": {"nl": "grootste project", "en": "largest project"},
    "max_project_samen": {"nl": "grootste project samen", "en": "largest project together"},
    "inwoners_onder_grens": {"nl": "inwoners onder de grens", "en": "inhabitants below the threshold"},
    "aandeel_inwoners_onder_grens": {
        "nl": "aandeel inwoners onder de grens",
        "en": "share of inhabitants below the threshold",
    },
    "samen_haalbaar": {"nl": "samen haalbaar", "en": "feasible together"},
    "eigen_middelen": {"nl": "eigen middelen", "en": "own funds"},
    "subsidiabel": {"nl": "subsidiabel", "en": "eligible"},
    "boven_aanvragersgrens": {"nl": "boven aanvragersgrens", "en": "above applicant threshold"},
    "haalt_projectgrens": {"nl": "haalt projectgrens", "en": "meets project threshold"},
    "haalt_ondergrens": {"nl": "haalt ondergrens", "en": "meets minimum threshold"},
    "subsidie_capaciteit": {"nl": "subsidiecapaciteit", "en": "subsidy capacity"},
    "per inwoner": {"nl": "per inwoner", "en": "per inhabitant"},
    "per inwoner van 65 jaar of ouder": {
        "nl": "per inwoner van 65 jaar of ouder",
        "en": "per inhabitant aged 65+",
    },
    "per km² land": {"nl": "per km² land", "en": "per km² of land"},
    "vaste voet per gemeente": {"nl": "vaste voet per gemeente", "en": "fixed base per gemeente"},
    "correctie (grenzen, afronding)": {
        "nl": "correctie (grenzen, afronding)",
        "en": "correction (bounds, rounding)",
    },
    "totaal": {"nl": "totaal", "en": "total"},
    "grensgemeenten": {"nl": "grensgemeenten", "en": "border gemeenten"},
    "inwoners_grensgemeenten": {"nl": "inwoners grensgemeenten", "en": "inhabitants of border gemeenten"},
    "aandeel_grensgemeenten": {"nl": "aandeel in grensgemeenten", "en": "share in border gemeenten"},
    "aandeel_van_alle_grensbewoners": {
        "nl": "aandeel van alle grensbewoners",
        "en": "share of all border residents",
    },
    "stap": {"nl": "stap", "en": "step"},
    "vraag": {"nl": "vraag", "en": "question"},
    "antwoord": {"nl": "antwoord", "en": "answer"},
    "toelichting": {"nl": "toelichting", "en": "explanation"},
    "variant_a": {"nl": "variant A", "en": "variant A"},
    "variant_b": {"nl": "variant B", "en": "variant B"},
    # monitor
    "rest": {"nl": "rest van Nederland", "en": "rest of the Netherlands"},
    "nl": {"nl": "Nederland", "en": "Netherlands"},
    "gap_abs": {"nl": "verschil met rest", "en": "gap with rest"},
    "gap_rel": {"nl": "verschil met rest (relatief)", "en": "gap with rest (relative)"},
    "gap_pp": {"nl": "verschil met rest (procentpunt)", "en": "gap with rest (percentage points)"},
    "gap_nl_abs": {"nl": "verschil met Nederland", "en": "gap with the Netherlands"},
    "gap_nl_rel": {"nl": "verschil met Nederland (relatief)", "en": "gap with the Netherlands (relative)"},
    "better": {"nl": "beter (+1) of slechter (−1) dan rest", "en": "better (+1) or worse (−1) than rest"},
    "score": {"nl": "score", "en": "score"},
    "colour": {"nl": "kleur", "en": "colour"},
    "n_indicators": {"nl": "aantal indicatoren", "en": "number of indicators"},
    "n_better": {"nl": "aantal beter", "en": "number better"},
    "n_worse": {"nl": "aantal slechter", "en": "number worse"},
    "first_period": {"nl": "eerste periode", "en": "first period"},
    "last_period": {"nl": "laatste periode", "en": "last period"},
    "n_periods": {"nl": "aantal perioden", "en": "number of periods"},
    "gap_abs_first": {"nl": "kloof begin", "en": "gap first"},
    "gap_abs_last": {"nl": "kloof eind", "en": "gap last"},
    "gap_rel_first": {"nl": "kloof begin (relatief)", "en": "gap first (relative)"},
    "gap_rel_last": {"nl": "kloof eind (relatief)", "en": "gap last (relative)"},
    "change_abs": {"nl": "verandering kloof", "en": "change of gap"},
    "change_rel": {"nl": "verandering kloof (relatief)", "en": "change of gap (relative)"},
    "verdict_abs": {"nl": "kloof absoluut", "en": "gap absolute"},
    "verdict_rel": {"nl": "kloof relatief", "en": "gap relative"},
    "improving": {"nl": "verbeterd", "en": "improving"},
    "statement": {"nl": "uitspraak", "en": "statement"},
    "measure": {"nl": "maat", "en": "measure"},
    "component": {"nl": "deel", "en": "component"},
    "estimate": {"nl": "schatting", "en": "estimate"},
    "lo": {"nl": "ondergrens interval", "en": "interval low"},
    "hi": {"nl": "bovengrens interval", "en": "interval high"},
    "level": {"nl": "betrouwbaarheid", "en": "confidence level"},
    "n_boot": {"nl": "trekkingen", "en": "draws"},
    "n": {"nl": "aantal", "en": "count"},
    "sd_log": {"nl": "standaardafwijking log", "en": "standard deviation of log"},
    "cv": {"nl": "variatiecoëfficiënt", "en": "coefficient of variation"},
    "theil_t": {"nl": "Theil T", "en": "Theil T"},
    "theil_t_between": {"nl": "Theil T tussen", "en": "Theil T between"},
    "converging": {"nl": "convergentie", "en": "converging"},
    "treated": {"nl": "NPVR-gemeente", "en": "NPVR gemeente"},
    "control": {"nl": "vergelijkingsgemeente", "en": "comparison gemeente"},
    "rank": {"nl": "rang", "en": "rank"},
    "distance": {"nl": "afstand", "en": "distance"},
    "smd_before": {"nl": "gestandaardiseerd verschil vóór", "en": "standardised difference before"},
    "smd_after": {"nl": "gestandaardiseerd verschil na", "en": "standardised difference after"},
    "baseline_period": {"nl": "nulmeting", "en": "baseline"},
    "mean_npvr": {"nl": "gemiddelde NPVR-gemeenten", "en": "mean NPVR gemeenten"},
    "mean_rest": {"nl": "gemiddelde overige gemeenten", "en": "mean other gemeenten"},
    "mean_matched": {"nl": "gemiddelde vergelijkingsgroep", "en": "mean comparison group"},
    "post_period": {"nl": "meetjaar na de start", "en": "measurement year after the start"},
    "baseline_npvr": {"nl": "nulmeting NPVR", "en": "baseline NPVR"},
    "baseline_matched": {"nl": "nulmeting vergelijkingsgroep", "en": "baseline comparison group"},
    "baseline_diff": {"nl": "verschil nulmeting", "en": "baseline difference"},
    "placebo_did": {"nl": "placebo", "en": "placebo"},
    "placebo_periods": {"nl": "placebo-perioden", "en": "placebo periods"},
    "first_measurement": {"nl": "eerste meting", "en": "first measurement"},
    "did": {"nl": "verschil-in-verschillen", "en": "difference-in-differences"},
    "status": {"nl": "status", "en": "status"},
    # index
    "corop_code": {"nl": "COROP-code", "en": "COROP code"},
    "corop_name": {"nl": "COROP-gebied", "en": "COROP area"},
    "nominal_rank": {"nl": "rang", "en": "rank"},
    "median_rank": {"nl": "mediane rang", "en": "median rank"},
    "p5": {"nl": "rang 5e percentiel", "en": "rank 5th percentile"},
    "p95": {"nl": "rang 95e percentiel", "en": "rank 95th percentile"},
    "selection_probability": {"nl": "selectiekans", "en": "selection probability"},
    "verdict": {"nl": "oordeel (code)", "en": "verdict (code)"},
    "code": {"nl": "code", "en": "code"},
    "actor": {"nl": "gebruiker", "en": "user"},
    "who": {"nl": "gebruiker", "en": "user"},
    "at": {"nl": "tijdstip", "en": "time"},
    "when": {"nl": "tijdstip", "en": "time"},
    "action": {"nl": "handeling", "en": "action"},
    "entity": {"nl": "soort", "en": "kind"},
    "key": {"nl": "sleutel", "en": "key"},
    "before": {"nl": "voor", "en": "before"},
    "after": {"nl": "na", "en": "after"},
    "gap_sd": {"nl": "verschil in standaardafwijkingen", "en": "gap in standard deviations"},
    "verdict_label": {"nl": "oordeel", "en": "verdict"},
    "top_domains": {"nl": "domeinen met de grootste bijdrage", "en": "domains contributing most"},
    "loo_up": {"nl": "indicator die het meest beslist", "en": "indicator that decides most"},
    "loo_up_rank": {"nl": "rang zonder die indicator", "en": "rank without that indicator"},
    "index_level": {"nl": "niveau", "en": "level"},
    "n_units": {"nl": "aantal gebieden", "en": "number of areas"},
    "select_k": {"nl": "aantal geselecteerd", "en": "number selected"},
    "draws": {"nl": "trekkingen", "en": "draws"},
    "text_nl": {"nl": "tekst", "en": "text (Dutch)"},
    "text_en": {"nl": "tekst (Engels)", "en": "text"},
    "quartile": {"nl": "CBS-kwartiel", "en": "CBS quartile"},
    # register (money against need)
    "need": {"nl": "opgave", "en": "need"},
    "planned": {"nl": "gepland", "en": "planned"},
    "committed": {"nl": "toegezegd", "en": "committed"},
    "paid": {"nl": "betaald", "en": "paid"},
    "coverage": {"nl": "dekking", "en": "coverage"},
    "gap": {"nl": "tekort", "en": "shortfall"},
}


def check_lang(lang: str) -> str:
    """``lang`` when it is a supported language; a ConfigError naming the field otherwise."""
    if lang not in LANGS:
        from npvr.errors import ConfigError

        raise ConfigError(t("bad_lang", "nl", value=lang), en=t("bad_lang", "en", value=lang), field="lang")
    return lang


def t(key: str, lang: str = "nl", **fmt: Any) -> str:
    """The text for ``key`` in ``lang`` (Dutch fallback), with ``{placeholders}`` filled."""
    entry = TEXT[key]
    text = entry.get(lang) or entry["nl"]
    return text.format(**fmt) if fmt else text


def column(key: Any, lang: str = "nl") -> str:
    """People's name for a table column key (the key itself when unknown, e.g. a year)."""
    entry = COLUMNS.get(str(key))
    return str(key) if entry is None else entry.get(lang) or entry["nl"]


def columns(df: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """``df`` with its columns renamed by :func:`column` (for a workbook or a people's table)."""
    return df.rename(columns={c: column(c, lang) for c in df.columns})


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def fmt_num(value: Any, lang: str = "nl", decimals: int | None = None) -> str:
    """A number as the reader writes it; ``decimals=None`` picks 0-3 decimals by magnitude.

    Missing or not-finite values give an en dash. Decimals are passed exactly (no float detour
    when ``decimals`` is given), so money keeps its cents.
    """
    v = _finite(value)
    if v is None:
        return "–"
    if decimals is None:
        a = abs(v)
        decimals = 0 if a >= 1000 or v.is_integer() else 1 if a >= 10 else 2 if a >= 0.1 else 3
    exact: Any = value if isinstance(value, Decimal) else v
    s = f"{exact:,.{decimals}f}"
    if s.startswith("-") and not any(ch in "123456789" for ch in s):
        s = s[1:]  # no "-0,0"
    if lang == "nl":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s.replace("-", "−")


def fmt_int(value: Any, lang: str = "nl") -> str:
    """A whole number with thousands separators ("12.345" / "12,345")."""
    return fmt_num(value, lang, 0)


def fmt_money(value: Any, lang: str = "nl", decimals: int = 0) -> str:
    """Euros: "€ 493.750,47" in Dutch, "€493,750.47" in English."""
    s = fmt_num(value, lang, decimals)
    if s == "–":
        return s
    sign = ""
    if s.startswith("−"):
        sign, s = "−", s[1:]
    return f"{sign}€ {s}" if lang == "nl" else f"{sign}€{s}"


def fmt_pct(share: Any, lang: str = "nl", decimals: int = 1, *, signed: bool = False) -> str:
    """A share (0.123) as a percentage ("12,3%"); ``signed`` adds "+" to positive values."""
    v = _finite(share)
    if v is None:
        return "–"
    return fmt_pct_value(100 * v, lang, decimals, signed=signed)


def fmt_pct_value(value: Any, lang: str = "nl", decimals: int = 1, *, signed: bool = False) -> str:
    """A value already in percent (12.3) as "12,3%"."""
    v = _finite(value)
    if v is None:
        return "–"
    return (fmt_signed(v, lang, decimals) if signed else fmt_num(v, lang, decimals)) + "%"


def fmt_signed(value: Any, lang: str = "nl", decimals: int | None = None) -> str:
    """A difference with its sign: "+1,2", "−0,4", "0"."""
    v = _finite(value)
    if v is None:
        return "–"
    s = fmt_num(v, lang, decimals)
    return s if s.startswith("−") or not any(ch in "123456789" for ch in s) else "+" + s


def fmt_pp(diff: Any, lang: str = "nl", decimals: int = 1) -> str:
    """A difference of two percentages in percentage points: "+1,2 procentpunt" / "+1.2 percentage points"."""
    v = _finite(diff)
    if v is None:
        return "–"
    unit = (
        "procentpunt"
        if lang == "nl"
        else ("percentage point" if abs(round(v, decimals)) == 1 else "percentage points")
    )
    return f"{fmt_signed(v, lang, decimals)} {unit}"


def fmt_gap(
    gap_abs: Any,
    gap_rel: Any,
    unit: str,
    lang: str = "nl",
    *,
    unit_label: str | None = None,
    relative: bool = True,
) -> str:
    """A region's difference with a reference, labelled so it cannot be misread.

    ``unit == "%"``: the difference of two percentages, in percentage points ("+3,3 procentpunt").
    Any other unit (a rate, euros, km): the absolute difference with its unit and, when
    ``relative``, the relative difference in brackets ("+1,2 km (+15,0%)").
    """
    if unit == "%":
        return fmt_pp(gap_abs, lang)
    label = unit_label if unit_label is not None else unit
    a = abs(_finite(gap_abs) or 0.0)
    decimals = 0 if a >= 1000 else 1 if a >= 1 or a == 0 else 2 if a >= 0.1 else 3
    text = fmt_signed(gap_abs, lang, decimals)
    if label and label not in ("aantal", "count"):
        text += f" {label}"
    if relative and _finite(gap_rel) is not None:
        text += f" ({fmt_pct(gap_rel, lang, signed=True)})"
    return text


def yes_no(flag: Any, lang: str = "nl") -> str:
    """ "ja"/"nee" or "yes"/"no"."""
    return t("yes" if bool(flag) else "no", lang)


def theme_name(theme: str, lang: str = "nl") -> str:
    """The name of a catalogue theme (``npvr.data.catalogue.THEMES``, the one theme list)."""
    from npvr.data.catalogue import THEMES

    names = THEMES.get(theme)
    if names is None:
        return theme
    return names[0] if lang == "nl" else names[1]


def texts(lang: str = "nl") -> dict[str, str]:
    """Every text of :data:`TEXT` in ``lang`` (for templates: ``T.key``)."""
    return {k: t(k, lang) for k in TEXT}


# What a column means, for the workbook's "uitleg kolommen" sheet: key -> (Dutch, English).
NOTES: dict[str, tuple[str, str]] = {
    "name": ("naam van de regio of gemeente", "name of the region or gemeente"),
    "confidence": (
        "hoe zeker de afbakening van de regio is",
        "how certain the delimitation of the region is",
    ),
    "source": ("waar de afbakening vandaan komt", "where the delimitation comes from"),
    "n_members": ("aantal gemeenten in de regio", "number of gemeenten in the region"),
    "population": ("inwoners, laatste periode (CBS)", "inhabitants, latest period (CBS)"),
    "members": ("de gemeenten van de regio", "the gemeenten of the region"),
    "border": (
        "gemeenten van de regio aan de Belgische of Duitse grens",
        "gemeenten of the region on the Belgian or German border",
    ),
    "gm_code": ("CBS-gemeentecode (indeling 2025)", "CBS gemeente code (2025 division)"),
    "group": (
        "NPVR-regio van de gemeente, of rest van Nederland",
        "NPVR region of the gemeente, or rest of the Netherlands",
    ),
    "npvr": ("hoort de gemeente bij een NPVR-regio", "whether the gemeente belongs to an NPVR region"),
    "indicator_id": (
        "vaste code van de indicator (om tabellen te koppelen)",
        "fixed code of the indicator (to join tables)",
    ),
    "label": ("naam van de indicator", "name of the indicator"),
    "label_nl": ("naam van de indicator", "name of the indicator (Dutch)"),
    "label_en": ("naam van de indicator (Engels)", "name of the indicator"),
    "theme": ("thema van de indicator", "theme of the indicator"),
    "unit": ("eenheid van de waarde", "unit of the value"),
    "direction": (
        "of een hogere waarde beter of slechter is voor de regio",
        "whether a higher value is better or worse for the region",
    ),
    "aggregation": (
        "hoe gemeentewaarden tot een regiowaarde worden samengevoegd",
        "how gemeente values are combined into a region value",
    ),
    "periods": ("jaren met gegevens", "years with data"),
    "latest": ("laatste jaar met gegevens", "latest year with data"),
    "tables": ("CBS-tabellen van de cijfers", "CBS tables of the figures"),
    "provenance_nl": ("bron: tabel, periode en eenheid", "source: table, period and unit (Dutch)"),
    "provenance_en": ("bron: tabel, periode en eenheid (Engels)", "source: table, period and unit"),
    "weight": ("indicator waarmee gewogen wordt", "indicator used as weight"),
    "note": ("toelichting bij de indicator", "note on the indicator"),
    "area_code": (
        "gebied: regio, NPVR-regio's samen, rest van Nederland of Nederland",
        "area: region, NPVR regions together, rest of the Netherlands or Netherlands",
    ),
    "period": ("jaar van de waarde", "year of the value"),
    "value": ("waarde in de eenheid van de indicator", "value in the indicator's unit"),
    "rest": (
        "waarde van de rest van Nederland (alle gemeenten buiten de NPVR-regio's)",
        "value of the rest of the Netherlands (all gemeenten outside the NPVR regions)",
    ),
    "nl": ("waarde van heel Nederland", "value of the whole Netherlands"),
    "gap_abs": (
        "waarde min rest van Nederland, in de eenheid van de indicator (bij een percentage: procentpunten)",
        "value minus rest of the Netherlands, in the indicator's unit (for a percentage: percentage points)",
    ),
    "gap_rel": (
        "verschil met de rest als deel van de waarde van de rest (0,10 = 10%)",
        "gap with the rest as a share of the rest's value (0.10 = 10%)",
    ),
    "gap_nl_abs": (
        "waarde min Nederland, in de eenheid van de indicator",
        "value minus the Netherlands, in the indicator's unit",
    ),
    "gap_nl_rel": (
        "verschil met Nederland als deel van de waarde van Nederland",
        "gap with the Netherlands as a share of its value",
    ),
    "better": (
        "beter, slechter of gelijk aan de rest (volgens de richting)",
        "better, worse or equal to the rest (by direction)",
    ),
    "first_period": ("eerste jaar van de trend", "first year of the trend"),
    "last_period": ("laatste jaar van de trend", "last year of the trend"),
    "n_periods": ("aantal jaren in de trend", "number of years in the trend"),
    "gap_abs_first": ("verschil met de rest in het eerste jaar", "gap with the rest in the first year"),
    "gap_abs_last": ("verschil met de rest in het laatste jaar", "gap with the rest in the last year"),
    "gap_rel_first": (
        "relatief verschil met de rest in het eerste jaar",
        "relative gap with the rest in the first year",
    ),
    "gap_rel_last": (
        "relatief verschil met de rest in het laatste jaar",
        "relative gap with the rest in the last year",
    ),
    "change_abs": (
        "verandering van het verschil (laatste min eerste jaar)",
        "change of the gap (last minus first year)",
    ),
    "change_rel": ("verandering van het relatieve verschil", "change of the relative gap"),
    "verdict_abs": (
        "wordt het verschil in de eenheid kleiner of groter",
        "does the gap in the unit narrow or widen",
    ),
    "verdict_rel": (
        "wordt het relatieve verschil kleiner of groter",
        "does the relative gap narrow or widen",
    ),
    "improving": ("is de regio tegenover de rest vooruitgegaan", "did the region improve against the rest"),
    "n_indicators": (
        "aantal indicatoren met een richting in het thema",
        "number of indicators with a direction in the theme",
    ),
    "n_better": (
        "aantal indicatoren minstens 5% gunstiger dan de rest",
        "number of indicators at least 5% more favourable than the rest",
    ),
    "n_equal": ("aantal indicatoren binnen 5% van de rest", "number of indicators within 5% of the rest"),
    "n_worse": (
        "aantal indicatoren minstens 5% ongunstiger dan de rest",
        "number of indicators at least 5% less favourable than the rest",
    ),
    "score": ("(beter − slechter) / aantal", "(better − worse) / count"),
    "status": ("oordeel volgens de kleurregel", "verdict by the colour rule"),
    "indicators": ("de meegetelde indicatoren", "the indicators counted"),
    "rank": ("volgorde (1 = grootste)", "order (1 = largest)"),
    "change": ("hoe het verschil veranderde", "how the gap changed"),
    "size": (
        "grootte van de verandering van het relatieve verschil",
        "size of the change of the relative gap",
    ),
    "measure": ("ongelijkheidsmaat", "inequality measure"),
    "component": (
        "deel: totaal, tussen NPVR en rest, binnen de groepen",
        "part: total, between NPVR and rest, within the groups",
    ),
    "estimate": (
        "waarde van de maat over alle gemeenten, naar inwoners gewogen",
        "value of the measure over all gemeenten, weighted by population",
    ),
    "lo": ("ondergrens van het bootstrap-interval", "lower bound of the bootstrap interval"),
    "hi": ("bovengrens van het bootstrap-interval", "upper bound of the bootstrap interval"),
    "level": ("betrouwbaarheid van het interval", "confidence level of the interval"),
    "n_boot": ("aantal bootstrap-trekkingen", "number of bootstrap draws"),
    "n": ("aantal gemeenten", "number of gemeenten"),
    "sd_log": (
        "gewogen standaardafwijking van de logaritme (spreiding)",
        "weighted standard deviation of the log (dispersion)",
    ),
    "cv": (
        "variatiecoëfficiënt: standaardafwijking gedeeld door gemiddelde",
        "coefficient of variation: standard deviation over mean",
    ),
    "theil_t": ("Theil T over alle gemeenten", "Theil T over all gemeenten"),
    "theil_t_between": ("deel van Theil T tussen NPVR en rest", "part of Theil T between NPVR and rest"),
    "converging": ("neemt de spreiding af", "does the dispersion shrink"),
    "treated": (
        "gemeente in een NPVR-regio (de behandelde groep)",
        "gemeente in an NPVR region (the treated group)",
    ),
    "control": (
        "vergelijkbare gemeente buiten de NPVR-regio's",
        "comparable gemeente outside the NPVR regions",
    ),
    "distance": (
        "afstand op gestandaardiseerde waarden (kleiner = meer gelijk)",
        "distance on standardised values (smaller = more alike)",
    ),
    "smd_before": (
        "gestandaardiseerd verschil tussen de groepen vóór matching",
        "standardised difference between the groups before matching",
    ),
    "smd_after": ("gestandaardiseerd verschil na matching", "standardised difference after matching"),
    "baseline_period": ("jaar van de nulmeting", "year of the baseline"),
    "mean_npvr": ("gemiddelde van de NPVR-gemeenten", "mean of the NPVR gemeenten"),
    "mean_rest": (
        "gemiddelde van alle gemeenten buiten de NPVR-regio's",
        "mean of all gemeenten outside the NPVR regions",
    ),
    "mean_matched": (
        "gemiddelde van de vergelijkingsgroep na matching",
        "mean of the comparison group after matching",
    ),
    "post_period": (
        "jaar van de eerste meting na de start van het programma",
        "year of the first measurement after the programme start",
    ),
    "baseline_npvr": (
        "waarde van de NPVR-gemeenten bij de nulmeting",
        "value of the NPVR gemeenten at baseline",
    ),
    "baseline_matched": (
        "waarde van de vergelijkingsgroep bij de nulmeting",
        "value of the comparison group at baseline",
    ),
    "baseline_diff": ("verschil bij de nulmeting", "difference at baseline"),
    "placebo_did": (
        "verschil-in-verschillen vóór de start (hoort bij nul te liggen)",
        "difference-in-differences before the start (should be near zero)",
    ),
    "placebo_periods": ("jaren van de placebo", "years of the placebo"),
    "first_measurement": (
        "eerste jaar waarin een effect meetbaar is",
        "first year in which an effect can be measured",
    ),
    "did": (
        "effectschatting: verandering NPVR min verandering vergelijkingsgroep",
        "effect estimate: change NPVR minus change comparison group",
    ),
    "region": ("NPVR-regio (of rest van Nederland)", "NPVR region (or rest of the Netherlands)"),
    "corop_code": ("COROP-gebied waarin de regio grotendeels ligt", "COROP area the region mostly lies in"),
    "corop_name": ("naam van dat COROP-gebied", "name of that COROP area"),
    "nominal_rank": ("plaats in de index (1 = meest achtergesteld)", "rank in the index (1 = most deprived)"),
    "median_rank": ("mediane plaats over alle methodekeuzes", "median rank over all choices of method"),
    "p5": ("5e percentiel van de plaats", "5th percentile of the rank"),
    "p95": ("95e percentiel van de plaats", "95th percentile of the rank"),
    "selection_probability": ("kans om bij de geselecteerden te horen", "probability of being selected"),
    "verdict": (
        "gedragen, grensgeval of niet gedragen: steunen de cijfers de selectie van de regio",
        "supported, borderline or not supported: do the figures support the region's selection",
    ),
    "verdict_label": ("het oordeel in woorden", "the verdict in words"),
    "gap_sd": (
        "verschil met de rest van Nederland gedeeld door de spreiding (standaardafwijking) van de "
        "gemeentewaarden: zo zijn verschillen tussen indicatoren te vergelijken",
        "gap with the rest of the Netherlands divided by the spread (standard deviation) of the gemeente "
        "values, which makes gaps of different indicators comparable",
    ),
    "top_domains": (
        "de domeinen die de score van de regio het meest omhoog brengen",
        "the domains that raise the region's score most",
    ),
    "loo_up": (
        "de indicator zonder welke de regio het verst zakt (leave-one-out)",
        "the indicator without which the region drops furthest (leave-one-out)",
    ),
    "loo_up_rank": ("de rang van de regio zonder die indicator", "the region's rank without that indicator"),
    "index_level": (
        "het gebiedsniveau van de rangorde: regio = de 11 NPVR-regio's plus de rest van elk COROP-gebied",
        "the area level of the ranking: regio = the 11 NPVR regions plus the rest of each COROP area",
    ),
    "n_units": ("aantal gebieden in de index", "number of areas in the index"),
    "select_k": ("aantal gebieden dat geselecteerd wordt", "number of areas selected"),
    "draws": ("aantal trekkingen van methodekeuzes", "number of draws of choices of method"),
    "text_nl": ("uitleg in woorden", "explanation in words (Dutch)"),
    "text_en": ("uitleg in woorden (Engels)", "explanation in words"),
    "quartile": (
        "CBS-kwartiel van de regiowaarde tussen de 342 gemeenten (4 = beste kwart)",
        "CBS quartile of the region's value among the 342 gemeenten (4 = best quarter)",
    ),
    "year": ("kalenderjaar van het bedrag", "calendar year of the amount"),
    "need": ("opgave (behoefte) in euro", "need in euro"),
    "planned": ("gepland geld in euro", "money planned in euro"),
    "committed": ("toegezegd geld in euro", "money committed in euro"),
    "paid": ("betaald geld in euro", "money paid in euro"),
    "gap": ("opgave min toegezegd geld", "need minus committed money"),
    "gap_planned": ("opgave min gepland geld", "need minus planned money"),
    "coverage": ("toegezegd gedeeld door opgave", "committed divided by need"),
    "schemes": (
        "aantal afzonderlijke regelingen in het geplande geld",
        "number of separate schemes in the planned money",
    ),
    "schemes_per_eur_m": (
        "regelingen per miljoen euro gepland (versnippering)",
        "schemes per million euro planned (fragmentation)",
    ),
    "status_col": ("oordeel", "verdict"),
    "index": (
        "welke samengestelde index: de deprivatie-index of de NPVR-opgave-index",
        "which composite index: the deprivation index or the NPVR task index",
    ),
}


def column_note(key: Any, lang: str = "nl") -> str:
    """What a table column means (the workbook's explanation sheet); share columns by prefix."""
    k = str(key)
    if k in NOTES:
        return NOTES[k][0 if lang == "nl" else 1]
    if k.startswith("share_"):
        src = k[len("share_") :]
        return (
            f"aandeel van het geplande geld uit bron '{src}'",
            f"share of the planned money from source '{src}'",
        )[0 if lang == "nl" else 1]
    return column(k, lang)
