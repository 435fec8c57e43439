"""The statistical audit of the JRC/OECD ten-step guide (step 4 and 7), on the nominal normalised
indicators, and every intermediate step of a build as tables (for the Excel export).

:func:`audit` returns an :class:`AuditResult` with

- ``correlations``: Pearson correlations between the normalised (oriented) indicators, complete
  pairs (a square frame, indicator ids as index and columns);
- ``structure``: per indicator ``indicator_id, label, group, domain, r_group`` (with its own
  group's sub-score), ``r_domain`` (its top domain), ``r_index``, ``r_other_max`` (the highest
  correlation with another top domain), ``other_domain`` (which);
- ``alpha``: per group and top domain ``node, level, n_items, n_units, cronbach_alpha`` (listwise
  complete units; alpha = k/(k-1)·(1 - Σ var_i / var(Σ x_i)));
- ``flags``: ``kind, a, b, r, message`` for: ``negative`` (two indicators of one group correlate
  below ``negative_below``, default -0.4 as COINr), ``redundant`` (|r| above ``redundant_above``,
  default 0.9), ``elsewhere`` (an indicator correlates more with another domain than with its
  own), ``weak`` (an indicator hardly correlates with its own domain, |r| < 0.2).

:func:`steps` gives raw, imputed, treated and normalised data, the sub-scores of every level, the
index and the weights as frames; :func:`export_steps` writes them (plus the audit) to one .xlsx.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from npvr.errors import OutputError
from npvr.index.outliers import OUTLIERS
from npvr.index.pipeline import (
    ConfigLike,
    Prepared,
    _params,
    build_prepared,
    effective_weights,
    index_scores,
    node_scores,
    normalised,
    prepare,
)
from npvr.output import atomic_file


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``items`` over the rows with every item present."""
    x = np.asarray(items, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or len(x) < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - x.var(axis=0, ddof=1).sum() / total))


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 3 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return float("nan")
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


@dataclass
class AuditResult:
    """Correlation structure, reliability and flags (columns: module docstring)."""

    correlations: pd.DataFrame
    structure: pd.DataFrame
    alpha: pd.DataFrame
    flags: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {
            "correlations": self.correlations.reset_index(names="indicator_id"),
            "structure": self.structure,
            "alpha": self.alpha,
            "flags": self.flags,
        }


def audit_prepared(
    prep: Prepared, *, negative_below: float = -0.4, redundant_above: float = 0.9
) -> AuditResult:
    """The audit on prepared data (nominal method choices)."""
    m = prep.config.methods
    z = np.asarray(normalised(prep, m.imputation, m.outliers, m.normalisation))
    levels = node_scores(z, prep.w_ind, m.aggregation, prep)
    dom = levels[-1]
    idx = index_scores(dom, prep.w_dom, m.domain_aggregation, prep)
    ids = prep.indicators
    corr = pd.DataFrame(z, columns=ids).corr(method="pearson")
    rows = []
    for j, iid in enumerate(ids):
        g, d = int(prep.leaf_of[j]), int(prep.domain_of[j])
        others = [(_corr(z[:, j], dom[:, k]), prep.domains[k]) for k in range(len(prep.domains)) if k != d]
        others = [o for o in others if not np.isnan(o[0])]
        best = max(others, default=(np.nan, ""))
        rows.append(
            {
                "indicator_id": iid,
                "label": prep.labels[j],
                "group": prep.leaves[g],
                "domain": prep.domains[d],
                "r_group": _corr(z[:, j], levels[0][:, g]),
                "r_domain": _corr(z[:, j], dom[:, d]),
                "r_index": _corr(z[:, j], idx),
                "r_other_max": best[0],
                "other_domain": best[1],
            }
        )
    structure = pd.DataFrame(rows)

    alpha_rows = []
    for g, gid in enumerate(prep.leaves):
        sel = prep.leaf_of == g
        items = z[:, sel]
        alpha_rows.append(
            {
                "node": gid,
                "level": 1,
                "n_items": int(sel.sum()),
                "n_units": int((~np.isnan(items).any(axis=1)).sum()),
                "cronbach_alpha": cronbach_alpha(items),
            }
        )
    if prep.tree:
        for d, did in enumerate(prep.domains):
            sel = prep.domain_of == d
            items = z[:, sel]
            alpha_rows.append(
                {
                    "node": did,
                    "level": len(prep.tree) + 1,
                    "n_items": int(sel.sum()),
                    "n_units": int((~np.isnan(items).any(axis=1)).sum()),
                    "cronbach_alpha": cronbach_alpha(items),
                }
            )
    alpha = pd.DataFrame(alpha_rows)

    flags = []
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            r = corr.iat[a, b]
            if np.isnan(r):
                continue
            same = prep.leaf_of[a] == prep.leaf_of[b]
            if same and r < negative_below:
                flags.append(
                    (
                        "negative",
                        ids[a],
                        ids[b],
                        r,
                        f"negatieve correlatie binnen groep {prep.leaves[prep.leaf_of[a]]}",
                    )
                )
            if abs(r) > redundant_above:
                flags.append(("redundant", ids[a], ids[b], r, "bijna dezelfde informatie (dubbeltelling?)"))
    for row in structure.itertuples():
        if not np.isnan(row.r_other_max) and row.r_other_max > row.r_domain:
            flags.append(
                (
                    "elsewhere",
                    row.indicator_id,
                    row.other_domain,
                    row.r_other_max,
                    f"hangt sterker samen met domein {row.other_domain} dan met eigen domein {row.domain}",
                )
            )
        if not np.isnan(row.r_domain) and abs(row.r_domain) < 0.2:
            flags.append(
                (
                    "weak",
                    row.indicator_id,
                    row.domain,
                    row.r_domain,
                    "nauwelijks samenhang met het eigen domein",
                )
            )
    flag_frame = pd.DataFrame(flags, columns=["kind", "a", "b", "r", "message"])
    return AuditResult(corr, structure, alpha, flag_frame)


def audit(
    config: ConfigLike = None,
    *,
    snapshot: Any = None,
    level: str | None = None,
    regions: Any = None,
    negative_below: float = -0.4,
    redundant_above: float = 0.9,
) -> AuditResult:
    """The JRC statistical audit of an index at a level (see the module docstring)."""
    prep = prepare(config, snapshot=snapshot, level=level, regions=regions)
    return audit_prepared(prep, negative_below=negative_below, redundant_above=redundant_above)


def steps(prep: Prepared) -> dict[str, pd.DataFrame]:
    """Every step of the nominal build as a frame with the unit codes and names: raw, imputed,
    treated (outliers), normalised, the sub-scores of every level, the index, and the weights."""
    m = prep.config.methods
    z = np.asarray(normalised(prep, m.imputation, m.outliers, m.normalisation))
    imputed = np.asarray(prep.cache[("imputed", m.imputation)])
    om = OUTLIERS.get(m.outliers)
    treated = om.func(imputed, **_params(om, prep.config))

    def frame(x: np.ndarray, cols: list[str]) -> pd.DataFrame:
        f = pd.DataFrame(x, columns=cols)
        f.insert(0, "name", prep.names)
        f.insert(0, "code", prep.units)
        return f

    out = {
        "ruw": frame(prep.raw, prep.indicators),
        "geimputeerd": frame(imputed, prep.indicators),
        "behandeld": frame(treated, prep.indicators),
        "genormaliseerd": frame(z, prep.indicators),
    }
    levels = node_scores(z, prep.w_ind, m.aggregation, prep)
    names = [prep.leaves] + [lvl.parents for lvl in prep.tree]
    for k, (x, cols) in enumerate(zip(levels, names, strict=True), start=1):
        out[f"niveau{k}"] = frame(x, cols)
    res = build_prepared(prep)
    out["index"] = res.scores
    w = pd.DataFrame(
        {
            "node": prep.indicators,
            "parent": [prep.leaves[g] for g in prep.leaf_of],
            "level": 0,
            "weight": prep.w_ind,
            "effective_weight": effective_weights(prep),
        }
    )
    parts = [w]
    for k, lvl in enumerate(prep.tree, start=1):
        parts.append(
            pd.DataFrame(
                {
                    "node": lvl.children,
                    "parent": [lvl.parents[p] for p in lvl.parent],
                    "level": k,
                    "weight": lvl.weights,
                }
            )
        )
    parts.append(
        pd.DataFrame(
            {"node": prep.domains, "parent": "index", "level": len(prep.tree) + 1, "weight": prep.w_dom}
        )
    )
    out["gewichten"] = pd.concat(parts, ignore_index=True)
    out["log"] = pd.DataFrame({"log": res.log})
    return out


def export_steps(prep: Prepared, path: str | Path, *, with_audit: bool = True) -> Path:
    """Write :func:`steps` (and the audit) to one .xlsx, one sheet per step; written to a temporary
    file in the target folder and renamed, so a failed export leaves nothing half-written."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(
            f"de stappen-export is een .xlsx, niet '{path.suffix}'",
            en=f"the steps export is an .xlsx, not '{path.suffix}'",
            file=str(path),
        )
    sheets = steps(prep)
    if with_audit:
        a = audit_prepared(prep)
        sheets["correlaties"] = a.correlations.reset_index(names="indicator_id")
        sheets["structuur"] = a.structure
        sheets["cronbach_alpha"] = a.alpha
        sheets["signalen"] = a.flags
    # the writer closes (writes the book) before atomic_file renames it into place
    with (
        atomic_file(path, replace=True, create_parent=False) as tmp,
        pd.ExcelWriter(tmp, engine="openpyxl") as xl,
    ):
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name[:31], index=False)
    return path
