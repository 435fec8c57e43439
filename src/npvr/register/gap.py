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

How the need and the money meet on the same rows. The need is user input per region, year
and either per theme or without a theme (theme ""); money comes from measures, each of which has
a theme. A need without a theme stands for the region's *other* themes together: every theme
that has no need row of its own in that region and year (all themes when there is none per
theme). So, per region and year, an amount is set against

* the need of its own theme, when the region has a need row for that theme in that year;
* else the need without a theme (its row shows theme ""), when there is one;
* else no need (a row of its own with need None).

Every view is built from these cells, so the totals per region, per year or overall are the
same whichever ``by`` is chosen, no euro is counted twice, and the default view (region, theme,
year) shows the coverage of a need recorded per region (theme "") instead of 0 %.
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


def _need_theme(row: Any, need_cells: set[tuple[Any, Any, Any]]) -> str:
    """The theme of the need an amount is set against (see the module docstring)."""
    if (row.region, row.theme, row.year) in need_cells:
        return str(row.theme)
    if (row.region, "", row.year) in need_cells:
        return ""
    return str(row.theme)


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
    need_cells: set[tuple[Any, Any, Any]] = set()  # (region, theme, year) with a need row
    for row in need.itertuples(index=False):
        theme = row.theme or ""
        need_cells.add((row.region, theme, row.year))
        cell = {"region": row.region, "theme": theme, "year": row.year}
        need_c[tuple(cell[k] for k in by)] += _cents(row.amount)
    money: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_type: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    schemes: dict[tuple[Any, ...], set[tuple[str, str, str]]] = defaultdict(set)
    for row in amounts.itertuples(index=False):
        cell = {"region": row.region, "theme": _need_theme(row, need_cells), "year": row.year}
        key = tuple(cell[k] for k in by)
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


#: Columns of :func:`money_by_region_year`.
MONEY_BY_REGION_YEAR = ("region", "year", "need", "planned", "committed", "paid", "coverage")


def money_by_region_year(
    need: pd.DataFrame, amounts: pd.DataFrame, *, region: str | None = None
) -> pd.DataFrame:
    """Need, planned, committed and paid per region and year: the data of a stacked-bar chart.

    One row per region and year that has a need or any money, sorted by region and year;
    ``need``/``planned``/``committed``/``paid`` are exact Decimal euros (``need`` None where no
    need is recorded), ``coverage`` = committed / need (None without need). ``region`` limits
    the result to one region. The totals equal those of :func:`compute_gap` for any ``by``.
    """
    if region is not None:
        need = need[need["region"] == region]
        amounts = amounts[amounts["region"] == region]
    df = compute_gap(need, amounts, by=("region", "year"))
    return df[list(MONEY_BY_REGION_YEAR)].reset_index(drop=True)
