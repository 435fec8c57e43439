"""The policy loop: adjustments and their effects, lessons, border obstacles, BRIDGEforEU files.

Stored in the register's database (same migrations, audit trail, SQLite or PostgreSQL)::

    from npvr.loop import open_loop, overdue_files
    loop = open_loop("sqlite:///npvr-register.sqlite", actor="j.jansen")
    loop.add_adjustment("AANP-01", scheme="Vitaliteitsfonds", kind="vaste-voet", change="…",
                        effective_from="2026-01-01", indicators=["aandeel_65plus"],
                        toets_before="oud.yaml", toets_after="nieuw.yaml")
    loop.adjustment_effect("AANP-01")          # the monitor's DiD per target indicator
    overdue_files(loop.bridge_files())         # BRIDGEforEU files past a time limit
"""

from __future__ import annotations

from pathlib import Path

from npvr.loop.bridge import (
    ELEMENTS,
    OUTCOMES,
    STATES,
    TransitionError,
    add_months,
    check_transition,
    due_date,
    file_deadlines,
    load_deadlines,
    overdue_files,
)
from npvr.loop.effects import EffectPanel, effect_panel, timing, toets_pair
from npvr.loop.io import read_workbook, write_workbook
from npvr.loop.models import ADJUSTMENT_KINDS, COUNTRIES, GROUPS, OBSTACLE_KINDS, OBSTACLE_STATUSES
from npvr.loop.obstacles import border_gemeenten_within, people_in
from npvr.loop.service import LoopService
from npvr.register.service import ImportResult

__all__ = [
    "ADJUSTMENT_KINDS",
    "COUNTRIES",
    "ELEMENTS",
    "GROUPS",
    "OBSTACLE_KINDS",
    "OBSTACLE_STATUSES",
    "OUTCOMES",
    "STATES",
    "EffectPanel",
    "LoopService",
    "TransitionError",
    "add_months",
    "border_gemeenten_within",
    "check_transition",
    "due_date",
    "effect_panel",
    "export_file",
    "file_deadlines",
    "import_file",
    "load_deadlines",
    "open_loop",
    "overdue_files",
    "people_in",
    "read_workbook",
    "timing",
    "toets_pair",
    "write_workbook",
]


def open_loop(url: str | None = None, *, actor: str | None = None, origin: str = "api") -> LoopService:
    """Open the policy loop in an initialised register (``npvr register init`` creates it)."""
    return LoopService(url, actor=actor, origin=origin)


def import_file(
    path: str | Path, url: str | None = None, *, actor: str | None = None, origin: str = "api"
) -> ImportResult:
    """Validate a workbook (or CSV folder) as a whole and import it, or nothing."""
    raw = read_workbook(path)
    return open_loop(url, actor=actor, origin=origin).import_loop(raw, file=str(path))


def export_file(out: str | Path, url: str | None = None) -> Path:
    """Export the whole policy loop to an .xlsx workbook or a folder of CSV files (same format as import)."""
    return write_workbook(open_loop(url).export_loop(), out)
