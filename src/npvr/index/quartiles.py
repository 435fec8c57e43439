"""CBS Monitor Brede Welvaart quartiles: per indicator, the quarter of the gemeente distribution a
unit falls in (green = best quarter, red = worst), and per unit the count of green and red.

The quartile boundaries always come from the 342 gemeenten (as CBS does); a larger unit (COROP,
province, NPVR region) is placed against those boundaries with its aggregated value (each
indicator's catalogue rule). Boundaries are the 25th/50th/75th percentiles (linear
interpolation, upper bounds inclusive, as mapclassify ``Quantiles(k=4)`` but without its silent
drop to fewer classes when values repeat). Only indicators with a direction (+1/-1) count;
context indicators (0) are neither good nor bad.

:func:`quartiles` returns a :class:`QuartileResult` with

- ``cells``: ``code, name, indicator_id, label, period, value, quartile, colour, provenance`` where
  ``quartile`` is 1 (worst quarter) .. 4 (best quarter) in the indicator's good direction and
  ``colour`` is ``groen`` (4), ``rood`` (1) or ``neutraal``;
- ``summary``: ``code, name, n_green, n_red, n_neutral, n_indicators``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from npvr.errors import ConfigError


@dataclass
class QuartileResult:
    level: str
    cells: pd.DataFrame
    summary: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "summary": self.summary, "cells": self.cells}


def quartile_of(values: np.ndarray, reference: np.ndarray, direction: int) -> np.ndarray:
    """Quartile 1 (worst) .. 4 (best) of each value against the reference distribution."""
    ref = np.asarray(reference, dtype=float)
    bounds = np.quantile(ref[~np.isnan(ref)], [0.25, 0.5, 0.75])  # upper bounds of quarters 1-3
    q = np.searchsorted(bounds, np.asarray(values, dtype=float), side="left") + 1  # 1..4, low to high
    return q if direction > 0 else 5 - q


def quartiles(
    *,
    snapshot: Any = None,
    level: str = "gemeente",
    regions: Any = None,
    indicators: list[str] | None = None,
) -> QuartileResult:
    """Quartile colours per indicator and unit, and green/red counts per unit (latest period each)."""
    import npvr

    snap = snapshot if snapshot is not None else npvr.load_snapshot()
    cat = snap.catalogue
    ids = indicators or [i for i, ind in cat.items() if ind.direction != 0]
    unknown = [i for i in ids if i not in cat]
    if unknown:
        raise ConfigError(f"onbekende indicator(en): {', '.join(unknown)}", field="indicators")
    vals = snap.values[snap.values["indicator_id"].isin(ids)]
    latest = vals.groupby("indicator_id")["period"].max()
    vals = vals[vals["period"] == vals["indicator_id"].map(latest)]
    gm = snap.gemeenten
    if level == "gemeente":
        unit_vals, names = vals, gm["name"]
    else:
        if regions is not None and not hasattr(regions, "membership"):
            regions = npvr.load_regions(regions)
        membership = npvr.membership(level, regions)
        unit_vals = npvr.aggregate(snap.values, membership, cat, indicators=ids)
        unit_vals = unit_vals[unit_vals["period"] == unit_vals["indicator_id"].map(latest)]
        if level == "npvr":
            rs = regions if regions is not None else npvr.load_regions()
            names = pd.Series({r.id: r.name for r in rs.regions})
        elif level == "corop":
            names = gm.drop_duplicates("corop_code").set_index("corop_code")["corop_name"]
        elif level == "provincie":
            names = gm.drop_duplicates("province_code").set_index("province_code")["province_name"]
        else:
            names = pd.Series(dict.fromkeys(unit_vals["area_code"].unique())).index.to_series()
    frames = []
    for ind_id, ref in vals.groupby("indicator_id"):
        ind = cat[ind_id]
        mine = unit_vals[unit_vals["indicator_id"] == ind_id]
        if mine.empty:
            continue
        q = quartile_of(mine["value"].to_numpy(), ref["value"].to_numpy(), ind.direction)
        period = int(latest[ind_id])
        frames.append(
            pd.DataFrame(
                {
                    "code": mine["area_code"].astype(str).to_numpy(),
                    "indicator_id": ind_id,
                    "label": ind.label_nl,
                    "period": period,
                    "value": mine["value"].to_numpy(),
                    "quartile": q,
                    "provenance": ind.provenance(period),
                }
            )
        )
    cells = pd.concat(frames, ignore_index=True)
    cells["colour"] = np.select(
        [cells["quartile"] == 4, cells["quartile"] == 1], ["groen", "rood"], "neutraal"
    )
    cells.insert(1, "name", cells["code"].map(names).astype(str))
    cells = cells[
        ["code", "name", "indicator_id", "label", "period", "value", "quartile", "colour", "provenance"]
    ]
    cells = cells.sort_values(["code", "indicator_id"]).reset_index(drop=True)
    g = cells.groupby("code")["colour"]
    summary = pd.DataFrame(
        {
            "n_green": g.apply(lambda s: int((s == "groen").sum())),
            "n_red": g.apply(lambda s: int((s == "rood").sum())),
            "n_neutral": g.apply(lambda s: int((s == "neutraal").sum())),
            "n_indicators": g.size(),
        }
    ).reset_index()
    summary.insert(1, "name", summary["code"].map(names).astype(str))
    summary = summary.sort_values(["n_red", "n_green", "code"], ascending=[False, True, True]).reset_index(
        drop=True
    )
    return QuartileResult(level, cells, summary)
