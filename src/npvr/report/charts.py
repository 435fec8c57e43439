"""Interactive charts (plotly figure dicts) and their static twins (matplotlib PNGs).

Each chart is described once as a small spec (series of points with labels), then rendered twice:
:func:`line_figure` / :func:`bar_figure` give plotly dicts for the HTML report (hover shows value,
unit and period), :func:`line_png` / :func:`bar_png` write the same chart as a PNG for a note.
matplotlib is used for the PNGs because plotly's own image export (kaleido) needs a browser
download; only the object-oriented Agg API is used (no pyplot state), so it is safe in threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from npvr.i18n import fmt_num

COLOURS = {"npvr": "#c0392b", "rest": "#2c7fb8", "nl": "#555555"}
DEFAULT_COLOURS = ["#c0392b", "#2c7fb8", "#555555", "#e67e22", "#27ae60", "#8e44ad", "#16a085"]


@dataclass
class Series:
    """One line or bar group: x labels (periods or categories), y values, optional error bounds."""

    name: str
    x: Sequence[Any]
    y: Sequence[float]
    colour: str | None = None
    lo: Sequence[float] | None = None
    hi: Sequence[float] | None = None
    hover: Sequence[str] = field(default_factory=list)
    colours: Sequence[str] | None = None  # one colour per point (bars only)


def _hover(s: Series, unit: str, lang: str) -> list[str]:
    if s.hover:
        return list(s.hover)
    return [f"{s.name}<br>{fmt_num(v, lang)} {unit} ({x})".strip() for x, v in zip(s.x, s.y, strict=True)]


def _layout(title: str, ytitle: str, height: int) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 14}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "yaxis": {"title": {"text": ytitle}, "zeroline": False, "gridcolor": "#e5e5e5"},
        "xaxis": {"type": "category"},
        "legend": {"orientation": "h", "y": -0.18},
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
    }


def _clean(v: Sequence[float]) -> list[float | None]:
    return [None if not np.isfinite(x) else float(x) for x in np.asarray(v, dtype=float)]


def line_figure(
    series: list[Series], *, title: str, unit: str, lang: str = "nl", height: int = 340
) -> dict[str, Any]:
    """Lines over periods (integer years on a true time axis); hover shows series, value, unit, period."""
    data = []
    for i, s in enumerate(series):
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": s.name,
                "x": [int(x) for x in s.x],
                "y": _clean(s.y),
                "line": {"color": s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)], "width": 2.5},
                "text": _hover(s, unit, lang),
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    layout = _layout(title, unit, height)
    years = sorted({int(x) for s in series for x in s.x})
    layout["xaxis"] = {
        "type": "linear",
        "tickmode": "array",
        "tickvals": years,
        "ticktext": [str(y) for y in years],
    }
    return {"data": data, "layout": layout}


def bar_figure(
    series: list[Series],
    *,
    title: str,
    unit: str,
    lang: str = "nl",
    height: int = 340,
    horizontal: bool = False,
) -> dict[str, Any]:
    """Grouped bars with optional error bars (bootstrap intervals)."""
    data = []
    for i, s in enumerate(series):
        tr: dict[str, Any] = {
            "type": "bar",
            "name": s.name,
            "orientation": "h" if horizontal else "v",
            "marker": {
                "color": list(s.colours)
                if s.colours
                else s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]
            },
            "text": _hover(s, unit, lang),
            "hovertemplate": "%{text}<extra></extra>",
            "textposition": "none",
        }
        xs, ys = [str(x) for x in s.x], _clean(s.y)
        tr.update({"y": xs, "x": ys} if horizontal else {"x": xs, "y": ys})
        if s.lo is not None and s.hi is not None:
            y = np.asarray(s.y, dtype=float)
            err = {
                "type": "data",
                "symmetric": False,
                "array": _clean(np.clip(np.asarray(s.hi, dtype=float) - y, 0, None)),
                "arrayminus": _clean(np.clip(y - np.asarray(s.lo, dtype=float), 0, None)),
                "color": "#333",
            }
            tr["error_x" if horizontal else "error_y"] = err
        data.append(tr)
    layout = _layout(title, unit, height)
    layout["barmode"] = "group"
    if horizontal:
        layout["xaxis"], layout["yaxis"] = (
            {"title": {"text": unit}, "gridcolor": "#e5e5e5"},
            {"type": "category", "automargin": True},
        )
    return {"data": data, "layout": layout}


def _figure(width: float = 7.0, height: float = 3.6, left: float = 0.1) -> Any:
    # Fixed margins instead of tight_layout(): it costs more than drawing the chart itself.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    # margins in inches, so tall charts (many bars) do not get huge empty bands
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.45 / height, bottom=0.55 / height)
    return fig


def _source(fig: Any, source: str) -> None:
    if source:
        fig.text(0.01, 0.01, source, fontsize=7, color="#555555", ha="left", va="bottom")


def line_png(series: list[Series], path: Path, *, title: str, unit: str, source: str = "") -> Path:
    """The static twin of :func:`line_figure`, with its source line for a slide."""
    fig = _figure(height=3.8)
    ax = fig.add_subplot(1, 1, 1)
    for i, s in enumerate(series):
        ax.plot(
            [int(x) for x in s.x],
            np.asarray(s.y, dtype=float),
            marker="o",
            color=s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)],
            label=s.name,
            linewidth=2,
        )
    years = sorted({int(x) for s in series for x in s.x})
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_ylabel(unit)
    ax.grid(axis="y", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False, loc="best")
    _source(fig, source)
    fig.savefig(path, pil_kwargs={"compress_level": 1})
    return path


@lru_cache(maxsize=8)
def pil_font(size: int) -> Any:
    """DejaVu Sans as shipped with matplotlib (always installed with npvr), else Pillow's default."""
    from PIL import ImageFont

    try:
        import matplotlib

        return ImageFont.truetype(
            str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), size
        )
    except (ImportError, OSError):
        return ImageFont.load_default(size)


def hbar_png(
    series: list[Series], path: Path, *, title: str, unit: str, lang: str = "nl", source: str = ""
) -> Path:
    """Horizontal grouped bars (one row per category) as a PNG, drawn with Pillow.

    The report's long bar charts (a region profile has ~40 labelled bars) cost ~0.5 s each in
    matplotlib, nearly all of it text rendering; Pillow draws the same chart in a few tens of ms.
    Axis ticks come from matplotlib's MaxNLocator, so they are the usual "nice" numbers.
    """
    from matplotlib.ticker import MaxNLocator
    from PIL import Image, ImageDraw

    cats = [str(x) for x in series[0].x] if series else []
    label_font, small, title_font = pil_font(11), pil_font(10), pil_font(13)
    row = 10 + 8 * max(len(series), 1)
    width = 760
    left = min(360, 14 + max((label_font.getlength(c) for c in cats), default=0))
    top, bottom, right = 46 + (16 if len(series) > 1 else 0), 44 + (16 if source else 0), 24
    height = int(top + row * max(len(cats), 1) + bottom)
    values = []
    for s in series:
        values += [v for v in np.asarray(s.y, dtype=float) if np.isfinite(v)]
        for b in (s.lo, s.hi):
            if b is not None:
                values += [v for v in np.asarray(b, dtype=float) if np.isfinite(v)]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    if hi == lo:
        hi = lo + 1.0
    ticks = [t for t in MaxNLocator(nbins=6).tick_values(lo, hi)]
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (width - left - right)

    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((10, 10), title, fill="#1d2733", font=title_font)
    plot_bottom = height - bottom
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    dec = max(0, -int(np.floor(np.log10(step)))) if 0 < step < 1 else 0
    for tv in ticks:
        x = px(tv)
        d.line((x, top - 4, x, plot_bottom), fill="#e5e5e5")
        lbl = fmt_num(tv, lang, dec)
        d.text((x - small.getlength(lbl) / 2, plot_bottom + 4), lbl, fill="#333333", font=small)
    d.text(
        ((left + width - right) / 2 - small.getlength(unit) / 2, plot_bottom + 22),
        unit,
        fill="#333333",
        font=small,
    )
    bar_h = (row - 10) / max(len(series), 1)
    for j, cat in enumerate(cats):
        y0 = top + j * row
        d.text((left - 8 - label_font.getlength(cat), y0 + row / 2 - 7), cat, fill="#1d2733", font=label_font)
        for i, s in enumerate(series):
            v = float(np.asarray(s.y, dtype=float)[j])
            if not np.isfinite(v):
                continue
            colour = s.colours[j] if s.colours else s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]
            yb = y0 + 5 + i * bar_h
            xa, xb = sorted((px(0.0), px(v)))
            d.rectangle((xa, yb, max(xb, xa + 1), yb + bar_h - 1), fill=colour)
            if s.lo is not None and s.hi is not None:
                elo, ehi = float(np.asarray(s.lo, dtype=float)[j]), float(np.asarray(s.hi, dtype=float)[j])
                if np.isfinite(elo) and np.isfinite(ehi):
                    ym = yb + bar_h / 2
                    d.line((px(elo), ym, px(ehi), ym), fill="#333333")
                    for e in (elo, ehi):
                        d.line((px(e), ym - 2, px(e), ym + 2), fill="#333333")
    d.line((px(0.0), top - 4, px(0.0), plot_bottom), fill="#555555")
    if len(series) > 1:
        x = left
        for i, s in enumerate(series):
            colour = s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]
            d.rectangle((x, 34, x + 12, 44), fill=colour)
            d.text((x + 16, 32), s.name, fill="#1d2733", font=small)
            x += 28 + small.getlength(s.name)
    if source:
        d.text((10, height - 16), source, fill="#555555", font=small)
    img.save(path, compress_level=1)
    return path


def bar_png(
    series: list[Series],
    path: Path,
    *,
    title: str,
    unit: str,
    horizontal: bool = False,
    source: str = "",
    lang: str = "nl",
) -> Path:
    """The static twin of :func:`bar_figure` (grouped, with error bars); horizontal: :func:`hbar_png`."""
    if horizontal:
        return hbar_png(series, path, title=title, unit=unit, source=source, lang=lang)
    cats = [str(x) for x in series[0].x] if series else []
    fig = _figure(
        height=max(3.6, 0.22 * len(cats) + 1.2) if horizontal else 3.6, left=0.42 if horizontal else 0.1
    )
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / max(len(series), 1)
    pos = np.arange(len(cats))
    for i, s in enumerate(series):
        y = np.asarray(s.y, dtype=float)
        err = None
        if s.lo is not None and s.hi is not None:
            err = np.vstack([y - np.asarray(s.lo, dtype=float), np.asarray(s.hi, dtype=float) - y])
            err = np.nan_to_num(np.clip(err, 0, None))
        colour = list(s.colours) if s.colours else s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]
        if horizontal:
            ax.barh(
                pos + i * width - 0.4 + width / 2, y, width, xerr=err, capsize=2, label=s.name, color=colour
            )
        else:
            ax.bar(
                pos + i * width - 0.4 + width / 2, y, width, yerr=err, capsize=2, label=s.name, color=colour
            )
    if horizontal:
        ax.set_yticks(pos, cats, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.grid(axis="x", color="#e5e5e5")
    else:
        ax.set_xticks(pos, cats, fontsize=8)
        ax.set_ylabel(unit)
        ax.grid(axis="y", color="#e5e5e5")
    ax.set_title(title, fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False, loc="best")
    _source(fig, source)
    fig.savefig(path, pil_kwargs={"compress_level": 1})
    return path


def money_png(series: list[Series], path: Path, *, title: str, unit: str, source: str = "") -> Path:
    """Need (dashed line, first series) against money per year (grouped bars, the other series).

    Bars use three shades of blue that stay apart in black and white; the need is a dashed line.
    """
    fig = _figure(height=3.6)
    ax = fig.add_subplot(1, 1, 1)
    need, bars = series[0], series[1:]
    years = [int(x) for x in need.x]
    pos = np.arange(len(years))
    width = 0.8 / max(len(bars), 1)
    hatches = ["", "//", ".."]
    for i, s in enumerate(bars):
        ax.bar(
            pos + i * width - 0.4 + width / 2,
            np.nan_to_num(np.asarray(s.y, dtype=float)),
            width,
            label=s.name,
            color=s.colour,
            hatch=hatches[i % len(hatches)],
            edgecolor="#333333",
            linewidth=0.3,
        )
    ax.plot(
        pos, np.asarray(need.y, dtype=float), color="#1d2733", linestyle="--", marker="o", label=need.name
    )
    ax.set_xticks(pos, [str(y) for y in years], fontsize=8)
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=10, loc="left")
    ax.grid(axis="y", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper right", ncol=4)
    _source(fig, source)
    fig.savefig(path, pil_kwargs={"compress_level": 1})
    return path


DASHES = [(), (6, 4), (2, 3)]  # solid, dashed, dotted: lines stay apart in black and white


def line_png_fast(
    series: list[Series], path: Path, *, title: str, unit: str, source: str = "", lang: str = "nl"
) -> Path:
    """The static twin of :func:`line_figure`, drawn with Pillow (~20 ms instead of ~250 ms).

    A region page has a trend chart per indicator with more than two periods, hundreds in the
    whole report; matplotlib would spend most of the report's time budget on their text. Lines get
    a marker per period and a dash pattern per series, so the chart reads in black and white.
    """
    from matplotlib.ticker import MaxNLocator
    from PIL import Image, ImageDraw

    width, height = 700, 380
    left, right, top, bottom = 70, 20, 44, 70 + (14 if source else 0)
    small, title_font = pil_font(10), pil_font(13)
    years = sorted({int(x) for s in series for x in s.x})
    values = [float(v) for s in series for v in s.y if np.isfinite(float(v))]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    ticks = list(MaxNLocator(nbins=5).tick_values(lo, hi))
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    x0, x1 = years[0], years[-1] if len(years) > 1 else years[0] + 1

    def px(x: float, y: float) -> tuple[float, float]:
        fx = (x - x0) / (x1 - x0) if x1 != x0 else 0.5
        return (left + fx * (width - left - right), top + (hi - y) / (hi - lo) * (height - top - bottom))

    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((10, 10), title, fill="#1d2733", font=title_font)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    dec = max(0, -int(np.floor(np.log10(step)))) if 0 < step < 1 else 0
    for tv in ticks:
        _, y = px(x0, tv)
        d.line((left, y, width - right, y), fill="#e5e5e5")
        lbl = fmt_num(tv, lang, dec)
        d.text((left - 6 - small.getlength(lbl), y - 6), lbl, fill="#333333", font=small)
    d.text((10, top - 16), unit, fill="#333333", font=small)
    every = max(1, len(years) // 12)
    for yr in years[::every]:
        x, _ = px(yr, lo)
        d.text((x - small.getlength(str(yr)) / 2, height - bottom + 6), str(yr), fill="#333333", font=small)
    for i, s in enumerate(series):
        colour = s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]
        pts = [px(int(x), float(v)) for x, v in zip(s.x, s.y, strict=True) if np.isfinite(float(v))]
        dash = DASHES[i % len(DASHES)]
        for a, b in pairwise(pts):
            if not dash:
                d.line((*a, *b), fill=colour, width=3)
                continue
            seg = np.hypot(b[0] - a[0], b[1] - a[1])
            pos, on = 0.0, True
            while pos < seg:
                ln = dash[0] if on else dash[1]
                end = min(seg, pos + ln)
                if on:
                    p0 = (a[0] + (b[0] - a[0]) * pos / seg, a[1] + (b[1] - a[1]) * pos / seg)
                    p1 = (a[0] + (b[0] - a[0]) * end / seg, a[1] + (b[1] - a[1]) * end / seg)
                    d.line((*p0, *p1), fill=colour, width=3)
                pos, on = end, not on
        for x, y in pts:
            d.ellipse((x - 3.5, y - 3.5, x + 3.5, y + 3.5), fill=colour)
    x = left
    for i, s in enumerate(series):
        colour = s.colour or DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]
        y = height - bottom + 26
        d.line((x, y + 6, x + 22, y + 6), fill=colour, width=3)
        if DASHES[i % len(DASHES)]:
            d.line((x + 7, y + 6, x + 10, y + 6), fill="white", width=3)
        d.text((x + 28, y), s.name, fill="#1d2733", font=small)
        x += 44 + small.getlength(s.name)
    if source:
        d.text((10, height - 16), source[:130], fill="#555555", font=small)
    img.save(path, compress_level=1)
    return path
