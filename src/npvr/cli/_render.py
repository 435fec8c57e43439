"""Rendering helpers shared by every CLI face: tables for people, JSON for machines."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import pandas as pd
import typer


def to_jsonable(obj: Any) -> Any:
    """Turn library results (frames, dataclasses, numpy scalars) into plain JSON values."""
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "model_dump"):
        return to_jsonable(obj.model_dump())
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(obj, k)) for k in obj.__dataclass_fields__}
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if isinstance(obj, str | int | float | bool) or obj is None:
        return obj
    return str(obj)


def emit_json(obj: Any) -> None:
    """Print a library result as JSON (the machine twin of every command)."""
    typer.echo(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2))


def emit_table(df: pd.DataFrame, *, title: str | None = None, lang: str = "nl") -> None:
    """Print a frame as a readable table for people (numbers written the reader's way, via npvr.i18n)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in df.columns:
        table.add_column(_header(col, lang))
    for row in df.itertuples(index=False):
        table.add_row(*("" if (isinstance(v, float) and math.isnan(v)) else _fmt(v, lang) for v in row))
    Console(width=200).print(table)


# Column keys whose people's name differs on the command line from the report's (where "level" is an
# interval's confidence level); everything else comes from npvr.i18n.column.
_CLI_HEADERS = {"level": {"nl": "niveau", "en": "level"}}


def _header(key: Any, lang: str) -> str:
    """People's name for a column key in the reader's language (the key itself for a year or an id)."""
    from npvr.i18n import column

    own = _CLI_HEADERS.get(str(key))
    return own[lang] if own else column(key, lang)


def _fmt(v: Any, lang: str = "nl") -> str:
    from npvr.i18n import fmt_num

    if isinstance(v, float | Decimal) and not isinstance(v, bool):
        whole = float(v).is_integer() and abs(float(v)) >= 1000
        return fmt_num(v, lang, 0 if whole else 2)
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v))
    return str(v)
