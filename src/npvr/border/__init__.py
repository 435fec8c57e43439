"""Grenseffectentoets: the government's step plan as a form, with measured border exposure."""

from npvr.border.exposure import border_exposure, border_gemeenten
from npvr.border.form import GrensForm, load_form
from npvr.border.toets import GrensResult, grenstoets, run_grenstoets

__all__ = [
    "GrensForm",
    "GrensResult",
    "border_exposure",
    "border_gemeenten",
    "grenstoets",
    "load_form",
    "run_grenstoets",
]
