"""Aggregate gemeente values to larger areas with each indicator's own rule.

This is the one place where the catalogue's aggregation rules are applied, for the snapshot's
own derived gemeente figures (identity membership) and for COROP, province, NPVR region or any
user region set. See :mod:`npvr.data.catalogue` for the rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from npvr.data.catalogue import Catalogue, Indicator

OUT_COLUMNS = ["area_code", "indicator_id", "period", "value", "n_areas"]


def _nearest(frame: pd.DataFrame, period: int) -> pd.Series | None:
    if frame.empty:
        return None
    periods = np.array(sorted(frame.columns))
    best = periods[np.argmin(np.abs(periods - period))]
    return frame[best]


def _group_sum(series: pd.Series, membership: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = series.dropna()
    groups = membership.reindex(s.index)
    s = s[groups.notna()]
    groups = groups[groups.notna()]
    return s.groupby(groups).sum(), s.groupby(groups).size()


def _aggregate_one(
    ind: Indicator, cache: dict[str, pd.DataFrame], membership: pd.Series
) -> list[pd.DataFrame]:
    def get(iid: str) -> pd.DataFrame:
        return cache.get(iid, pd.DataFrame())

    out: list[pd.DataFrame] = []

    def emit(period: int, value: pd.Series, n: pd.Series) -> None:
        value = value.replace([np.inf, -np.inf], np.nan).dropna()
        if value.empty:
            return
        out.append(
            pd.DataFrame(
                {
                    "area_code": value.index.astype(str),
                    "indicator_id": ind.id,
                    "period": int(period),
                    "value": value.to_numpy(dtype=float),
                    "n_areas": n.reindex(value.index).to_numpy(dtype=int),
                }
            )
        )

    if ind.aggregation == "sum":
        frame = get(ind.id)
        for p in frame.columns:
            total, n = _group_sum(frame[p], membership)
            emit(p, total, n)
    elif ind.aggregation == "ratio":
        num, den = get(ind.numerator or ""), get(ind.denominator or "")
        for p in sorted(set(num.columns) & set(den.columns)):
            pair = pd.concat([num[p], den[p]], axis=1, keys=["n", "d"]).dropna()
            top, n = _group_sum(pair["n"], membership)
            bottom, _ = _group_sum(pair["d"], membership)
            emit(p, ind.scale * top / bottom.where(bottom != 0), n)
    elif ind.aggregation in ("weighted_mean", "median_approx"):
        frame, weights = get(ind.id), get(ind.weight or "")
        for p in frame.columns:
            w = _nearest(weights, p)
            if w is None:
                continue
            pair = pd.concat([frame[p], w], axis=1, keys=["v", "w"]).dropna()
            top, n = _group_sum(pair["v"] * pair["w"], membership)
            bottom, _ = _group_sum(pair["w"], membership)
            emit(p, top / bottom.where(bottom != 0), n)
    elif ind.aggregation == "change":
        frame = get(ind.of or "")
        if ind.base_period in frame.columns:
            for p in frame.columns:
                if p == ind.base_period:
                    continue
                pair = pd.concat([frame[p], frame[ind.base_period]], axis=1, keys=["now", "base"]).dropna()
                now, n = _group_sum(pair["now"], membership)
                base, _ = _group_sum(pair["base"], membership)
                emit(p, ind.scale * (now / base.where(base != 0) - 1.0), n)
    return out


def aggregate(
    values: pd.DataFrame,
    membership: pd.Series,
    catalogue: Catalogue | None = None,
    *,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """Long gemeente values -> long values per unit of ``membership`` (gm_code -> unit code).

    Gemeenten absent from ``membership`` are left out (e.g. "rest of NL" when only regions are
    mapped). Each unit's value uses only members that have all inputs; ``n_areas`` says how many.
    """
    if catalogue is None:
        from npvr.data.snapshot import load_snapshot

        catalogue = load_snapshot().catalogue
    wanted = indicators if indicators is not None else list(catalogue)
    unknown = [i for i in wanted if i not in catalogue]
    if unknown:
        from npvr.errors import ConfigError

        raise ConfigError(
            f"onbekende indicator(en): {', '.join(unknown)}", en=f"unknown indicator(s): {unknown}"
        )
    needed: set[str] = set()
    for iid in wanted:
        ind = catalogue[iid]
        needed.update(x for x in (ind.id, ind.numerator, ind.denominator, ind.weight, ind.of) if x)
    sub = values[values["indicator_id"].isin(needed)]
    cache = {
        iid: g.pivot_table(index="area_code", columns="period", values="value", aggfunc="first")
        for iid, g in sub.groupby("indicator_id")
    }
    parts = [df for iid in wanted for df in _aggregate_one(catalogue[iid], cache, membership)]
    if not parts:
        return pd.DataFrame(columns=OUT_COLUMNS)
    return pd.concat(parts, ignore_index=True)[OUT_COLUMNS]
