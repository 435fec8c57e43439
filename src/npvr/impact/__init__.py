"""Uitvoeringstoets: the regional impact of a policy (keys, thresholds, exposure × sensitivity)."""

from npvr.impact.compare import Comparison, compare
from npvr.impact.inputs import GemeenteData
from npvr.impact.keys import allocate, largest_remainder, phase_in
from npvr.impact.policy import ExposurePolicy, FundPolicy, SubsidyPolicy, load_policy
from npvr.impact.run import ToetsResult, run_policy, toets
from npvr.impact.scalebias import Elasticity, elasticity

__all__ = [
    "Comparison",
    "Elasticity",
    "ExposurePolicy",
    "FundPolicy",
    "GemeenteData",
    "SubsidyPolicy",
    "ToetsResult",
    "allocate",
    "compare",
    "elasticity",
    "largest_remainder",
    "load_policy",
    "phase_in",
    "run_policy",
    "toets",
]
