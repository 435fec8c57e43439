"""Template filters: the project's one set of number formats (:mod:`npvr.i18n`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from npvr.i18n import fmt_gap, fmt_money, fmt_num, fmt_pct, fmt_signed


def num(v: Any, lang: str = "nl", decimals: int | None = None) -> str:
    return fmt_num(v, lang, decimals)


def pct(v: Any, lang: str = "nl", decimals: int = 1) -> str:
    """A share (0.123) as a percentage."""
    return fmt_pct(v, lang, decimals)


def money(v: Any, lang: str = "nl") -> str:
    """Exact euros with cents from the register's Decimal strings."""
    if v is None or v == "":
        return "–"
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return str(v)
    return fmt_money(d, lang, 2)


def signed(v: Any, lang: str = "nl", decimals: int | None = None) -> str:
    return fmt_signed(v, lang, decimals)


def gap(row: Any, lang: str = "nl") -> str:
    """A gap with the rest of NL that cannot be misread: percentage points for percentages, else
    the difference in the unit with the relative one in brackets (:func:`npvr.i18n.fmt_gap`)."""
    return fmt_gap(row.get("gap_abs"), row.get("gap_rel"), row.get("unit") or "", lang)


FILTERS = {"gap": gap, "num": num, "pct": pct, "money": money, "signed": signed}
