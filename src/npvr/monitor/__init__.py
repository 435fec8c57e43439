"""The NPVR monitor: gaps with the rest of NL, trends, inequality and effect monitoring.

Pure computation on long value tables; faces (CLI, report) call these and render.
"""

from __future__ import annotations

from npvr.monitor.effect import PROGRAMME_START, Matching, did, did_table, first_measurement, match
from npvr.monitor.gaps import NL, NPVR, REST, gap_table, group_values, latest, unit_memberships
from npvr.monitor.inequality import (
    MEASURES,
    Decomposition,
    bootstrap,
    decompose,
    gini,
    sigma_convergence,
    theil_l,
    theil_t,
)
from npvr.monitor.scorecard import (
    RULE,
    THRESHOLD,
    gap_changes,
    gemeente_spread,
    largest_gaps,
    scorecard,
    trend_statement,
)
from npvr.monitor.trends import series, trend_table

__all__ = [
    "MEASURES",
    "NL",
    "NPVR",
    "PROGRAMME_START",
    "REST",
    "RULE",
    "THRESHOLD",
    "Decomposition",
    "Matching",
    "bootstrap",
    "decompose",
    "did",
    "did_table",
    "first_measurement",
    "gap_changes",
    "gap_table",
    "gemeente_spread",
    "gini",
    "group_values",
    "largest_gaps",
    "latest",
    "match",
    "scorecard",
    "series",
    "sigma_convergence",
    "theil_l",
    "theil_t",
    "trend_statement",
    "trend_table",
    "unit_memberships",
]
