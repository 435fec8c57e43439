"""Reading and writing the exchange format: an Excel workbook or CSV files.

A workbook has the sheets of :data:`npvr.register.validate.SHEETS` (plannen, maatregelen,
bedragen, behoefte) with a header row; a sheet named ``toelichting`` (or starting with ``_``) is
documentation and skipped. A CSV file holds one sheet, named by the file (``bedragen.csv``) or
recognised by its header; a folder of such CSV files holds several. Row numbers in problems are
the row numbers a person sees in Excel (header = row 1).

Everything written goes to a temporary file or folder first and is renamed into place at the
end, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from npvr.errors import DataError, OutputError, Problem, ValidationError
from npvr.output import atomic_dir, atomic_file
from npvr.register.validate import SHEETS, Column
from npvr.yamlio import read_text

Raw = dict[str, list[tuple[int | None, dict[str, Any]]]]
DOC_SHEET = "toelichting"


# --- reading -------------------------------------------------------------------------------------


def read_exchange(path: str | Path) -> Raw:
    """Rows per sheet from an .xlsx workbook, a .csv file or a folder of .csv files.

    Structural problems (unknown sheet, missing required column) are collected and raised
    together as one ValidationError.
    """
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
    elif p.suffix.lower() in (".csv", ".txt"):
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


def _sheet_for(name: str, header: list[str]) -> str | None:
    key = name.strip().lower()
    if key in SHEETS:
        return key
    hdr = {h for h in header if h}
    for sheet, cols in SHEETS.items():
        required = {c.name for c in cols if c.required}
        if required <= hdr and hdr <= {c.name for c in cols}:
            return sheet
    return None


def _take(
    sheet_label: str,
    file: str,
    header: list[Any],
    rows: list[tuple[int, list[Any]]],
    raw: Raw,
    problems: list[Problem],
) -> None:
    hdr = [str(h).strip().lower() if h is not None else "" for h in header]
    sheet = _sheet_for(sheet_label, hdr)
    if sheet is None:
        problems.append(
            Problem(
                f"onbekend blad '{sheet_label}'; verwacht een van {', '.join(SHEETS)}",
                file=file,
                sheet=sheet_label,
                message_en=f"unknown sheet '{sheet_label}'; expected one of {', '.join(SHEETS)}",
            )
        )
        return
    cols: tuple[Column, ...] = SHEETS[sheet]
    known = {c.name for c in cols}
    for c in cols:
        if c.required and c.name not in hdr:
            problems.append(
                Problem(
                    f"kolom '{c.name}' ontbreekt",
                    file=file,
                    sheet=sheet,
                    row=1,
                    field=c.name,
                    message_en=f"column '{c.name}' is missing",
                )
            )
    for h in hdr:
        if h and h not in known:
            problems.append(
                Problem(
                    f"onbekende kolom '{h}' wordt genegeerd",
                    file=file,
                    sheet=sheet,
                    row=1,
                    field=h,
                    severity="warning",
                    message_en=f"unknown column '{h}' is ignored",
                )
            )
    out = raw.setdefault(sheet, [])
    for rownum, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        out.append((rownum, {h: v for h, v in zip(hdr, values, strict=False) if h in known}))


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
            title = ws.title
            if title.strip().lower() == DOC_SHEET or title.startswith("_"):
                continue
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            if header is None:
                continue
            rows = [(i, list(r)) for i, r in enumerate(it, start=2)]
            _take(title, str(p), list(header), rows, raw, problems)
    finally:
        wb.close()


def _read_csv(p: Path, raw: Raw, problems: list[Problem]) -> None:
    text = read_text(p)  # UTF-8 (BOM allowed), size limit; otherwise a ConfigError naming file and line
    first = text.splitlines()[0] if text else ""
    delim = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    try:
        header = next(reader, None)
        if header is None:
            return
        rows = [(i, [v if v != "" else None for v in r]) for i, r in enumerate(reader, start=2)]
    except csv.Error as exc:  # e.g. a NUL byte or a stray quote: name the line
        raise DataError(
            f"het CSV-bestand is onleesbaar ({exc})",
            en=f"the CSV file cannot be read ({exc})",
            file=p,
            line=reader.line_num,
        ) from None
    _take(p.stem, str(p), header, rows, raw, problems)


# --- writing -------------------------------------------------------------------------------------


def _cell(v: Any) -> Any:
    """A value for the exchange format: lists as 'a, b', dates as ISO, None/NaN as empty."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v)) if v else None
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _csv_text(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(df.columns))
    for row in df.itertuples(index=False):
        w.writerow(["" if (c := _cell(v)) is None else str(c) for v in row])
    return buf.getvalue()


def _atomic_file(out: Path, write: Any, *, replace: bool = False) -> Path:
    with atomic_file(out, replace=replace) as tmp:
        write(tmp)
    return out


def _atomic_dir(out: Path, write: Any) -> Path:
    with atomic_dir(out, kind="register export") as tmp:
        write(tmp)
    return out


def _doc_rows() -> list[tuple[str, str, str, str]]:
    return [
        (sheet, c.name, "ja" if c.required else "nee", c.help) for sheet, cols in SHEETS.items() for c in cols
    ]


def _write_xlsx(path: Path, frames: Mapping[str, pd.DataFrame], *, doc: bool = True) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet, df in frames.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(df.columns))
        for cell in ws[1]:
            cell.font = bold
        money_cols = {i + 1 for i, c in enumerate(df.columns) if c in ("bedrag", *_MONEY_OUT)}
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula (no formula injection)
        for col in money_cols:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = "#,##0.00"
        ws.freeze_panes = "A2"
    if doc:
        ws = wb.create_sheet(DOC_SHEET)
        ws.append(["blad", "kolom", "verplicht", "toelichting"])
        for cell in ws[1]:
            cell.font = bold
        for r in _doc_rows():
            ws.append(list(r))
    wb.save(path)


_MONEY_OUT = ("need", "planned", "committed", "paid", "gap", "gap_planned")


def write_exchange(frames: Mapping[str, pd.DataFrame], out: str | Path) -> Path:
    """Write the register sheets to ``out``: ``.xlsx`` = one workbook, else a folder of CSVs."""
    p = Path(out)
    try:
        if p.suffix.lower() == ".xlsx":
            return _atomic_file(p, lambda tmp: _write_xlsx(tmp, frames))
        if p.suffix.lower() == ".csv":
            raise OutputError(
                f"'{p}': een register heeft vier bladen; kies een .xlsx-bestand of een map voor "
                "CSV-bestanden",
                en=f"'{p}': a register has four sheets; choose an .xlsx file or a folder for CSV files",
                file=p,
            )

        def write_dir(tmp: Path) -> None:
            for sheet, df in frames.items():
                (tmp / f"{sheet}.csv").write_text(_csv_text(df), encoding="utf-8")

        return _atomic_dir(p, write_dir)
    except OSError as exc:
        raise OutputError(
            f"kan '{p}' niet schrijven: {exc}", en=f"cannot write '{p}': {exc}", file=p
        ) from exc


def _json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if v is None or (isinstance(v, float) and v != v):
        return None
    return v


def gap_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The gap frame as JSON-ready records; money as exact decimal strings ("1250000.00")."""
    return [{k: _json_value(v) for k, v in rec.items()} for rec in df.to_dict(orient="records")]


def write_table(df: pd.DataFrame, out: str | Path, *, sheet: str = "gap") -> Path:
    """Write one table as .csv, .xlsx or .json (by the suffix), atomically."""
    p = Path(out)
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            return _atomic_file(p, lambda tmp: tmp.write_text(_csv_text(df), encoding="utf-8"), replace=True)
        if suffix == ".xlsx":
            return _atomic_file(p, lambda tmp: _write_xlsx(tmp, {sheet: df}, doc=False), replace=True)
        if suffix == ".json":
            text = json.dumps(gap_records(df), ensure_ascii=False, indent=2)
            return _atomic_file(p, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"), replace=True)
    except OSError as exc:
        raise OutputError(
            f"kan '{p}' niet schrijven: {exc}", en=f"cannot write '{p}': {exc}", file=p
        ) from exc
    raise OutputError(
        f"onbekend uitvoerformaat '{suffix}'; gebruik .csv, .xlsx of .json",
        en=f"unknown output format '{suffix}'; use .csv, .xlsx or .json",
        file=p,
    )
