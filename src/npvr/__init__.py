"""npvr: evidence for the Dutch Nationaal Programma Vitale Regio's.

The public entry point; faces (CLI, reports, web) import from here::

    import npvr
    snap = npvr.load_snapshot()
    regions = npvr.load_regions()
    twente = npvr.aggregate(snap.values, regions.membership()).query("area_code == 'twente'")
    corop = npvr.indicator_table(["aandeel_65plus"], level="corop")   # with names, unit and source
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version

from npvr.areas import (
    REST_ID,
    Area,
    Region,
    RegionSet,
    load_regions,
    membership,
    resolve_area,
)
from npvr.data import Catalogue, Indicator, Snapshot, aggregate, load_snapshot
from npvr.errors import NpvrError
from npvr.profile import profile
from npvr.tables import indicator_table, indicators_table, regions_table

try:  # the installed distribution's version: one number, in pyproject.toml
    __version__ = _dist_version("npvr")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "REST_ID",
    "Area",
    "Catalogue",
    "Indicator",
    "NpvrError",
    "Region",
    "RegionSet",
    "Snapshot",
    "aggregate",
    "indicator_table",
    "indicators_table",
    "load_regions",
    "load_snapshot",
    "membership",
    "profile",
    "regions_table",
    "resolve_area",
]
