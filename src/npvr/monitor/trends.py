"""Trends: is the gap between a region and the rest of NL narrowing or widening?

Works on the output of :func:`npvr.monitor.gaps.gap_table` and keeps only indicators with at least
two periods. The verdict compares the first and the last period, for the absolute gap (in the
indicator's unit) and the relative gap (as a share of the rest of NL), because they can disagree:
a gap in euros can grow while the gap in percent shrinks when everybody gets richer.

``improving`` is direction-aware: True when the region moved towards "better" compared with the
rest (for an indicator where higher is worse, a shrinking positive gap is an improvement).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VERDICTS: tuple[str, ...] = ("narrowing", "widening", "unchanged")


def _verdict(first: float, last: float) -> str:
    if not (np.isfinite(first) and np.isfinite(last)):
        return "unchanged"
    a, b = abs(first), abs(last)
    if np.isclose(a, b, rtol=1e-9, atol=1e-12):
        return "unchanged"
    return "narrowing" if b < a else "widening"


def trend_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and indicator with >= 2 periods: first/last gap and the verdicts.

    Columns: area_code, indicator_id, first_period, last_period, n_periods, gap_abs_first,
    gap_abs_last, gap_rel_first, gap_rel_last, change_abs, change_rel, verdict_abs, verdict_rel,
    improving (bool or None for context indicators).
    """
    rows = []
    for (unit, ind), sub in gaps.groupby(["area_code", "indicator_id"], sort=True):
        sub = sub.sort_values("period")
        if len(sub) < 2:
            continue
        f, lst = sub.iloc[0], sub.iloc[-1]
        direction = int(lst.get("direction", 0))
        change_abs = float(lst["gap_abs"] - f["gap_abs"])
        rows.append(
            {
                "area_code": unit,
                "indicator_id": ind,
                "first_period": int(f["period"]),
                "last_period": int(lst["period"]),
                "n_periods": len(sub),
                "gap_abs_first": float(f["gap_abs"]),
                "gap_abs_last": float(lst["gap_abs"]),
                "gap_rel_first": float(f["gap_rel"]),
                "gap_rel_last": float(lst["gap_rel"]),
                "change_abs": change_abs,
                "change_rel": float(lst["gap_rel"] - f["gap_rel"]),
                "verdict_abs": _verdict(float(f["gap_abs"]), float(lst["gap_abs"])),
                "verdict_rel": _verdict(float(f["gap_rel"]), float(lst["gap_rel"])),
                "improving": None if direction == 0 else bool(change_abs * direction > 0),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "area_code",
            "indicator_id",
            "first_period",
            "last_period",
            "n_periods",
            "gap_abs_first",
            "gap_abs_last",
            "gap_rel_first",
            "gap_rel_last",
            "change_abs",
            "change_rel",
            "verdict_abs",
            "verdict_rel",
            "improving",
        ],
    )


def series(unit_values: pd.DataFrame, indicator_id: str, units: list[str]) -> pd.DataFrame:
    """The time series of one indicator for some units, wide (period x unit), for charts."""
    sub = unit_values[(unit_values["indicator_id"] == indicator_id) & unit_values["area_code"].isin(units)]
    return sub.pivot_table(index="period", columns="area_code", values="value", aggfunc="first").sort_index()
