"""Region profile pieces: the table of indicators per region and the index-engine hook.

:func:`index_profile` is the single place where the report asks the index engine (``npvr.index``)
for rank, selection probability and CBS quartiles. It returns ``None`` while the engine does not
provide ``build_index``, ``uncertainty`` and ``quartiles``; the report then says so instead of
showing numbers. No numbers are made up here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

INDEX_FUNCTIONS: tuple[str, ...] = ("build_index", "uncertainty", "quartiles")


def index_engine_available() -> bool:
    """True once npvr.index exposes every function the profile needs."""
    try:
        import npvr.index as index
    except ImportError:
        return False
    return all(callable(getattr(index, f, None)) for f in INDEX_FUNCTIONS)


def index_profile(
    snapshot: Any, regions: Any, *, draws: int = 1000, seed: int = 0
) -> dict[str, pd.DataFrame] | None:
    """Rank, selection probability and CBS quartiles per NPVR region from the index engine, or None.

    Ranks come from the engine's uncertainty analysis of its default index at COROP level (40
    areas, selection rule "the 11 most deprived", as many as there are NPVR regions); each region is
    matched to the COROP area most of its gemeenten lie in (``npvr.index.npvr_region_texts``). At
    the "npvr" level the 11 regions would be ranked only among themselves, which makes a selection
    of 11 certain and says nothing. Quartiles place each region's aggregated value against the 342
    gemeenten (``npvr.index.quartiles(level="npvr")``).

    Returns ``{"ranks": region, corop_code, corop_name, nominal_rank, median_rank, p5, p95,
    selection_probability, n_units, select_k, draws, text_nl, text_en; "quartiles": region,
    indicator_id, quartile (1 worst .. 4 best), colour}``.
    """
    if not index_engine_available():
        return None
    import npvr.index as index

    unc = index.uncertainty(
        None,
        draws=draws,
        seed=seed,
        select_k=len(regions.regions),
        level="corop",
        snapshot=snapshot,
        regions=regions,
    )
    texts = {
        lang: index.npvr_region_texts(unc, regions=regions, snapshot=snapshot, lang=lang).set_index("code")
        for lang in ("nl", "en")
    }
    units = unc.units.set_index("code")
    corop = snapshot.gemeenten["corop_code"]
    rows = []
    for r in regions.regions:
        code = corop.reindex(list(r.members)).mode().iloc[0]
        u = units.loc[code]
        rows.append(
            {
                "region": r.id,
                "corop_code": code,
                "corop_name": u["name"],
                "nominal_rank": int(u["nominal_rank"]),
                "median_rank": float(u["median_rank"]),
                "p5": float(u["p5"]),
                "p95": float(u["p95"]),
                "selection_probability": float(u["selection_probability"]),
                "n_units": len(units),
                "select_k": unc.select_k,
                "draws": unc.draws,
                "text_nl": texts["nl"].at[r.id, "text"],
                "text_en": texts["en"].at[r.id, "text"],
            }
        )
    q = index.quartiles(snapshot=snapshot, level="npvr", regions=regions).cells
    quart = q.rename(columns={"code": "region"})[["region", "indicator_id", "quartile", "colour"]]
    return {"ranks": pd.DataFrame(rows), "quartiles": quart.reset_index(drop=True)}


def border_members(gemeenten: pd.DataFrame, members: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The region's gemeenten on the Belgian or German border (name and which border)."""
    sub = gemeenten.reindex(list(members))
    be = sub.get("borders_belgium", pd.Series(False, index=sub.index)).fillna(False).astype(bool)
    de = sub.get("borders_germany", pd.Series(False, index=sub.index)).fillna(False).astype(bool)
    out = pd.DataFrame({"name": sub["name"], "belgium": be, "germany": de})
    return out[out["belgium"] | out["germany"]]
