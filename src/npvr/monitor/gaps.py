"""Gaps between the NPVR regions and the rest of the Netherlands, absolute and relative.

Two steps, kept apart so each can be tested on its own:

1. :func:`group_values` turns gemeente values into values per unit (each NPVR region, all NPVR
   gemeenten together as ``"npvr"``, the rest of NL as ``"rest"``, the whole country as ``"nl"``)
   with the foundation's ``npvr.aggregate``, so every indicator is combined by its own rule (sum,
   ratio of sums, population-weighted mean) - never by averaging percentages.
2. :func:`gap_table` compares every unit with the rest of NL and with NL, per indicator and period.

``better`` uses the indicator's direction: +1 when the region does better than the rest, -1 worse,
0 for context indicators or equality.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

NPVR = "npvr"
REST = "rest"
NL = "nl"
GROUP_UNITS: tuple[str, ...] = (NPVR, REST, NL)


def unit_memberships(groups: pd.Series) -> list[pd.Series]:
    """The three memberships used by the monitor, from ``RegionSet.groups()`` (gm -> region or rest).

    Returns (gm -> region id, members only), (gm -> "npvr"/"rest"), (gm -> "nl").
    """
    groups = groups.astype(str)
    regions = groups[groups != REST]
    npvr_rest = groups.where(groups == REST, NPVR)
    nl = pd.Series(NL, index=groups.index)
    return [regions, npvr_rest, nl]


def group_values(
    values: pd.DataFrame, groups: pd.Series, catalogue: Any = None, *, indicators: list[str] | None = None
) -> pd.DataFrame:
    """Long values per unit (regions, npvr, rest, nl) with each indicator's aggregation rule.

    One ``npvr.aggregate`` call instead of three: every gemeente appears once per membership under a
    tagged code (``GM0014#1``), so the units of all three memberships come out together. The
    aggregation per unit is unchanged (each unit only sees its own tagged members); it halves the
    time, which matters for the report's time budget.
    """
    import npvr

    tagged_values, tagged_members = [], []
    for j, m in enumerate(unit_memberships(groups)):
        v = values[values["area_code"].isin(m.index)]
        tagged_values.append(v.assign(area_code=v["area_code"] + f"#{j}"))
        tagged_members.append(pd.Series(m.to_numpy(), index=m.index + f"#{j}"))
    out = npvr.aggregate(
        pd.concat(tagged_values, ignore_index=True),
        pd.concat(tagged_members),
        catalogue,
        indicators=indicators,
    )
    return out[["area_code", "indicator_id", "period", "value"]].reset_index(drop=True)


def _direction(catalogue: Mapping[str, Any] | None, indicator_id: str) -> int:
    if catalogue is None or indicator_id not in catalogue:
        return 0
    return int(getattr(catalogue[indicator_id], "direction", 0) or 0)


GAP_COLUMNS = [
    "area_code",
    "indicator_id",
    "period",
    "value",
    "rest",
    "nl",
    "gap_abs",
    "gap_rel",
    "gap_nl_abs",
    "gap_nl_rel",
    "direction",
    "better",
]


def gap_table(unit_values: pd.DataFrame, catalogue: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Every non-reference unit against the rest of NL and NL, per indicator and period.

    Columns: area_code, indicator_id, period, value, rest, nl, gap_abs (value - rest), gap_rel
    ((value - rest) / rest, NaN when rest is 0), gap_nl_abs, gap_nl_rel, direction, better.
    """
    wide = unit_values.pivot_table(
        index=["indicator_id", "period"], columns="area_code", values="value", aggfunc="first"
    )
    if REST not in wide.columns:
        return pd.DataFrame(columns=GAP_COLUMNS)
    rest = wide[REST]
    nl = wide[NL] if NL in wide.columns else pd.Series(np.nan, index=wide.index)
    frames = []
    for unit in [c for c in wide.columns if c not in (REST, NL)]:
        f = pd.DataFrame({"value": wide[unit], "rest": rest, "nl": nl}).dropna(subset=["value", "rest"])
        f.insert(0, "area_code", unit)
        frames.append(f)
    if not frames:
        return gap_table(unit_values.iloc[0:0], catalogue)
    out = pd.concat(frames).reset_index()
    out["gap_abs"] = out["value"] - out["rest"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["gap_rel"] = np.where(out["rest"] != 0, out["gap_abs"] / out["rest"].abs(), np.nan)
        out["gap_nl_abs"] = out["value"] - out["nl"]
        out["gap_nl_rel"] = np.where(out["nl"] != 0, out["gap_nl_abs"] / out["nl"].abs(), np.nan)
    out["direction"] = [_direction(catalogue, i) for i in out["indicator_id"]]
    out["better"] = np.sign(out["gap_abs"] * out["direction"]).astype(int)
    return out[GAP_COLUMNS].sort_values(["area_code", "indicator_id", "period"]).reset_index(drop=True)


def latest(gaps: pd.DataFrame) -> pd.DataFrame:
    """Only the most recent period per unit and indicator (what a profile page shows)."""
    if gaps.empty:
        return gaps
    idx = gaps.groupby(["area_code", "indicator_id"])["period"].idxmax()
    return gaps.loc[idx].reset_index(drop=True)
