"""Matching gemeente names across CBS exports that identify areas by name only.

StatLine exports write ``'s-Gravenhage (gemeente)`` or ``s-Gravenhage``, ``Nuenen. Gerwen`` or
``Nuenen, Gerwen``, ``Sûdwest Fryslân`` or ``Súdwest-Fryslân``, ``Hengelo`` or ``Hengelo (O.)``.
Matching folds case, diacritics, apostrophes and punctuation; then, only where that leaves one
candidate, drops a ``(gemeente)`` or province suffix on both sides (``Bergen (L.)`` and
``Bergen (NH.)`` stay apart).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

_SUFFIX = re.compile(r"\s*\((?:gemeente|[a-z]{1,3}\.?)\)\s*$", re.IGNORECASE)


def fold(name: str) -> str:
    """Fold a name for comparison: no case, diacritics, apostrophes or punctuation."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii").lower()
    s = s.replace("'", "").replace("’", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def fold_bare(name: str) -> str:
    """As :func:`fold`, and also without a ``(gemeente)`` or province suffix such as ``(L.)``."""
    return fold(_SUFFIX.sub("", str(name).strip()))


def name_matcher(names_by_code: Mapping[str, str]) -> Callable[[str], str | None]:
    """A function name -> code: the folded name first, then the bare name; ambiguous keys match nothing."""
    full: dict[str, str | None] = {}
    bare: dict[str, str | None] = {}
    for code, name in names_by_code.items():
        for table, key in ((full, fold(name)), (bare, fold_bare(name))):
            table[key] = code if table.get(key, code) == code else None

    def match(name: str) -> str | None:
        code = full.get(fold(name))
        return code if code is not None else bare.get(fold_bare(name))

    return match
