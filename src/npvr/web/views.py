"""The thin adapter between the web face and the library: one function per page, each calling
library functions and returning plain data (records) that the HTML page renders and the JSON twin
returns unchanged.

Nothing is computed here beyond selecting rows and turning frames into records. Results derived
only from the shipped snapshot are cached per process (``lru_cache``: they never change while the
app runs, so this is not state between requests; callers must not mutate them); all register data
is read from the database on every request, so several workers stay consistent.
When the library grows dedicated functions (scorecards in ``npvr.monitor``, a fast what-if in
``npvr.index``), only the body of the matching function here changes.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd

import npvr
from npvr import monitor
from npvr.errors import ConfigError, UnknownAreaError
from npvr.index.pipeline import Prepared, prepare
from npvr.index.pipeline import whatif as whatif_ranks
from npvr.monitor.scorecard import theme_label

#: Levels the indicator explorer offers (the index engineer's ``regio`` is ``npvr`` here).
LEVELS: tuple[str, ...] = ("gemeente", "corop", "provincie", "npvr")
#: Uncertainty settings of the index position on the region pages (documented in docs/web.md).
UNCERTAINTY_LEVEL = "regio"  # each NPVR region ranked as itself (issue 11)
UNCERTAINTY_DRAWS = 1000
UNCERTAINTY_SEED = 0
SELECT_K = 11


# --- JSON-safe records -------------------------------------------------------------------------------


def jsonable(v: Any) -> Any:
    """A value JSON can carry: NaN -> None, numpy -> Python, Decimal -> string (exact money)."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, dt.date | dt.datetime | pd.Timestamp):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | np.ndarray):
        return [jsonable(x) for x in v]
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-safe records (column order kept), converted column by column (fast)."""
    cols = list(df.columns)
    data = []
    for c in cols:
        col = df[c]
        kind = col.dtype.kind
        if kind == "f":
            data.append([None if not math.isfinite(x) else x for x in col.tolist()])
        elif kind in "iub":
            data.append(col.tolist())
        else:
            data.append([jsonable(x) for x in col.tolist()])
    return [dict(zip(cols, row, strict=True)) for row in zip(*data, strict=True)]


# --- cached, snapshot-only data ------------------------------------------------------------------------


@cache
def snapshot() -> Any:
    return npvr.load_snapshot()


@cache
def regions() -> Any:
    return npvr.load_regions(valid_codes=snapshot().gemeenten.index)


@lru_cache(maxsize=512)
def region_list() -> list[dict[str, Any]]:
    return [{"id": r.id, "name": r.name, "n_gemeenten": len(r.members)} for r in regions().regions]


def region(region_id: str) -> Any:
    for r in regions().regions:
        if r.id == region_id:
            return r
    raise UnknownAreaError(
        f"onbekende regio '{region_id}'; kies uit: {', '.join(r.id for r in regions().regions)}",
        en=f"unknown region '{region_id}'",
        field="region",
    )


@cache
def _monitor() -> dict[str, pd.DataFrame]:
    snap = snapshot()
    cat = snap.catalogue
    shown = [i for i, ind in cat.items() if ind.aggregation != "sum"]
    unit_values = monitor.group_values(
        snap.values, regions().groups(snap.gemeenten.index), cat, indicators=shown
    )
    gaps = monitor.gap_table(unit_values, cat)
    return {
        "unit_values": unit_values,
        "gaps": gaps,
        "latest": monitor.latest(gaps),
        "trends": monitor.trend_table(gaps),
        "spread": monitor.gemeente_spread(snapshot().values),
    }


def _label(iid: str, lang: str) -> str:
    return snapshot().catalogue[iid].label(lang)


def _with_labels(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    cat = snapshot().catalogue
    out = df.copy()
    out.insert(2, "label", [cat[i].label(lang) for i in out["indicator_id"]])
    out.insert(3, "unit", [cat[i].unit for i in out["indicator_id"]])
    return out


@lru_cache(maxsize=512)
def scorecard(region_id: str, lang: str = "nl") -> dict[str, Any]:
    """The region against the rest of NL: per theme (:func:`npvr.monitor.scorecard`) and per
    indicator with its status by the one colour rule (:func:`npvr.monitor.largest_gaps`, every
    gap, largest first), latest period; ``rule`` is the rule's text."""
    latest = _monitor()["latest"]
    cat = snapshot().catalogue
    sub = latest[latest["area_code"] == region_id]
    themes = monitor.scorecard(sub, cat)
    themes = themes.assign(theme_label=[theme_label(th, lang) for th in themes["theme"]])
    rows = monitor.largest_gaps(
        sub, cat, n=len(sub), side="any", area=region_id, spread=_monitor()["spread"]
    )
    rows.insert(2, "label", [cat[i].label(lang) for i in rows["indicator_id"]])
    return {"rule": monitor.RULE[lang], "themes": records(themes), "indicators": records(rows)}


@lru_cache(maxsize=512)
def trends(region_id: str, lang: str = "nl") -> list[dict[str, Any]]:
    """First against last gap per indicator (:func:`npvr.monitor.trend_table`)."""
    tr = _monitor()["trends"]
    return records(_with_labels(tr[tr["area_code"] == region_id].reset_index(drop=True), lang))


@lru_cache(maxsize=512)
def headline(lang: str = "nl") -> list[dict[str, Any]]:
    """Per region: indicators better / equal / worse than the rest of NL by the colour rule
    (:func:`npvr.monitor.scorecard`, summed over themes) and the largest backlog
    (:func:`npvr.monitor.largest_gaps`), latest period."""
    latest = _monitor()["latest"]
    cat = snapshot().catalogue
    cards = monitor.scorecard(latest, cat)
    top = monitor.largest_gaps(latest, cat, n=1, side="worse", spread=_monitor()["spread"]).set_index(
        "area_code"
    )
    out = []
    for r in regions().regions:
        c = cards[cards["area_code"] == r.id]
        row: dict[str, Any] = {
            "region": r.id,
            "name": r.name,
            "n_worse": int(c["n_worse"].sum()),
            "n_equal": int(c["n_equal"].sum()),
            "n_better": int(c["n_better"].sum()),
            "n_indicators": int(c["n_indicators"].sum()),
        }
        if r.id in top.index:
            t = top.loc[r.id]
            row.update(
                indicator_id=t["indicator_id"],
                label=_label(t["indicator_id"], lang),
                unit=t["unit"],
                period=int(t["period"]),
                value=jsonable(t["value"]),
                rest=jsonable(t["rest"]),
                gap_abs=jsonable(t["gap_abs"]),
                gap_rel=jsonable(t["gap_rel"]),
            )
        out.append(row)
    return out


@lru_cache(maxsize=512)
def profile(region_id: str, lang: str = "nl") -> dict[str, Any]:
    """:func:`npvr.profile` of the region: latest value of each indicator beside NL and rest of NL."""
    region(region_id)
    info, df = npvr.profile(region_id, regions=regions(), snapshot=snapshot(), lang=lang)
    return {"area": jsonable(info), "rows": records(df)}


# --- index -----------------------------------------------------------------------------------------------


@cache
def _uncertainty() -> Any:
    from npvr.index import uncertainty

    return uncertainty(
        None, draws=UNCERTAINTY_DRAWS, seed=UNCERTAINTY_SEED, select_k=SELECT_K, level=UNCERTAINTY_LEVEL
    )


@lru_cache(maxsize=512)
def index_position(region_id: str, lang: str = "nl") -> dict[str, Any]:
    """The region itself in the default index at the ``regio`` level (the 11 NPVR regions plus the
    rest of each COROP area): nominal and median rank, 90% interval and the probability of being
    among the :data:`SELECT_K` most deprived (:func:`npvr.index.uncertainty`), with the library's
    explanatory text (:func:`npvr.index.npvr_region_texts`)."""
    region(region_id)
    res = _uncertainty()
    texts = _region_texts(lang)
    row = res.units[res.units["code"] == region_id]
    return {
        "level": res.level,
        "draws": res.draws,
        "select_k": res.select_k,
        "n_units": len(res.units),
        "unit": records(row)[0] if len(row) else None,
        "text": str(texts.loc[region_id, "text"]),
    }


@cache
def _region_texts(lang: str) -> pd.DataFrame:
    from npvr.index import npvr_region_texts

    texts = npvr_region_texts(_uncertainty(), regions=regions(), snapshot=snapshot(), lang=lang)
    return texts.set_index("code")


@cache
def _prepared() -> Prepared:
    return prepare(None)


@lru_cache(maxsize=512)
def index_options() -> dict[str, Any]:
    """What the what-if form offers: the domains with their default weight, and method choices."""

    prep = _prepared()
    m = prep.config.methods
    return {
        "domains": [
            {"id": d, "label": lab, "weight": float(w)}
            for d, lab, w in zip(prep.domains, prep.domain_labels, prep.w_dom, strict=True)
        ],
        "methods": {
            f: {"default": getattr(m, f), "choices": _choices(f)}
            for f in ("normalisation", "aggregation", "imputation", "outliers")
        },
        "n_units": prep.n_units,
    }


def _choices(family: str) -> list[str]:
    """Registered methods of ``family`` that need nothing beyond the default config (no goalposts,
    targets or reference unit), so any of them can be picked in the form."""
    from npvr.index import REGISTRIES

    return [m.name for m in REGISTRIES[family] if not m.options.get("needs")]


def whatif(weights: dict[str, float] | None = None, methods: dict[str, str] | None = None) -> dict[str, Any]:
    """The default index recomputed with other domain weights and methods on the prepared (cached)
    pipeline, :func:`npvr.index.pipeline.whatif`: scores and ranks of all gemeenten, best rank
    first, with the nominal rank and the shift; plus each gemeente's NPVR region."""
    prep = _prepared()
    w = prep.w_dom.astype(float).copy()
    for i, d in enumerate(prep.domains):
        if weights and d in weights:
            v = weights[d]
            if not math.isfinite(v) or v < 0:
                raise ConfigError(
                    f"het gewicht van domein '{d}' moet 0 of groter zijn",
                    en=f"weight of '{d}' must be 0 or more",
                    field=f"w_{d}",
                )
            w[i] = v
    if w.sum() <= 0:
        raise ConfigError(
            "de domeingewichten tellen op tot 0; geef minstens één domein gewicht",
            en="the domain weights add up to 0",
            field="weights",
        )
    w = w / w.sum()
    cfg_methods = prep.config.methods
    for f, name in (methods or {}).items():
        if f in ("normalisation", "aggregation", "imputation", "outliers") and name not in _choices(f):
            raise ConfigError(
                f"methode '{name}' kan hier niet voor {f}; kies uit: {', '.join(_choices(f))}",
                en=f"method '{name}' is not available for {f}",
                field=f,
            )
    if methods:
        try:
            cfg_methods = cfg_methods.model_validate({**cfg_methods.model_dump(), **methods})
        except Exception as exc:  # pydantic names the method and the valid choices
            raise ConfigError(
                f"ongeldige methodekeuze: {exc}", en=f"invalid method choice: {exc}", field="methods"
            ) from None
    m = cfg_methods
    scores = whatif_ranks(
        prep,
        domain_weights=dict(zip(prep.domains, map(float, w), strict=True)),
        methods={k: getattr(m, k) for k in ("imputation", "outliers", "normalisation", "aggregation")},
    )
    region_of = _region_of()
    out = records(scores)
    for row in out:
        row["region"] = region_of[row["code"]]
    return {
        "weights": dict(zip(prep.domains, map(float, w), strict=True)),
        "methods": m.model_dump(),
        "scores": out,
    }


@cache
def _region_of() -> dict[str, str]:
    return {str(k): str(v) for k, v in regions().groups(snapshot().gemeenten.index).items()}


# --- indicator explorer -------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def indicators(lang: str = "nl") -> list[dict[str, Any]]:
    cat = snapshot().catalogue
    return [
        {"id": i, "label": ind.label(lang), "theme": ind.theme, "unit": ind.unit, "direction": ind.direction}
        for i, ind in cat.items()
    ]


@lru_cache(maxsize=512)
def explorer(indicator: str, level: str, lang: str = "nl", period: int | None = None) -> dict[str, Any]:
    """One indicator at one level: :func:`npvr.indicator_table`, latest period unless given."""
    if level not in LEVELS:
        raise ConfigError(
            f"onbekend niveau '{level}'; kies uit: {', '.join(LEVELS)}",
            en=f"unknown level '{level}'",
            field="level",
        )
    cat = snapshot().catalogue
    if indicator not in cat:
        raise ConfigError(
            f"onbekende indicator '{indicator}'; zie de lijst op de pagina",
            en=f"unknown indicator '{indicator}'",
            field="indicator",
        )
    df = npvr.indicator_table([indicator], level=level, regions=regions(), snapshot=snapshot(), lang=lang)
    periods = sorted(int(p) for p in df["period"].unique())
    if period is None:
        period = periods[-1] if periods else None
    elif period not in periods:
        raise ConfigError(
            f"geen waarden voor {period}; beschikbaar: {', '.join(map(str, periods))}",
            en=f"no values for {period}",
            field="period",
        )
    rows = df[df["period"] == period].sort_values("area_code").reset_index(drop=True)
    ind = cat[indicator]
    return {
        "indicator": {
            "id": indicator,
            "label": ind.label(lang),
            "unit": ind.unit,
            "direction": ind.direction,
            "theme": ind.theme,
        },
        "level": level,
        "period": period,
        "periods": periods,
        "rows": records(rows),
    }


def warm(langs: tuple[str, ...] = ("nl",)) -> None:
    """Compute the snapshot-only page data once at worker start, so no visitor waits for it."""
    index_options()
    _region_of()
    for lang in langs:
        region_list()
        headline(lang)
        indicators(lang)
        for r in regions().regions:
            scorecard(r.id, lang)
            trends(r.id, lang)
            profile(r.id, lang)
            index_position(r.id, lang)
        for level in LEVELS:
            explorer("aandeel_65plus", level, lang)
