"""Composite indices: build, uncertainty, sensitivity, quartiles and per-region texts.

Public entry points (see each module's docstring for the returned columns)::

    from npvr.index import build_index, uncertainty, sensitivity, quartiles
    res = build_index()                         # the shipped default deprivation index, gemeenten
    unc = uncertainty(None, draws=10_000, seed=0, select_k=11, level="corop")
"""

from __future__ import annotations

from npvr.index.aggregate import AGGREGATORS
from npvr.index.audit import AuditResult, audit, export_steps, steps
from npvr.index.config import IndexConfig, load_config
from npvr.index.explain import npvr_region_texts, unit_texts
from npvr.index.impute import IMPUTERS
from npvr.index.normalise import NORMALISERS
from npvr.index.outliers import OUTLIERS
from npvr.index.pipeline import IndexResult, Prepared, build_index, build_prepared, prepare, whatif
from npvr.index.quartiles import QuartileResult, Scorecard, quartiles, scorecard
from npvr.index.selection import SelectionReport, leave_one_out_ranks, selection_report
from npvr.index.sensitivity import SensitivityResult, sensitivity
from npvr.index.table import UserTable, load_table
from npvr.index.uncertainty import UncertaintyResult, uncertainty
from npvr.index.weights import WEIGHTS

REGISTRIES = {
    "imputation": IMPUTERS,
    "outliers": OUTLIERS,
    "normalisation": NORMALISERS,
    "aggregation": AGGREGATORS,
    "weights": WEIGHTS,
}

__all__ = [
    "REGISTRIES",
    "AuditResult",
    "IndexConfig",
    "IndexResult",
    "Prepared",
    "QuartileResult",
    "Scorecard",
    "SelectionReport",
    "SensitivityResult",
    "UncertaintyResult",
    "UserTable",
    "audit",
    "build_index",
    "build_prepared",
    "export_steps",
    "leave_one_out_ranks",
    "load_config",
    "load_table",
    "npvr_region_texts",
    "prepare",
    "quartiles",
    "scorecard",
    "selection_report",
    "sensitivity",
    "steps",
    "uncertainty",
    "unit_texts",
    "whatif",
]
