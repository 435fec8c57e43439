"""Exposure × sensitivity for a policy that is not money (ESPON TIA quick-check style, per gemeente).

Exposure (0..1) says how much a gemeente is touched by the policy; sensitivity (0..1) how strongly
it reacts. Impact = exposure × sensitivity. Data items are min-max normalised over the gemeenten
(a border flag is already 0/1); expert scores (0..``expert_scale``, per gemeente code or NPVR region
id; a region score applies to all its members) are divided by the scale. Data and experts are mixed
as (1 - expert_weight) × data + expert_weight × experts. The spread over experts is kept: impact is
also computed with the lowest and the highest expert score, so a reader sees how much the experts
disagree. An area no expert scored counts as 0 (not exposed) in the expert part. Region values
are population-weighted means of their gemeenten.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from npvr.errors import ConfigError
from npvr.impact.inputs import GemeenteData
from npvr.impact.measures import MEASURES
from npvr.impact.policy import ExposurePolicy


def minmax(s: pd.Series) -> pd.Series:
    """Scale to 0..1 over the gemeenten (all equal -> 0)."""
    lo, hi = s.min(), s.max()
    if not np.isfinite(hi - lo) or hi == lo:
        return s * 0.0
    return (s - lo) / (hi - lo)


def _weighted(parts: list[tuple[pd.Series, float]]) -> pd.Series:
    num = sum(s * w for s, w in parts)
    den = sum(w for _, w in parts)
    return num / den if den else num * np.nan


def data_exposure(policy: ExposurePolicy, data: GemeenteData, period: int | None) -> pd.Series | None:
    """Weighted mean of the normalised data items (None when the policy has none)."""
    f = data.frame
    parts = []
    for i, item in enumerate(policy.exposure):
        if item.source == "border":
            cols = {"belgium": ["borders_belgium"], "germany": ["borders_germany"]}.get(
                item.border, ["borders_belgium", "borders_germany"]
            )
            s = pd.concat([data.column(c).astype(bool) for c in cols], axis=1).any(axis=1).astype(float)
        elif item.source == "share":
            col = cast(str, MEASURES[cast(str, item.measure)].column)
            s = minmax(data.column(col) / f["inwoners"])
        else:
            s = minmax(
                data.fetch_indicator(str(item.indicator), period, field=f"exposure[{i}].indicator").reindex(
                    f.index
                )
            )
        parts.append((s, item.weight))
    return _weighted(parts) if parts else None


def expert_exposure(policy: ExposurePolicy, data: GemeenteData) -> pd.DataFrame | None:
    """Per gemeente and expert: score / scale; a region id applies to all its members."""
    if not policy.experts:
        return None
    f = data.frame
    cols = {}
    for expert, scores in policy.experts.items():
        s = pd.Series(np.nan, index=f.index)
        for area, score in scores.items():
            if area in f.index:
                continue
            members = f.index[f["region"] == area]
            if len(members) == 0:
                raise ConfigError(
                    f"'{area}' (expert '{expert}') is geen gemeentecode of regio-id",
                    en=f"'{area}' (expert '{expert}') is not a gemeente code or region id",
                    field=f"experts.{expert}.{area}",
                )
            s[members] = score
        for area, score in scores.items():  # a gemeente score overrides its region's
            if area in f.index:
                s[area] = score
        cols[expert] = s / policy.expert_scale
    return pd.DataFrame(cols)


def sensitivity(policy: ExposurePolicy, data: GemeenteData, period: int | None) -> pd.Series:
    """Weighted mean of normalised sensitivity indicators, turned so 1 = most sensitive."""
    f = data.frame
    parts = []
    for i, item in enumerate(policy.sensitivity):
        if item.measure is not None:
            raw = data.column(cast(str, MEASURES[item.measure].column)) / f["inwoners"]
        else:
            raw = data.fetch_indicator(cast(str, item.indicator), period, field=f"sensitivity[{i}].indicator")
        s = minmax(raw.reindex(f.index).astype(float))
        parts.append(((s if item.direction == 1 else 1 - s), item.weight))
    return _weighted(parts)


def impact(policy: ExposurePolicy, data: GemeenteData, period: int | None = None) -> pd.DataFrame:
    """Per gemeente: exposure (data, experts mean/min/max), sensitivity and impact with its range."""
    f = data.frame
    out = pd.DataFrame(index=f.index)
    d = data_exposure(policy, data, period)
    e = expert_exposure(policy, data)
    w = policy.expert_weight if (d is not None and e is not None) else (1.0 if d is None else 0.0)
    if d is not None:
        out["blootstelling_data"] = d
    if e is not None:
        out["blootstelling_experts"] = e.mean(axis=1)
        out["experts_min"] = e.min(axis=1)
        out["experts_max"] = e.max(axis=1)
        out["experts_sd"] = e.std(axis=1, ddof=0)

    def mix(expert_part: pd.Series | None) -> pd.Series:
        base = d.fillna(0.0) if d is not None else pd.Series(0.0, index=f.index)
        if expert_part is None:
            return base
        return (1 - w) * base + w * expert_part.fillna(0.0)

    out["blootstelling"] = mix(out.get("blootstelling_experts"))
    out["gevoeligheid"] = sensitivity(policy, data, period)
    out["impact"] = out["blootstelling"] * out["gevoeligheid"]
    if e is not None:
        out["impact_laag"] = mix(out["experts_min"]) * out["gevoeligheid"]
        out["impact_hoog"] = mix(out["experts_max"]) * out["gevoeligheid"]
    return out


def by_region(per_gemeente: pd.DataFrame, data: GemeenteData) -> pd.DataFrame:
    """Population-weighted region means of every column (the exposure × sensitivity matrix)."""
    f = data.frame
    pop = f["inwoners"]
    cols = [c for c in per_gemeente.columns if per_gemeente[c].dtype.kind == "f"]
    rows = {}
    for rid, idx in f.groupby("region").groups.items():
        w = pop[idx]
        rows[rid] = {c: float(np.average(per_gemeente.loc[idx, c].fillna(0.0), weights=w)) for c in cols}
        rows[rid]["inwoners"] = float(w.sum())
    g = pd.DataFrame.from_dict(rows, orient="index")
    order = [r for r in data.region_names if r in g.index] + [
        r for r in g.index if r not in data.region_names
    ]
    g = g.reindex(order)
    g.insert(0, "naam", [data.region_name(r) for r in g.index])
    g.index.name = "regio"
    return g
