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
import pandas as pd

from npvr.errors import DataError
from npvr.report.output import atomic_output_dir

VERDICT_COLOURS = {"gunstig": "#1a7f37", "neutraal": "#8c8c8c", "ongunstig": "#c62828"}

TEXT = {
    "nl": {
        "title": "Uitvoeringstoets",
        "compare": "Uitvoeringstoets: vergelijking van twee varianten",
        "grens": "Grenseffectentoets",
        "summary": "Samenvatting",
        "regions": "Per NPVR-regio en de rest van Nederland",
        "verdict": "Oordeel per regio",
        "explain": "Uitleg: opbouw van het bedrag per regio naar maatstaf",
        "phase": "Ingroeipad per regio (euro per jaar)",
        "scale": "Schaaleffect",
        "gemeenten": "Per gemeente",
        "below": "Gemeenten die de ondergrens niet halen",
        "matrix": "Blootstelling × gevoeligheid per regio",
        "map": "Kaart: impactscore per gemeente",
        "sources": "Bronnen",
        "generated": "Gemaakt met npvr op",
        "budget": "Budget",
        "sum": "Som van de toewijzingen",
        "rounding": (
            "Afronding: exacte rekenkunde, daarna hele centen per gemeente met de methode van de "
            "grootste resten (Hamilton); de toewijzingen tellen op tot het budget, tot op de cent."
        ),
        "none": "Geen.",
        "variant": "Variant",
        "difference": "Verschil (B − A)",
        "border_exposure": "Gemeten grensblootstelling per regio",
        "border_gemeenten": "Grensgemeenten",
        "steps": "Stappenplan",
        "answer": "Antwoord",
        "explanation": "Toelichting",
        "yes": "ja",
        "no": "nee",
    },
    "en": {
        "title": "Regional impact assessment (uitvoeringstoets)",
        "compare": "Regional impact assessment: two variants compared",
        "grens": "Cross-border effects assessment (grenseffectentoets)",
        "summary": "Summary",
        "regions": "Per NPVR region and the rest of the Netherlands",
        "verdict": "Verdict per region",
        "explain": "Explanation: each region's amount by measure",
        "phase": "Phase-in path per region (euro per year)",
        "scale": "Scale bias",
        "gemeenten": "Per gemeente",
        "below": "Gemeenten below the threshold",
        "matrix": "Exposure × sensitivity per region",
        "map": "Map: impact score per gemeente",
        "sources": "Sources",
        "generated": "Made with npvr on",
        "budget": "Budget",
        "sum": "Sum of allocations",
        "rounding": (
            "Rounding: exact arithmetic, then whole cents per gemeente by the largest-remainder "
            "(Hamilton) method; allocations add up to the budget to the cent."
        ),
        "none": "None.",
        "variant": "Variant",
        "difference": "Difference (B − A)",
        "border_exposure": "Measured border exposure per region",
        "border_gemeenten": "Border gemeenten",
        "steps": "Step plan",
        "answer": "Answer",
        "explanation": "Explanation",
        "yes": "yes",
        "no": "no",
    },
}

COLUMNS_EN = {
    "naam": "name",
    "regio": "region",
    "inwoners": "inhabitants",
    "euro": "euro",
    "euro_per_inwoner": "euro per inhabitant",
    "aandeel_budget": "share of budget",
    "aandeel_bevolking": "share of population",
    "aandeel_behoefte": "share of need",
    "ratio_bevolking": "ratio to population",
    "ratio_behoefte": "ratio to need",
    "behoefte": "need",
    "euro_basis": "baseline euro",
    "verschil_euro": "difference euro",
    "verschil": "difference",
    "verschil_per_inwoner": "difference per inhabitant",
    "oordeel": "verdict",
    "reden": "reason",
    "grens": "bound",
    "blootstelling": "exposure",
    "gevoeligheid": "sensitivity",
    "impact": "impact",
}


def _fmt(v: Any, col: str = "") -> str:
    """Dutch number formatting for the HTML tables."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, int | float):
        if col.startswith("aandeel"):
            s = f"{v * 100:,.1f}%"
        elif col.startswith(("ratio", "blootstelling", "gevoeligheid", "impact", "experts")):
            s = f"{v:,.3f}"
        elif col.startswith(("gemeenten", "inwoners", "grensgemeenten")) or col == "jaar":
            s = f"{v:,.0f}"
        else:
            s = f"{v:,.2f}"
        return s.replace(",", "_").replace(".", ",").replace("_", ".")
    return str(v)


def _table(df: pd.DataFrame | None, *, lang: str, index: bool = True, drop: tuple[str, ...] = ()) -> dict:
    """A frame as header + formatted rows for the template."""
    if df is None:
        return {"header": [], "rows": []}
    d = df.drop(columns=[c for c in df.columns if c in drop or str(c).endswith("_en")], errors="ignore")
    if index:
        d = d.reset_index()
    cols = [str(c) for c in d.columns]
    header = [COLUMNS_EN.get(c, c) if lang == "en" else c for c in cols]
    rows = [[_fmt(v, c) for v, c in zip(r, cols, strict=True)] for r in d.itertuples(index=False)]
    return {"header": header, "rows": rows}


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("npvr.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def svg_map(values: pd.Series, *, categorical: dict[str, str] | None = None, width: int = 420) -> str:
    """An inline SVG choropleth of the gemeenten (no JS, no network): darker = higher value.

    ``categorical`` maps a value to a colour instead (e.g. a verdict). Gemeenten without a value
    are drawn light grey.
    """
    try:
        import npvr

        geo = npvr.load_snapshot().geojson("gemeente")
    except DataError:  # a snapshot without gemeente shapes: a report without a map beats no report
        return ""
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
    num = values.dropna()
    lo, hi = (float(num.min()), float(num.max())) if categorical is None and len(num) else (0.0, 1.0)

    def colour(v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "#eeeeee"
        if categorical is not None:
            return categorical.get(str(v), "#eeeeee")
        t = 0.0 if hi == lo else (float(v) - lo) / (hi - lo)
        r, g_, b = (int(247 - t * (247 - 8)), int(251 - t * (251 - 48)), int(255 - t * (255 - 107)))
        return f"#{r:02x}{g_:02x}{b:02x}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="map">']
    for code, rings in polys:
        d = " ".join(
            "M" + " L".join(f"{(x - x0) * kx * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in ring) + " Z"
            for ring in rings
        )
        v = values.get(code)
        parts.append(
            f'<path d="{d}" fill="{colour(v)}" stroke="#ffffff" stroke-width="0.3"><title>{code}: '
            f"{_fmt(v, 'impact') if categorical is None else v}</title></path>"
        )
    parts.append("</svg>")
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
                    df.to_excel(xw, sheet_name=name[:31])

    return write


def _text(s: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(s, encoding="utf-8")

    return write


def toets_context(result: Any, *, lang: str = "nl") -> dict[str, Any]:
    """Everything the toets template shows, formatted."""
    t = TEXT[lang]
    regions = result.regions
    reason = "reden_en" if lang == "en" else "reden"
    verdicts = [
        {
            "naam": r["naam"],
            "oordeel": r["oordeel"]
            if lang == "nl"
            else {"gunstig": "favourable", "neutraal": "neutral"}.get(r["oordeel"], "unfavourable"),
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
                "naam": r["naam"],
                "waarde": _fmt(r["euro_per_inwoner"]),
                "pct": 100 * r["euro_per_inwoner"] / top,
            }
            for _, r in regions.iterrows()
        ]
    g = result.gemeenten
    below = None
    if "haalt_ondergrens" in g.columns:
        below = g[g["subsidiabel"] & ~g["haalt_ondergrens"]][["naam", "regio", "inwoners", "max_project"]]
    map_svg = ""
    map_title = t["map"]
    if "impact" in g.columns:
        map_svg = svg_map(g["impact"])
    elif "regio" in g.columns:
        map_title = "Kaart: oordeel van de regio per gemeente" if lang == "nl" else "Map: verdict by region"
        verdict_of = regions["oordeel"].to_dict()
        map_svg = svg_map(g["regio"].map(verdict_of), categorical=VERDICT_COLOURS)
    pol = result.policy
    summary = dict(result.summary)
    return {
        "t": t,
        "lang": lang,
        "policy": pol,
        "summary": summary,
        "budget": _fmt(getattr(pol, "budget", None)),
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
        "provenance": result.provenance,
        "today": date.today().isoformat(),
    }


def render_toets(result: Any, out_dir: str | Path, *, lang: str = "nl") -> Path:
    """Write ``toets.html`` and ``toets.xlsx`` for one uitvoeringstoets into ``out_dir``."""
    html = _env().get_template("toets.html.j2").render(**toets_context(result, lang=lang))
    sheets = {
        "regio's": result.regions,
        "gemeenten": result.gemeenten,
        "uitleg": result.explain,
        "ingroeipad regio's": result.phase_in,
        "ingroeipad gemeenten": result.phase_in_gemeenten,
        "bronnen": pd.DataFrame({"bron": result.provenance}).rename_axis("gegeven"),
    }
    return write_atomic(out_dir, {"toets.html": _text(html), "toets.xlsx": _excel(sheets)})


def render_compare(comparison: Any, out_dir: str | Path, *, lang: str = "nl") -> Path:
    """Write ``vergelijking.html`` and ``vergelijking.xlsx`` for two variants side by side."""
    ctx = {
        "t": TEXT[lang],
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
    sheets = {"vergelijking": comparison.regions, "gemeenten": comparison.gemeenten}
    return write_atomic(out_dir, {"vergelijking.html": _text(html), "vergelijking.xlsx": _excel(sheets)})


def render_grenstoets(result: Any, out_dir: str | Path, *, lang: str = "nl") -> Path:
    """Write ``grenstoets.html`` and ``grenstoets.xlsx`` for a filled grenseffectentoets form."""
    t = TEXT[lang]
    g = result.gemeenten
    map_svg = svg_map(
        g["grens"].map({"België": "België", "Duitsland": "Duitsland", "België en Duitsland": "beide"}),
        categorical={"België": "#e6a700", "Duitsland": "#2f6db5", "beide": "#7b3fa0"},
    )
    ctx = {
        "t": t,
        "lang": lang,
        "form": result.form,
        "steps": result.steps(lang),
        "exposure": _table(result.regions, lang=lang, index=False),
        "gemeenten": _table(g, lang=lang),
        "map_svg": map_svg,
        "provenance": result.provenance,
        "today": date.today().isoformat(),
    }
    html = _env().get_template("grenstoets.html.j2").render(**ctx)
    sheets = {
        "stappenplan": pd.DataFrame(result.steps(lang)),
        "grensblootstelling": result.regions,
        "grensgemeenten": g,
        "bronnen": pd.DataFrame({"bron": result.provenance}).rename_axis("gegeven"),
    }
    return write_atomic(out_dir, {"grenstoets.html": _text(html), "grenstoets.xlsx": _excel(sheets)})
