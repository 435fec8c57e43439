"""The grenseffectentoets as a structured form (pydantic), following the government's step plan.

Steps: (1) does the proposal touch the free movement of persons, goods, services or capital;
(2) does it create a new difference with Belgium or Germany; (3) which border gemeenten and NPVR
regions (filled in from the areas data, not by the author); (4) which groups; (5) who was
consulted; (6) mitigation or an alternative. Each answer is yes/no with an explanation, so an empty
"yes" is caught at load time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from npvr.yamlio import SourceMap, load_model

Text = Annotated[str, Field(max_length=20_000)]
"""Free text in a form: long enough for any explanation, bounded so a report stays readable."""
Name = Annotated[str, Field(min_length=1, max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Strict):
    """Yes/no with an explanation; a 'yes' without explanation is refused."""

    affected: bool
    explanation: Text = ""

    @model_validator(mode="after")
    def _explained(self) -> Answer:
        if self.affected and not self.explanation.strip():
            raise ValueError(
                "@explanation bij 'affected: true' hoort een toelichting"
                " || 'affected: true' needs an explanation"
            )
        return self


class FreeMovement(_Strict):
    persons: Answer
    goods: Answer
    services: Answer
    capital: Answer


class NewDifference(_Strict):
    belgium: Answer
    germany: Answer


class Groups(_Strict):
    cross_border_workers: Answer
    residents: Answer
    businesses: Answer
    public_services: Answer


class Consultation(_Strict):
    party: Name
    date: dt.date | Name | None = None  # YAML reads 2025-03-01 as a date; free text is allowed too
    summary: Text = ""


class GrensForm(_Strict):
    """A filled grenseffectentoets form."""

    title: Name
    proposal: Annotated[str, Field(min_length=1, max_length=20_000)]
    department: Text = ""
    borders: list[Literal["belgium", "germany"]] | None = None  # None: follow new_difference, else both
    free_movement: FreeMovement
    new_difference: NewDifference
    groups: Groups
    consulted: list[Consultation] = Field(default_factory=list)
    mitigation: Text = ""
    alternatives: Text = ""
    regions: Text | None = None

    def borders_in_scope(self) -> list[str]:
        """The borders whose gemeenten are affected: as given, else those with a new difference."""
        if self.borders:
            return list(self.borders)
        named = [b for b in ("belgium", "germany") if getattr(self.new_difference, b).affected]
        return named or ["belgium", "germany"]


def load_form(path: str | Path) -> tuple[GrensForm, SourceMap]:
    """Read a grenseffectentoets YAML; problems -> ConfigError naming file, line and field."""
    return load_model(path, GrensForm)
