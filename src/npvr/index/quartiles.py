"""CBS Monitor Brede Welvaart quartiles: per indicator, the quarter of the gemeente distribution a
unit falls in (green = best quarter, red = worst), and per unit the count of green and red.

Like is compared with like. A gemeente is placed among the 342 gemeenten (as CBS does: the
25th/50th/75th percentiles, linear interpolation, upper bounds inclusive, as mapclassify
``Quantiles(k=4)`` without its silent drop to fewer classes when values repeat). A larger unit
(COROP, province, regio, NPVR region, NL) has an aggregated, population-weighted value, so it is
placed among the gemeenten *weighted by the indicator's own weight* (the denominator of a ratio,
the weight of a weighted mean, else inhabitants): the quartile bounds are those of the
distribution over the population, not over 342 gemeenten of any size. Otherwise NL itself, whose
value is the population mean, would sit in a "red" quarter for every indicator on which small
gemeenten differ from large ones. ``reference="level"`` places units among the units of their own
level instead (e.g. the 42 units of the regio level); ``reference="gemeenten"`` gives the old
unweighted comparison. Only indicators with a direction (+1/-1) count; context indicators (0)
are neither good nor bad.

:func:`scorecard` builds on this for reports: age-structure indicators are a demographic task
(``opgave``), shown apart and never counted red or green; indicators that measure the same thing
(|r| > 0.95 over the gemeenten) are flagged and counted once.

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


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, q: list[float]) -> np.ndarray:
    """Quantiles of a weighted distribution: for each q the smallest value whose cumulative weight
    share reaches q (the inverted CDF with weights; units with a missing value or weight left out)."""
    v, w = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    ok = ~(np.isnan(v) | np.isnan(w)) & (w > 0)
    order = np.argsort(v[ok], kind="stable")
    vs, cum = v[ok][order], np.cumsum(w[ok][order])
    share = cum / cum[-1]
    return np.array([vs[min(np.searchsorted(share, qq - 1e-12, side="left"), len(vs) - 1)] for qq in q])


def quartile_of(
    values: np.ndarray, reference: np.ndarray, direction: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Quartile 1 (worst) .. 4 (best) of each value against the reference distribution (weighted
    by ``weights`` when given)."""
    ref = np.asarray(reference, dtype=float)
    if weights is None:
        bounds = np.quantile(ref[~np.isnan(ref)], [0.25, 0.5, 0.75])  # upper bounds of quarters 1-3
    else:
        bounds = weighted_quantiles(ref, weights, [0.25, 0.5, 0.75])
    q = np.searchsorted(bounds, np.asarray(values, dtype=float), side="left") + 1  # 1..4, low to high
    return q if direction > 0 else 5 - q


def _weight_of(ind: Any) -> str:
    """The gemeente weight of an indicator's value: what its aggregation rule weighs with."""
    if ind.aggregation == "ratio" and ind.denominator:
        return str(ind.denominator)
    if ind.aggregation in ("weighted_mean", "median_approx") and ind.weight:
        return str(ind.weight)
    return "inwoners"


def _gemeente_weights(snap: Any, ind: Any, period: int) -> pd.Series:
    wid = _weight_of(ind)
    w = snap.values[snap.values["indicator_id"] == wid]
    if w.empty:
        w = snap.values[snap.values["indicator_id"] == "inwoners"]
    periods = sorted(w["period"].unique())
    if not periods:
        return pd.Series(dtype=float)
    best = min(periods, key=lambda p: (abs(p - period), -p))
    return w[w["period"] == best].set_index("area_code")["value"]


def quartiles(
    *,
    snapshot: Any = None,
    level: str = "gemeente",
    regions: Any = None,
    indicators: list[str] | None = None,
    reference: str = "auto",
) -> QuartileResult:
    """Quartile colours per indicator and unit, and green/red counts per unit (latest period each).

    ``reference``: ``auto`` (gemeenten among gemeenten; larger units among the population-weighted
    gemeenten), ``weighted``, ``gemeenten`` (unweighted, the old rule) or ``level`` (among the units
    of the same level)."""
    if reference not in ("auto", "weighted", "gemeenten", "level"):
        raise ConfigError(
            f"onbekende referentie '{reference}'; kies uit auto, weighted, gemeenten, level",
            en=f"unknown reference '{reference}'",
            field="reference",
        )
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
        elif level in ("regio", "nl"):
            from npvr.areas.levels import unit_names

            names = pd.Series(unit_names(level, regions))
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
        mode = reference if reference != "auto" else ("gemeenten" if level == "gemeente" else "weighted")
        if mode == "level":
            q = quartile_of(mine["value"].to_numpy(), mine["value"].to_numpy(), ind.direction)
        elif mode == "weighted":
            w = _gemeente_weights(snap, ind, int(latest[ind_id])).reindex(ref["area_code"]).to_numpy()
            q = quartile_of(mine["value"].to_numpy(), ref["value"].to_numpy(), ind.direction, w)
        else:
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


# --- scorecard ---------------------------------------------------------------------------------------

DUPLICATE_R = 0.95
# indicators a scorecard leaves out by default, with why: they reward or punish for another reason
CONFOUNDED = {
    "aandeel_leegstand": "telt tweede woningen en vakantiewoningen als leegstand",
}


def is_age_structure(ind: Any) -> bool:
    """Age structure (shares of age groups, green/grey pressure, population growth): a demographic
    task, not a 'worse' value."""
    return bool(ind.theme == "demografie" and ind.direction != 0)


def near_duplicates(snap: Any, ids: list[str], threshold: float = DUPLICATE_R) -> pd.DataFrame:
    """Pairs of indicators whose latest gemeente values correlate with |r| > threshold:
    ``a, b, r`` with ``a`` the one kept (first in catalogue order)."""
    v = snap.values[snap.values["indicator_id"].isin(ids)]
    latest = v.groupby("indicator_id")["period"].max()
    v = v[v["period"] == v["indicator_id"].map(latest)]
    wide = v.pivot_table(index="area_code", columns="indicator_id", values="value")
    order = [i for i in ids if i in wide.columns]
    corr = wide[order].corr()
    rows = []
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            r = corr.at[a, b]
            if abs(r) > threshold:
                rows.append({"a": a, "b": b, "r": float(r)})
    return pd.DataFrame(rows, columns=["a", "b", "r"])


@dataclass
class Scorecard:
    """A like-with-like quartile scorecard (see :func:`scorecard`)."""

    level: str
    reference: str
    cells: pd.DataFrame
    summary: pd.DataFrame
    duplicates: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "reference": self.reference,
            "summary": self.summary,
            "cells": self.cells,
            "duplicates": self.duplicates,
        }


def scorecard(
    *,
    snapshot: Any = None,
    level: str = "regio",
    regions: Any = None,
    indicators: list[str] | None = None,
    reference: str = "auto",
    with_nl: bool = True,
) -> Scorecard:
    """Quartiles for reports, comparing like with like.

    ``cells`` = the quartile cells plus ``group`` (``welvaart`` or ``demografische opgave``),
    ``counted`` (False for a near-duplicate) and ``duplicate_of``; an age-structure cell's colour is
    ``opgave`` (quartile 1: the largest task) or ``neutraal``, never red or green. ``summary`` per
    unit: ``n_green, n_red, n_neutral, n_indicators`` over the counted welfare indicators,
    ``n_opgave`` (age-structure indicators in the largest-task quarter) and ``n_age``; with
    ``with_nl`` the Netherlands (NL01) is a row too. ``duplicates``: ``a, b, r``."""
    import npvr

    snap = snapshot if snapshot is not None else npvr.load_snapshot()
    cat = snap.catalogue
    ids = indicators or [i for i, ind in cat.items() if ind.direction != 0 and i not in CONFOUNDED]
    res = quartiles(snapshot=snap, level=level, regions=regions, indicators=ids, reference=reference)
    cells = res.cells
    if with_nl and level != "gemeente":
        nl = quartiles(snapshot=snap, level="nl", indicators=ids, reference=reference).cells
        cells = pd.concat([cells, nl], ignore_index=True)
    dup = near_duplicates(snap, ids)
    dup_of = dict(zip(dup["b"], dup["a"], strict=True))
    cells = cells.copy()
    age = cells["indicator_id"].map(lambda i: is_age_structure(cat[i]))
    cells["group"] = np.where(age, "demografische opgave", "welvaart")
    cells["duplicate_of"] = cells["indicator_id"].map(dup_of)
    cells["counted"] = cells["duplicate_of"].isna()
    cells.loc[age, "colour"] = np.where(cells.loc[age, "quartile"] == 1, "opgave", "neutraal")
    welfare = cells[~age & cells["counted"]]
    g = welfare.groupby("code")["colour"]
    summary = pd.DataFrame(
        {
            "n_green": g.apply(lambda s: int((s == "groen").sum())),
            "n_red": g.apply(lambda s: int((s == "rood").sum())),
            "n_neutral": g.apply(lambda s: int((s == "neutraal").sum())),
            "n_indicators": g.size(),
        }
    )
    ages = cells[age].groupby("code")["colour"]
    summary["n_opgave"] = ages.apply(lambda s: int((s == "opgave").sum())).reindex(summary.index).fillna(0)
    summary["n_age"] = ages.size().reindex(summary.index).fillna(0)
    summary = summary.astype(int).reset_index()
    names = cells.drop_duplicates("code").set_index("code")["name"]
    summary.insert(1, "name", summary["code"].map(names))
    mode = reference if reference != "auto" else ("gemeenten" if level == "gemeente" else "weighted")
    return Scorecard(level, mode, cells.reset_index(drop=True), summary, dup)
