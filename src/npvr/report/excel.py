"""Excel workbooks with every table of a report (openpyxl), readable at first open.

:func:`write_workbook` takes ``{sheet title: DataFrame}``; titles are cut to Excel's 31 characters
and made unique, the header row is bold and frozen, and columns get a width that fits their text.
A first sheet can describe the workbook (``about`` rows of text).
"""

from __future__ import annotations

from pathlib import Path

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
    path: Path, sheets: dict[str, pd.DataFrame], *, about: list[str] | None = None
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
        ws0 = wb.create_sheet(sheet_name("info", taken))
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
