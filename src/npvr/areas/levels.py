"""Area levels (gemeente, COROP, province, NPVR region, NL) and finding an area by code or name."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from npvr.areas.regions import REST_ID, RegionSet, load_regions
from npvr.errors import UnknownAreaError

LEVELS = ("gemeente", "corop", "provincie", "npvr", "nl")
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
    "resolve_area",
    "unit_names",
]
