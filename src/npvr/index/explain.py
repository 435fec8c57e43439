"""Short per-region texts (Dutch by default, English on request) from an uncertainty analysis:
the rank interval, the selection probability and the choice that decides it.

:func:`unit_texts` gives ``code, name, text`` for every unit of an :class:`UncertaintyResult`;
:func:`npvr_region_texts` gives the same for the NPVR regions, whatever the level of the analysis
(at 'npvr' and 'regio' the regions are the units; at 'corop' a region is matched to the COROP area most of its
gemeenten lie in; at 'gemeente' the text summarises the member gemeenten).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from npvr.index.aggregate import AGGREGATORS
from npvr.index.impute import IMPUTERS
from npvr.index.normalise import NORMALISERS
from npvr.index.outliers import OUTLIERS
from npvr.index.uncertainty import UncertaintyResult

_FACTOR = {
    "imputation": ("de imputatiemethode", "the imputation method", IMPUTERS),
    "outliers": ("de behandeling van uitbijters", "the outlier treatment", OUTLIERS),
    "normalisation": ("de normalisatie", "the normalisation", NORMALISERS),
    "aggregation": ("de aggregatie van indicatoren", "the aggregation of indicators", AGGREGATORS),
    "domain_aggregation": ("de aggregatie van domeinen", "the aggregation of domains", AGGREGATORS),
    "leave_one_out": ("het weglaten van één indicator", "leaving one indicator out", None),
}


def _pct(p: float, lang: str) -> str:
    return f"{100 * p:.0f}%"


def _level_name(factor: str, level: str, lang: str) -> str:
    reg = _FACTOR.get(factor, (None, None, None))[2]
    if factor == "leave_one_out":
        if level == "geen":
            return "geen indicator weggelaten" if lang == "nl" else "no indicator left out"
        return f"zonder '{level}'" if lang == "nl" else f"without '{level}'"
    if reg is not None and level in reg and lang == "nl":
        return f"{level} ({reg.get(level).label_nl})"
    return level


def unit_text(row: Any, *, n_units: int, k: int, draws: int, lang: str = "nl") -> str:
    """One paragraph for one unit (a row of ``UncertaintyResult.units``)."""
    p = float(row["selection_probability"])
    nl = lang != "en"
    if nl:
        text = (
            f"{row['name']} staat in de nominale index op plaats {int(row['nominal_rank'])} van {n_units} "
            f"(90%-interval over {draws} trekkingen: plaats {int(row['p5'])} tot {int(row['p95'])}, "
            f"mediaan {int(row['median_rank'])}). "
            f"Kans om bij de {k} meest achtergestelde te horen: {_pct(p, lang)}."
        )
    else:
        text = (
            f"{row['name']} ranks {int(row['nominal_rank'])} of {n_units} in the nominal index "
            f"(90% interval over {draws} draws: rank {int(row['p5'])} to {int(row['p95'])}, "
            f"median {int(row['median_rank'])}). "
            f"Probability of being among the {k} most deprived: {_pct(p, lang)}."
        )
    factor = row.get("tipping_factor")
    if isinstance(factor, str) and factor:
        label = _FACTOR.get(factor, (factor, factor, None))[0 if nl else 1]
        lin = _level_name(factor, str(row["tipping_in"]), lang)
        lout = _level_name(factor, str(row["tipping_out"]), lang)
        if nl:
            text += (
                f" De keuze die het meest beslist is {label}: bij «{lin}» hoort de eenheid er in "
                f"{_pct(row['p_in'], lang)} van de trekkingen bij, "
                f"bij «{lout}» in {_pct(row['p_out'], lang)}."
            )
        else:
            text += (
                f" The deciding choice is {label}: under «{lin}» it is selected in "
                f"{_pct(row['p_in'], lang)} of the draws, under «{lout}» in {_pct(row['p_out'], lang)}."
            )
    elif p in (0.0, 1.0):
        text += " Geen enkele methodekeuze verandert dat." if nl else " No method choice changes that."
    return text


def unit_texts(result: UncertaintyResult, *, lang: str = "nl") -> pd.DataFrame:
    """``code, name, text`` for every unit, in nominal rank order."""
    n = len(result.units)
    texts = [
        unit_text(row, n_units=n, k=result.select_k, draws=result.draws, lang=lang)
        for _, row in result.units.iterrows()
    ]
    return pd.DataFrame({"code": result.units["code"], "name": result.units["name"], "text": texts})


def npvr_region_texts(
    result: UncertaintyResult, *, regions: Any = None, snapshot: Any = None, lang: str = "nl"
) -> pd.DataFrame:
    """``code, name, text`` per NPVR region (see module docstring for how levels are matched)."""
    import npvr

    rs = regions if regions is not None and hasattr(regions, "regions") else npvr.load_regions(regions)
    if result.level == "npvr":
        return unit_texts(result, lang=lang)
    if result.level == "regio":  # the regions are units of their own among the COROP remainders
        texts = unit_texts(result, lang=lang).set_index("code")
        return texts.loc[[r.id for r in rs.regions]].reset_index()
    units = result.units.set_index("code")
    out = []
    if result.level == "corop":
        snap = snapshot if snapshot is not None else npvr.load_snapshot()
        corop = snap.gemeenten["corop_code"]
        for r in rs.regions:
            code = corop.reindex(list(r.members)).mode().iloc[0]
            row = units.loc[code].copy()
            row["code"] = code
            lead = (
                f"Regio {r.name} (COROP-gebied {row['name']}): "
                if lang != "en"
                else f"Region {r.name} (COROP area {row['name']}): "
            )
            body = unit_text(row, n_units=len(units), k=result.select_k, draws=result.draws, lang=lang)
            out.append({"code": r.id, "name": r.name, "text": lead + body})
    else:
        for r in rs.regions:
            sub = units.reindex(list(r.members)).dropna(subset=["selection_probability"])
            likely = int((sub["selection_probability"] >= 0.5).sum())
            if lang != "en":
                text = (
                    f"Regio {r.name}: {likely} van de {len(sub)} gemeenten horen in minstens de helft van "
                    f"de {result.draws} trekkingen bij de {result.select_k} meest achtergestelde; "
                    "nominale plaatsen "
                    f"{int(sub['nominal_rank'].min())} tot {int(sub['nominal_rank'].max())} van {len(units)}."
                )
            else:
                text = (
                    f"Region {r.name}: {likely} of its {len(sub)} gemeenten are among the "
                    f"{result.select_k} most deprived in at least half of the {result.draws} draws; "
                    "nominal ranks "
                    f"{int(sub['nominal_rank'].min())} to {int(sub['nominal_rank'].max())} of {len(units)}."
                )
            out.append({"code": r.id, "name": r.name, "text": text})
    return pd.DataFrame(out)
