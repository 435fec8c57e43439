"""Offline plotly for every npvr HTML report: no CDN, no network, ever.

Reports must open on an air-gapped laptop from ``file://``. Two things make plotly.js reach the
network and both are handled here:

* the library itself: :func:`plotly_js` returns the plotly.js bundle that ships inside the Python
  ``plotly`` package; :func:`script_tags` inlines it (one self-contained HTML file) or writes it
  beside the page (``assets/plotly.min.js``) for reports with several pages;
* geo traces: plotly.js fetches ``world_110m.json`` from cdn.plot.ly for its base map even when the
  base layers are hidden. :data:`GEO_SHIM_JS` pre-loads an empty topology under that name through
  plotly's own ``window.PlotlyGeoAssets`` hook, so choropleths built on our own GeoJSON (with
  ``geo.visible = false``) render without any request.

:func:`npvr_js` is the small renderer every report page uses: it draws each
``<div data-fig="ID">`` from ``window.NPVR_FIGS[ID]`` and substitutes the GeoJSON sentinel
``"@gemeente"`` (etc.) with ``window.NPVR_GEO[level]`` so the boundaries are embedded only once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

GEO_LAYERS: tuple[str, ...] = ("land", "ocean", "lakes", "rivers", "countries", "coastlines", "subunits")
_EMPTY_TOPOLOGY = {
    "type": "Topology",
    "objects": {k: {"type": "GeometryCollection", "geometries": []} for k in GEO_LAYERS},
    "arcs": [],
}
GEO_SHIM_JS = (
    "window.PlotlyGeoAssets = {topojson: {"
    + ", ".join(f'"{n}": {json.dumps(_EMPTY_TOPOLOGY)}' for n in ("world_110m", "world_50m", "europe_50m"))
    + "}};"
)
PLOTLY_FILE = "assets/plotly.min.js"


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly package (about 4.8 MB)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=4)
def _static(name: str) -> str:
    return resources.files("npvr.report").joinpath("static", name).read_text(encoding="utf-8")


def npvr_js() -> str:
    """The figure renderer (see module docstring)."""
    return _static("npvr.js")


def npvr_css() -> str:
    """The house style sheet of npvr reports (print-friendly, no web fonts)."""
    return _static("npvr.css")


def _safe(js: str) -> str:
    # A literal "</script" inside inline JS would end the element early.
    return js.replace("</script", "<\\/script")


def script_tags(mode: str = "inline", out_dir: Path | None = None, *, prefix: str = "") -> str:
    """``<script>`` tags for plotly + the geo shim + the renderer.

    ``mode="inline"`` embeds everything; ``mode="beside"`` writes ``assets/plotly.min.js`` into
    ``out_dir`` (which must be the folder being built) and references it relatively, with
    ``prefix`` for pages in a subfolder (``"../"``). The file is written once per folder.
    """
    if mode == "beside":
        if out_dir is None:
            raise ValueError("out_dir is required for mode='beside'")
        target = Path(out_dir) / PLOTLY_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_text(plotly_js(), encoding="utf-8")
        plotly_tag = f'<script src="{prefix}{PLOTLY_FILE}"></script>'
    elif mode == "inline":
        plotly_tag = f"<script>{_safe(plotly_js())}</script>"
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return f"<script>{GEO_SHIM_JS}</script>\n{plotly_tag}"


def data_script(figures: dict[str, dict], geo: dict[str, Any]) -> str:
    """The figures and GeoJSON as inline JSON plus the renderer, for the end of ``<body>``."""
    payload = json.dumps(figures, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    geo_payload = json.dumps(geo, separators=(",", ":"), ensure_ascii=False)
    return (
        f"<script>window.NPVR_GEO = {_safe(geo_payload)};\nwindow.NPVR_FIGS = {_safe(payload)};</script>\n"
        f"<script>{_safe(npvr_js())}</script>"
    )
