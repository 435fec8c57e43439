"""Reading and writing the policy loop's exchange workbook (.xlsx) or folder of CSV files.

The sheets and columns are :data:`npvr.loop.validate.SHEETS`; a sheet named ``toelichting`` (or
starting with ``_``) is documentation and skipped. Row numbers in problems are the ones a person
sees in Excel (header = row 1). Structural problems (unknown sheet, missing required column) are
collected with the rest and nothing is imported. Writing goes through the register's atomic
writer (:mod:`npvr.output`), so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from npvr.errors import DataError, OutputError, Problem, ValidationError
from npvr.loop.validate import SHEETS
from npvr.output import atomic_dir, atomic_file
from npvr.register.io import _cell, _csv_text, collect_rows
from npvr.yamlio import read_text

Raw = dict[str, list[tuple[int | None, dict[str, Any]]]]
DOC_SHEET = "toelichting"


def read_workbook(path: str | Path) -> Raw:
    """Rows per sheet from an .xlsx workbook, one .csv file (named after its sheet) or a folder of them."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"bestand '{p}' bestaat niet", en=f"file '{p}' does not exist", file=p)
    problems: list[Problem] = []
    raw: Raw = {}
    if p.is_dir():
        files = sorted(p.glob("*.csv"))
        if not files:
            raise DataError(
                f"map '{p}' bevat geen .csv-bestanden", en=f"folder '{p}' has no .csv files", file=p
            )
        for f in files:
            _read_csv(f, raw, problems)
    elif p.suffix.lower() in (".xlsx", ".xlsm"):
        _read_xlsx(p, raw, problems)
    elif p.suffix.lower() == ".csv":
        _read_csv(p, raw, problems)
    else:
        raise DataError(
            f"onbekend bestandstype '{p.suffix}'; gebruik .xlsx, .csv of een map met .csv-bestanden",
            en=f"unknown file type '{p.suffix}'; use .xlsx, .csv or a folder of .csv files",
            file=p,
        )
    if any(pr.severity == "error" for pr in problems):
        raise ValidationError(problems, file=str(p))
    return raw


def _take(
    label: str,
    file: str,
    header: list[Any],
    rows: list[tuple[int, list[Any]]],
    raw: Raw,
    problems: list[Problem],
) -> None:
    sheet = label.strip().lower()
    if sheet not in SHEETS:
        problems.append(
            Problem(
                f"onbekend blad '{label}'; verwacht een van {', '.join(SHEETS)}",
                file=file,
                sheet=label,
                message_en=f"unknown sheet '{label}'; expected one of {', '.join(SHEETS)}",
            )
        )
        return
    hdr = [str(h).strip().lower() if h is not None else "" for h in header]
    collect_rows(SHEETS[sheet], sheet, hdr, rows, file=file, raw=raw, problems=problems)


def _read_xlsx(p: Path, raw: Raw, problems: list[Problem]) -> None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataError(
            f"kan werkmap '{p}' niet lezen: {exc}", en=f"cannot read workbook '{p}': {exc}", file=p
        ) from exc
    try:
        for ws in wb.worksheets:
            if ws.title.strip().lower() == DOC_SHEET or ws.title.startswith("_"):
                continue
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            if header is None:
                continue
            _take(
                ws.title,
                str(p),
                list(header),
                [(i, list(r)) for i, r in enumerate(it, start=2)],
                raw,
                problems,
            )
    finally:
        wb.close()


def _read_csv(p: Path, raw: Raw, problems: list[Problem]) -> None:
    text = read_text(p)  # UTF-8 (BOM allowed), size limit; otherwise a ConfigError naming the file
    first = text.splitlines()[0] if text else ""
    delim = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    header = next(reader, None)
    if header is None:
        return
    rows = [(i, [v if v != "" else None for v in r]) for i, r in enumerate(reader, start=2)]
    _take(p.stem, str(p), header, rows, raw, problems)


def _write_xlsx(path: Path, frames: Mapping[str, pd.DataFrame]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet, df in frames.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(df.columns))
        for cell in ws[1]:
            cell.font = bold
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula (no formula injection)
                    if "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    ws = wb.create_sheet(DOC_SHEET)
    ws.append(["blad", "kolom", "verplicht", "toelichting"])
    for cell in ws[1]:
        cell.font = bold
    for sheet, cols in SHEETS.items():
        for c in cols:
            ws.append([sheet, c.name, "ja" if c.required else "nee", c.help])
    wb.save(path)


def write_workbook(frames: Mapping[str, pd.DataFrame], out: str | Path) -> Path:
    """Write the sheets to ``out``: ``.xlsx`` = one workbook, otherwise a folder of CSV files.

    Through the one atomic writer (:mod:`npvr.output`): an existing file is not overwritten, a
    folder only when it is empty or an earlier npvr export.
    """
    p = Path(out)
    if p.suffix.lower() == ".csv":
        raise OutputError(
            f"'{p}': de export heeft meerdere bladen; kies een .xlsx-bestand of een map voor CSV-bestanden",
            en=f"'{p}': the export has several sheets; choose an .xlsx file or a folder for CSV files",
            file=p,
        )
    if p.suffix.lower() == ".xlsx":
        with atomic_file(p) as tmp:
            _write_xlsx(tmp, frames)
        return p
    with atomic_dir(p, kind="beleidscyclus export") as tmp:
        for sheet, df in frames.items():
            (tmp / f"{sheet}.csv").write_text(_csv_text(df), encoding="utf-8")
    return p
