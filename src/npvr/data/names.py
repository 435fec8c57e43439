"""Matching gemeente names across CBS exports that identify areas by name only."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

_GEMEENTE = re.compile(r"\s*\(gemeente\)\s*$", re.IGNORECASE)
_PROVINCE = re.compile(r"\s*\([a-z]{1,2}\.\)\s*$", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """A key that survives StatLine's spelling quirks.

    Drops a trailing '(gemeente)', apostrophes, accents, full stops versus commas, case and repeated
    spaces: ``'s-Gravenhage (gemeente)`` and ``s-Gravenhage`` give the same key. A province suffix
    such as '(L.)' is kept, because it tells Bergen (L.) from Bergen (NH.).
    """
    n = _GEMEENTE.sub("", str(name).strip())
    n = unicodedata.normalize("NFKD", n)
    n = "".join(ch for ch in n if not unicodedata.combining(ch))
    n = n.lower().replace("'", "").replace("’", "").replace(".", ",")
    return re.sub(r"[\s,]+", " ", n).strip()


def base_name(name: str) -> str:
    """The normalised name without a province suffix ('Hengelo (O.)' -> 'hengelo')."""
    return normalise_name(_PROVINCE.sub("", _GEMEENTE.sub("", str(name).strip())))


def name_matcher(names_by_code: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """A function name -> code: exact normalised match first, then a unique match without suffix."""
    full = {normalise_name(n): c for c, n in names_by_code.items()}
    counts = Counter(base_name(n) for n in names_by_code.values())
    bare = {base_name(n): c for c, n in names_by_code.items() if counts[base_name(n)] == 1}

    def match(name: str) -> str | None:
        return full.get(normalise_name(name)) or bare.get(base_name(name))

    return match
