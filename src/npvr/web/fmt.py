"""Template filters: the project's one set of number formats (:mod:`npvr.i18n`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from npvr.i18n import fmt_money, fmt_num, fmt_pct, fmt_signed


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


FILTERS = {"num": num, "pct": pct, "money": money, "signed": signed}
