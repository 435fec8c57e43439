"""Aggregate gemeente values to larger areas with each indicator's own rule.

This is the one place where the catalogue's aggregation rules are applied, for the snapshot's
own derived gemeente figures (identity membership) and for COROP, province, NPVR region or any
user region set. See :mod:`npvr.data.catalogue` for the rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from npvr.data.catalogue import Catalogue, Indicator

OUT_COLUMNS = ["area_code", "indicator_id", "period", "value", "n_areas"]


class _Members:
    """Member values as a dense (member x (indicator, period)) array plus a sparse member->unit matrix.

    Every unit value is a sum over members, so one sparse product per column does all the grouping.
    """

    def __init__(self, values: pd.DataFrame, membership: pd.Series) -> None:
        wide = values.pivot_table(
            index="area_code", columns=["indicator_id", "period"], values="value", aggfunc="first"
        )
        self.array = wide.to_numpy(dtype=float)
        self.column = {key: j for j, key in enumerate(wide.columns)}
        self.periods: dict[str, list[int]] = {}
        for iid, period in wide.columns:
            self.periods.setdefault(iid, []).append(int(period))
        codes, self.units = pd.factorize(membership.reindex(wide.index))
        rows = np.flatnonzero(codes >= 0)
        self.matrix = sparse.csr_matrix(
            (np.ones(len(rows)), (codes[rows], rows)), shape=(len(self.units), len(wide.index))
        )

    def get(self, iid: str | None, period: int | None) -> np.ndarray | None:
        j = self.column.get((iid, period))
        return None if j is None else self.array[:, j]

    def nearest(self, iid: str | None, period: int) -> np.ndarray | None:
        available = self.periods.get(iid or "")
        if not available:
            return None
        return self.get(iid, min(available, key=lambda q: (abs(q - period), q)))

    def sums(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.matrix @ np.where(mask, x, 0.0)

    def count(self, mask: np.ndarray) -> np.ndarray:
        return self.matrix @ mask.astype(float)


def _aggregate_one(ind: Indicator, m: _Members) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(period, unit values, member counts) for one indicator, by its catalogue rule."""
    out = []
    if ind.aggregation == "sum":
        for p in m.periods.get(ind.id, []):
            x = m.get(ind.id, p)
            assert x is not None
            mask = ~np.isnan(x)
            out.append((p, m.sums(x, mask), m.count(mask)))
    elif ind.aggregation == "ratio":
        common = set(m.periods.get(ind.numerator or "", [])) & set(m.periods.get(ind.denominator or "", []))
        for p in sorted(common):
            x, y = m.get(ind.numerator, p), m.get(ind.denominator, p)
            assert x is not None and y is not None
            mask = ~np.isnan(x) & ~np.isnan(y)
            bottom = m.sums(y, mask)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = ind.scale * m.sums(x, mask) / np.where(bottom != 0, bottom, np.nan)
            out.append((p, value, m.count(mask)))
    elif ind.aggregation in ("weighted_mean", "median_approx"):
        for p in m.periods.get(ind.id, []):
            x, w = m.get(ind.id, p), m.nearest(ind.weight, p)
            if x is None or w is None:
                continue
            mask = ~np.isnan(x) & ~np.isnan(w)
            bottom = m.sums(w, mask)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = m.sums(x * w, mask) / np.where(bottom != 0, bottom, np.nan)
            out.append((p, value, m.count(mask)))
    else:  # change
        base = m.get(ind.of, ind.base_period)
        if base is not None:
            for p in m.periods.get(ind.of or "", []):
                x = m.get(ind.of, p)
                if p == ind.base_period or x is None:
                    continue
                mask = ~np.isnan(x) & ~np.isnan(base)
                then = m.sums(base, mask)
                with np.errstate(divide="ignore", invalid="ignore"):
                    value = ind.scale * (m.sums(x, mask) / np.where(then != 0, then, np.nan) - 1.0)
                out.append((p, value, m.count(mask)))
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
    sub = values[values["indicator_id"].isin(needed) & values["area_code"].isin(membership.index)]
    if sub.empty:
        return pd.DataFrame(columns=OUT_COLUMNS)
    members = _Members(sub, membership)
    units = np.asarray(members.units, dtype=object)
    frames = []
    for iid in wanted:
        for period, value, count in _aggregate_one(catalogue[iid], members):
            keep = (count > 0) & np.isfinite(value)
            frames.append(
                pd.DataFrame(
                    {
                        "area_code": units[keep],
                        "indicator_id": iid,
                        "period": period,
                        "value": value[keep],
                        "n_areas": count[keep].astype(int),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=OUT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[OUT_COLUMNS]
    out["area_code"] = out["area_code"].astype(str)
    return out
