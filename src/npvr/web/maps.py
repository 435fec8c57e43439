"""Server-rendered SVG maps for the web pages: no JavaScript library, no tiles, no network.

The shapes come from the shipped snapshot's GeoJSON (gemeente, COROP, provincie); an NPVR region
is drawn as its member gemeenten. Classes and colours are the report's
(:func:`npvr.report.maps.classify`, its ColorBrewer palettes), so a map on the web and in the
report agree. Each area carries a ``<title>`` (name and value) and the page shows the same figures
in a table: the table is the accessible equivalent of the map.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Any

import numpy as np
from markupsafe import Markup, escape

from npvr.i18n import fmt_num
from npvr.report.maps import NO_DATA_COLOUR, PALETTES, REGION_COLOURS, classify
from npvr.web import views

WIDTH = 420


@cache
def _paths(level: str) -> tuple[tuple[tuple[str, str, str], ...], int]:
    """(code, name, SVG path data) per area of ``level`` and the map height, projected once."""
    geo = views.snapshot().geojson("gemeente" if level == "npvr" else level)
    feats = []
    xs: list[float] = []
    ys: list[float] = []
    for f in geo["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings = [ring for poly in polys for ring in poly]
        for ring in rings:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
        feats.append((f["properties"]["code"], f["properties"].get("name", ""), rings))
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((y0 + y1) / 2))
    scale = WIDTH / ((x1 - x0) * kx)
    out = []
    for code, name, rings in feats:
        d = " ".join(
            "M" + " L".join(f"{(x - x0) * kx * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in ring) + "Z"
            for ring in rings
        )
        out.append((code, name, d))
    return tuple(out), int((y1 - y0) * scale) + 1


def _svg(level: str, fill: dict[str, str], title: dict[str, str], label: str) -> Markup:
    paths, height = _paths(level)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="map" role="img" '
        f'aria-label="{escape(label)}">'
    ]
    for code, _name, d in paths:
        parts.append(
            f'<path d="{d}" fill="{fill.get(code, NO_DATA_COLOUR)}" stroke="#ffffff" stroke-width="0.4">'
            f"<title>{escape(title.get(code, code))}</title></path>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def choropleth(
    level: str, rows: list[dict[str, Any]], *, direction: int, unit: str, label: str, lang: str = "nl"
) -> dict[str, Any]:
    """A classed map of ``rows`` (area_code, area_name, value) with its legend."""
    codes = [r["area_code"] for r in rows]
    vals = np.array([np.nan if r["value"] is None else float(r["value"]) for r in rows])
    cl = classify(vals, k=5)
    pal = PALETTES.get(int(np.sign(direction)), PALETTES[0])
    idx = np.linspace(0, len(pal) - 1, cl.k).round().astype(int) if cl.k > 1 else [len(pal) - 1]
    colours = [pal[i] for i in idx]
    by_unit = {c: (colours[k] if k >= 0 else NO_DATA_COLOUR) for c, k in zip(codes, cl.classes, strict=True)}
    names = {r["area_code"]: r.get("area_name") or r["area_code"] for r in rows}
    text = {c: f"{names[c]}: {fmt_num(v, lang)} {unit}".strip() for c, v in zip(codes, vals, strict=True)}
    if level == "npvr":
        groups = views.regions().groups(views.snapshot().gemeenten.index)
        fill = {gm: by_unit.get(g, NO_DATA_COLOUR) for gm, g in groups.items()}
        title = {gm: text.get(g, _gm_name(gm)) for gm, g in groups.items()}
    else:
        fill, title = by_unit, text
    legend = [{"colour": c, "label": lab} for c, lab in zip(colours, cl.labels(lang, unit), strict=True)]
    return {"svg": _svg(level, fill, title, label), "legend": legend}


@lru_cache(maxsize=512)
def explorer_map(indicator: str, level: str, period: int | None, lang: str, label: str) -> dict[str, Any]:
    """The explorer's map of one indicator, level and period (snapshot only, so cached)."""
    data = views.explorer(indicator, level, lang, period)
    ind = data["indicator"]
    unit = ind["unit"]
    return choropleth(level, data["rows"], direction=ind["direction"], unit=unit, label=label, lang=lang)


def _gm_name(gm: str) -> str:
    return str(views.snapshot().gemeenten["name"].get(gm, gm))


@cache
def regions_map(label: str) -> dict[str, Any]:
    """The 11 regions in distinct colours, the rest of NL light grey."""
    regs = views.regions().regions
    colour = {r.id: REGION_COLOURS[i % len(REGION_COLOURS)] for i, r in enumerate(regs)}
    name = {r.id: r.name for r in regs}
    groups = views.regions().groups(views.snapshot().gemeenten.index)
    fill = {gm: colour.get(g, "#eeeeee") for gm, g in groups.items()}
    title = {gm: f"{_gm_name(gm)}" + (f" ({name[g]})" if g in name else "") for gm, g in groups.items()}
    legend = [{"colour": colour[r.id], "label": r.name, "href": f"/regio/{r.id}"} for r in regs]
    return {"svg": _svg("npvr", fill, title, label), "legend": legend}
