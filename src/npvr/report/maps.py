"""Choropleth maps of gemeenten: classification, plotly figures and static PNGs.

* :func:`classify` puts values into ``k`` classes with mapclassify's schemes (quantiles and
  Fisher-Jenks, re-implemented in numpy for speed and checked against mapclassify in the tests).
  ``scheme="auto"`` picks Fisher-Jenks for skewed data (|skewness| > 1, where quantile breaks
  would split a long tail into look-alike classes) and quantiles otherwise. Schemes live in one
  registry, :data:`SCHEMES`.
* :func:`choropleth_figure` gives a plotly figure *dict* (not a ``go.Figure``: building dicts is
  ~100x faster and the report draws dozens). The trace uses ``geojson="@<level>"``, a sentinel that
  the report renderer (:mod:`npvr.report.assets`) replaces by the GeoJSON embedded once per page.
  Classes are drawn as a stepped colour scale with the class bounds as legend labels.
* :func:`categorical_figure` colours areas by a category (the overview map of the regions).
* :func:`map_png` draws the same map as a PNG (Pillow) for a note or slide (no browser needed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from npvr.i18n import fmt_num, t
from npvr.report.charts import pil_font

NO_DATA_COLOUR = "#d9d9d9"
# ColorBrewer sequential palettes (5 classes), light to dark.
PALETTES: dict[int, list[str]] = {
    1: ["#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c"],  # higher is better: greens
    -1: ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],  # higher is worse: reds
    0: ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],  # context: purples
}
REGION_COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
    "#637939",
]


@dataclass(frozen=True)
class _Bins:
    bins: np.ndarray


def quantile_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Quantile class bounds exactly as ``mapclassify.Quantiles`` computes them (a test checks this).

    Computed here because importing mapclassify pulls in scikit-learn (~2 s, an eighth of the
    report's time budget) for two lines of numpy.
    """
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)
    p[-1] = min(p[-1], 100.0)
    return np.unique(np.percentile(np.asarray(y, dtype=float), p))


def _quantiles(y: np.ndarray, k: int) -> Any:
    return _Bins(quantile_bins(y, k))


def fisher_jenks_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Exact Fisher-Jenks optimal class bounds (upper bounds, ascending) by dynamic programming.

    Same optimum as ``mapclassify.FisherJenks`` (a test checks this), but vectorised with numpy:
    mapclassify's version is pure Python unless numba is installed and takes ~0.7 s for 342 values,
    which for dozens of maps would break the report's time budget.
    """
    v = np.sort(np.asarray(y, dtype=float))
    n = len(v)
    k = min(k, n)
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])
    a = np.arange(n)[:, None]
    b = np.arange(n)[None, :]
    cnt = (b - a + 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (s2[b + 1] - s2[a]) - (s1[b + 1] - s1[a]) ** 2 / cnt
    cost = np.where(b >= a, np.maximum(cost, 0.0), np.inf)
    best = cost[0].copy()  # one class covering 0..b
    back = np.zeros((k, n), dtype=int)
    for j in range(1, k):
        prev = np.concatenate([[np.inf], best[:-1]])  # best[a-1]: classes 0..j-1 end at a-1
        total = prev[:, None] + cost  # class j spans a..b
        back[j] = np.argmin(total, axis=0)
        best = total[back[j], np.arange(n)]
    ends, b_end = [], n - 1
    for j in range(k - 1, -1, -1):
        ends.append(b_end)
        b_end = back[j][b_end] - 1
    return np.array([v[e] for e in reversed(ends)])


def _fisher_jenks(y: np.ndarray, k: int) -> Any:
    return _Bins(fisher_jenks_bins(y, k))


SCHEMES: dict[str, Callable[[np.ndarray, int], Any]] = {
    "quantiles": _quantiles,
    "fisher_jenks": _fisher_jenks,
}


@dataclass(frozen=True)
class Classification:
    """Class bounds and the class of every value (-1 = no data)."""

    scheme: str
    bins: tuple[float, ...]  # upper bounds, ascending
    lower: float
    classes: np.ndarray

    @property
    def k(self) -> int:
        return len(self.bins)

    def labels(self, lang: str = "nl", unit: str = "") -> list[str]:
        """Readable legend entries: "12,3 – 15,6 %"."""
        lows = (self.lower, *self.bins[:-1])
        suffix = f" {unit}" if unit else ""
        dec = self.decimals()
        return [
            f"{fmt_num(lo, lang, dec)} – {fmt_num(hi, lang, dec)}{suffix}"
            for lo, hi in zip(lows, self.bins, strict=True)
        ]

    def decimals(self) -> int:
        """One number of decimals for the whole legend: enough to tell the closest bounds apart."""
        edges = np.array((self.lower, *self.bins), dtype=float)
        steps = np.diff(edges)
        steps = steps[steps > 0]
        if not len(steps):
            return 0
        need = int(np.ceil(-np.log10(steps.min()))) if steps.min() < 1 else 0
        base = 1 if np.abs(edges).max() < 100 else 0
        return int(min(3, max(base, need)))


DIVERGING = {
    "neg": ["#b2182b", "#ef8a62", "#fddbc7"],  # ColorBrewer RdBu: shrinking / below the midpoint
    "pos": ["#d1e5f0", "#67a9cf", "#2166ac"],  # growing / above the midpoint
}


def classify_diverging(
    values: Sequence[float] | np.ndarray, *, midpoint: float = 0.0
) -> tuple[Classification, list[str]]:
    """Classes that split at a natural midpoint (0 for a growth rate), with a diverging palette.

    Up to three quantile classes below and three above the midpoint, so every gemeente that
    shrinks is red-ish and every one that grows blue-ish, however skewed the values are. Returns the
    classification (scheme "diverging") and one colour per class.
    """
    y = np.asarray(values, dtype=float)
    ok = np.isfinite(y)
    classes = np.full(len(y), -1, dtype=int)
    if not ok.any():
        return Classification("diverging", (), float("nan"), classes), []
    neg, pos = y[ok & (y <= midpoint)], y[ok & (y > midpoint)]
    bins: list[float] = []
    colours: list[str] = []
    if len(neg):
        nb = sorted({float(b) for b in np.percentile(neg, [100 / 3, 200 / 3])} | {midpoint})
        nb = [b for b in nb if b <= midpoint]
        bins += nb
        colours += DIVERGING["neg"][-len(nb) :]
    if len(pos):
        pb = sorted({float(b) for b in np.percentile(pos, [100 / 3, 200 / 3, 100])})
        pb = [b for b in pb if b > midpoint]
        bins += pb
        colours += DIVERGING["pos"][: len(pb)]
    arr = np.asarray(bins)
    classes[ok] = np.searchsorted(arr, y[ok], side="left").clip(0, len(arr) - 1)
    return Classification("diverging", tuple(bins), float(np.min(y[ok])), classes), colours


def choose_scheme(values: np.ndarray) -> str:
    """Fisher-Jenks for strongly skewed data, quantiles otherwise."""
    v = values[np.isfinite(values)]
    if len(v) < 3 or np.std(v) == 0:
        return "quantiles"
    skew = float(np.mean(((v - v.mean()) / v.std()) ** 3))
    return "fisher_jenks" if abs(skew) > 1 else "quantiles"


def classify(values: Sequence[float] | np.ndarray, *, scheme: str = "auto", k: int = 5) -> Classification:
    """Classify ``values`` (NaN = no data) into at most ``k`` classes."""
    y = np.asarray(values, dtype=float)
    ok = np.isfinite(y)
    classes = np.full(len(y), -1, dtype=int)
    if not ok.any():
        return Classification("quantiles", (), float("nan"), classes)
    if scheme == "auto":
        scheme = choose_scheme(y)
    k = int(max(1, min(k, len(np.unique(y[ok])))))
    if k == 1:
        v = float(y[ok][0])
        classes[ok] = 0
        return Classification(scheme, (v,), v, classes)
    mc = SCHEMES[scheme](y[ok], k)
    bins = tuple(float(b) for b in np.unique(mc.bins))
    classes[ok] = np.searchsorted(np.asarray(bins), y[ok], side="left").clip(0, len(bins) - 1)
    return Classification(scheme, bins, float(np.min(y[ok])), classes)


def _stepped(colours: list[str]) -> list[list[Any]]:
    n = len(colours)
    scale: list[list[Any]] = []
    for i, c in enumerate(colours):
        scale.append([i / n, c])
        scale.append([(i + 1) / n, c])
    return scale


def _palette(direction: int, k: int) -> list[str]:
    pal = PALETTES.get(int(np.sign(direction)), PALETTES[0])
    idx = np.linspace(0, len(pal) - 1, k).round().astype(int) if k > 1 else [len(pal) - 1]
    return [pal[i] for i in idx]


def _geo_layout(height: int) -> dict[str, Any]:
    return {
        "geo": {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"}},
        "margin": {"l": 0, "r": 0, "t": 40, "b": 0},
        "height": height,
        "dragmode": False,
    }


def choropleth_figure(
    codes: Sequence[str],
    names: Sequence[str],
    values: Sequence[float] | np.ndarray,
    *,
    title: str,
    unit: str,
    period: int | str,
    direction: int = 0,
    lang: str = "nl",
    level: str = "gemeente",
    scheme: str = "auto",
    k: int = 5,
    height: int = 620,
    classes: tuple[Classification, list[str]] | None = None,
    outline_name: str | None = None,
    hover: Sequence[str] | None = None,
    border_width: float = 0.4,
    no_data_label: str | None = None,
    shared_names: bool = False,
) -> tuple[dict[str, Any], Classification, list[str]]:
    """A classed choropleth as a plotly figure dict; also returns the classes and their colours.

    ``classes``: a ready classification and its colours (e.g. :func:`classify_diverging`);
    ``outline_name``: draw the region outlines on top (legend entry with that name); ``hover``:
    the text shown per area instead of "value unit (period)"; ``shared_names``: the page embeds the
    gemeente codes and names once (``window.NPVR_GEO.codes`` / ``.names``) and the trace refers to them.
    """
    y = np.asarray(values, dtype=float)
    if classes is not None:
        cl, colours = classes
    else:
        cl = classify(y, scheme=scheme, k=k)
        colours = _palette(direction, max(cl.k, 1))
    labels = cl.labels(lang, unit)
    z = cl.classes.astype(float)
    has_missing = bool((cl.classes < 0).any())
    if has_missing:
        colours_all = [NO_DATA_COLOUR, *colours]
        labels_all = [no_data_label or t("no_data", lang), *labels]
        z = z + 1
    else:
        colours_all, labels_all = colours, labels
    n = len(colours_all)
    shown = (
        list(hover)
        if hover is not None
        else [
            f"{fmt_num(v, lang)} {unit} ({period})".strip() if np.isfinite(v) else t("no_data", lang)
            for v in y
        ]
    )
    shared = shared_names and level == "gemeente"
    trace = {
        "type": "choropleth",
        "geojson": f"@{level}",
        "featureidkey": "properties.code",
        # the codes and names of the 342 gemeenten are embedded once per page ("@codes", "@names")
        "locations": "@codes" if shared else list(codes),
        "z": z.tolist(),
        "zmin": -0.5,
        "zmax": n - 0.5,
        "colorscale": _stepped(colours_all),
        "customdata": "@names" if shared else list(names),
        "text": shown,
        "hovertemplate": "<b>%{customdata}</b><br>%{text}<extra></extra>",
        "marker": {"line": {"color": "#ffffff", "width": border_width}},
        "colorbar": {
            "tickvals": list(range(n)),
            "ticktext": labels_all,
            "title": {"text": unit},
            "thickness": 16,
            "len": 0.6,
        },
    }
    layout = _geo_layout(height)
    layout["title"] = {"text": title, "x": 0.01, "font": {"size": 15}}
    data = [trace]
    if outline_name:
        data.append(outline_trace(outline_name))
        layout["legend"] = {"x": 0.0, "y": 0.98, "bgcolor": "rgba(255,255,255,0.7)"}
    return {"data": data, "layout": layout}, cl, colours


def categorical_figure(
    codes: Sequence[str],
    names: Sequence[str],
    categories: Sequence[str],
    *,
    order: Sequence[str],
    labels: dict[str, str],
    colours: dict[str, str],
    title: str,
    level: str = "gemeente",
    height: int = 640,
    outline_name: str | None = None,
) -> dict[str, Any]:
    """Areas coloured by category (e.g. region), legend = category names in ``order``."""
    index = {c: i for i, c in enumerate(order)}
    z = [index[c] for c in categories]
    trace = {
        "type": "choropleth",
        "geojson": f"@{level}",
        "featureidkey": "properties.code",
        "locations": list(codes),
        "z": z,
        "zmin": -0.5,
        "zmax": len(order) - 0.5,
        "colorscale": _stepped([colours[c] for c in order]),
        "customdata": [[nm, labels[c]] for nm, c in zip(names, categories, strict=True)],
        "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
        "marker": {"line": {"color": "#ffffff", "width": 0.4}},
        "colorbar": {
            "tickvals": list(range(len(order))),
            "ticktext": [labels[c] for c in order],
            "thickness": 16,
            "len": 0.9,
        },
    }
    layout = _geo_layout(height)
    layout["title"] = {"text": title, "x": 0.01, "font": {"size": 15}}
    data = [trace]
    if outline_name:
        data.append(outline_trace(outline_name))
        layout["legend"] = {"x": 0.0, "y": 0.98, "bgcolor": "rgba(255,255,255,0.7)"}
    return {"data": data, "layout": layout}


def _rings(geometry: dict[str, Any]) -> list[np.ndarray]:
    if geometry["type"] == "Polygon":
        polys = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        return []
    return [np.asarray(ring, dtype=float)[:, :2] for poly in polys for ring in poly[:1]]


class _Projected:
    """Feature rings of one GeoJSON projected to pixels once (equirectangular, true at mid-latitude)."""

    def __init__(self, geojson: dict[str, Any], width: int, height: int, pad: int, top: int) -> None:
        self.geojson = geojson  # kept so the cache key (its id) cannot be reused by another object
        rings, self.codes = [], []
        for feat in geojson["features"]:
            code = feat["properties"].get("code") or feat.get("id")
            for ring in _rings(feat["geometry"]):
                rings.append(ring)
                self.codes.append(code)
        pts = np.concatenate(rings) if rings else np.zeros((1, 2))
        kx = np.cos(np.deg2rad(pts[:, 1].mean()))
        x0, x1 = pts[:, 0].min(), pts[:, 0].max()
        y0, y1 = pts[:, 1].min(), pts[:, 1].max()
        scale = min((width - 2 * pad) / ((x1 - x0) * kx), (height - top - pad) / (y1 - y0))
        off_x = (width - (x1 - x0) * kx * scale) / 2
        self.to_px = lambda x, y: (float(off_x + (x - x0) * kx * scale), float(top + (y1 - y) * scale))
        self.rings = [[self.to_px(x, y) for x, y in ring] for ring in rings]


_PROJECTED: dict[tuple[int, int, int], _Projected] = {}


def map_png(
    geojson: dict[str, Any],
    colour_by_code: dict[str, str],
    legend: list[tuple[str, str]],
    path: Path,
    *,
    title: str = "",
    legend_title: str = "",
    width: int = 640,
    height: int = 760,
    outlines: dict[str, list[list[tuple[float, float]]]] | None = None,
    source: str = "",
    outline_label: str = "",
) -> Path:
    """A static map (PNG) of ``geojson`` with one colour per feature code and a legend.

    Drawn with Pillow rather than matplotlib: filling a few hundred polygons is C code in Pillow
    (~40 ms a map, anti-aliased by drawing at twice the size and averaging 2x2 blocks) where matplotlib
    spends ~150 ms, and the report draws about fifty maps. Projection of the rings is cached per
    GeoJSON object.
    """
    from PIL import Image, ImageDraw

    ss = 2  # supersampling factor
    key = (id(geojson), width, height)
    proj = _PROJECTED.get(key)
    if proj is None or proj.geojson is not geojson:
        proj = _PROJECTED[key] = _Projected(geojson, width * ss, height * ss, 10 * ss, 40 * ss)
    img = Image.new("RGB", (width * ss, height * ss), "white")
    draw = ImageDraw.Draw(img)
    for code, ring in zip(proj.codes, proj.rings, strict=True):
        draw.polygon(ring, fill=colour_by_code.get(code, NO_DATA_COLOUR), outline="white", width=1)
    for lines in (outlines or {}).values():
        for line in lines:
            draw.line([proj.to_px(x, y) for x, y in line], fill="#1d2733", width=2 * ss, joint="curve")
    img = img.reduce(ss)  # box-filter average of each 2x2 block: cheap anti-aliasing
    draw = ImageDraw.Draw(img)
    if title:
        draw.text((10, 10), title, fill="#1d2733", font=pil_font(15))
    y = 44
    if legend_title:
        draw.text((14, y), legend_title, fill="#1d2733", font=pil_font(11))
        y += 17
    for label, colour in legend:
        draw.rectangle((14, y + 1, 32, y + 12), fill=colour, outline="#888888")
        draw.text((38, y), label, fill="#1d2733", font=pil_font(11))
        y += 17
    if outlines and outline_label:
        draw.line((14, y + 7, 32, y + 7), fill="#1d2733", width=2)
        draw.text((38, y), outline_label, fill="#1d2733", font=pil_font(11))
        y += 17
    if source:
        draw.text((10, height - 18), source, fill="#555555", font=pil_font(10))
    img.save(path, optimize=False, compress_level=1)
    return path


def colours_for(codes: Sequence[str], cl: Classification, colours: list[str]) -> dict[str, str]:
    """Feature code -> colour for :func:`map_png` from a classification."""
    return {c: (colours[k] if k >= 0 else NO_DATA_COLOUR) for c, k in zip(codes, cl.classes, strict=True)}


def values_for(codes: Sequence[str], values: pd.Series) -> np.ndarray:
    """Values aligned to ``codes`` (NaN where missing)."""
    return values.reindex(list(codes)).to_numpy(dtype=float)


_OUTLINES: dict[tuple[int, tuple[tuple[str, str], ...]], dict[str, list[list[tuple[float, float]]]]] = {}


def region_outlines(
    geojson: dict[str, Any], groups: Mapping[str, str] | pd.Series
) -> dict[str, list[list[tuple[float, float]]]]:
    """The outline of every region (group of features) as lon/lat line strings.

    ``groups`` maps a feature code to its region id (features not in it are skipped). Member
    polygons are dissolved with shapely, so inner gemeente borders vanish and only the region's
    edge is left - what a reader needs to find the 11 regions on any map. Cached per GeoJSON object
    and grouping.
    """
    from shapely.geometry import shape
    from shapely.ops import unary_union

    items = tuple(sorted((str(k), str(v)) for k, v in dict(groups).items()))
    key = (id(geojson), items)
    if key in _OUTLINES:
        return _OUTLINES[key]
    by_region: dict[str, list[Any]] = {}
    group_of = dict(items)
    for feat in geojson["features"]:
        code = feat["properties"].get("code")
        if code in group_of:
            by_region.setdefault(group_of[code], []).append(shape(feat["geometry"]).buffer(0))
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for region, geoms in by_region.items():
        merged = unary_union(geoms).buffer(1e-6).buffer(-1e-6)  # close slivers between members
        boundary = merged.boundary
        parts = getattr(boundary, "geoms", [boundary])
        out[region] = [[(float(x), float(y)) for x, y, *_ in p.coords] for p in parts if not p.is_empty]
    _OUTLINES[key] = out
    return out


def region_geojson(
    geojson: dict[str, Any], groups: Mapping[str, str] | pd.Series, names: Mapping[str, str]
) -> dict[str, Any]:
    """The gemeenten dissolved into one feature per group (each region and the rest of NL).

    A region-level map then draws 12 shapes instead of 342, which keeps the page small; the
    geometry is simplified to ~100 m, plenty for a national map.
    """
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    group_of = {str(k): str(v) for k, v in dict(groups).items()}
    parts: dict[str, list[Any]] = {}
    for feat in geojson["features"]:
        code = feat["properties"].get("code")
        if code in group_of:
            parts.setdefault(group_of[code], []).append(shape(feat["geometry"]).buffer(0))
    feats = []
    for gid, geoms in parts.items():
        merged = unary_union(geoms).buffer(1e-6).buffer(-1e-6).simplify(0.001)
        geom = mapping(merged)
        feats.append(
            {
                "type": "Feature",
                "properties": {"code": gid, "name": names.get(gid, gid)},
                "geometry": _round(geom),
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _round(geom: Any) -> Any:
    """Coordinates rounded to 4 decimals (~10 m): enough for a map, a third of the bytes."""
    if isinstance(geom, dict):
        return {k: _round(v) for k, v in geom.items()}
    if isinstance(geom, list | tuple):
        if geom and isinstance(geom[0], float):
            return [round(c, 4) for c in geom]
        return [_round(g) for g in geom]
    return geom


def outline_lonlat(outlines: dict[str, list[list[tuple[float, float]]]]) -> dict[str, list[float | None]]:
    """Every outline as one lon/lat list with breaks (None), embedded once per page as ``@outlines``."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for lines in outlines.values():
        for line in lines:
            lon.extend(p[0] for p in line)
            lat.extend(p[1] for p in line)
            lon.append(None)
            lat.append(None)
    return {
        "lon": [None if v is None else round(v, 5) for v in lon],
        "lat": [None if v is None else round(v, 5) for v in lat],
    }


def outline_trace(name: str, *, colour: str = "#1d2733") -> dict[str, Any]:
    """A plotly ``scattergeo`` line trace drawing the region outlines (resolved by the page renderer)."""
    return {
        "type": "scattergeo",
        "mode": "lines",
        "lon": "@outlines",
        "lat": "@outlines",
        "line": {"color": colour, "width": 1.6},
        "hoverinfo": "skip",
        "showlegend": True,
        "name": name,
    }
