"""The HTML page shell shared by npvr reports (jinja2, autoescaped).

Templates live in ``npvr/report/templates``: ``base.html.j2`` is the page shell (header, sticky
table of contents, main, footer, offline scripts) and ``macros.html.j2`` holds table, figure and
figure-chooser macros. A report template ``{% extends "base.html.j2" %}`` and fills the blocks;
:func:`render` supplies the style sheet and the offline plotly scripts
(:mod:`npvr.report.assets`) so every report page works from ``file://`` without network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

import npvr
from npvr.report import assets


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The jinja2 environment over the report templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("npvr.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def render(
    template: str,
    *,
    lang: str,
    figures: dict[str, dict[str, Any]],
    geo: dict[str, Any],
    out_dir: Path | None = None,
    plotly: str = "inline",
    head_scripts: str | None = None,
    **context: Any,
) -> str:
    """Render ``template`` with the shell's context: css, offline scripts, figures and GeoJSON.

    ``head_scripts`` replaces the plotly tags (pages that share one ``assets/plotly.min.js``).
    """
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            version=npvr.__version__,
            css=assets.npvr_css(),
            head_scripts=head_scripts if head_scripts is not None else assets.script_tags(plotly, out_dir),
            body_scripts=assets.data_script(figures, geo),
            **context,
        )
    )
    return html
