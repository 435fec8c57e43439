"""Rendering helpers shared by every CLI face: tables for people, JSON for machines."""

from __future__ import annotations

import json
import math
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


def emit_table(df: pd.DataFrame, *, title: str | None = None) -> None:
    """Print a frame as a readable table for people."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in df.columns:
        table.add_column(str(col))
    for row in df.itertuples(index=False):
        table.add_row(*("" if (isinstance(v, float) and math.isnan(v)) else _fmt(v) for v in row))
    Console(width=200).print(table)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if v.is_integer() and abs(v) >= 1000:
            return f"{v:,.0f}".replace(",", ".")
        return f"{v:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v))
    return str(v)
