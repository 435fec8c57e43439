"""The codes a register entry is checked against: regions, gemeenten, indicators, the period.

The validator takes a :class:`Reference` as an argument, so tests and a web app can pass their
own; :func:`default_reference` builds it from the shipped region set and snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from npvr.register.models import PROGRAMME_PERIOD


@dataclass(frozen=True)
class Reference:
    """Valid codes. ``gemeenten``/``indicators`` None means: only the format is checked."""

    regions: Mapping[str, frozenset[str]]  # region id -> member gm codes
    gemeenten: frozenset[str] | None = None
    indicators: frozenset[str] | None = None
    period: tuple[int, int] = PROGRAMME_PERIOD
    gemeente_names: Mapping[str, str] = field(default_factory=dict)


def _regions_from_library() -> dict[str, frozenset[str]] | None:
    try:
        import npvr

        load_regions = npvr.load_regions  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None
    from npvr.errors import NpvrError

    try:
        regions = load_regions()
    except (NpvrError, OSError, ValueError, KeyError):  # foundation not (fully) built: fall back
        return None
    return {r.id: frozenset(r.members) for r in regions.regions}


def _regions_from_yaml() -> dict[str, frozenset[str]]:
    """Fallback while ``npvr.load_regions`` is not there: read the shipped region file directly."""
    import yaml

    text = resources.files("npvr.areas").joinpath("npvr_regions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {r["id"]: frozenset(r["members"]) for r in data["regions"]}


def _from_snapshot() -> tuple[frozenset[str] | None, frozenset[str] | None, dict[str, str]]:
    try:
        import npvr

        load_snapshot = npvr.load_snapshot  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None, None, {}
    from npvr.errors import NpvrError

    try:
        snap = load_snapshot()
    except (NpvrError, OSError, ValueError, KeyError):  # no usable snapshot: check formats only
        return None, None, {}
    gm = snap.gemeenten
    names = {str(k): str(v) for k, v in gm["name"].items()} if "name" in gm.columns else {}
    return frozenset(map(str, gm.index)), frozenset(snap.catalogue.keys()), names


@cache
def default_reference() -> Reference:
    """Regions from ``npvr.load_regions()``; gemeenten and indicators from the shipped snapshot."""
    regions = _regions_from_library() or _regions_from_yaml()
    gemeenten, indicators, names = _from_snapshot()
    return Reference(regions=regions, gemeenten=gemeenten, indicators=indicators, gemeente_names=names)
