"""Areas: gemeenten (2025), COROP, provinces, NPVR regions and user region sets, border flags."""

from npvr.areas.levels import (
    LEVELS,
    NL_CODE,
    Area,
    groups_with_rest,
    membership,
    regio_units,
    resolve_area,
    unit_names,
)
from npvr.areas.regions import REST_ID, Region, RegionSet, load_regions, parse_regions

__all__ = [
    "LEVELS",
    "NL_CODE",
    "REST_ID",
    "Area",
    "Region",
    "RegionSet",
    "groups_with_rest",
    "load_regions",
    "membership",
    "parse_regions",
    "regio_units",
    "resolve_area",
    "unit_names",
]
