"""Reports for the uitvoeringstoets and the grenseffectentoets: self-contained HTML and Excel.

Faces never compute: this module only formats the result objects of :mod:`npvr.impact` and
:mod:`npvr.border`. The HTML has no external requests (inline CSS, inline SVG map and bars).
Every output set is written into a temporary folder next to the target and renamed into place
at the end, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from npvr.errors import DataError
from npvr.i18n import (
    TEXT,
    check_lang,
    column,
    columns,
    fmt_int,
    fmt_money,
    fmt_num,
    fmt_pct,
    t,
    texts,
    yes_no,
)
from npvr.report.output import atomic_output_dir

VERDICT_COLOURS = {"gunstig": "#1a7f37", "neutraal": "#8c8c8c", "ongunstig": "#c62828"}
REST_COLOUR = "#ffffff"  # rest of NL on the verdict map: white, outlined, and named in the legend
NO_VALUE_COLOUR = "#eeeeee"
BORDER_COLOURS = {"België": "#e6a700", "Duitsland": "#2f6db5", "België en Duitsland": "#7b3fa0"}
BORDER_KEYS = {
    "België": "border_belgium",
    "Duitsland": "border_germany",
    "België en Duitsland": "border_both",
}

# Columns never shown to a reader: codes and slugs (the name columns say the same) and the other
# language's text.
HIDDEN = ("gm_code", "reden_en")


def _region_names(lang: str) -> dict[str, str]:
    """Region id -> name, and the id of the rest of NL -> its name in ``lang``."""
    import npvr

    names = {r.id: r.name for r in npvr.load_regions().regions}
    return {**names, "rest": t("rest_of_nl", lang), "NL": t("nl", lang)}


def _fmt(v: Any, col: str = "", lang: str = "nl") -> str:
    """One table cell in the reader's language (numbers, yes/no, verdicts, borders)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool | np.bool_):
        return yes_no(v, lang)
    if isinstance(v, int | float | np.integer | np.floating):
        if col.startswith("aandeel"):
            return fmt_pct(v, lang)
        if col.startswith(("ratio", "blootstelling", "gevoeligheid", "impact", "experts")):
            return fmt_num(v, lang, 3)
        if col.startswith(("gemeenten", "inwoners", "grensgemeenten", "stap")) or col == "jaar":
            return fmt_int(v, lang)
        return fmt_num(v, lang, 2)
    if col == "oordeel" and f"verdict_{v}" in TEXT:
        return t(f"verdict_{v}", lang)
    if col == "grens" and v in BORDER_KEYS:
        return t(BORDER_KEYS[v], lang)
    return str(v)


def _name(v: Any, lang: str) -> Any:
    """A unit name from the impact/border tables ("Rest van Nederland") in the reader's language."""
    dutch = {"Rest van Nederland": "rest_of_nl", "Nederland": "nl"}
    return t(dutch[v], lang) if isinstance(v, str) and v in dutch else v


def _visible(df: pd.DataFrame, lang: str, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """The columns a reader sees: no codes, slugs or other-language text; the reason in ``lang``."""
    d = df.copy()
    if lang == "en" and "reden_en" in d.columns:
        d["reden"] = d["reden_en"]
    if "naam" in d.columns:
        d["naam"] = [_name(v, lang) for v in d["naam"]]
    if "regio" in d.columns:
        if "naam" in d.columns and d["regio"].isin(list(_region_names(lang))).all() and len(d) <= 20:
            d = d.drop(columns=["regio"])  # a table of regions: the name column says it
        else:
            names = _region_names(lang)
            d["regio"] = [names.get(v, v) if isinstance(v, str) else v for v in d["regio"]]
    return d.drop(columns=[c for c in d.columns if c in HIDDEN or c in drop], errors="ignore")


def _table(df: pd.DataFrame | None, *, lang: str, index: bool = True, drop: tuple[str, ...] = ()) -> dict:
    """A frame as header + formatted rows for the template, in ``lang``."""
    if df is None:
        return {"header": [], "rows": []}
    d = df.reset_index() if index else df
    d = _visible(d, lang, drop)
    cols = [str(c) for c in d.columns]
    header = [column(c, lang) for c in cols]
    rows = [[_fmt(v, c, lang) for v, c in zip(r, cols, strict=True)] for r in d.itertuples(index=False)]
    return {"header": header, "rows": rows}


def _sheet(df: pd.DataFrame | None, lang: str, *, index: bool = False) -> pd.DataFrame | None:
    """A frame for the workbook: the reader's column names and words (numbers stay numbers)."""
    if df is None:
        return None
    d = df.reset_index() if index else df
    d = _visible(d, lang)
    for c in d.columns:
        if d[c].dtype == bool:
            d[c] = d[c].map(lambda v: yes_no(v, lang))
        elif c in ("oordeel", "grens"):
            d[c] = [_fmt(v, str(c), lang) for v in d[c]]
    return columns(d, lang)


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("npvr.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def svg_map(
    values: pd.Series,
    *,
    categorical: dict[str, str] | None = None,
    legend: list[tuple[str, str]] | None = None,
    lang: str = "nl",
    width: int = 420,
) -> str:
    """An inline SVG choropleth of the gemeenten (no JS, no network) with region outlines and a legend.

    Numeric ``values``: lighter = lower, darker = higher (the legend gives both ends).
    ``categorical`` maps a value to a colour instead (a verdict, a border); ``legend`` lists
    (label, colour) for it. Gemeenten without a value are drawn in :data:`NO_VALUE_COLOUR`. The
    outlines of the NPVR regions are drawn on top and the source line below the map.
    """
    import npvr
    from npvr.report.maps import region_outlines

    try:
        geo = npvr.load_snapshot().geojson("gemeente")
    except DataError:  # a snapshot without gemeente shapes: a report without a map beats no report
        return ""
    outlines = region_outlines(geo, npvr.load_regions().membership())
    polys: list[tuple[str, list[list[tuple[float, float]]]]] = []
    xs: list[float] = []
    ys: list[float] = []
    for feat in geo["features"]:
        code = feat["properties"]["code"]
        g = feat["geometry"]
        rings_sets = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings = [[(x, y) for x, y in ring] for poly in rings_sets for ring in poly]
        for ring in rings:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
        polys.append((code, rings))
    if not xs:
        return ""
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((y0 + y1) / 2))
    scale = width / ((x1 - x0) * kx)
    height = int((y1 - y0) * scale) + 1
    num = pd.to_numeric(values, errors="coerce").dropna() if categorical is None else values.dropna()
    lo, hi = (float(num.min()), float(num.max())) if categorical is None and len(num) else (0.0, 1.0)
    light, dark = (247, 251, 255), (8, 48, 107)

    def ramp(f: float) -> str:
        r, g_, b = (int(a_ + f * (b_ - a_)) for a_, b_ in zip(light, dark, strict=True))
        return f"#{r:02x}{g_:02x}{b:02x}"

    def colour(v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return NO_VALUE_COLOUR if categorical is None else REST_COLOUR
        if categorical is not None:
            return categorical.get(str(v), REST_COLOUR)
        return ramp(0.0 if hi == lo else (float(v) - lo) / (hi - lo))

    def xy(x: float, y: float) -> str:
        return f"{(x - x0) * kx * scale:.1f},{(y1 - y) * scale:.1f}"

    if legend is None and categorical is None:
        legend = [
            (f"{t('toets_legend_low', lang)}: {fmt_num(lo, lang, 3)}", ramp(0.0)),
            (f"{t('toets_legend_high', lang)}: {fmt_num(hi, lang, 3)}", ramp(1.0)),
            (t("toets_legend_no_data", lang), NO_VALUE_COLOUR),
        ]
    legend = legend or []
    leg_h = 18 * (len(legend) + 3) + 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + leg_h}" class="map" '
        f'role="img" aria-label="{t("toets_legend", lang)}">'
    ]
    for code, rings in polys:
        d = " ".join("M" + " L".join(xy(x, y) for x, y in ring) + " Z" for ring in rings)
        v = values.get(code)
        shown = (_fmt(v, "impact", lang) if categorical is None else _fmt(v, "oordeel", lang)) or "–"
        parts.append(
            f'<path d="{d}" fill="{colour(v)}" stroke="#bbbbbb" stroke-width="0.3">'
            f"<title>{code}: {shown}</title></path>"
        )
    for lines in outlines.values():
        for line in lines:
            d = "M" + " L".join(xy(x, y) for x, y in line)
            parts.append(
                f'<path class="region-outline" d="{d}" fill="none" stroke="#1d2733" stroke-width="1.1"/>'
            )
    y = height + 14
    parts.append('<g class="legend" font-size="11" font-family="sans-serif" fill="#1d2733">')
    parts.append(f'<text x="2" y="{y}" font-weight="bold">{t("toets_legend", lang)}</text>')
    for label, col in legend:
        y += 18
        parts.append(
            f'<rect x="2" y="{y - 10}" width="14" height="11" fill="{col}" stroke="#888888"/>'
            f'<text x="22" y="{y}">{label}</text>'
        )
    y += 18
    parts.append(
        f'<line x1="2" y1="{y - 5}" x2="16" y2="{y - 5}" stroke="#1d2733" stroke-width="1.6"/>'
        f'<text x="22" y="{y}">{t("legend_region_outline", lang)}</text>'
    )
    parts.append(f'<text x="2" y="{y + 16}" fill="#57606a">{t("map_source_gemeenten", lang)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


def write_atomic(out_dir: str | Path, writers: dict[str, Callable[[Path], None]]) -> Path:
    """Write the files into a temporary folder that replaces ``out_dir`` in one rename when complete."""
    with atomic_output_dir(out_dir, kind="toets") as tmp:
        for name, write in writers.items():
            write(tmp / name)
    return Path(out_dir)


def _excel(sheets: dict[str, pd.DataFrame | None]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            for name, df in sheets.items():
                if df is not None and not df.empty:
                    df.to_excel(xw, sheet_name=name[:31], index=False)

    return write


def _text(s: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(s, encoding="utf-8")

    return write


def _toets_texts(lang: str) -> dict[str, str]:
    """The toets texts as the templates use them (``t.title``), in ``lang``."""
    all_ = texts(lang)
    return {**{k[len("toets_") :]: v for k, v in all_.items() if k.startswith("toets_")}, "yes": all_["yes"]}


def _summary_lines(summary: dict[str, Any], lang: str) -> list[str]:
    """The summary list of a toets in the reader's language and number format."""
    lines = []
    if "som_toewijzingen" in summary:
        lines.append(f"{t('toets_sum', lang)}: {fmt_money(summary['som_toewijzingen'], lang, 2)}")
    if "gemeenten_onder_grens" in summary:
        lines.append(
            t(
                "toets_below_count",
                lang,
                n=fmt_int(summary["gemeenten_onder_grens"], lang),
                pop=fmt_int(summary.get("inwoners_onder_grens", 0), lang),
            )
        )
    if "ingroeipad_jaren" in summary:
        line = t("toets_phase_years", lang, n=summary["ingroeipad_jaren"])
        if not summary.get("ingroeipad_voltooid", True):
            line += f" ({t('toets_phase_unfinished', lang)})"
        amount = fmt_money(summary.get("ingroeipad_max_daling_per_inwoner", 0.0), lang, 2)
        lines.append(f"{line}; {t('toets_phase_fall', lang, amount=amount)}")
    if "behoefte" in summary:
        lines.append(f"{t('toets_need_by', lang)}: {summary['behoefte']}")
    return lines


def toets_context(result: Any, *, lang: str = "nl") -> dict[str, Any]:
    """Everything the toets template shows, formatted in ``lang``."""
    check_lang(lang)
    regions = result.regions
    reason = "reden_en" if lang == "en" and "reden_en" in regions.columns else "reden"
    verdicts = [
        {
            "naam": _name(r["naam"], lang),
            "oordeel": _fmt(r["oordeel"], "oordeel", lang),
            "kleur": VERDICT_COLOURS[r["oordeel"]],
            "reden": r[reason],
        }
        for _, r in regions.iterrows()
    ]
    bars = []
    if "euro_per_inwoner" in regions.columns:
        top = float(regions["euro_per_inwoner"].max() or 1.0)
        bars = [
            {
                "naam": _name(r["naam"], lang),
                "waarde": fmt_money(r["euro_per_inwoner"], lang, 2),
                "pct": 100 * r["euro_per_inwoner"] / top,
            }
            for _, r in regions.iterrows()
        ]
    g = result.gemeenten
    below = None
    if "haalt_ondergrens" in g.columns:
        below = g[g["subsidiabel"] & ~g["haalt_ondergrens"]][["naam", "regio", "inwoners", "max_project"]]
    map_svg = ""
    map_title = t("toets_map", lang)
    if "impact" in g.columns:
        map_svg = svg_map(g["impact"], lang=lang)
    elif "regio" in g.columns:
        map_title = t("toets_map_verdict", lang)
        # The rest of NL is not coloured by its verdict: white, so "neutraal" (grey) and "rest van
        # Nederland" cannot be mixed up; the legend states the rest's verdict in words.
        verdict_of = regions["oordeel"].drop(index=["rest", "NL"], errors="ignore").to_dict()
        legend = [(t(f"verdict_{k}", lang), c) for k, c in VERDICT_COLOURS.items()]
        rest_label = t("toets_legend_rest", lang)
        if "rest" in regions.index:
            rest_label = t(
                "toets_legend_rest_verdict",
                lang,
                verdict=_fmt(regions.at["rest", "oordeel"], "oordeel", lang),
            )
        legend.append((rest_label, REST_COLOUR))
        map_svg = svg_map(g["regio"].map(verdict_of), categorical=VERDICT_COLOURS, legend=legend, lang=lang)
    pol = result.policy
    summary = dict(result.summary)
    budget = getattr(pol, "budget", None)
    return {
        "t": _toets_texts(lang),
        "lang": lang,
        "policy": pol,
        "summary": summary,
        "summary_lines": _summary_lines(summary, lang),
        "budget": fmt_money(budget, lang, 2) if budget is not None else "",
        "verdicts": verdicts,
        "bars": bars,
        "regions": _table(regions, lang=lang, index=False, drop=("reden", "oordeel")),
        "explain": _table(result.explain, lang=lang, index=False) if result.explain is not None else None,
        "phase": _table(result.phase_in, lang=lang, index=False) if result.phase_in is not None else None,
        "scale": [e.sentence(lang) for e in result.scale_bias],
        "below": _table(below, lang=lang) if below is not None else None,
        "gemeenten": _table(g, lang=lang),
        "map_svg": map_svg,
        "map_title": map_title,
        "provenance": _provenance(result.provenance, lang),
        "today": date.today().isoformat(),
    }


SHEETS = {
    "regions": {"nl": "regio's", "en": "regions"},
    "gemeenten": {"nl": "gemeenten", "en": "gemeenten"},
    "explain": {"nl": "uitleg", "en": "explanation"},
    "phase_regions": {"nl": "ingroeipad regio's", "en": "phase-in regions"},
    "phase_gemeenten": {"nl": "ingroeipad gemeenten", "en": "phase-in gemeenten"},
    "sources": {"nl": "bronnen", "en": "sources"},
    "compare": {"nl": "vergelijking", "en": "comparison"},
    "steps": {"nl": "stappenplan", "en": "step plan"},
    "exposure": {"nl": "grensblootstelling", "en": "border exposure"},
    "border_gemeenten": {"nl": "grensgemeenten", "en": "border gemeenten"},
}


def _provenance(provenance: dict[str, str], lang: str) -> dict[str, str]:
    """Source lines keyed by the indicator's label (not its id) in ``lang``."""
    import npvr

    cat = npvr.load_snapshot().catalogue
    return {(cat[k].label(lang) if k in cat else k): v for k, v in provenance.items()}


def _sources(provenance: dict[str, str], lang: str) -> pd.DataFrame:
    p = _provenance(provenance, lang)
    return columns(pd.DataFrame({"gegeven": list(p), "bron": list(p.values())}), lang)


def render_toets(result: Any, out_dir: str | Path, *, lang: str = "nl") -> Path:
    """Write ``toets.html`` and ``toets.xlsx`` for one uitvoeringstoets into ``out_dir``."""
    html = _env().get_template("toets.html.j2").render(**toets_context(result, lang=lang))
    sheets = {
        SHEETS["regions"][lang]: _sheet(result.regions, lang),
        SHEETS["gemeenten"][lang]: _sheet(result.gemeenten, lang, index=True),
        SHEETS["explain"][lang]: _sheet(result.explain, lang),
        SHEETS["phase_regions"][lang]: _sheet(result.phase_in, lang),
        SHEETS["phase_gemeenten"][lang]: _sheet(result.phase_in_gemeenten, lang, index=True),
        SHEETS["sources"][lang]: _sources(result.provenance, lang),
    }
    return write_atomic(out_dir, {"toets.html": _text(html), "toets.xlsx": _excel(sheets)})


def render_compare(comparison: Any, out_dir: str | Path, *, lang: str = "nl") -> Path:
    """Write ``vergelijking.html`` and ``vergelijking.xlsx`` for two variants side by side."""
    check_lang(lang)
    ctx = {
        "t": _toets_texts(lang),
        "lang": lang,
        "a": comparison.a.policy,
        "b": comparison.b.policy,
        "regions_tab": _table(comparison.regions, lang=lang, index=False),
        "summary": comparison.summary,
        "scale_a": [e.sentence(lang) for e in comparison.a.scale_bias],
        "scale_b": [e.sentence(lang) for e in comparison.b.scale_bias],
        "today": date.today().isoformat(),
    }
    html = _env().get_template("toets_compare.html.j2").render(**ctx)
    sheets = {
        SHEETS["compare"][lang]: _sheet(comparison.regions, lang),
        SHEETS["gemeenten"][lang]: _sheet(comparison.gemeenten, lang, index=True),
    }
    return write_atomic(out_dir, {"vergelijking.html": _text(html), "vergelijking.xlsx": _excel(sheets)})


def render_grenstoets(result: Any, out_dir: str | Path, *, lang: str = "nl") -> Path:
    """Write ``grenstoets.html`` and ``grenstoets.xlsx`` for a filled grenseffectentoets form."""
    check_lang(lang)
    g = result.gemeenten
    legend = [(t(BORDER_KEYS[k], lang), c) for k, c in BORDER_COLOURS.items()]
    legend.append((t("toets_legend_no_border", lang), REST_COLOUR))
    map_svg = svg_map(g["grens"], categorical=BORDER_COLOURS, legend=legend, lang=lang)
    ctx = {
        "t": _toets_texts(lang),
        "lang": lang,
        "form": result.form,
        "steps": result.steps(lang),
        "exposure": _table(result.regions, lang=lang, index=False),
        "gemeenten": _table(g, lang=lang),
        "map_svg": map_svg,
        "map_title": t("toets_map_border", lang),
        "provenance": _provenance(result.provenance, lang),
        "today": date.today().isoformat(),
    }
    html = _env().get_template("grenstoets.html.j2").render(**ctx)
    sheets = {
        SHEETS["steps"][lang]: columns(pd.DataFrame(result.steps(lang)), lang),
        SHEETS["exposure"][lang]: _sheet(result.regions, lang),
        SHEETS["border_gemeenten"][lang]: _sheet(g, lang, index=True),
        SHEETS["sources"][lang]: _sources(result.provenance, lang),
    }
    return write_atomic(out_dir, {"grenstoets.html": _text(html), "grenstoets.xlsx": _excel(sheets)})
