"""Key messages of the monitor: theme scorecards, the largest gaps, gaps that closed or widened,
and trend statements - one home for what the report's first screen and the web app say.

Everything works on the tables of :mod:`npvr.monitor.gaps` and :mod:`npvr.monitor.trends`, so a
statement always traces back to the same numbers as the profile tables.

**The one colour rule** (:data:`RULE`, stated on every page that shows a scorecard): an indicator
counts as *better* (or *worse*) when the region differs from the rest of the Netherlands by at
least :data:`THRESHOLD` (5 %) of the rest's value in the favourable (or unfavourable) direction,
otherwise as *about equal*; context indicators (no direction) do not count. A theme is green when
more of its indicators are better than worse, red when more are worse than better, grey when they
balance or all are about equal. A relative threshold is used for every indicator, percentages
included, so a theme is coloured by one rule whatever its units; the difference itself is shown in
percentage points for percentages (:func:`npvr.i18n.fmt_gap`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from npvr.i18n import fmt_gap, t, theme_name

THRESHOLD = 0.05
COLOURS: dict[str, str] = {"better": "#1a7f37", "worse": "#c62828", "equal": "#8c8c8c", "none": "#ffffff"}
RULE: dict[str, str] = {
    "nl": "Kleurregel: een indicator telt als beter (of slechter) wanneer de regio minstens 5% van de "
    "waarde van de rest van Nederland gunstiger (of ongunstiger) scoort, anders als gelijk; "
    "contextindicatoren tellen niet mee. Een thema is groen als meer indicatoren beter dan slechter "
    "zijn, rood als meer slechter dan beter, grijs als ze in evenwicht zijn. Steeds de laatste periode.",
    "en": "Colour rule: an indicator counts as better (or worse) when the region scores at least 5% of the "
    "rest of the Netherlands' value more favourably (or unfavourably), otherwise as equal; context "
    "indicators do not count. A theme is green when more indicators are better than worse, red when "
    "more are worse than better, grey when they balance. Always the latest period.",
}


def classify(gap_rel: float, direction: int, threshold: float = THRESHOLD) -> str:
    """ "better", "worse", "equal" (within the threshold) or "none" (context or no value)."""
    if direction == 0 or gap_rel is None or not np.isfinite(gap_rel):
        return "none"
    signed = gap_rel * direction
    if signed >= threshold:
        return "better"
    if signed <= -threshold:
        return "worse"
    return "equal"


def _with_theme(latest_gaps: pd.DataFrame, catalogue: Mapping[str, Any]) -> pd.DataFrame:
    g = latest_gaps.copy()
    g["theme"] = [getattr(catalogue.get(i), "theme", "") for i in g["indicator_id"]]
    g["unit"] = [getattr(catalogue.get(i), "unit", "") for i in g["indicator_id"]]
    g["status"] = [classify(r, int(d)) for r, d in zip(g["gap_rel"], g["direction"], strict=True)]
    return g


def scorecard(
    latest_gaps: pd.DataFrame, catalogue: Mapping[str, Any], *, themes: list[str] | None = None
) -> pd.DataFrame:
    """Per region and theme: indicators better / equal / worse than the rest of NL and the colour.

    ``latest_gaps`` is :func:`npvr.monitor.gaps.latest` of the gap table (one period per
    indicator). ``themes`` fixes the columns (default: the catalogue's theme list,
    ``npvr.data.catalogue.THEMES``); a theme without indicators with a direction gets status "none".
    Columns: area_code, theme, n_indicators, n_better, n_equal, n_worse, score
    ((better - worse) / counted), status ("better" | "worse" | "equal" | "none"), colour, indicators
    (ids counted).
    """
    if themes is None:
        from npvr.data.catalogue import THEMES

        themes = list(THEMES)
    g = _with_theme(latest_gaps, catalogue)
    rows = []
    for unit in list(dict.fromkeys(g["area_code"])):
        sub = g[g["area_code"] == unit]
        for theme in themes:
            s = sub[(sub["theme"] == theme) & (sub["status"] != "none")]
            nb, nw = int((s["status"] == "better").sum()), int((s["status"] == "worse").sum())
            ne = int((s["status"] == "equal").sum())
            n = nb + nw + ne
            status = "none" if n == 0 else "better" if nb > nw else "worse" if nw > nb else "equal"
            rows.append(
                {
                    "area_code": unit,
                    "theme": theme,
                    "n_indicators": n,
                    "n_better": nb,
                    "n_equal": ne,
                    "n_worse": nw,
                    "score": (nb - nw) / n if n else np.nan,
                    "status": status,
                    "colour": COLOURS[status],
                    "indicators": list(s["indicator_id"]),
                }
            )
    return pd.DataFrame(rows)


def largest_gaps(
    latest_gaps: pd.DataFrame,
    catalogue: Mapping[str, Any],
    *,
    n: int = 5,
    side: str = "worse",
    area: str | None = None,
    spread: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """The ``n`` largest gaps with the rest of NL per region, in standard deviations.

    Gaps of different indicators are made comparable by dividing by the indicator's spread
    (``spread``: its standard deviation over the gemeenten, see :func:`gemeente_spread`) and
    sorted by that size, ``gap_sd``. A relative gap would not do: on a rate near zero (economic
    growth, population change) a tiny difference becomes thousands of percent and tops every list.
    Without ``spread`` the size is the relative gap ``|gap_rel|`` (fine for levels, not for rates
    near zero); the report and the web app pass the gemeente spread.

    ``side="worse"``: only where the region does worse by the colour rule (the backlogs);
    ``"better"``: only where it does better; ``"any"``: every gap, also those within the threshold.
    Context indicators are left out (no good or bad side). Adds ``theme``, ``unit``, ``status``,
    ``gap_sd`` and ``rank``.
    """
    g = _with_theme(latest_gaps, catalogue)
    g = g[(g["direction"] != 0) & np.isfinite(g["gap_abs"].astype(float))]
    if spread is None:
        g = g[np.isfinite(g["gap_rel"].astype(float))]
        g = g.assign(gap_sd=np.nan, _size=g["gap_rel"].astype(float).abs())
    else:
        sd = g["indicator_id"].map(pd.Series(spread, dtype=float))
        g = g.assign(gap_sd=g["gap_abs"].astype(float) / sd.where(sd > 0))
        g = g[np.isfinite(g["gap_sd"])]
        g = g.assign(_size=g["gap_sd"].abs())
    if area is not None:
        g = g[g["area_code"] == area]
    if side == "worse":
        g = g[g["status"] == "worse"]
    elif side == "better":
        g = g[g["status"] == "better"]
    g = g.rename(columns={"_size": "size"}).sort_values(["area_code", "size"], ascending=[True, False])
    g = g.groupby("area_code", sort=False).head(n).copy()
    g["rank"] = g.groupby("area_code").cumcount() + 1
    return g.drop(columns="size").reset_index(drop=True)


def gemeente_spread(values: pd.DataFrame, indicators: list[str] | None = None) -> pd.Series:
    """Per indicator, the standard deviation of the gemeente values in its latest period.

    ``values`` is the snapshot's long table (area_code, indicator_id, period, value); the scale by
    which :func:`largest_gaps` compares gaps of different indicators.
    """
    v = values if indicators is None else values[values["indicator_id"].isin(indicators)]
    v = v[v["area_code"].astype(str).str.startswith("GM")]
    latest = v.groupby("indicator_id")["period"].transform("max")
    return v[v["period"] == latest].groupby("indicator_id")["value"].std()


def gap_changes(trends: pd.DataFrame, catalogue: Mapping[str, Any]) -> pd.DataFrame:
    """How each gap moved between the first and the last period, per region.

    From :func:`npvr.monitor.trends.trend_table`; context indicators are left out. ``change``:

    * "closed" - the region was behind the rest of NL and moved towards it (or past it);
    * "widened" - the region fell back and is behind at the end (a backlog grew, or a lead was lost);
    * "lead_grew" / "lead_shrank" - the region was ahead and stayed ahead;
    * "unchanged" - the gap is the same.

    ``size`` (|change of the relative gap|) sorts the rows within each region.
    """
    cols = [*trends.columns, "direction", "theme", "change", "size"]
    if trends.empty:
        return pd.DataFrame(columns=cols)
    tr = trends[trends["improving"].notna()].copy()
    if tr.empty:
        return pd.DataFrame(columns=cols)
    direction = np.array([int(getattr(catalogue.get(i), "direction", 0)) for i in tr["indicator_id"]])
    tr["direction"] = direction
    tr["theme"] = [getattr(catalogue.get(i), "theme", "") for i in tr["indicator_id"]]
    behind_first = tr["gap_abs_first"].to_numpy() * direction < 0
    behind_last = tr["gap_abs_last"].to_numpy() * direction < 0
    improving = tr["improving"].astype(bool).to_numpy()
    unchanged = (tr["verdict_abs"] == "unchanged").to_numpy() & (tr["change_abs"] == 0).to_numpy()
    tr["change"] = np.select(
        [unchanged, improving & behind_first, ~improving & behind_last, improving, ~improving],
        ["unchanged", "closed", "widened", "lead_grew", "lead_shrank"],
        "unchanged",
    )
    tr["size"] = (tr["gap_rel_last"] - tr["gap_rel_first"]).abs()
    return tr.sort_values(["area_code", "size"], ascending=[True, False]).reset_index(drop=True)


def trend_statement(row: Any, catalogue: Mapping[str, Any], *, lang: str = "nl") -> str:
    """One sentence on a gap over time, with the years named.

    ``row`` is a row of :func:`npvr.monitor.trends.trend_table` (attributes or keys). Example:
    "Aandeel 65-plussers: de achterstand op de rest van Nederland wordt groter tussen 2012 en 2024
    (van +1,2 naar +3,4 procentpunt)." Context indicators speak of "het verschil".
    """

    def get(key: str) -> Any:
        return row[key] if isinstance(row, Mapping) else getattr(row, key)

    iid = get("indicator_id")
    ind = catalogue.get(iid)
    direction = int(getattr(ind, "direction", 0) or 0)
    unit = ind.unit_label(lang) if ind is not None and hasattr(ind, "unit_label") else ""
    raw_unit = getattr(ind, "unit", "")
    label = ind.label(lang) if ind is not None and hasattr(ind, "label") else str(iid)
    first, last = float(get("gap_abs_first")), float(get("gap_abs_last"))
    rel_first, rel_last = float(get("gap_rel_first")), float(get("gap_rel_last"))
    if direction == 0:
        what = "trend_what_diff"
    else:
        ahead_first, ahead_last = first * direction > 0, last * direction > 0
        if ahead_first != ahead_last and first != 0 and last != 0:
            what = "trend_what_turn_ahead" if ahead_last else "trend_what_turn_behind"
        else:
            what = "trend_what_ahead" if ahead_last else "trend_what_behind"
    verdict = str(get("verdict_abs"))
    if what.startswith("trend_what_turn"):
        body = t(what, lang)
    else:
        body = t(what, lang) + " " + t(f"trend_{verdict}", lang)
    span = t(
        "trend_span",
        lang,
        first=int(get("first_period")),
        last=int(get("last_period")),
        a=fmt_gap(first, rel_first, raw_unit, lang, unit_label=unit, relative=False),
        b=fmt_gap(last, rel_last, raw_unit, lang, unit_label=unit, relative=False),
    )
    return f"{label}: {body} {span}."


def theme_label(theme: str, lang: str = "nl") -> str:
    """The theme's name for a scorecard column."""
    return theme_name(theme, lang)
