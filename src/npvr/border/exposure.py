"""Measured border exposure: how many inwoners of each NPVR region live in a border gemeente.

A border gemeente is one whose boundary touches Belgium or Germany (``snap.gemeenten``
``borders_belgium`` / ``borders_germany``, decided by the foundation; see ``border_basis``).
"""

from __future__ import annotations

import pandas as pd

from npvr.impact.inputs import GemeenteData

BORDER_NAMES = {"belgium": ("België", "Belgium"), "germany": ("Duitsland", "Germany")}


def border_gemeenten(data: GemeenteData, borders: list[str]) -> pd.DataFrame:
    """The border gemeenten for the given borders: name, region, which border, inwoners."""
    f = data.frame
    be = f["borders_belgium"].astype(bool) & ("belgium" in borders)
    de = f["borders_germany"].astype(bool) & ("germany" in borders)
    sel = f[be | de]
    which = pd.Series("", index=sel.index)
    which[be[sel.index] & ~de[sel.index]] = "België"
    which[de[sel.index] & ~be[sel.index]] = "Duitsland"
    which[be[sel.index] & de[sel.index]] = "België en Duitsland"
    out = pd.DataFrame(
        {
            "naam": sel["name"],
            "regio": [data.region_name(r) for r in sel["region"]],
            "grens": which,
            "inwoners": sel["inwoners"],
        }
    )
    out.index.name = "gm_code"
    return out.sort_values(["regio", "naam"])


def border_exposure(data: GemeenteData, borders: list[str]) -> pd.DataFrame:
    """Per region (and NL): inwoners, inwoners in border gemeenten, share, number of border gemeenten."""
    f = data.frame
    flag = pd.Series(False, index=f.index)
    if "belgium" in borders:
        flag |= f["borders_belgium"].astype(bool)
    if "germany" in borders:
        flag |= f["borders_germany"].astype(bool)
    df = pd.DataFrame({"region": f["region"], "inwoners": f["inwoners"], "grens": flag})
    df["inwoners_grensgemeenten"] = df["inwoners"].where(df["grens"], 0)
    g = df.groupby("region").agg(
        gemeenten=("grens", "size"),
        grensgemeenten=("grens", "sum"),
        inwoners=("inwoners", "sum"),
        inwoners_grensgemeenten=("inwoners_grensgemeenten", "sum"),
    )
    order = [r for r in data.region_names if r in g.index] + [
        r for r in g.index if r not in data.region_names
    ]
    g = g.reindex(order)
    g.loc["NL"] = g.sum()
    g["aandeel_grensgemeenten"] = g["inwoners_grensgemeenten"] / g["inwoners"]
    g["aandeel_van_alle_grensbewoners"] = (
        g["inwoners_grensgemeenten"] / g.loc["NL", "inwoners_grensgemeenten"]
    )
    g.insert(0, "naam", [data.region_name(r) if r != "NL" else "Nederland" for r in g.index])
    g.index.name = "regio"
    return g
