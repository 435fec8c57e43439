"""The codes a register entry is checked against: regions, gemeenten, indicators, the period.

The validator takes a :class:`Reference` as an argument, so tests and a web app can pass their
own; :func:`default_reference` builds it from the shipped region set and snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from npvr.register.models import PROGRAMME_PERIOD


@dataclass(frozen=True)
class Reference:
    """Valid codes. ``gemeenten``/``indicators`` None means: only the format is checked."""

    regions: Mapping[str, frozenset[str]]  # region id -> member gm codes
    gemeenten: frozenset[str] | None = None
    indicators: frozenset[str] | None = None
    period: tuple[int, int] = PROGRAMME_PERIOD
    gemeente_names: Mapping[str, str] = field(default_factory=dict)


@cache
def default_reference() -> Reference:
    """Regions from ``npvr.load_regions()``; gemeenten, names and indicators from the shipped snapshot."""
    from npvr.areas import load_regions
    from npvr.data.snapshot import load_snapshot

    snap = load_snapshot()
    regions = load_regions(valid_codes=snap.gemeenten.index)
    return Reference(
        regions={r.id: frozenset(r.members) for r in regions},
        gemeenten=frozenset(map(str, snap.gemeenten.index)),
        indicators=frozenset(snap.catalogue.keys()),
        gemeente_names={str(k): str(v) for k, v in snap.gemeenten["name"].items()},
    )
