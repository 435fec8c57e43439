"""'Why these 11': the NPVR selection explained on the shipped indices, region by region.

Everything is computed at the ``regio`` level (the 11 regions as themselves, plus the remaining
parts of COROP areas; :func:`npvr.areas.regio_units`), for each shipped index (the deprivation
index after PON&Telos and the NPVR-opgave index), so a region is never judged by a larger area.

:func:`selection_report` returns a :class:`SelectionReport` whose frames are

- ``regions``: one row per (index, region): ``index, index_name, region_id, name, nominal_rank,
  n_units, median_rank, p5, p95, selection_probability`` (share of uncertainty draws in which
  the region is among the 11 highest-scoring units), ``tipping_factor, tipping_in, p_in,
  tipping_out, p_out`` (the method choice that moves it most), ``loo_up`` / ``loo_up_rank`` (the
  indicator whose removal lifts the region most, and its rank then), ``loo_down`` /
  ``loo_down_rank`` (the one whose removal drops it most), ``top_domains`` (its two highest
  domain sub-scores), ``verdict`` (``gedragen``, ``grensgeval``, ``niet gedragen``),
  ``verdict_label`` (in the report's language), ``text`` (in ``lang``), ``text_nl`` and ``text_en``;
- ``counts``: per index ``index, index_name, n_units, in_top11, in_top15, in_top20`` (how many of
  the 11 regions that index places in its top 11, 15, 20);
- ``outsiders``: units outside the NPVR that rank among the 11 highest at regio level, and
  gemeenten outside the NPVR among the 20 highest at gemeente level: ``index, level, code, name,
  rank, selection_probability`` (regio only), ``density`` (inhabitants per km²), ``character``
  (``stedelijk`` >= 1,000/km², ``landelijk`` < 400/km², else ``gemengd``), ``top_domains``;
- ``leave_one_out``: ``index, region_id, indicator_id, rank_without, shift`` for every indicator;
- ``variants``: ``index, region_id, delimitation, n_members, rank, n_units`` for the default
  delimitation and every named variant of a contested region (each a ranking of its own).

``texts`` has one paragraph per region (``region_id, name, text``), in Dutch or English. A region's
selection is called *gedragen* (supported) on an index when it ranks in the top 11 and is selected
in at least half of the draws; *grensgeval* (borderline) when it ranks in the top 20 or is
selected in at least 10 % of the draws; otherwise *niet gedragen door deze gegevens*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from npvr.index.config import SHIPPED, coerce_config
from npvr.index.explain import _FACTOR, _level_name
from npvr.index.pipeline import (
    ConfigLike,
    Prepared,
    build_prepared,
    domain_scores,
    index_scores,
    normalised,
    prepare,
    ranks,
)
from npvr.index.uncertainty import run_prepared

K = 11
URBAN, RURAL = 1000.0, 400.0


@dataclass
class SelectionReport:
    """The NPVR selection explained (columns: module docstring)."""

    regions: pd.DataFrame
    counts: pd.DataFrame
    outsiders: pd.DataFrame
    leave_one_out: pd.DataFrame
    variants: pd.DataFrame
    texts: pd.DataFrame
    draws: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "regions": self.regions,
            "counts": self.counts,
            "outsiders": self.outsiders,
            "leave_one_out": self.leave_one_out,
            "variants": self.variants,
            "texts": self.texts,
        }


def leave_one_out_ranks(prep: Prepared) -> np.ndarray:
    """(indicators, units) nominal ranks with each indicator left out in turn (its weight 0; the
    other indicators of its group share the weight, a group left empty drops out of its parent)."""
    m = prep.config.methods
    z = normalised(prep, m.imputation, m.outliers, m.normalisation)
    n = len(prep.indicators)
    w = np.tile(prep.w_ind, (n, 1))
    w[np.arange(n), np.arange(n)] = 0.0
    dom = domain_scores(z, w, m.aggregation, prep)
    return ranks(
        index_scores(dom, np.broadcast_to(prep.w_dom, (n, len(prep.domains))), m.domain_aggregation, prep)
    )


def _density(level: str, regions: Any, snapshot: Any) -> pd.Series:
    import npvr

    snap = snapshot if snapshot is not None else npvr.load_snapshot()
    ids = ["bevolkingsdichtheid"]
    if level == "gemeente":
        v = snap.values[snap.values["indicator_id"] == "bevolkingsdichtheid"]
    else:
        v = npvr.aggregate(snap.values, npvr.membership(level, regions), snap.catalogue, indicators=ids)
    v = v[v["period"] == v["period"].max()]
    return v.set_index("area_code")["value"]


def _character(d: float) -> str:
    if np.isnan(d):
        return ""
    return "stedelijk" if d >= URBAN else "landelijk" if d < RURAL else "gemengd"


def _top_domains(row: pd.Series, labels: dict[str, str], n: int = 2) -> str:
    vals = row.drop(labels=["code", "name"], errors="ignore").astype(float).sort_values(ascending=False)
    return ", ".join(labels.get(str(k), str(k)) for k in vals.index[:n])


def _verdict(rank: int, p: float) -> str:
    if rank <= K and p >= 0.5:
        return "gedragen"
    if rank <= 20 or p >= 0.1:
        return "grensgeval"
    return "niet gedragen"


_VERDICT_EN = {"gedragen": "supported", "grensgeval": "borderline", "niet gedragen": "not supported"}


def _text(r: pd.Series, outs: list[str], lang: str) -> str:
    en = lang == "en"
    pct = f"{100 * r['selection_probability']:.0f}%"
    where = f"{r['nominal_rank']}/{r['n_units']}"
    span = f"{r['p5']}-{r['p95']}"
    if en:
        t = (
            f"{r['index_name']}: rank {where} (90% interval {span}); among the {K} highest in {pct} "
            f"of the draws; strongest domains: {r['top_domains']}."
        )
    else:
        t = (
            f"{r['index_name']}: plaats {where} (90%-interval {span}); bij de {K} hoogste in {pct} "
            f"van de trekkingen; sterkste domeinen: {r['top_domains']}."
        )
    verdict = {
        "gedragen": (
            " De gegevens dragen de selectie op deze index.",
            " The data support the selection on this index.",
        ),
        "grensgeval": (
            " Grensgeval: de selectie hangt af van methodekeuzes.",
            " Borderline: the selection depends on method choices.",
        ),
        "niet gedragen": (
            " De gegevens dragen de selectie op deze index NIET.",
            " The data do NOT support the selection on this index.",
        ),
    }[r["verdict"]]
    t += verdict[1 if en else 0]
    if outs:
        t += (
            f" Outside the NPVR among the {K} highest: " if en else f" Buiten het NPVR bij de {K} hoogste: "
        ) + (", ".join(outs) + ".")
    f = r["tipping_factor"]
    if isinstance(f, str):
        lab = _FACTOR.get(f, (f, f))[1 if en else 0]
        lin = _level_name(f, str(r["tipping_in"]), lang)
        lout = _level_name(f, str(r["tipping_out"]), lang)
        pin, pout = f"{100 * r['p_in']:.0f}%", f"{100 * r['p_out']:.0f}%"
        t += (
            f" Deciding choice: {lab}: «{lin}» {pin} vs «{lout}» {pout}."
            if en
            else f" Beslissende keuze: {lab}: «{lin}» {pin} tegen «{lout}» {pout}."
        )
    if isinstance(r["loo_up"], str):
        t += (
            f" Without {r['loo_up']} it would rank {r['loo_up_rank']}."
            if en
            else f" Zonder {r['loo_up']} zou de regio op plaats {r['loo_up_rank']} staan."
        )
    return t


def selection_report(
    configs: Sequence[ConfigLike] | None = None,
    *,
    regions: Any = None,
    draws: int = 10_000,
    seed: int = 0,
    snapshot: Any = None,
    lang: str = "nl",
    gemeente_top: int = 20,
) -> SelectionReport:
    """Explain the NPVR selection on each index (default: every shipped index); see the module
    docstring for the frames. ``regions`` is a RegionSet or region file (default: the NPVR set)."""
    import npvr

    rs = regions if regions is not None and hasattr(regions, "regions") else npvr.load_regions(regions)
    configs = list(configs) if configs is not None else list(SHIPPED)
    density_regio = _density("regio", rs, snapshot)
    density_gm = _density("gemeente", rs, snapshot)
    npvr_members = set(rs.membership().index)
    region_rows: list[dict[str, Any]] = []
    count_rows: list[dict[str, Any]] = []
    out_rows: list[dict[str, Any]] = []
    loo_rows: list[dict[str, Any]] = []
    var_rows: list[dict[str, Any]] = []
    text_parts: dict[str, list[str]] = {}
    for key in configs:
        cfg = coerce_config(key)
        label = key if isinstance(key, str) and key in SHIPPED else cfg.name
        prep = prepare(cfg, snapshot=snapshot, level="regio", regions=rs)
        res = build_prepared(prep)
        unc = run_prepared(prep, draws=draws, seed=seed, select_k=K)
        u = unc.units.set_index("code")
        doms = res.domains.set_index("code")
        dlabels = dict(zip(prep.domains, prep.domain_labels, strict=True))
        loo = leave_one_out_ranks(prep)
        nominal = u["nominal_rank"]
        # outsiders at regio level
        outs = []
        for code, row in u.iterrows():
            if code in rs.ids or int(row["nominal_rank"]) > K:
                continue
            d = float(density_regio.get(code, np.nan))
            outs.append(str(row["name"]))
            out_rows.append(
                {
                    "index": label,
                    "level": "regio",
                    "code": code,
                    "name": row["name"],
                    "rank": int(row["nominal_rank"]),
                    "selection_probability": float(row["selection_probability"]),
                    "density": d,
                    "character": _character(d),
                    "top_domains": _top_domains(doms.loc[code], dlabels),
                }
            )
        # gemeenten outside the NPVR that rank high
        gres = build_prepared(prepare(cfg, snapshot=snapshot, level="gemeente"))
        gdoms = gres.domains.set_index("code")
        for row in gres.scores.head(gemeente_top).itertuples():
            if row.code in npvr_members:
                continue
            d = float(density_gm.get(row.code, np.nan))
            out_rows.append(
                {
                    "index": label,
                    "level": "gemeente",
                    "code": row.code,
                    "name": row.name,
                    "rank": int(row.rank),
                    "selection_probability": np.nan,
                    "density": d,
                    "character": _character(d),
                    "top_domains": _top_domains(gdoms.loc[row.code], dlabels),
                }
            )
        ranks_of = {rid: int(nominal[rid]) for rid in rs.ids}
        count_rows.append(
            {
                "index": label,
                "index_name": cfg.name,
                "n_units": prep.n_units,
                **{f"in_top{n}": sum(r <= n for r in ranks_of.values()) for n in (11, 15, 20)},
            }
        )
        col = {c: i for i, c in enumerate(prep.units)}
        for r in rs.regions:
            row = u.loc[r.id]
            base = int(row["nominal_rank"])
            without = loo[:, col[r.id]]
            for j, iid in enumerate(prep.indicators):
                loo_rows.append(
                    {
                        "index": label,
                        "region_id": r.id,
                        "indicator_id": iid,
                        "rank_without": int(without[j]),
                        "shift": int(without[j]) - base,
                    }
                )
            up, down = int(np.argmin(without)), int(np.argmax(without))
            rec = {
                "index": label,
                "index_name": cfg.name,
                "region_id": r.id,
                "name": r.name,
                "nominal_rank": base,
                "n_units": prep.n_units,
                "median_rank": int(row["median_rank"]),
                "p5": int(row["p5"]),
                "p95": int(row["p95"]),
                "selection_probability": float(row["selection_probability"]),
                "tipping_factor": row["tipping_factor"],
                "tipping_in": row["tipping_in"],
                "p_in": row["p_in"],
                "tipping_out": row["tipping_out"],
                "p_out": row["p_out"],
                "loo_up": prep.indicators[up] if without[up] < base else None,
                "loo_up_rank": int(without[up]),
                "loo_down": prep.indicators[down] if without[down] > base else None,
                "loo_down_rank": int(without[down]),
                "top_domains": _top_domains(doms.loc[r.id], dlabels),
            }
            rec["verdict"] = _verdict(base, rec["selection_probability"])
            rec["text_nl"] = _text(pd.Series(rec), outs, "nl")
            rec["text_en"] = _text(pd.Series(rec), outs, "en")
            rec["text"] = rec["text_en"] if lang == "en" else rec["text_nl"]
            region_rows.append(rec)
            text_parts.setdefault(r.id, []).append(rec["text"])
        # alternative delimitations: the default and every named variant, each its own ranking
        for r in rs.regions:
            var_rows.append(
                {
                    "index": label,
                    "region_id": r.id,
                    "delimitation": "standaard",
                    "n_members": len(r.members),
                    "rank": ranks_of[r.id],
                    "n_units": prep.n_units,
                }
            )
            for vname in r.variants:
                alt = rs.with_variant(r.id, vname)
                ares = build_prepared(prepare(cfg, snapshot=snapshot, level="regio", regions=alt))
                s = ares.scores.set_index("code")
                var_rows.append(
                    {
                        "index": label,
                        "region_id": r.id,
                        "delimitation": vname,
                        "n_members": len(r.variants[vname]),
                        "rank": int(s.loc[r.id, "rank"]),
                        "n_units": len(s),
                    }
                )
    regions_frame = pd.DataFrame(region_rows)
    verdict_col = regions_frame["verdict"] if lang != "en" else regions_frame["verdict"].map(_VERDICT_EN)
    regions_frame["verdict_label"] = verdict_col
    texts = pd.DataFrame(
        [
            {"region_id": r.id, "name": r.name, "text": f"{r.name}. " + " ".join(text_parts.get(r.id, []))}
            for r in rs.regions
        ]
    )
    return SelectionReport(
        regions_frame,
        pd.DataFrame(count_rows),
        pd.DataFrame(out_rows),
        pd.DataFrame(loo_rows),
        pd.DataFrame(var_rows),
        texts,
        draws,
        seed,
    )
