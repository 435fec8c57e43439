"""Two variants of a policy side by side (``npvr toets --compare A.yaml B.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from npvr.impact.run import ToetsResult


@dataclass
class Comparison:
    """Region and gemeente tables with A, B and B − A; ``summary`` holds one Dutch line per fact."""

    a: ToetsResult
    b: ToetsResult
    regions: pd.DataFrame
    gemeenten: pd.DataFrame
    summary: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.policy.name,
            "b": self.b.policy.name,
            "summary": self.summary,
            "regions": self.regions.reset_index(names="regio").to_dict(orient="records"),
            "gemeenten": self.gemeenten.reset_index(names="gm_code").to_dict(orient="records"),
        }


def _metric(r: ToetsResult) -> tuple[str, str]:
    """The headline column of a result: euros per inwoner for money, the impact score otherwise."""
    return ("euro_per_inwoner", "euro") if "euro" in r.regions.columns else ("impact", "impact")


def compare(a: ToetsResult, b: ToetsResult) -> Comparison:
    """Join two results on region and gemeente; differences are B − A."""
    per, tot = _metric(a)
    per_b, tot_b = _metric(b)
    reg = pd.DataFrame({"naam": a.regions["naam"]})
    reg[f"{tot}_A"] = a.regions[tot]
    reg[f"{tot_b}_B"] = b.regions[tot_b]
    if per != tot:
        reg[f"{per}_A"] = a.regions[per]
    if per_b != tot_b:
        reg[f"{per_b}_B"] = b.regions[per_b]
    if tot == tot_b:
        reg[f"verschil_{tot}"] = reg[f"{tot_b}_B"] - reg[f"{tot}_A"]
    if per == per_b and per != tot:
        reg[f"verschil_{per}"] = reg[f"{per_b}_B"] - reg[f"{per}_A"]
    reg["oordeel_A"] = a.regions["oordeel"]
    reg["oordeel_B"] = b.regions["oordeel"]
    gm = pd.DataFrame({"naam": a.gemeenten["naam"], "regio": a.gemeenten["regio"]})
    gm[f"{tot}_A"] = a.gemeenten[tot]
    gm[f"{tot_b}_B"] = b.gemeenten[tot_b]
    if tot == tot_b:
        gm[f"verschil_{tot}"] = gm[f"{tot_b}_B"] - gm[f"{tot}_A"]
    changed = int((reg["oordeel_A"] != reg["oordeel_B"]).sum())
    summary = {
        "varianten": f"A = {a.policy.name}; B = {b.policy.name}.",
        "oordelen": f"{changed} van {len(reg)} regio's krijgen in B een ander oordeel dan in A.",
    }
    if tot == tot_b == "euro":
        d = reg["verschil_euro"]
        summary["grootste_winst"] = f"Grootste winst in B: {reg.loc[d.idxmax(), 'naam']}."
        summary["grootste_verlies"] = f"Grootste verlies in B: {reg.loc[d.idxmin(), 'naam']}."
    return Comparison(a, b, reg, gm, summary)
