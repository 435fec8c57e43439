"""Indicator values as one long table with names and provenance, at any area level.

This is what a researcher wants from ``import npvr``: every figure with the area's name, the
indicator's label and unit, and the CBS table and period it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from npvr.areas import RegionSet, membership
from npvr.areas.levels import unit_names
from npvr.data.aggregate import aggregate
from npvr.data.snapshot import Snapshot, load_snapshot

TABLE_COLUMNS = [
    "area_code",
    "area_name",
    "indicator_id",
    "label",
    "theme",
    "period",
    "value",
    "unit",
    "table",
    "source",
]


def indicator_table(
    indicators: Iterable[str] | None = None,
    *,
    level: str = "gemeente",
    regions: RegionSet | None = None,
    periods: Iterable[int] | None = None,
    snapshot: Snapshot | None = None,
    lang: str = "nl",
) -> pd.DataFrame:
    """Long-form values with provenance at ``level`` (gemeente, corop, provincie, npvr or nl).

    Above gemeente level each indicator is aggregated with its own catalogue rule (shares from
    counts, weighted means, the documented median approximation).
    """
    snap = snapshot or load_snapshot()
    wanted = list(indicators) if indicators is not None else list(snap.catalogue)
    if level == "gemeente":
        values = aggregate(snap.values, membership("gemeente"), snap.catalogue, indicators=wanted)
    else:
        values = aggregate(snap.values, membership(level, regions), snap.catalogue, indicators=wanted)
    if periods is not None:
        values = values[values["period"].isin(list(periods))]
    names = unit_names(level, regions)
    cat = snap.catalogue
    out = pd.DataFrame(
        {
            "area_code": values["area_code"],
            "area_name": values["area_code"].map(names),
            "indicator_id": values["indicator_id"],
            "label": values["indicator_id"].map(lambda i: cat[i].label(lang)),
            "theme": values["indicator_id"].map(lambda i: cat[i].theme),
            "period": values["period"].astype(int),
            "value": values["value"],
            "unit": values["indicator_id"].map(lambda i: cat[i].unit),
        }
    )
    out["table"] = [
        cat[i].sources.get(p, cat[i].table) for i, p in zip(out["indicator_id"], out["period"], strict=True)
    ]
    out["source"] = [
        cat[i].provenance(p, lang) for i, p in zip(out["indicator_id"], out["period"], strict=True)
    ]
    return out[TABLE_COLUMNS].reset_index(drop=True)


def regions_table(
    regions: RegionSet | None = None, *, snapshot: Snapshot | None = None
) -> list[dict[str, object]]:
    """The regions with members, population (2024, with its CBS source), confidence and variants.

    One row per region; the CLI's ``npvr regions``, the web app and the report all show this.
    """
    snap = snapshot or load_snapshot()
    if regions is None:
        from npvr.areas import load_regions

        regions = load_regions()
    pop = snap.indicator_values("inwoners", 2024)
    source = snap.catalogue["inwoners"].provenance(2024)
    return [
        {
            "id": r.id,
            "name": r.name,
            "n_members": len(r.members),
            "members": list(r.members),
            "member_names": [str(snap.gemeenten.at[c, "name"]) for c in r.members],
            "population": int(pop.reindex(list(r.members)).sum()),
            "population_source": source,
            "confidence": r.confidence,
            "source": r.source,
            "variants": {k: list(v) for k, v in r.variants.items()},
        }
        for r in regions
    ]


def indicators_table(lang: str = "nl", *, snapshot: Snapshot | None = None) -> pd.DataFrame:
    """The catalogue as a table: id, label, theme, unit, direction, periods, CBS tables, coverage."""
    snap = snapshot or load_snapshot()
    rows = [
        {
            "id": ind.id,
            "label": ind.label(lang),
            "theme": ind.theme,
            "unit": ind.unit,
            "direction": ind.direction,
            "periods": list(ind.periods),
            "table": ", ".join(sorted(set(ind.sources.values()))),
            "aggregation": ind.aggregation,
            "coverage": {str(k): v for k, v in ind.coverage.items()},
        }
        for ind in snap.catalogue.values()
    ]
    return pd.DataFrame(rows)
