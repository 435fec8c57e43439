"""Region profiles: an area's key figures beside the Netherlands and beside the rest of NL."""

from __future__ import annotations

import pandas as pd

from npvr.areas import REST_ID, RegionSet, load_regions, resolve_area
from npvr.areas.levels import NL_CODE
from npvr.data.aggregate import aggregate
from npvr.data.catalogue import level_note
from npvr.data.snapshot import Snapshot, load_snapshot

PROFILE_COLUMNS = [
    "indicator_id",
    "label",
    "theme",
    "unit",
    "period",
    "value",
    "nederland",
    "rest_nl",
    "direction",
    "source",
]


def profile(
    query: str,
    *,
    regions: RegionSet | None = None,
    snapshot: Snapshot | None = None,
    lang: str = "nl",
    indicators: list[str] | None = None,
) -> tuple[dict[str, object], pd.DataFrame]:
    """The area's latest value of each indicator beside NL and beside "rest of NL".

    "Rest of NL" is every gemeente outside the 11 regions (of ``regions``). Returns the resolved area
    (kind, code, name, members) and one row per indicator with unit, period and source.
    """
    snap = snapshot or load_snapshot()
    regions = regions if regions is not None else load_regions()
    area = resolve_area(query, regions)
    cat = snap.catalogue
    wanted = indicators or [i for i, ind in cat.items() if ind.aggregation != "sum" or i in ("inwoners",)]
    codes = snap.gemeenten.index
    member_set = set(area.members)
    groups = pd.Series(["area" if c in member_set else "other" for c in codes], index=codes)
    rest = regions.groups(codes)
    parts = [
        aggregate(snap.values, groups[groups == "area"], cat, indicators=wanted).assign(col="value"),
        aggregate(snap.values, pd.Series(NL_CODE, index=codes), cat, indicators=wanted).assign(
            col="nederland"
        ),
        aggregate(snap.values, rest[rest == REST_ID], cat, indicators=wanted).assign(col="rest_nl"),
    ]
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index=["indicator_id", "period"], columns="col", values="value").reset_index()
    latest = wide.dropna(subset=["value"]).sort_values("period").groupby("indicator_id").tail(1)
    order = {iid: i for i, iid in enumerate(wanted)}
    latest = latest.sort_values("indicator_id", key=lambda s: s.map(order))
    rows = []
    corop_of = snap.gemeenten["corop_code"].to_dict()
    for r in latest.itertuples(index=False):
        ind = cat[r.indicator_id]
        note = level_note(ind, list(area.members), corop_of, lang)
        rows.append(
            {
                "indicator_id": ind.id,
                "label": ind.label(lang),
                "theme": ind.theme,
                "unit": ind.unit,
                "period": int(r.period),
                "value": float(r.value),
                "nederland": float(getattr(r, "nederland", float("nan"))),
                "rest_nl": float(getattr(r, "rest_nl", float("nan"))),
                "direction": ind.direction,
                "source": ind.provenance(int(r.period), lang) + (f"; {note}" if note else ""),
            }
        )
    info: dict[str, object] = {
        "kind": area.kind,
        "code": area.code,
        "name": area.name,
        "members": list(area.members),
    }
    return info, pd.DataFrame(rows, columns=PROFILE_COLUMNS)
