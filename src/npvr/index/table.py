"""Your own data: any units x indicators table plus an indicator metadata sheet (as COINr's
``iData`` and ``iMeta``), so a researcher can rebuild an index like the JRC's or PON&Telos's with
npvr's engine, uncertainty and audit.

Data (CSV, or the sheet ``data`` of an .xlsx): one row per unit; a column ``code`` (or ``uCode``)
with a unique unit code, optionally ``name`` (``uName``), then one numeric column per indicator.
An empty cell is a missing value.

Metadata (CSV, or the sheet ``meta``): one row per indicator with ``id`` (``iCode``) and
``direction`` (``Direction``: +1 higher is better, -1 higher is worse), optionally ``label``
(``iName``), ``unit``, ``source``, ``period``. For a config built from the metadata alone (no
CONFIG file), add COINr's ``parent`` (``Parent``) and ``weight`` (``Weight``) columns and one row
per group (an id that is no data column), whose ``parent`` is empty at the top.

Everything is checked before any computation and every problem is reported at once, with its
file, line (the CSV line; the header is line 1) and column: missing columns, text in a number
column, duplicate unit codes, unknown or missing directions.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from npvr.errors import DataError, NpvrError, Problem, ValidationError

CODE_COLUMNS = ("code", "uCode")
NAME_COLUMNS = ("name", "uName")
_META_ALIASES = {
    "iCode": "id",
    "iName": "label",
    "Direction": "direction",
    "Parent": "parent",
    "Weight": "weight",
    "Unit": "unit",
    "Source": "source",
    "Period": "period",
}


@dataclass(frozen=True)
class TableIndicator:
    """The slice of a catalogue entry the index engine reads, for a user's indicator."""

    id: str
    label_nl: str
    direction: int
    unit: str = ""
    source: str = ""
    period: int = 0
    numerator: str | None = None
    denominator: str | None = None
    weight: str | None = None
    label_en: str = ""

    def provenance(self, period: int | None = None, lang: str = "nl") -> str:
        src = self.source or "eigen gegevens"
        return ", ".join(p for p in (src, str(period or self.period or ""), self.unit) if p)


@dataclass
class UserTable:
    """A snapshot look-alike for :func:`npvr.index.prepare`: long ``values``, a ``catalogue`` and a
    ``gemeenten`` frame with the unit names (the level is the user's own units)."""

    values: pd.DataFrame
    catalogue: dict[str, TableIndicator]
    gemeenten: pd.DataFrame
    meta: pd.DataFrame
    file: str
    user_table: bool = True
    problems: list[Problem] = field(default_factory=list)

    def config(self, name: str | None = None) -> dict[str, Any]:
        """An index config built from the metadata's ``parent``/``weight`` columns (COINr style)."""
        return config_from_meta(self.meta, name=name or Path(self.file).stem, file=self.file)


def _read(path: Path, sheet: str) -> tuple[pd.DataFrame, str | None]:
    """A sheet of an .xlsx, or a CSV (comma or semicolon), as text cells."""
    if not path.is_file():
        raise DataError(f"bestand '{path}' bestaat niet", en=f"file '{path}' does not exist", file=str(path))
    try:
        if path.suffix.lower() == ".xlsx":
            book = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
            if sheet in book:
                return book[sheet], sheet
            if sheet == "data" and book:
                first = next(iter(book))
                return book[first], first
            raise DataError(
                f"blad '{sheet}' ontbreekt in '{path.name}' (bladen: {', '.join(book)})",
                en=f"sheet '{sheet}' is missing in '{path.name}'",
                file=str(path),
                field=sheet,
            )
        from npvr.yamlio import read_text  # the one reader of user text files (size, encoding)

        text = read_text(path).lstrip("\ufeff")
        head = text.split("\n", 1)[0]
        sep = ";" if head.count(";") > head.count(",") else ","
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False), None
    except (UnicodeDecodeError, ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        if isinstance(exc, NpvrError):
            raise
        raise DataError(
            f"'{path.name}' is geen leesbare CSV/XLSX (UTF-8): {exc}",
            en=f"'{path.name}' is not a readable CSV/XLSX: {exc}",
            file=str(path),
        ) from None


def _number(cell: Any) -> float | None:
    """A float, NaN for an empty cell, None for text (a decimal comma is accepted)."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return np.nan
    s = str(cell).strip()
    if s == "" or s.lower() in ("na", "nan", "."):
        return np.nan
    try:
        v = float(s.replace(",", ".") if s.count(",") == 1 and "." not in s else s)
    except ValueError:
        return None
    return v if np.isfinite(v) else None


def load_table(data: str | Path, meta: str | Path | None = None) -> UserTable:
    """Read and check a units x indicators table and its metadata (same .xlsx when ``meta`` is None)."""
    dpath = Path(data)
    mpath = Path(meta) if meta is not None else dpath
    if meta is None and dpath.suffix.lower() != ".xlsx":
        raise DataError(
            "geef de indicator-metadata mee met --meta FILE.csv (of gebruik een .xlsx met de bladen "
            "'data' en 'meta')",
            en="pass the indicator metadata with --meta FILE.csv (or an .xlsx with sheets 'data' and 'meta')",
            file=str(dpath),
            field="--meta",
        )
    frame, dsheet = _read(dpath, "data")
    mframe, msheet = _read(mpath, "meta")
    problems: list[Problem] = []
    dfile, mfile = str(dpath), str(mpath)

    def bad(
        msg: str,
        en: str,
        *,
        file: str,
        row: int | None = None,
        col: str | None = None,
        sheet: str | None = None,
    ) -> None:
        problems.append(Problem(msg, file=file, row=row, field=col, sheet=sheet, message_en=en))

    # --- metadata --------------------------------------------------------------------------------
    mframe = mframe.rename(columns={k: v for k, v in _META_ALIASES.items() if k in mframe.columns})
    mframe.columns = [str(c).strip() for c in mframe.columns]
    for col in ("id", "direction"):
        if col not in mframe.columns:
            bad(
                f"kolom '{col}' ontbreekt in de metadata",
                f"column '{col}' is missing in the metadata",
                file=mfile,
                row=1,
                col=col,
                sheet=msheet,
            )
    if problems:
        raise ValidationError(problems, file=mfile)
    mframe = mframe.fillna("")
    mframe["id"] = mframe["id"].astype(str).str.strip()
    seen: set[str] = set()
    for i, row in mframe.iterrows():
        line = int(str(i)) + 2
        if not row["id"]:
            bad("lege id", "empty id", file=mfile, row=line, col="id", sheet=msheet)
        elif row["id"] in seen:
            bad(
                f"id '{row['id']}' staat twee keer in de metadata",
                f"duplicate id '{row['id']}'",
                file=mfile,
                row=line,
                col="id",
                sheet=msheet,
            )
        seen.add(row["id"])

    # --- data ------------------------------------------------------------------------------------
    frame.columns = [str(c).strip() for c in frame.columns]
    code_col = next((c for c in CODE_COLUMNS if c in frame.columns), None)
    name_col = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    if code_col is None:
        bad(
            "kolom 'code' (eenheidscode) ontbreekt",
            "column 'code' (unit code) is missing",
            file=dfile,
            row=1,
            col="code",
            sheet=dsheet,
        )
        raise ValidationError(problems, file=dfile)
    frame = frame.fillna("")
    codes = frame[code_col].astype(str).str.strip()
    first_line: dict[str, int] = {}
    for i, c in enumerate(codes):
        line = i + 2
        if not c:
            bad("lege eenheidscode", "empty unit code", file=dfile, row=line, col=code_col, sheet=dsheet)
        elif c in first_line:
            bad(
                f"eenheid '{c}' staat twee keer in de gegevens (ook op regel {first_line[c]})",
                f"unit '{c}' appears twice (also on line {first_line[c]})",
                file=dfile,
                row=line,
                col=code_col,
                sheet=dsheet,
            )
        else:
            first_line[c] = line
    data_cols = [c for c in frame.columns if c not in (code_col, name_col)]
    groups = set(mframe["parent"].astype(str).str.strip()) - {""} if "parent" in mframe.columns else set()
    catalogue: dict[str, TableIndicator] = {}
    for i, row in mframe.iterrows():
        line = int(str(i)) + 2
        iid = row["id"]
        if iid not in data_cols:
            if iid in groups:  # a group row of a COINr-style hierarchy
                continue
            bad(
                f"indicator '{iid}' uit de metadata heeft geen kolom in de gegevens",
                f"indicator '{iid}' from the metadata has no column in the data",
                file=dfile,
                row=1,
                col=iid,
                sheet=dsheet,
            )
            continue
        d = _number(row["direction"])
        if d not in (1.0, -1.0):
            bad(
                f"richting van '{iid}' moet 1 of -1 zijn, niet '{row['direction']}'",
                f"direction of '{iid}' must be 1 or -1, not '{row['direction']}'",
                file=mfile,
                row=line,
                col="direction",
                sheet=msheet,
            )
            continue
        period = _number(row.get("period", ""))
        catalogue[iid] = TableIndicator(
            id=iid,
            label_nl=str(row.get("label") or iid),
            label_en=str(row.get("label") or iid),
            direction=int(d or 0),
            unit=str(row.get("unit", "")),
            source=str(row.get("source", "")),
            period=int(period) if period is not None and not np.isnan(period) else 0,
        )
    for col in data_cols:
        if col not in catalogue and col not in set(mframe["id"]):
            bad(
                f"kolom '{col}' staat niet in de metadata (geef id en direction)",
                f"column '{col}' is not in the metadata",
                file=mfile,
                col=col,
                sheet=msheet,
            )
    rows = []
    for col in [c for c in data_cols if c in catalogue]:
        for i, (code, cell) in enumerate(zip(codes, frame[col], strict=True)):
            v = _number(cell)
            if v is None:
                bad(
                    f"'{cell}' is geen getal",
                    f"'{cell}' is not a number",
                    file=dfile,
                    row=i + 2,
                    col=col,
                    sheet=dsheet,
                )
            elif not np.isnan(v) and code:
                rows.append((code, col, catalogue[col].period, v))
    if problems:
        raise ValidationError(problems, file=dfile)
    values = pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])
    names = frame[name_col].astype(str) if name_col else codes
    units = pd.DataFrame(
        {"name": list(names), "province_code": ""}, index=pd.Index(list(codes), name="gm_code")
    )
    return UserTable(values, catalogue, units, mframe, dfile)


def config_from_meta(meta: pd.DataFrame, *, name: str, file: str) -> dict[str, Any]:
    """A config dict from COINr-style metadata: indicators and groups with ``parent`` and ``weight``.
    Groups whose parent is empty are the top domains; weights are used when every row has one."""
    if "parent" not in meta.columns:
        raise DataError(
            "zonder CONFIG heeft de metadata een kolom 'parent' nodig (de hiërarchie)",
            en="without CONFIG the metadata needs a 'parent' column (the hierarchy)",
            file=file,
            field="parent",
        )
    rows = {r["id"]: r for _, r in meta.iterrows()}
    children: dict[str, list[str]] = {}
    for iid, r in rows.items():
        children.setdefault(str(r["parent"]).strip(), []).append(iid)
    weights = "weight" in meta.columns and all(
        _number(r["weight"]) not in (None,) and str(r["weight"]).strip() for r in rows.values()
    )

    def node(iid: str) -> dict[str, Any]:
        r = rows[iid]
        out: dict[str, Any] = {"id": iid, "label": str(r.get("label") or iid)}
        if weights:
            out["weight"] = float(_number(r["weight"]) or 0.0)
        kids = children.get(iid, [])
        if not kids:
            spec: dict[str, Any] = {"id": iid}
            if weights:
                spec["weight"] = out["weight"]
            return spec
        if all(not children.get(k) for k in kids):
            out["indicators"] = [node(k) for k in kids]
        else:
            out["domains"] = [node(k) for k in kids]
        return out

    tops = children.get("", [])
    return {
        "name": name,
        "level": "gemeente",
        "orientation": "welfare",
        "methods": {"weights": "manual" if weights else "equal"},
        "domains": [node(t) for t in tops],
    }
