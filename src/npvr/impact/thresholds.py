"""Subsidy thresholds (ondergrenzen): who can reach a minimum project size, and who cannot.

Capacity model (documented, deliberately simple): a gemeente can put up ``euro_per_inwoner`` ×
inwoners of its own money for one project. With a co-financing share c (the part of the project
the applicant pays), the largest project it can carry is own money / c; the subsidy pays the rest.
A gemeente reaches the threshold when it is eligible, meets the minimum applicant size (if any)
and its largest project is at least the minimum project size. Per region we also report whether
the member gemeenten *together* could carry one project of the minimum size (a joint bid).
"""

from __future__ import annotations

import pandas as pd

from npvr.impact.inputs import GemeenteData
from npvr.impact.policy import SubsidyPolicy


def eligible(policy: SubsidyPolicy, data: GemeenteData) -> pd.Series:
    """Boolean per gemeente: may it apply at all."""
    f = data.frame
    ok = pd.Series(True, index=f.index)
    rule = policy.eligibility
    if rule.border_only:
        ok &= data.column("borders_belgium").astype(bool) | data.column("borders_germany").astype(bool)
    if rule.provinces:
        ok &= data.column("province_name").isin(rule.provinces) | data.column("province_code").isin(
            rule.provinces
        )
    if rule.npvr_only:
        ok &= f["region"] != "rest"
    return ok


def capacity(policy: SubsidyPolicy, data: GemeenteData) -> pd.DataFrame:
    """Per gemeente: own money, largest project, and whether it reaches each threshold."""
    f = data.frame
    share = policy.cofinancing_pct / 100
    own = f["inwoners"] * policy.capacity.euro_per_inwoner
    out = pd.DataFrame(index=f.index)
    out["eigen_middelen"] = own
    out["max_project"] = own / share
    out["subsidiabel"] = eligible(policy, data)
    out["boven_aanvragersgrens"] = (
        f["inwoners"] >= policy.min_applicant_size.value if policy.min_applicant_size else True
    )
    out["haalt_projectgrens"] = out["max_project"] >= policy.min_project_size.value
    out["haalt_ondergrens"] = out["subsidiabel"] & out["boven_aanvragersgrens"] & out["haalt_projectgrens"]
    # subsidy a reaching gemeente could absorb: its largest project times the subsidised share
    out["subsidie_capaciteit"] = (out["max_project"] * (1 - share)).where(out["haalt_ondergrens"], 0.0)
    return out


def regions_below(cap: pd.DataFrame, data: GemeenteData, *, min_project: float) -> pd.DataFrame:
    """Per region: gemeenten and inwoners below the threshold, and whether a joint bid would reach it."""
    f = data.frame
    df = cap.assign(region=f["region"], inwoners=f["inwoners"])
    df["onder"] = df["subsidiabel"] & ~df["haalt_ondergrens"]
    g = df.groupby("region").agg(
        gemeenten=("onder", "size"),
        gemeenten_subsidiabel=("subsidiabel", "sum"),
        gemeenten_onder_grens=("onder", "sum"),
        inwoners=("inwoners", "sum"),
        max_project_samen=("max_project", "sum"),
    )
    g["inwoners_onder_grens"] = df[df["onder"]].groupby("region")["inwoners"].sum().reindex(g.index).fillna(0)
    g["aandeel_inwoners_onder_grens"] = g["inwoners_onder_grens"] / g["inwoners"]
    g["samen_haalbaar"] = g["max_project_samen"] >= min_project
    return g
