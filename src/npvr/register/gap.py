"""The gap view: the need against the money planned, committed and paid.

Pure computation over two long frames (need rows and amount rows, as returned by
:class:`~npvr.register.service.RegisterService`); sums are done in whole cents (exact).

Columns of the result (one row per combination of the ``by`` keys, default region, theme, year;
the union of cells that have a need or any amount):

=================  ==========================================================================
need               estimated need (Decimal €; None when no need is recorded for the cell)
planned            sum of amounts of kind ``gepland`` (Decimal €)
committed          sum of amounts of kind ``toegezegd`` (Decimal €)
paid               sum of amounts of kind ``betaald`` (Decimal €)
gap                need − committed: the part of the need no money is committed to yet
                   (Decimal €; negative = more committed than needed; None without need)
gap_planned        need − planned: the part of the need not even planned (Decimal €)
coverage           committed / need (float; NaN without need or when need is 0)
share_<type>       share of the *planned* money from each funding source type (rijk, provincie,
                   gemeenten, eu, privaat); floats summing to 1; NaN when nothing is planned
schemes            number of separate funding schemes in the planned money: distinct
                   (source type, party, scheme) with a planned amount > 0
schemes_per_eur_m  fragmentation = schemes per €1 million planned (schemes / planned × 10⁶);
                   higher = the same money comes through more separate schemes (less
                   *ontschot*); NaN when nothing is planned
=================  ==========================================================================

A need recorded without a theme ("" = all themes) keeps theme "" in a by-theme view; group by
``("region", "year")`` to set such a need against all the region's measures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from npvr.register.models import SOURCE_TYPES

GAP_BY: tuple[str, ...] = ("region", "theme", "year")
GAP_KEYS: tuple[str, ...] = ("region", "theme", "year")
MONEY_COLUMNS = ("need", "planned", "committed", "paid", "gap", "gap_planned")
KIND_COLUMN = {"gepland": "planned", "toegezegd": "committed", "betaald": "paid"}


def gap_columns(by: Sequence[str] = GAP_BY) -> list[str]:
    """The columns of :func:`compute_gap`'s result, in order."""
    return [
        *by,
        *MONEY_COLUMNS,
        "coverage",
        *(f"share_{t}" for t in SOURCE_TYPES),
        "schemes",
        "schemes_per_eur_m",
    ]


def _cents(d: Decimal) -> int:
    return int(Decimal(d).scaleb(2))


def _eur(c: int) -> Decimal:
    return Decimal(c).scaleb(-2).quantize(Decimal("0.01"))


def compute_gap(need: pd.DataFrame, amounts: pd.DataFrame, *, by: Sequence[str] = GAP_BY) -> pd.DataFrame:
    """Need vs. money per cell of ``by`` (any non-empty subset of region, theme, year)."""
    by = tuple(by)
    bad = [k for k in by if k not in GAP_KEYS] or ([] if by else ["(leeg)"])
    if bad:
        from npvr.errors import ConfigError

        raise ConfigError(
            f"kan niet groeperen op {', '.join(bad)}; kies uit {', '.join(GAP_KEYS)}",
            en=f"cannot group by {', '.join(bad)}; choose from {', '.join(GAP_KEYS)}",
            field="--by",
        )
    need_c: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in need.itertuples(index=False):
        need_c[tuple(getattr(row, k) for k in by)] += _cents(row.amount)
    money: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_type: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    schemes: dict[tuple[Any, ...], set[tuple[str, str, str]]] = defaultdict(set)
    for row in amounts.itertuples(index=False):
        key = tuple(getattr(row, k) for k in by)
        c = _cents(row.amount)
        money[key][KIND_COLUMN[row.kind]] += c
        if row.kind == "gepland":
            by_type[key][row.source_type] += c
            if c > 0:
                schemes[key].add((row.source_type, row.party or "", row.scheme or ""))
    rows = []
    for key in sorted(set(need_c) | set(money), key=lambda k: tuple(str(x) for x in k)):
        m = money.get(key, {})
        planned, committed, paid = m.get("planned", 0), m.get("committed", 0), m.get("paid", 0)
        n = need_c.get(key)
        rec: dict[str, Any] = dict(zip(by, key, strict=True))
        rec.update(
            need=_eur(n) if n is not None else None,
            planned=_eur(planned),
            committed=_eur(committed),
            paid=_eur(paid),
            gap=_eur(n - committed) if n is not None else None,
            gap_planned=_eur(n - planned) if n is not None else None,
            coverage=(committed / n) if n else None,
        )
        for t in SOURCE_TYPES:
            rec[f"share_{t}"] = by_type[key].get(t, 0) / planned if planned else None
        k = len(schemes.get(key, ()))
        rec["schemes"] = k
        rec["schemes_per_eur_m"] = k / (planned / 100 / 1e6) if planned else None
        rows.append(rec)
    return pd.DataFrame(rows, columns=gap_columns(by))
