"""Reports: the NPVR monitor report (``npvr report``) and the shared pieces every report can reuse.

The monitor report:

- :mod:`npvr.monitor.panel` computes every table once (:func:`~npvr.monitor.panel.compute`), in the
  library, so the web app shows the same numbers;
- :mod:`npvr.report.build` renders HTML + Excel + PNGs + a page and a PDF per region into a folder
  (:func:`~npvr.report.build.build_report`).

Shared pieces, each documented in its module docstring:

- :mod:`npvr.report.assets` - offline plotly (inline or beside the page), the geo shim that stops
  plotly fetching a base map from its CDN, and the small renderer for ``<div data-fig>``;
- :mod:`npvr.report.maps` - choropleths with mapclassify-style classes (quantiles, Fisher-Jenks)
  and a readable class legend, categorical maps, and the same maps as static PNGs;
- :mod:`npvr.report.charts` - line and bar charts as plotly dicts and as matplotlib PNGs;
- :mod:`npvr.report.shell` + ``templates/base.html.j2`` / ``templates/macros.html.j2`` - the page
  shell (header, sticky contents, footer, offline scripts) and table/figure macros;
- :mod:`npvr.report.output` - the atomic output folder (build in a temp folder, rename at the end);
- :mod:`npvr.report.excel` - workbooks with every table;
- :mod:`npvr.report.images` - drawing PNGs in background worker processes;
- :mod:`npvr.i18n` (outside this package: CLI, toets and web use it too) - Dutch/English texts
  and number formatting.
"""

from __future__ import annotations

from npvr.report.build import ReportResult, build_report

__all__ = ["ReportResult", "build_report"]
