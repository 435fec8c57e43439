"""The register of regioplannen, measures and multi-year money against the need.

A small public API the CLI, the report and a later web app share::

    from npvr.register import init_register, open_register
    init_register("sqlite:///npvr-register.sqlite")    # create / migrate (Alembic)
    reg = open_register("sqlite:///npvr-register.sqlite", actor="j.jansen")
    reg.create_measure("ACH-01", region="achterhoek", title="…", theme="voorzieningen")
    a = reg.set_amount("ACH-01", year=2026, kind="gepland", source_type="rijk",
                       party="IenW", scheme="Regio Deal", amount="1250000.00")   # version 1
    reg.set_amount("ACH-01", year=2026, kind="gepland", source_type="rijk", party="IenW",
                   scheme="Regio Deal", amount="1300000.00", expected_version=a["version"])
    reg.gap()                                            # need vs money per region/theme/year
    money_table()                                        # need/planned/committed/paid per region, year

Every read returns each record with its ``version``; every change must pass the version it
read (``expected_version``), else :class:`~npvr.errors.ConflictError` — no lost updates.
Themes are the indicator catalogue's (:data:`npvr.data.catalogue.THEMES`), one list.

The URL is ``--db`` / the argument, else ``$NPVR_REGISTER_URL``, else ``./npvr-register.sqlite``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from npvr.register.db import has_register, require_register, resolve_url, upgrade
from npvr.register.gap import GAP_BY, MONEY_BY_REGION_YEAR, compute_gap, gap_columns, money_by_region_year
from npvr.register.io import read_exchange, write_exchange, write_table
from npvr.register.models import AMOUNT_KINDS, GOALS, PLAN_KINDS, PLAN_STATUSES, SOURCE_TYPES, THEMES
from npvr.register.reference import Reference, default_reference
from npvr.register.service import ImportResult, RegisterService

__all__ = [
    "AMOUNT_KINDS",
    "GAP_BY",
    "GOALS",
    "MONEY_BY_REGION_YEAR",
    "PLAN_KINDS",
    "PLAN_STATUSES",
    "SOURCE_TYPES",
    "THEMES",
    "ImportResult",
    "Reference",
    "RegisterService",
    "compute_gap",
    "default_reference",
    "export_file",
    "gap_columns",
    "gap_table",
    "has_register",
    "import_file",
    "init_register",
    "money_by_region_year",
    "money_table",
    "open_register",
    "require_register",
    "resolve_url",
    "write_table",
]


def init_register(url: str | None = None) -> str | None:
    """Create the register (or migrate it to the current schema); returns the schema revision."""
    return upgrade(url)


def open_register(
    url: str | None = None,
    *,
    actor: str | None = None,
    reference: Reference | None = None,
    origin: str = "api",
) -> RegisterService:
    """Open an initialised register; refuses a database without (or with an old) schema."""
    return RegisterService(url, actor=actor, reference=reference, origin=origin)


def import_file(
    path: str | Path,
    url: str | None = None,
    *,
    actor: str | None = None,
    reference: Reference | None = None,
    origin: str = "api",
) -> ImportResult:
    """Validate an .xlsx/.csv file (or folder of CSVs) as a whole and import it, or nothing."""
    raw = read_exchange(path)
    svc = open_register(url, actor=actor, reference=reference, origin=origin)
    return svc.import_rows(raw, file=str(path))


def export_file(out: str | Path, url: str | None = None) -> Path:
    """Export the whole register to an .xlsx workbook or a folder of CSV files.

    Refuses (OutputError) a folder that is not empty and was not made by an earlier export, and
    an existing file that is not an earlier npvr export; such targets are left untouched.
    """
    return write_exchange(open_register(url).export_frames(), out)


def gap_table(url: str | None = None, *, by: Sequence[str] = GAP_BY) -> pd.DataFrame:
    """The gap view for the report: one row per region/theme/year (see :mod:`npvr.register.gap`
    for how a need without a theme meets the money of the themes without a need of their own).

    Columns (see :mod:`npvr.register.gap`): region, theme, year, need, planned, committed, paid,
    gap (= need − committed), gap_planned (= need − planned), coverage (committed/need),
    share_rijk, share_provincie, share_gemeenten, share_eu, share_privaat (shares of planned
    money), schemes (distinct funding schemes), schemes_per_eur_m (schemes per €1 m planned).
    Money columns hold exact ``Decimal`` euros (None where no need is recorded).
    """
    return open_register(url).gap(by=by)


def money_table(url: str | None = None, *, region: str | None = None) -> pd.DataFrame:
    """Need, planned, committed and paid per region and year — the data of a stacked-bar chart.

    Columns: region, year, need, planned, committed, paid (exact ``Decimal`` euros; need None
    where none is recorded), coverage (committed / need, float or None). One row per region and
    year with a need or any money, sorted; ``region`` limits it to one region. For the report
    and the web app; see :func:`npvr.register.gap.money_by_region_year`.
    """
    return open_register(url).money_by_region_year(region)
