"""The policy file (YAML) of an uitvoeringstoets, declared once as pydantic models.

Three kinds of policy:

* ``fund`` — a budget divided over gemeenten by a distribution key (verdeelsleutel): measures with
  weights, optional floors and caps per gemeente, optional baseline key and phase-in path.
* ``subsidy`` — a scheme with a minimum project size (and optionally a minimum applicant size),
  co-financing and a documented capacity model of the project size a gemeente can carry.
* ``exposure`` — a policy that is not money: exposure per gemeente (from data and/or expert
  scores) times regional sensitivity.

Messages in validators are ``"Dutch || English"``; :mod:`npvr.yamlio` splits them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from npvr.impact.measures import MEASURES, measure_names
from npvr.validation import MAX_ABS, MAX_EURO, Finite, NonNegative
from npvr.yamlio import SourceMap, read_yaml, validate_model

THRESHOLD_UNITS = {"min_project_size": "euro", "min_applicant_size": "inwoners"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeasureSpec(_Strict):
    """One measure of a key; ``indicator`` names a catalogue indicator when measure is 'indicator'."""

    measure: str
    indicator: str | None = None
    weight: float | None = Field(default=None, ge=0, le=MAX_ABS, allow_inf_nan=False)

    @field_validator("measure")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in MEASURES:
            names = ", ".join(measure_names())
            raise ValueError(
                f"onbekende maatstaf '{v}'; kies uit {names} || unknown measure '{v}'; choose from {names}"
            )
        return v

    @model_validator(mode="after")
    def _indicator(self) -> MeasureSpec:
        if self.measure == "indicator" and not self.indicator:
            raise ValueError(
                "@indicator maatstaf 'indicator' vraagt ook 'indicator: <id uit de catalogus>'"
                " || measure 'indicator' also needs 'indicator: <catalogue id>'"
            )
        if self.measure != "indicator" and self.indicator:
            raise ValueError(
                "'indicator' hoort alleen bij maatstaf 'indicator' || 'indicator' only goes with measure"
                " 'indicator'"
            )
        return self

    @property
    def key(self) -> str:
        """Column label of this measure in results (the indicator id for catalogue measures)."""
        return f"indicator:{self.indicator}" if self.measure == "indicator" else self.measure


class Bound(_Strict):
    """A floor or cap per gemeente: in euros, or in euros per inwoner (exactly one)."""

    euro: float | None = Field(default=None, ge=0, le=MAX_EURO, allow_inf_nan=False)
    per_inwoner: float | None = Field(default=None, ge=0, le=MAX_EURO, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one(self) -> Bound:
        if (self.euro is None) == (self.per_inwoner is None):
            raise ValueError(
                "geef precies één van 'euro' of 'per_inwoner' || give exactly one of 'euro' or 'per_inwoner'"
            )
        return self


class KeySpec(_Strict):
    """A distribution key: measures, their budget weights, optional floor and cap."""

    measures: list[MeasureSpec] = Field(min_length=1)
    weights: list[NonNegative] | None = None
    floor: Bound | None = None
    cap: Bound | None = None

    @field_validator("measures", mode="before")
    @classmethod
    def _as_specs(cls, v: object) -> object:
        if isinstance(v, list):
            return [{"measure": m} if isinstance(m, str) else m for m in v]
        return v

    @model_validator(mode="after")
    def _weights(self) -> KeySpec:
        specs = self.specs_raw()
        inline = [m.weight for m in specs]
        if self.weights is not None:
            if len(self.weights) != len(specs):
                raise ValueError(
                    f"@weights 'weights' heeft {len(self.weights)} getallen"
                    f" maar er zijn {len(specs)} maatstaven"
                    f" || 'weights' has {len(self.weights)} numbers but there are {len(specs)} measures"
                )
            if any(w is not None for w in inline):
                raise ValueError(
                    "@weights geef gewichten óf in 'weights' óf per maatstaf, niet allebei"
                    " || give weights either in 'weights' or per measure, not both"
                )
        elif any(w is None for w in inline) and len(specs) > 1:
            raise ValueError(
                "@weights bij meer dan één maatstaf is een gewicht per maatstaf nodig ('weights')"
                " || with more than one measure each needs a weight ('weights')"
            )
        if sum(self.weight_list()) <= 0:
            raise ValueError("@weights de gewichten tellen op tot 0 || the weights add up to 0")
        keys = [m.key for m in specs]
        if len(set(keys)) != len(keys):
            raise ValueError("@measures een maatstaf staat dubbel in de lijst || a measure is listed twice")
        return self

    def specs_raw(self) -> list[MeasureSpec]:
        return list(self.measures)

    def weight_list(self) -> list[float]:
        """Raw weights in measure order (1.0 for a single measure without a weight)."""
        if self.weights is not None:
            return list(self.weights)
        return [1.0 if m.weight is None else m.weight for m in self.specs_raw()]

    def specs(self) -> list[tuple[MeasureSpec, Decimal]]:
        """Measures with weights normalised to budget shares that sum to exactly 1 (as Decimal)."""
        raw = [Decimal(str(w)) for w in self.weight_list()]
        total = sum(raw)
        return [(m, w / total) for m, w in zip(self.specs_raw(), raw, strict=True)]


class PhaseIn(_Strict):
    """Ingroeipad: from the baseline key to the new key, at most this change per inwoner per year."""

    max_change_per_inwoner: float = Field(gt=0, le=MAX_EURO, allow_inf_nan=False)
    applies_to: Literal["both", "losses"] = "both"  # "losses": only a nadeel is limited
    start_year: int = Field(default=2026, ge=1900, le=2200)
    max_years: int = Field(default=20, ge=1, le=100)


class NeedSpec(_Strict):
    """What 'need' means: the index engine's deprivation index, or one catalogue indicator."""

    source: Literal["index", "indicator"] = "index"
    indicator: str | None = None
    index_config: str | None = None
    weigh_by_population: bool = True

    @model_validator(mode="after")
    def _ind(self) -> NeedSpec:
        if self.source == "indicator" and not self.indicator:
            raise ValueError(
                "@indicator behoefte uit een indicator vraagt 'indicator: <id>'"
                " || need from an indicator needs 'indicator: <id>'"
            )
        return self


class VerdictSpec(_Strict):
    """How a region's verdict is decided: the ratio of budget share to reference share vs 1 ± band."""

    neutral_band: float = Field(default=0.05, ge=0, lt=1)
    basis: Literal["need", "population", "baseline"] = "need"


class _PolicyBase(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    period: int | None = Field(default=None, ge=1900, le=2200)
    regions: str | None = None
    need: NeedSpec = NeedSpec()
    verdict: VerdictSpec = VerdictSpec()


def _check_budget(v: float) -> float:
    if Decimal(str(v)) != Decimal(str(v)).quantize(Decimal("0.01")):
        raise ValueError("het budget moet in hele centen zijn || the budget must be in whole cents")
    return v


class FundPolicy(_PolicyBase, KeySpec):
    """A budget divided by a distribution key, optionally phased in from a baseline key."""

    kind: Literal["fund"]
    budget: float = Field(ge=0, le=MAX_EURO, allow_inf_nan=False)
    baseline: KeySpec | None = None
    phase_in: PhaseIn | None = None

    @field_validator("budget")
    @classmethod
    def _cents(cls, v: float) -> float:
        return _check_budget(v)

    @model_validator(mode="after")
    def _phase(self) -> FundPolicy:
        if self.phase_in is not None and self.baseline is None:
            raise ValueError(
                "@phase_in een ingroeipad ('phase_in') vraagt een uitgangssituatie ('baseline')"
                " || a phase-in ('phase_in') needs a 'baseline'"
            )
        return self


class Threshold(_Strict):
    """A threshold with its unit, so a number in the wrong unit is caught, not silently used."""

    value: float = Field(ge=0, le=MAX_EURO, allow_inf_nan=False)
    unit: str


class CapacityModel(_Strict):
    """The project size a gemeente can carry.

    ``per_inwoner``: the gemeente can put up ``euro_per_inwoner`` × inwoners of own money; with a
    co-financing share c its largest project is that amount / c (the subsidy pays the rest).
    """

    model: Literal["per_inwoner"] = "per_inwoner"
    euro_per_inwoner: float = Field(gt=0, le=MAX_EURO, allow_inf_nan=False)


class Eligibility(_Strict):
    """Which gemeenten may apply (all by default)."""

    border_only: bool = False
    provinces: list[str] | None = None
    npvr_only: bool = False


class SubsidyPolicy(_PolicyBase):
    """A subsidy scheme with a minimum project size (ondergrens) and co-financing."""

    kind: Literal["subsidy"]
    budget: float = Field(ge=0, le=MAX_EURO, allow_inf_nan=False)
    min_project_size: Threshold
    min_applicant_size: Threshold | None = None
    cofinancing_pct: float = Field(gt=0, le=100)
    capacity: CapacityModel
    eligibility: Eligibility = Eligibility()

    @field_validator("budget")
    @classmethod
    def _cents(cls, v: float) -> float:
        return _check_budget(v)

    @field_validator("min_project_size", "min_applicant_size")
    @classmethod
    def _unit(cls, v: Threshold | None, info: object) -> Threshold | None:
        name = getattr(info, "field_name", "")
        want = THRESHOLD_UNITS[name]
        if v is not None and v.unit != want:
            raise ValueError(
                f"'{name}' moet in '{want}' (gegeven: '{v.unit}')"
                f" || '{name}' must be in '{want}' (given: '{v.unit}')"
            )
        return v


class ExposureItem(_Strict):
    """One data source of exposure, normalised to 0..1 over the gemeenten."""

    source: Literal["share", "border", "indicator"]
    measure: str | None = None  # for 'share': numerator measure over inwoners (e.g. inwoners_65plus)
    indicator: str | None = None
    border: Literal["belgium", "germany", "any"] = "any"
    weight: float = Field(default=1.0, ge=0, le=MAX_ABS, allow_inf_nan=False)

    @model_validator(mode="after")
    def _fields(self) -> ExposureItem:
        if self.source == "share" and (self.measure not in MEASURES or MEASURES[self.measure].column is None):
            raise ValueError(
                "@measure 'share' vraagt 'measure' met een telling (bv. inwoners_65plus)"
                " || 'share' needs 'measure' naming a count (e.g. inwoners_65plus)"
            )
        if self.source == "indicator" and not self.indicator:
            raise ValueError("@indicator 'indicator' vraagt een id || 'indicator' needs an id")
        return self


class SensitivityItem(_Strict):
    """A sensitivity indicator; direction +1 means a higher value makes a gemeente more sensitive."""

    indicator: str | None = None
    measure: str | None = None  # a share of inwoners (e.g. inwoners_65plus)
    direction: Literal[1, -1] = 1
    weight: float = Field(default=1.0, ge=0, le=MAX_ABS, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one(self) -> SensitivityItem:
        if (self.indicator is None) == (self.measure is None):
            raise ValueError(
                "geef precies één van 'indicator' of 'measure'"
                " || give exactly one of 'indicator' or 'measure'"
            )
        if self.measure is not None and (
            self.measure not in MEASURES or MEASURES[self.measure].column is None
        ):
            raise ValueError(f"onbekende maatstaf '{self.measure}' || unknown measure '{self.measure}'")
        return self


class ExposurePolicy(_PolicyBase):
    """A policy that is not money: exposure × sensitivity (ESPON TIA quick-check style)."""

    kind: Literal["exposure"]
    effect: Literal["negative", "positive"] = "negative"
    exposure: list[ExposureItem] = Field(default_factory=list)
    experts: dict[str, dict[str, Finite]] | None = None
    expert_scale: float = Field(default=3.0, gt=0, le=MAX_ABS, allow_inf_nan=False)
    expert_weight: float = Field(default=0.5, ge=0, le=1)
    sensitivity: list[SensitivityItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _something(self) -> ExposurePolicy:
        if not self.exposure and not self.experts:
            raise ValueError(
                "@exposure geef blootstelling uit data ('exposure') of van experts ('experts')"
                " || give exposure from data ('exposure') or from experts ('experts')"
            )
        for expert, scores in (self.experts or {}).items():
            for area, s in scores.items():
                if not 0 <= s <= self.expert_scale:
                    raise ValueError(
                        f"@experts score {s} van expert '{expert}' voor '{area}'"
                        f" ligt buiten 0..{self.expert_scale}"
                        f" || score {s} by expert '{expert}' for '{area}' is outside 0..{self.expert_scale}"
                    )
        return self


Policy = FundPolicy | SubsidyPolicy | ExposurePolicy
_KINDS: dict[str, type[BaseModel]] = {
    "fund": FundPolicy,
    "subsidy": SubsidyPolicy,
    "exposure": ExposurePolicy,
}


def load_policy(path: str | Path) -> tuple[Policy, SourceMap]:
    """Read a policy YAML; any problem -> ConfigError naming the file, line and field."""
    data, source = read_yaml(path)
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in _KINDS:
        loc = ("kind",) if isinstance(data, dict) and "kind" in data else ()
        raise source.error(
            f"'kind' moet een van {', '.join(_KINDS)} zijn (gegeven: {kind!r})",
            en=f"'kind' must be one of {', '.join(_KINDS)} (given: {kind!r})",
            loc=loc,
        )
    policy = validate_model(source, _KINDS[kind])
    return cast(Policy, policy), source
