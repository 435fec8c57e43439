"""Excel workbooks with every table of a report (openpyxl), readable at first open.

:func:`write_workbook` takes ``{sheet title: DataFrame}``; titles are cut to Excel's 31 characters
and made unique, the header row is bold and frozen, and columns get a width that fits their text.
A first sheet can describe the workbook (``about`` rows of text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``title``."""
    base = title.translate(_BAD)[:31] or "blad"
    name, i = base, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(name.lower())
    return name


def write_workbook(
    path: Path, sheets: dict[str, pd.DataFrame], *, about: list[str] | None = None, about_title: str = "info"
) -> list[str]:
    """Write ``sheets`` to ``path`` (xlsx) and return the sheet names used."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)  # streaming: several times faster than the default mode
    taken: set[str] = set()
    names = []
    bold = Font(bold=True)
    if about:
        ws0 = wb.create_sheet(sheet_name(about_title, taken))
        ws0.column_dimensions["A"].width = 120
        for line in about:
            ws0.append([line])
        names.append(ws0.title)
    for title, df in sheets.items():
        ws = wb.create_sheet(sheet_name(title, taken))
        names.append(ws.title)
        cols = [str(c) for c in df.columns]
        for j, c in enumerate(cols, start=1):
            sample = [len(c)] + [len(str(v)) for v in df.iloc[:200, j - 1].tolist()]
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, max(sample) + 2))
        ws.freeze_panes = "A2"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in df.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and v != v) else _cell(v) for v in row])
    wb.save(path)
    return names


def _cell(v: object) -> object:
    if hasattr(v, "item") and callable(v.item):
        v = v.item()  # numpy scalar
    if isinstance(v, list | tuple | set):
        return ", ".join(map(str, v))
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return str(v)


SHEET_NAMES: dict[str, dict[str, str]] = {
    "regions": {"nl": "regio's", "en": "regions"},
    "gemeenten": {"nl": "gemeenten", "en": "gemeenten"},
    "indicators": {"nl": "indicatoren", "en": "indicators"},
    "gemeente_values": {"nl": "gemeentewaarden", "en": "gemeente values"},
    "unit_values": {"nl": "waarden per gebied", "en": "values per area"},
    "gaps": {"nl": "verschillen", "en": "gaps"},
    "trends": {"nl": "trends", "en": "trends"},
    "scorecard": {"nl": "scorekaart", "en": "scorecard"},
    "largest_gaps": {"nl": "grootste achterstanden", "en": "largest gaps"},
    "gap_changes": {"nl": "kloof kleiner of groter", "en": "gaps closed or widened"},
    "inequality": {"nl": "ongelijkheid", "en": "inequality"},
    "sigma_convergence": {"nl": "sigma-convergentie", "en": "sigma convergence"},
    "matching_pairs": {"nl": "vergelijkingsgemeenten", "en": "comparison gemeenten"},
    "matching_balance": {"nl": "balans matching", "en": "matching balance"},
    "did": {"nl": "verschil-in-verschillen", "en": "difference-in-differences"},
    "index_ranks": {"nl": "index positie", "en": "index position"},
    "index_quartiles": {"nl": "index kwartielen", "en": "index quartiles"},
    "register_years": {"nl": "geld en opgave per jaar", "en": "money and need per year"},
    "register_themes": {"nl": "geld per thema", "en": "money per theme"},
}
EXPLAIN_SHEET = {"nl": "uitleg kolommen", "en": "columns explained"}
ABOUT_SHEET = {"nl": "over", "en": "about"}


def _words(key: str, lang: str) -> dict[Any, str]:
    from npvr.i18n import t

    return {
        "direction": {1: t("higher_better", lang), -1: t("higher_worse", lang), 0: t("context", lang)},
        "better": {1: t("status_better", lang), -1: t("status_worse", lang), 0: t("status_equal", lang)},
    }[key]


def _people(
    df: pd.DataFrame, lang: str, names: dict[str, str], catalogue: Any
) -> tuple[pd.DataFrame, list[str]]:
    """A library table as people read it: names for codes, words for method keys, own-language columns.

    Returns the frame (columns still keys) and the keys kept, so the explanation sheet can list
    every column.
    """
    from npvr.i18n import TEXT, t, theme_name, yes_no

    other = "en" if lang == "nl" else "nl"
    d = df.copy()
    drop = [c for c in d.columns if str(c).endswith(f"_{other}") or c in ("colour", "slug")]
    d = d.drop(columns=drop)
    for c in list(d.columns):
        col = d[c]
        if c == "area_code":
            d[c] = [names.get(v, v) for v in col]
        elif c in ("region", "group", "treated_region"):
            d[c] = [names.get(v, v) if isinstance(v, str) else v for v in col]
        elif c == "indicator_id" and catalogue is not None:
            d.insert(
                d.columns.get_loc(c) + 1,
                "label",
                [catalogue[i].label(lang) if i in catalogue else i for i in col],
            )
        elif c == "indicators":
            d[c] = [
                ", ".join(catalogue[i].label(lang) if i in catalogue else i for i in v)
                if isinstance(v, list)
                else v
                for v in col
            ]
        elif c in ("direction", "better"):
            w = _words(c, lang)
            d[c] = [w.get(int(v), v) if v == v and v is not None else v for v in col]
        elif c == "aggregation":
            d[c] = [t(f"agg_{v}", lang) if f"agg_{v}" in TEXT else v for v in col]
        elif c in ("verdict_abs", "verdict_rel"):
            d[c] = [t(v, lang) if v in TEXT else v for v in col]
        elif c in ("status", "change"):
            d[c] = [
                t(f"status_{v}", lang)
                if f"status_{v}" in TEXT
                else t(f"change_{v}", lang)
                if f"change_{v}" in TEXT
                else v
                for v in col
            ]
        elif c == "theme":
            d[c] = [theme_name(v, lang) if isinstance(v, str) and v else v for v in col]
        elif c in ("measure", "component"):
            d[c] = [t(v, lang) if isinstance(v, str) and v in TEXT else v for v in col]
        elif col.dtype == bool or c in ("improving", "npvr", "converging"):
            d[c] = [yes_no(v, lang) if isinstance(v, bool | np.bool_) else v for v in col]
    return d, [str(c) for c in d.columns]


def workbook_sheets(data: Any, catalogue: Any, lang: str) -> dict[str, pd.DataFrame]:
    """Every report table as a sheet in the reader's language, plus a sheet explaining every column."""
    from npvr.i18n import column, column_note, t

    names = {r.id: r.name for r in data.regions.itertuples()}
    names.update({"npvr": t("npvr_all", lang), "rest": t("rest_of_nl", lang), "nl": t("nl", lang)})
    tables = data.tables()
    pivot = tables.pop("gemeente_values")
    out: dict[str, pd.DataFrame] = {}
    explain = []
    for key, df in tables.items():
        if key == "regions":
            df = df.drop(columns=["id"])
        sheet = SHEET_NAMES.get(key, {}).get(lang, key)
        frame, keys = _people(df, lang, names, catalogue)
        out[sheet] = frame.rename(columns={k: column(k, lang) for k in keys})
        explain += [
            {"sheet": sheet, "column": column(k, lang), "meaning": column_note(k, lang)} for k in keys
        ]
    # the wide gemeente table: indicator labels as headers
    wide = pivot.rename(
        columns={c: catalogue[c].label(lang) if c in catalogue else column(c, lang) for c in pivot.columns}
    )
    sheet = SHEET_NAMES["gemeente_values"][lang]
    out[sheet] = wide
    explain.append(
        {"sheet": sheet, "column": column("area_code", lang), "meaning": column_note("gm_code", lang)}
    )
    explain.append({"sheet": sheet, "column": "…", "meaning": t("explain_wide", lang)})
    head = {
        "sheet": {"nl": "blad", "en": "sheet"}[lang],
        "column": {"nl": "kolom", "en": "column"}[lang],
        "meaning": {"nl": "betekenis", "en": "meaning"}[lang],
    }
    return {EXPLAIN_SHEET[lang]: pd.DataFrame(explain).rename(columns=head), **out}


def workbook_about(data: Any, lang: str) -> list[str]:
    """The first sheet: what the workbook holds and where every indicator comes from."""
    from npvr.i18n import t

    label = "label_en" if lang == "en" else "label_nl"
    prov = "provenance_en" if lang == "en" else "provenance_nl"
    return [
        t("excel_about", lang),
        data.region_set_name,
        "",
        *[f"{getattr(row, label)}: {getattr(row, prov)}" for row in data.indicators.itertuples()],
    ]
