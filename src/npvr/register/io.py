"""Reading and writing the exchange format: an Excel workbook or CSV files.

A workbook has the sheets of :data:`npvr.register.validate.SHEETS` (plannen, maatregelen,
bedragen, behoefte) with a header row; a sheet named ``toelichting`` (or starting with ``_``) is
documentation and skipped. A CSV file holds one sheet, named by the file (``bedragen.csv``) or
recognised by its header; a folder of such CSV files holds several. Row numbers in problems are
the row numbers a person sees in Excel (header = row 1).

Everything written goes through the one atomic writer (:mod:`npvr.output`): a temporary file or
folder renamed into place at the end, so a failed export never leaves half a file; files get the
user's usual mode, and an export never replaces a folder or file that npvr did not make (a
workbook is ours when its author property is :data:`CREATOR`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from npvr.errors import DataError, OutputError, Problem, ValidationError
from npvr.output import atomic_dir, atomic_file
from npvr.register.validate import SHEETS
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


def collect_rows(
    cols: Sequence[Any],
    sheet: str,
    hdr: list[str],
    rows: list[tuple[int, list[Any]]],
    *,
    file: str,
    raw: dict[str, list[tuple[int | None, dict[str, Any]]]],
    problems: list[Problem],
) -> None:
    """Check a sheet's header against its columns and keep its non-empty rows as dicts.

    Shared by every workbook exchange on the register's database (register, policy loop): a
    missing required column is a problem, an unknown one a warning, and only known columns are kept.
    """
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
    collect_rows(SHEETS[sheet], sheet, hdr, rows, file=file, raw=raw, problems=problems)


def _read_xlsx(p: Path, raw: Raw, problems: list[Problem]) -> None:
    """Read every sheet with calamine (Rust): 100,000 rows in well under a second.

    Cells come from A1 (``skip_empty_area=False``) so row numbers are those Excel shows; formulas
    give their cached value, never run.
    """
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(p))
        sheets = [(name, wb.get_sheet_by_name(name)) for name in wb.sheet_names]
        for title, ws in sheets:
            if title.strip().lower() == DOC_SHEET or title.startswith("_"):
                continue
            cells = ws.to_python(skip_empty_area=False)
            if not cells:
                continue
            rows = [(i, r) for i, r in enumerate(cells[1:], start=2)]
            _take(title, str(p), list(cells[0]), rows, raw, problems)
    except Exception as exc:  # calamine raises its own types for a broken or foreign file
        if isinstance(exc, ValidationError | DataError):
            raise
        raise DataError(
            f"kan werkmap '{p}' niet lezen: {exc}", en=f"cannot read workbook '{p}': {exc}", file=p
        ) from exc


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


#: Written into every workbook npvr exports, so a later export may replace it (and nothing else).
CREATOR = "npvr register"


def _is_our_workbook(p: Path) -> bool:
    """Was ``p`` written by an npvr export? (its document properties name npvr as author)"""
    import zipfile

    try:
        with zipfile.ZipFile(p) as z:
            core = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False  # not a readable workbook: certainly not ours, so it is not replaced
    return f"<dc:creator>{CREATOR}</dc:creator>" in core


def _doc_rows() -> list[tuple[str, str, str, str]]:
    return [
        (sheet, c.name, "ja" if c.required else "nee", c.help) for sheet, cols in SHEETS.items() for c in cols
    ]


def _write_xlsx(path: Path, frames: Mapping[str, pd.DataFrame], *, doc: bool = True) -> None:
    """A streaming workbook (xlsxwriter, constant memory): fast for 100,000 rows.

    Text is always written as text: a cell "=SOM(A1)" stays text, never a formula, and no text
    becomes a number or a hyperlink.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"author": CREATOR, "title": "npvr register"})
    bold = wb.add_format({"bold": True})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})

    def sheet(name: str, columns: list[str], rows: Any, money: set[int]) -> None:
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, columns, bold)
        ws.freeze_panes(1, 0)
        for c in money:
            ws.set_column(c, c, 16, money_fmt)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif isinstance(v, Decimal):
                    ws.write_number(r, c, float(v), money_fmt if c in money else None)
                else:
                    ws.write(r, c, v, money_fmt if c in money else None)

    for name, df in frames.items():
        money = {i for i, c in enumerate(df.columns) if c in ("bedrag", *_MONEY_OUT)}
        rows = ([_cell(v) for v in row] for row in df.itertuples(index=False))
        sheet(name, [str(c) for c in df.columns], rows, money)
    if doc:
        sheet(DOC_SHEET, ["blad", "kolom", "verplicht", "toelichting"], _doc_rows(), set())
    wb.close()


_MONEY_OUT = ("need", "planned", "committed", "paid", "gap", "gap_planned")


def write_exchange(frames: Mapping[str, pd.DataFrame], out: str | Path) -> Path:
    """Write the register sheets to ``out``: ``.xlsx`` = one workbook, else a folder of CSVs.

    Never replaces what npvr did not make: a non-empty folder without npvr's marker, or an
    existing file that is not an earlier npvr export, is refused and left untouched.
    """
    p = Path(out)
    if p.suffix.lower() == ".csv":
        raise OutputError(
            f"'{p}': een register heeft vier bladen; kies een .xlsx-bestand of een map voor CSV-bestanden",
            en=f"'{p}': a register has four sheets; choose an .xlsx file or a folder for CSV files",
            file=p,
        )
    if p.suffix.lower() == ".xlsx":
        ours = p.is_file() and _is_our_workbook(p)
        return _atomic_file(p, lambda tmp: _write_xlsx(tmp, frames), replace=ours)

    def write_dir(tmp: Path) -> None:
        for sheet, df in frames.items():
            (tmp / f"{sheet}.csv").write_text(_csv_text(df), encoding="utf-8")

    return _atomic_dir(p, write_dir)


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
