"""Area levels (gemeente, COROP, province, regio, NPVR region, NL) and finding an area by code or name.

The ``regio`` level divides the country exactly once into the NPVR regions of a region set plus
what is left of every COROP area: the gemeenten of a COROP area that belong to no region form one
unit, coded ``CRnn`` when no gemeente of that area is in a region ("the whole COROP area") and
``CRnn-rest`` when some are ("rest van CR14 Achterhoek"). So a region is ranked as itself (its own
member gemeenten), never as the larger COROP area it lies in, and every unit is a real part of the
country. Values at this level come from :func:`npvr.aggregate` with each indicator's own rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from npvr.areas.regions import REST_ID, RegionSet, load_regions
from npvr.errors import UnknownAreaError

LEVELS = ("gemeente", "corop", "provincie", "regio", "npvr", "nl")
REST_SUFFIX = "-rest"
NL_CODE = "NL01"


@dataclass(frozen=True)
class Area:
    """A resolved area: its kind (level), code, Dutch name and member gemeenten."""

    kind: str
    code: str
    name: str
    members: tuple[str, ...]


def _gemeenten() -> pd.DataFrame:
    from npvr.data.snapshot import load_snapshot

    return load_snapshot().gemeenten


def membership(level: str, regions: RegionSet | None = None) -> pd.Series:
    """gm_code -> unit code at ``level``; for "npvr" only member gemeenten are mapped."""
    gem = _gemeenten()
    if level == "gemeente":
        return pd.Series(gem.index, index=gem.index, name="unit")
    if level == "corop":
        return gem["corop_code"].rename("unit")
    if level == "provincie":
        return gem["province_code"].rename("unit")
    if level == "nl":
        return pd.Series(NL_CODE, index=gem.index, name="unit")
    if level == "npvr":
        regions = regions if regions is not None else load_regions()
        return regions.membership().rename("unit")
    if level == "regio":
        units = regio_units(regions)
        pairs = {gm: code for code, members in units["members"].items() for gm in members}
        return pd.Series(pairs, name="unit").rename_axis("gm_code").reindex(gem.index)
    raise UnknownAreaError(
        f"onbekend niveau '{level}'; kies uit {', '.join(LEVELS)}",
        en=f"unknown level '{level}'; choose from {', '.join(LEVELS)}",
        field="level",
    )


def unit_names(level: str, regions: RegionSet | None = None) -> dict[str, str]:
    """Unit code -> Dutch name at ``level``."""
    gem = _gemeenten()
    if level == "gemeente":
        return gem["name"].to_dict()
    if level == "corop":
        return dict(zip(gem["corop_code"], gem["corop_name"], strict=False))
    if level == "provincie":
        return dict(zip(gem["province_code"], gem["province_name"], strict=False))
    if level == "nl":
        return {NL_CODE: "Nederland"}
    if level == "regio":
        return regio_units(regions)["name"].to_dict()
    regions = regions if regions is not None else load_regions()
    return {r.id: r.name for r in regions}


def resolve_area(query: str, regions: RegionSet | None = None) -> Area:
    """Find an area by NPVR region id or name (any case), CRnn, PVnn, GMnnnn, or 'NL'."""
    regions = regions if regions is not None else load_regions()
    gem = _gemeenten()
    q = query.strip()
    key = q.casefold()
    for r in regions:
        if key in (r.id.casefold(), r.name.casefold()):
            return Area("npvr", r.id, r.name, r.members)
    up = q.upper()
    if up in ("NL", NL_CODE, "NEDERLAND"):
        return Area("nl", NL_CODE, "Nederland", tuple(gem.index))
    if up in gem.index:
        return Area("gemeente", up, str(gem.at[up, "name"]), (up,))
    for kind, col, name_col in (
        ("corop", "corop_code", "corop_name"),
        ("provincie", "province_code", "province_name"),
    ):
        hit = gem[gem[col] == up]
        if not hit.empty:
            return Area(kind, up, str(hit[name_col].iloc[0]), tuple(hit.index))
    by_name = gem[gem["name"].str.casefold() == key]
    if len(by_name) == 1:
        code = str(by_name.index[0])
        return Area("gemeente", code, str(by_name["name"].iloc[0]), (code,))
    raise UnknownAreaError(
        f"gebied '{query}' niet gevonden; geef een regio-id of -naam ({', '.join(regions.ids)}), "
        "een COROP-code (CRnn), provinciecode (PVnn) of gemeentecode (GMnnnn)",
        en=f"area '{query}' not found; give a region id or name, CRnn, PVnn or GMnnnn",
        field="REGION",
    )


def regio_units(regions: RegionSet | None = None) -> pd.DataFrame:
    """The units of the ``regio`` level, indexed by code: ``name, kind`` ("npvr" or "rest"),
    ``corop_code`` (the COROP area of a rest unit; empty for a region) and ``members`` (tuple of
    gm codes). Every gemeente is in exactly one unit (see the module docstring)."""
    regions = regions if regions is not None else load_regions()
    gem = _gemeenten()
    rows = [
        {"code": r.id, "name": r.name, "kind": "npvr", "corop_code": "", "members": tuple(r.members)}
        for r in regions
    ]
    owner = regions.membership()
    left = gem[~gem.index.isin(owner.index)]
    touched = set(gem.loc[gem.index.isin(owner.index), "corop_code"])
    for corop, sub in left.groupby("corop_code", sort=True):
        cname = str(sub["corop_name"].iloc[0])
        partial = corop in touched
        rows.append(
            {
                "code": f"{corop}{REST_SUFFIX}" if partial else str(corop),
                "name": f"Rest van {corop} {cname}" if partial else cname,
                "kind": "rest",
                "corop_code": str(corop),
                "members": tuple(sub.index),
            }
        )
    return pd.DataFrame(rows).set_index("code")


def groups_with_rest(regions: RegionSet | None = None) -> pd.Series:
    """Every gemeente -> its NPVR region id, or "rest" (rest of NL)."""
    regions = regions if regions is not None else load_regions()
    return regions.groups(_gemeenten().index)


__all__ = [
    "LEVELS",
    "NL_CODE",
    "REST_ID",
    "Area",
    "groups_with_rest",
    "membership",
    "regio_units",
    "resolve_area",
    "unit_names",
]
