"""Effect monitoring: a difference-in-differences set-up, NPVR gemeenten vs matched comparison gemeenten.

Why matching: NPVR gemeenten differ from the average Dutch gemeente (smaller, older, poorer), so
"NPVR vs rest" after the programme would mostly show those differences. Each NPVR gemeente gets its
``k`` nearest non-NPVR gemeenten on standardised pre-programme values (nearest neighbour with
replacement); the difference-in-differences then compares the change in the NPVR group with the
change in its matched group.

Periods: the programme starts in :data:`PROGRAMME_START` (2025). Periods before it are the
baseline (used for matching and a placebo check of parallel trends), the start year itself is a
transition year and not used, periods after it are measurements. When no post-programme period
exists in the data (the situation in 2025/2026) :func:`did_table` reports the baseline and the
first period in which an effect can be measured, instead of an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from npvr.errors import DataError

PROGRAMME_START = 2025
"""The first year of the NPVR programme (Kamerbrief BZK, December 2024; funds from 2025)."""


def pre_periods(periods: list[int] | tuple[int, ...], start: int = PROGRAMME_START) -> list[int]:
    """Baseline periods: strictly before the programme start."""
    return sorted(p for p in periods if p < start)


def post_periods(periods: list[int] | tuple[int, ...], start: int = PROGRAMME_START) -> list[int]:
    """Measurement periods: strictly after the programme start year."""
    return sorted(p for p in periods if p > start)


def first_measurement(start: int = PROGRAMME_START) -> int:
    """The first period in which a programme effect can be measured (the year after the start)."""
    return start + 1


@dataclass(frozen=True)
class Matching:
    """The matched comparison group and its balance.

    ``pairs``: treated, control, distance, rank (1 = nearest). ``balance``: per matching variable the
    mean of the NPVR gemeenten, of all non-NPVR gemeenten and of the matched controls, and the
    standardised mean difference before and after matching. ``unmatched``: NPVR gemeenten without
    complete baseline data.
    """

    pairs: pd.DataFrame
    balance: pd.DataFrame
    variables: list[tuple[str, int]]
    unmatched: list[str] = field(default_factory=list)

    def control_weights(self) -> pd.Series:
        """Weight per control gemeente: each treated gemeente spreads weight 1 over its k matches."""
        k = self.pairs.groupby("treated")["control"].transform("count")
        return (1.0 / k).groupby(self.pairs["control"]).sum()


def _matrix(values: pd.DataFrame, variables: list[tuple[str, int]]) -> pd.DataFrame:
    sub = values.set_index(["indicator_id", "period"]).loc[variables].reset_index()
    return sub.pivot_table(
        index="area_code", columns=["indicator_id", "period"], values="value", aggfunc="first"
    )


def matching_variables(
    values: pd.DataFrame,
    *,
    start: int = PROGRAMME_START,
    min_coverage: float = 0.95,
    indicators: list[str] | None = None,
) -> list[tuple[str, int]]:
    """(indicator, period) pairs before ``start`` that cover at least ``min_coverage`` of gemeenten."""
    v = values[values["period"] < start]
    if indicators is not None:
        v = v[v["indicator_id"].isin(indicators)]
    n = values["area_code"].nunique()
    cover = v.groupby(["indicator_id", "period"])["area_code"].nunique()
    keep = cover[cover >= min_coverage * n]
    return [(str(i), int(p)) for i, p in keep.index]


def match(
    values: pd.DataFrame,
    treated: list[str] | pd.Index,
    *,
    variables: list[tuple[str, int]] | None = None,
    k: int = 3,
    start: int = PROGRAMME_START,
) -> Matching:
    """Nearest-neighbour matching (with replacement) of treated gemeenten on baseline values.

    ``values`` is the long gemeente table (area_code, indicator_id, period, value). Distances are
    Euclidean on z-scores computed over all gemeenten with complete data.
    """
    if variables is None:
        variables = matching_variables(values, start=start)
    if not variables:
        raise DataError("geen basisjaren om op te matchen", en="no baseline periods to match on")
    mat = _matrix(values, variables).dropna()
    treated_set = set(treated)
    z = (mat - mat.mean()) / mat.std(ddof=0).replace(0, 1.0)
    is_t = z.index.isin(list(treated_set))
    zt, zc = z[is_t], z[~is_t]
    if len(zc) < k or len(zt) == 0:
        raise DataError("te weinig gemeenten om te matchen", en="too few gemeenten to match")
    d = np.sqrt(((zt.to_numpy()[:, None, :] - zc.to_numpy()[None, :, :]) ** 2).sum(axis=2))
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    rows = []
    for i, t in enumerate(zt.index):
        for r, j in enumerate(order[i]):
            rows.append({"treated": t, "control": zc.index[j], "distance": float(d[i, j]), "rank": r + 1})
    pairs = pd.DataFrame(rows)
    unmatched = sorted(treated_set - set(zt.index))
    m = Matching(pairs, pd.DataFrame(), variables, unmatched)
    w = m.control_weights()
    sd = mat.std(ddof=0).replace(0, 1.0)
    mean_t = mat[is_t].mean()
    mean_c = mat[~is_t].mean()
    mean_m = (mat.loc[w.index].mul(w, axis=0)).sum() / w.sum()
    balance = pd.DataFrame(
        {
            "indicator_id": [v[0] for v in mat.columns],
            "period": [int(v[1]) for v in mat.columns],
            "mean_npvr": mean_t.to_numpy(),
            "mean_rest": mean_c.to_numpy(),
            "mean_matched": mean_m.to_numpy(),
            "smd_before": ((mean_t - mean_c) / sd).to_numpy(),
            "smd_after": ((mean_t - mean_m) / sd).to_numpy(),
        }
    )
    return Matching(pairs, balance, variables, unmatched)


def did(values: pd.DataFrame, matching: Matching, indicator_id: str, pre: int, post: int) -> dict[str, float]:
    """Difference-in-differences for one indicator between two periods.

    ``(mean_T[post] - mean_T[pre]) - (mean_C[post] - mean_C[pre])`` over gemeenten with both periods;
    controls carry their matching weights. Used both for the real estimate (pre < start < post) and
    for the placebo check on two baseline periods (should be close to 0 if trends run parallel).
    """
    v = values[(values["indicator_id"] == indicator_id) & values["period"].isin([pre, post])]
    wide = v.pivot_table(index="area_code", columns="period", values="value", aggfunc="first").dropna()
    if pre not in wide.columns or post not in wide.columns:
        return {
            "did": float("nan"),
            "change_npvr": float("nan"),
            "change_matched": float("nan"),
            "n_npvr": 0,
            "n_matched": 0,
        }
    change = wide[post] - wide[pre]
    treated = [t for t in matching.pairs["treated"].unique() if t in change.index]
    w = matching.control_weights()
    w = w[w.index.isin(change.index)]
    ct = float(change.loc[treated].mean()) if treated else float("nan")
    cc = float((change.loc[w.index] * w).sum() / w.sum()) if len(w) else float("nan")
    return {
        "did": ct - cc,
        "change_npvr": ct,
        "change_matched": cc,
        "n_npvr": len(treated),
        "n_matched": len(w),
    }


def did_table(
    values: pd.DataFrame, matching: Matching, indicators: list[str], *, start: int = PROGRAMME_START
) -> pd.DataFrame:
    """Per outcome indicator: the baseline, a placebo pre-trend check and the estimate if possible.

    Columns: indicator_id, baseline_period, baseline_npvr, baseline_matched, baseline_diff,
    placebo_periods, placebo_did, post_period, did, status ("estimate" or "waiting"),
    first_measurement (the first period after the start).
    """
    treated = list(matching.pairs["treated"].unique())
    w = matching.control_weights()
    rows = []
    for ind in indicators:
        v = values[values["indicator_id"] == ind]
        periods = sorted(int(p) for p in v["period"].unique())
        pre, post = pre_periods(periods, start), post_periods(periods, start)
        if not pre:
            continue
        base = pre[-1]
        b = v[v["period"] == base].set_index("area_code")["value"]
        bt = b[b.index.isin(treated)]
        bw = w[w.index.isin(b.index)]
        base_t = float(bt.mean()) if len(bt) else float("nan")
        base_c = float((b.loc[bw.index] * bw).sum() / bw.sum()) if len(bw) else float("nan")
        row = {
            "indicator_id": ind,
            "baseline_period": base,
            "baseline_npvr": base_t,
            "baseline_matched": base_c,
            "baseline_diff": base_t - base_c,
            "placebo_periods": f"{pre[0]}-{pre[-1]}" if len(pre) >= 2 else "",
            "placebo_did": did(values, matching, ind, pre[0], pre[-1])["did"]
            if len(pre) >= 2
            else float("nan"),
            "post_period": post[-1] if post else None,
            "did": did(values, matching, ind, base, post[-1])["did"] if post else float("nan"),
            "status": "estimate" if post else "waiting",
            "first_measurement": first_measurement(start),
        }
        rows.append(row)
    return pd.DataFrame(rows)
