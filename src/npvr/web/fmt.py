"""Number formats for the pages (Dutch: 1.234,5; English: 1,234.5), on the report's formatter."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from npvr.report.i18n import fmt_num, fmt_pct


def num(v: Any, lang: str = "nl", decimals: int | None = None) -> str:
    if v is None or v == "":
        return "–"
    return fmt_num(float(v), lang, decimals)


def pct(v: Any, lang: str = "nl", decimals: int = 1) -> str:
    """A share (0.123) as a percentage."""
    if v is None or v == "":
        return "–"
    return fmt_pct(float(v), lang, decimals)


def money(v: Any, lang: str = "nl") -> str:
    """Exact euros with cents from the register's Decimal strings."""
    if v is None or v == "":
        return "–"
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return str(v)
    s = f"{d:,.2f}"
    if lang == "nl":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {s}"


def signed(v: Any, lang: str = "nl", decimals: int | None = None) -> str:
    if v is None:
        return "–"
    s = fmt_num(float(v), lang, decimals)
    return s if float(v) < 0 else f"+{s}"


FILTERS = {"num": num, "pct": pct, "money": money, "signed": signed}
