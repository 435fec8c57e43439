"""The monitor panel: every table the monitor shows, computed once from the snapshot and a region set.

:func:`compute` returns plain, language-independent tables (:class:`ReportData`) that every face
renders: ``npvr report`` (HTML, Excel, PNG, PDF in :mod:`npvr.report.build`) and the web app. No
face computes figures itself, so the JSON twin, the workbook, the HTML and the web pages show the
same numbers. Besides the gap, trend, inequality and effect tables it holds the key messages of
:mod:`npvr.monitor.scorecard` (theme scorecards, largest gaps, gap changes), the index position of
each region (:func:`index_profile`) and the region -> COROP mapping (:func:`region_corop`).

Which indicators go where:

* maps and profiles: every indicator that is not a plain count (aggregation other than ``sum``),
  because counts mostly show how big a gemeente is;
* trends: those of them with more than one period;
* inequality: levels (not changes) with a direction (+1/-1), all values positive and a population
  weight (the ratio's denominator, the indicator's weight, else inhabitants);
* effect monitoring: those with a direction and at least one period before the programme start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from npvr import monitor
from npvr.monitor.gaps import NL, NPVR, REST

POPULATION = "inwoners"
INTENSIVE = ("ratio", "weighted_mean", "median_approx", "change")
LEVELS = ("ratio", "weighted_mean", "median_approx")


@dataclass
class ReportData:
    """The report's tables (language-independent; labels are added when rendering)."""

    region_set_name: str
    regions: pd.DataFrame  # id, name, confidence, source, n_members, population, members, border
    gemeenten: pd.DataFrame  # gm_code, name, group, region (or ""), npvr (bool)
    indicators: pd.DataFrame  # the catalogue rows used, with periods and provenance
    gm_latest: pd.DataFrame  # gemeente x indicator values at each indicator's latest period (long)
    unit_values: pd.DataFrame
    gaps: pd.DataFrame
    latest_gaps: pd.DataFrame
    trends: pd.DataFrame
    inequality: pd.DataFrame
    sigma: pd.DataFrame
    matching_pairs: pd.DataFrame
    balance: pd.DataFrame
    did: pd.DataFrame
    effect_meta: dict[str, Any]
    scorecard: pd.DataFrame = field(default_factory=pd.DataFrame)
    largest_gaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    gap_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    index: dict[str, pd.DataFrame] | None = None
    register: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by a stable name (Excel sheets, ``--json``)."""
        out = {
            "regions": self.regions.assign(
                members=self.regions["members"].map(", ".join), border=self.regions["border"].map(", ".join)
            ),
            "gemeenten": self.gemeenten,
            "indicators": self.indicators,
            "gemeente_values": self.gm_latest.pivot_table(
                index="area_code", columns="indicator_id", values="value", aggfunc="first"
            ).reset_index(),
            "unit_values": self.unit_values,
            "gaps": self.gaps,
            "trends": self.trends,
            "scorecard": self.scorecard.assign(
                indicators=self.scorecard.get("indicators", pd.Series(dtype=object)).map(
                    lambda v: ", ".join(v) if isinstance(v, list) else v
                )
            )
            if len(self.scorecard)
            else self.scorecard,
            "largest_gaps": self.largest_gaps,
            "gap_changes": self.gap_changes,
            "inequality": self.inequality,
            "sigma_convergence": self.sigma,
            "matching_pairs": self.matching_pairs,
            "matching_balance": self.balance,
            "did": self.did,
        }
        if self.index is not None:
            out.update({f"index_{k}": v for k, v in self.index.items()})
        if self.register is not None:
            out["register_years"] = self.register["by_year"]
            out["register_themes"] = self.register["by_theme"]
        return out


def _indicator_table(catalogue: Any, values: pd.DataFrame) -> pd.DataFrame:
    present = values.groupby("indicator_id")["period"].agg(lambda s: sorted({int(p) for p in s}))
    rows = []
    for iid, ind in catalogue.items():
        if iid not in present.index:
            continue
        periods = present[iid]
        rows.append(
            {
                "indicator_id": iid,
                "label_nl": ind.label_nl,
                "label_en": ind.label_en,
                "theme": ind.theme,
                "unit": ind.unit,
                "direction": int(ind.direction),
                "aggregation": ind.aggregation,
                "periods": periods,
                "latest": periods[-1],
                "tables": sorted({ind.sources.get(p, ind.table) for p in periods} - {""}),
                "provenance_nl": ind.provenance(periods[-1], "nl"),
                "provenance_en": ind.provenance(periods[-1], "en"),
                "weight": ind.weight
                or (ind.denominator if ind.aggregation == "ratio" else None)
                or POPULATION,
                "note": ind.note,
            }
        )
    return pd.DataFrame(rows)


def _weights(values: pd.DataFrame, weight_id: str, period: int) -> pd.Series:
    """The weight indicator at ``period``, or at its nearest available period."""
    w = values[values["indicator_id"] == weight_id]
    if w.empty:
        return pd.Series(dtype=float)
    periods = np.array(sorted(w["period"].unique()))
    best = int(periods[np.argmin(np.abs(periods - period))])
    return w[w["period"] == best].set_index("area_code")["value"]


def _inequality(
    values: pd.DataFrame, ind_table: pd.DataFrame, groups: pd.Series, *, n_boot: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    npvr_rest = groups.where(groups == REST, NPVR)
    rows, sig = [], []
    # Levels only (no "change": a growth rate can be negative), and only indicators whose values are
    # all positive: Theil L and the log-based sigma are undefined at 0, and dropping the zeros
    # silently would bias the result.
    pick = ind_table[(ind_table["direction"] != 0) & ind_table["aggregation"].isin(LEVELS)]
    for r in pick.itertuples():
        v = values[values["indicator_id"] == r.indicator_id]
        frames = []
        for per in r.periods:
            y = v[v["period"] == per].set_index("area_code")["value"]
            w = _weights(values, r.weight, per)
            f = pd.DataFrame({"value": y, "weight": w.reindex(y.index), "group": npvr_rest.reindex(y.index)})
            f = f.dropna()
            if len(f) < 10 or f["group"].nunique() < 2 or (f["value"] <= 0).any() or (f["weight"] <= 0).any():
                continue
            f["period"] = per
            frames.append(f)
        if not frames:
            continue
        last = frames[-1]
        b = monitor.bootstrap(
            last["value"].to_numpy(),
            last["group"].to_numpy(),
            last["weight"].to_numpy(),
            n_boot=n_boot,
            seed=seed,
        )
        b.insert(0, "indicator_id", r.indicator_id)
        b.insert(1, "period", int(last["period"].iloc[0]))
        b.insert(2, "n", len(last))
        rows.append(b)
        if len(frames) >= 2:
            s = monitor.sigma_convergence(pd.concat(frames))
            s.insert(0, "indicator_id", r.indicator_id)
            sig.append(s)
    ineq = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame(
            columns=[
                "indicator_id",
                "period",
                "n",
                "measure",
                "component",
                "estimate",
                "lo",
                "hi",
                "level",
                "n_boot",
            ]
        )
    )
    sigma = (
        pd.concat(sig, ignore_index=True)
        if sig
        else pd.DataFrame(
            columns=[
                "indicator_id",
                "period",
                "n",
                "sd_log",
                "cv",
                "theil_t",
                "theil_t_between",
                "converging",
            ]
        )
    )
    return ineq, sigma


def _effect(
    values: pd.DataFrame, ind_table: pd.DataFrame, groups: pd.Series, k: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    start = monitor.PROGRAMME_START
    intensive = ind_table[ind_table["aggregation"].isin(INTENSIVE)]
    outcomes = [
        r.indicator_id
        for r in intensive.itertuples()
        if r.direction != 0 and any(p < start for p in r.periods)
    ]
    treated = list(groups.index[groups != REST])
    meta: dict[str, Any] = {
        "start": start,
        "first_measurement": monitor.first_measurement(start),
        "k": k,
        "n_treated": len(treated),
        "n_variables": 0,
        "unmatched": [],
        "has_post": False,
    }
    base = values[values["indicator_id"].isin(list(intensive["indicator_id"]))]
    variables = monitor.effect.matching_variables(base, start=start)
    empty = pd.DataFrame()
    if not variables or not treated:
        return empty, empty, empty, meta
    m = monitor.match(base, treated, variables=variables, k=k, start=start)
    did = monitor.did_table(values, m, outcomes, start=start)
    meta.update(
        {
            "n_variables": len(variables),
            "unmatched": m.unmatched,
            "has_post": bool((did["status"] == "estimate").any()) if len(did) else False,
        }
    )
    return m.pairs, m.balance, did, meta


def _floats(table: pd.DataFrame) -> pd.DataFrame:
    """Exact Decimal euros as floats (the report and web only display them)."""
    table = table.copy()
    for col in table.columns:
        if table[col].map(lambda v: isinstance(v, Decimal)).any():
            table[col] = pd.to_numeric(table[col].map(lambda v: float(v) if isinstance(v, Decimal) else v))
    return table


def _register(url: str | None) -> dict[str, Any] | None:
    """Money against need from the investment register, when an initialised register exists.

    ``url=None`` lets the register resolve its own default (its environment variable or file).
    Returns ``{"by_year": region x year, "by_theme": region x theme (need, planned, committed, paid,
    coverage ...), "illustration": bool, "overdue": BRIDGEforEU files past a time limit}``.
    ``illustration`` is True when the register holds the
    shipped illustration (plan titles ending in "(illustratie)" or a need whose source says
    "ILLUSTRATIE"), so a face can say so in a banner.
    """
    try:
        from npvr.register import gap_table, has_register, open_register, require_register
    except ImportError:
        return None
    if not has_register(url):
        if url is not None:  # --db named a register: a missing one is an error, not a quiet omission
            require_register(url)
        return None
    by_year = _floats(pd.DataFrame(gap_table(url, by=("region", "year"))))
    by_theme = _floats(pd.DataFrame(gap_table(url, by=("region", "theme"))))
    from npvr.loop import open_loop

    overdue = open_loop(url).overdue()  # BRIDGEforEU files past a time limit (issue 14)
    if by_year.empty and by_theme.empty and not overdue:
        return None
    svc = open_register(url)
    plans, needs = svc.plans(), svc.needs()
    illustration = bool(
        plans.get("title", pd.Series(dtype=str)).astype(str).str.contains("illustratie", case=False).any()
        or needs.get("source", pd.Series(dtype=str)).astype(str).str.contains("ILLUSTRATIE", case=False).any()
    )
    return {"by_year": by_year, "by_theme": by_theme, "illustration": illustration, "overdue": overdue}


def compute(
    snapshot: Any,
    regions: Any,
    *,
    n_boot: int = 199,
    seed: int = 0,
    k: int = 3,
    register_url: str | None = None,
    index: Callable[[], dict[str, pd.DataFrame] | None] | None = None,
) -> ReportData:
    """All report tables for ``regions`` on ``snapshot`` (see the module docstring)."""
    gm = snapshot.gemeenten
    values = snapshot.values
    catalogue = snapshot.catalogue
    groups = regions.groups(gm.index)
    ind_table = _indicator_table(catalogue, values)
    shown = ind_table[ind_table["aggregation"] != "sum"]
    shown_ids = list(shown["indicator_id"])

    unit_values = monitor.group_values(values, groups, catalogue, indicators=shown_ids)
    gaps = monitor.gap_table(unit_values, catalogue)
    latest_gaps = monitor.latest(gaps)
    trends = monitor.trend_table(gaps)
    region_ids = [r.id for r in regions.regions]
    region_gaps = latest_gaps[latest_gaps["area_code"].isin(region_ids)]
    cards = monitor.scorecard(region_gaps, catalogue)
    top_gaps = monitor.largest_gaps(
        region_gaps, catalogue, n=5, spread=monitor.gemeente_spread(values, shown_ids)
    )
    changes = monitor.gap_changes(trends[trends["area_code"].isin(region_ids)], catalogue)

    latest_period = dict(zip(shown["indicator_id"], shown["latest"], strict=True))
    gl = values[values["indicator_id"].isin(shown_ids)]
    gm_latest = gl[gl["period"] == gl["indicator_id"].map(latest_period)].reset_index(drop=True)

    pop_latest = _weights(values, POPULATION, 9999)
    reg_rows = []
    for r in regions.regions:
        border = border_members(gm, r.members)
        reg_rows.append(
            {
                "id": r.id,
                "name": r.name,
                "confidence": r.confidence,
                "source": r.source,
                "n_members": len(r.members),
                "population": float(pop_latest.reindex(list(r.members)).sum()),
                "members": [str(gm.at[c, "name"]) if c in gm.index else c for c in r.members],
                "border": list(border["name"]),
            }
        )
    gem = pd.DataFrame(
        {"gm_code": gm.index, "name": gm["name"].to_numpy(), "group": groups.reindex(gm.index).to_numpy()}
    )
    gem["npvr"] = gem["group"] != REST

    ineq, sigma = _inequality(values, ind_table, groups, n_boot=n_boot, seed=seed)
    pairs, balance, did, meta = _effect(values, ind_table, groups, k)
    return ReportData(
        region_set_name=regions.name,
        regions=pd.DataFrame(reg_rows),
        gemeenten=gem,
        indicators=ind_table,
        gm_latest=gm_latest,
        unit_values=unit_values,
        gaps=gaps,
        latest_gaps=latest_gaps,
        trends=trends,
        inequality=ineq,
        sigma=sigma,
        matching_pairs=pairs,
        balance=balance,
        did=did,
        effect_meta=meta,
        scorecard=cards,
        largest_gaps=top_gaps,
        gap_changes=changes,
        index=index() if index is not None else index_profile(snapshot, regions),
        register=_register(register_url),
    )


INDEX_FUNCTIONS: tuple[str, ...] = ("selection_report", "quartiles")
INDEX_NAMES: dict[str, tuple[str, str]] = {
    "deprivatie": ("deprivatie-index", "deprivation index"),
    "opgave": ("opgave-index", "NPVR task index"),
}
INDEX_SHORT: dict[str, tuple[str, str]] = {
    "deprivatie": ("deprivatie", "deprivation"),
    "opgave": ("opgave", "task"),
}


def index_engine_available() -> bool:
    """True once npvr.index exposes every function the profile needs."""
    try:
        import npvr.index as index
    except ImportError:
        return False
    return all(callable(getattr(index, f, None)) for f in INDEX_FUNCTIONS)


def index_profile(
    snapshot: Any, regions: Any, *, draws: int = 1000, seed: int = 0, lang: str = "nl"
) -> dict[str, pd.DataFrame] | None:
    """What the index says about each NPVR region and how sure that is, or None without the engine.

    Calls the index engine's selection analysis (``npvr.index.selection_report``) at the ``regio``
    level - the 11 regions beside the other COROP areas and COROP remainders (42 units) - for both
    shipped indices (deprivation and the NPVR task index): nominal rank, 90 % rank interval, the
    probability of being among the 11 highest over ``draws`` method choices and the verdict
    (gedragen / grensgeval / niet gedragen). Quartiles place each region's value among the
    gemeenten (``npvr.index.quartiles(level="npvr")``).

    Returns ``{"ranks": region, index, nominal_rank, n_units, median_rank, p5, p95,
    selection_probability, verdict, verdict_label, top_domains, loo_up, loo_up_rank, select_k,
    draws, level; "quartiles": region, indicator_id, quartile (1 worst .. 4 best), colour}``.
    """
    if not index_engine_available():
        return None
    import npvr.index as index

    rep = index.selection_report(regions=regions, snapshot=snapshot, draws=draws, seed=seed, lang=lang)
    cols = [
        "region_id",
        "index",
        "nominal_rank",
        "n_units",
        "median_rank",
        "p5",
        "p95",
        "selection_probability",
        "verdict",
        "verdict_label",
        "top_domains",
        "loo_up",
        "loo_up_rank",
    ]
    ranks = rep.regions[cols].rename(columns={"region_id": "region"}).copy()
    ranks["select_k"] = len(regions.regions)
    ranks["draws"] = draws
    ranks["index_level"] = "regio"
    q = index.quartiles(snapshot=snapshot, level="npvr", regions=regions).cells
    quart = q.rename(columns={"code": "region"})[["region", "indicator_id", "quartile", "colour"]]
    return {"ranks": ranks.reset_index(drop=True), "quartiles": quart.reset_index(drop=True)}


def region_corop(gemeenten: pd.DataFrame, regions: Any) -> dict[str, str]:
    """Region id -> the COROP area most of its gemeenten lie in (ties: the lowest code).

    The index ranks COROP areas; a region is placed by the COROP area that holds most of its
    members, which the report says in words.
    """
    corop = gemeenten["corop_code"]
    return {
        r.id: str(corop.reindex(list(r.members)).dropna().mode().sort_values().iloc[0])
        for r in regions.regions
    }


def border_members(gemeenten: pd.DataFrame, members: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The region's gemeenten on the Belgian or German border (name and which border)."""
    sub = gemeenten.reindex(list(members))
    be = sub.get("borders_belgium", pd.Series(False, index=sub.index)).fillna(False).astype(bool)
    de = sub.get("borders_germany", pd.Series(False, index=sub.index)).fillna(False).astype(bool)
    out = pd.DataFrame({"name": sub["name"], "belgium": be, "germany": de})
    return out[out["belgium"] | out["germany"]]


__all__ = [
    "NL",
    "NPVR",
    "REST",
    "ReportData",
    "border_members",
    "compute",
    "index_engine_available",
    "index_profile",
    "region_corop",
]
