"""Need: compare an allocation with where the need is, per NPVR region and "rest of NL".

Need per gemeente = need score × inwoners (``weigh_by_population``), so a region's need share is
the share of the national need it holds. The score is, by default, the deprivation index of the
index engine (``npvr.index.build_index``) when that is available. Otherwise — and when a policy
asks for it — a catalogue indicator. The documented fallback is ``aandeel_huishoudens_sociaal_minimum``
(% of households at or around the social minimum, CBS KWB): need then counts the inwoners living
in such households. A score below zero (e.g. a z-score) is shifted so the lowest gemeente has 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from npvr.errors import NpvrError
from npvr.impact.inputs import GemeenteData
from npvr.impact.policy import NeedSpec

FALLBACK_INDICATOR = "aandeel_huishoudens_sociaal_minimum"


@dataclass(frozen=True)
class Need:
    """Need per gemeente (non-negative, indexed by gm_code) and what it is."""

    values: pd.Series
    label_nl: str
    label_en: str
    provenance: str


def _index_scores(spec: NeedSpec, data: GemeenteData) -> tuple[pd.Series, str, str] | None:
    """Deprivation scores (higher = more deprived) from the index engine, or None if unavailable."""
    try:
        from npvr.index.pipeline import build_index
    except ImportError:  # the index engine is optional for an uitvoeringstoets
        return None
    result = build_index(spec.index_config, level="gemeente")
    scores = result.scores.set_index("code")["score"].astype(float)
    scores.index = scores.index.astype(str)
    if result.orientation != "deprivation":
        scores = -scores  # a prosperity index: low score = high need
    return scores, result.name, f"npvr-index '{result.name}' (gemeenteniveau, {len(scores)} gemeenten)"


def resolve_need(spec: NeedSpec, data: GemeenteData, period: int | None) -> Need | None:
    """The need series the policy asks for; None when no source is available."""
    pop = data.frame["inwoners"]
    label_nl, label_en, prov = "achterstandsindex", "deprivation index", ""
    score: pd.Series | None = None
    if spec.source == "index":
        got = _index_scores(spec, data) if data.indicator is not None or spec.index_config else None
        if got is not None:
            score, label_nl, prov = got
            label_en = label_nl
    if score is None:
        ind = spec.indicator or FALLBACK_INDICATOR
        try:
            score = data.fetch_indicator(ind, period, field="need.indicator")
        except NpvrError:  # the fallback indicator is missing (e.g. a cut-down snapshot): no need line
            if spec.source == "indicator":
                raise
            return None
        prov = data.provenance.get(ind, "")
        label_nl, label_en = data.labels.get(ind, (ind, ind))
    score = score.reindex(pop.index).astype(float)
    if score.min() < 0:
        score = score - score.min()
    values = score * pop if spec.weigh_by_population else score
    return Need(values.fillna(0.0), label_nl, label_en, prov)


def incidence(
    euros: pd.Series,
    data: GemeenteData,
    *,
    need: Need | None = None,
    baseline: pd.Series | None = None,
) -> pd.DataFrame:
    """Per region (NPVR ids, then "rest"): euros, inwoners, € per inwoner, and shares.

    ``ratio_bevolking`` = share of budget / share of population; ``ratio_behoefte`` = share of
    budget / share of need (1 = exactly in line).
    """
    f = data.frame
    df = pd.DataFrame({"euro": euros, "inwoners": f["inwoners"], "region": f["region"]})
    if need is not None:
        df["behoefte"] = need.values.reindex(df.index).fillna(0.0)
    if baseline is not None:
        df["euro_basis"] = baseline
    g = df.groupby("region").sum(numeric_only=True)
    order = [r for r in data.region_names if r in g.index] + [
        r for r in g.index if r not in data.region_names
    ]
    g = g.reindex(order)
    tot = df.sum(numeric_only=True)
    g["euro_per_inwoner"] = g["euro"] / g["inwoners"]
    g["aandeel_budget"] = g["euro"] / tot["euro"] if tot["euro"] else np.nan
    g["aandeel_bevolking"] = g["inwoners"] / tot["inwoners"]
    g["ratio_bevolking"] = g["aandeel_budget"] / g["aandeel_bevolking"]
    if need is not None:
        g["aandeel_behoefte"] = g["behoefte"] / tot["behoefte"] if tot["behoefte"] else np.nan
        g["ratio_behoefte"] = g["aandeel_budget"] / g["aandeel_behoefte"]
    if baseline is not None:
        g["verschil_euro"] = g["euro"] - g["euro_basis"]
        g["verschil_per_inwoner"] = g["verschil_euro"] / g["inwoners"]
    g.insert(0, "naam", [data.region_name(r) for r in g.index])
    g.index.name = "regio"
    return g
