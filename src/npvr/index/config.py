"""The index config: pydantic models for the YAML, declared once, with errors that name the field
and the YAML line.

A config says which indicators (grouped in domains) make the index, the direction of each (default:
the catalogue's), weights, the nominal method choices, and which alternative choices the
uncertainty analysis draws from. Method names are checked against the registries, so a new method
is valid in a config the moment it registers itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from npvr.errors import ConfigError, Problem
from npvr.index.aggregate import AGGREGATORS
from npvr.index.impute import IMPUTERS
from npvr.index.normalise import NORMALISERS
from npvr.index.outliers import OUTLIERS
from npvr.index.registry import Registry
from npvr.index.weights import WEIGHTS
from npvr.yamlio import YamlDoc, field_name, parse_yaml, read_text

LEVELS = ("gemeente", "corop", "provincie", "npvr", "wijk")

_FAMILY: dict[str, Registry] = {
    "imputation": IMPUTERS,
    "outliers": OUTLIERS,
    "normalisation": NORMALISERS,
    "aggregation": AGGREGATORS,
    "domain_aggregation": AGGREGATORS,
    "weights": WEIGHTS,
}


def _check_method(field: str, name: str) -> str:
    reg = _FAMILY[field]
    if name not in reg:
        valid = ", ".join(reg.names())
        raise ValueError(f"onbekende {reg.family_nl}-methode '{name}'; kies uit: {valid}")
    return name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicatorSpec(_Strict):
    """One indicator in a domain."""

    id: str = Field(description="indicator id from the catalogue (npvr indicators)")
    weight: float | None = Field(None, description="weight within the domain (weights: manual)")
    direction: Literal[-1, 1] | None = Field(
        None, description="+1 higher is better, -1 higher is worse; default: the catalogue's direction"
    )
    period: int | None = Field(None, description="year to use; default: the latest with data")
    goalposts: tuple[float, float] | None = Field(None, description="(lower, upper) for goalposts")
    target: float | None = Field(None, description="target value for normalisation 'target'")

    @field_validator("weight")
    @classmethod
    def _non_negative(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError(f"een gewicht kan niet negatief zijn ({v})")
        return v

    @field_validator("goalposts")
    @classmethod
    def _ordered(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not v[0] < v[1]:
            raise ValueError(f"doelpalen moeten oplopen (ondergrens < bovengrens), niet {list(v)}")
        return v


class DomainSpec(_Strict):
    """A domain: a group of indicators aggregated into one sub-score."""

    id: str
    label: str | None = None
    weight: float | None = Field(None, description="weight of the domain in the index (weights: manual)")
    indicators: list[IndicatorSpec] = Field(min_length=1)

    @field_validator("weight")
    @classmethod
    def _non_negative(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError(f"een gewicht kan niet negatief zijn ({v})")
        return v


class Methods(_Strict):
    """The nominal method choices."""

    imputation: str = "median"
    outliers: str = "none"
    normalisation: str = "zscore"
    aggregation: str = Field("arithmetic", description="indicators -> domain")
    domain_aggregation: str = Field("arithmetic", description="domains -> index")
    weights: str = "equal"
    winsorise_q: float = Field(0.05, gt=0, lt=0.5)
    generalised_p: float = 0.5
    reference: str | None = Field(None, description="unit code for normalisation 'reference'")

    @field_validator(
        "imputation", "outliers", "normalisation", "aggregation", "domain_aggregation", "weights"
    )
    @classmethod
    def _known(cls, v: str, info: Any) -> str:
        return _check_method(info.field_name, v)


class UncertaintySpec(_Strict):
    """Which alternatives the uncertainty and sensitivity analyses draw from (nominal always included)."""

    imputation: list[str] = Field(default_factory=list)
    outliers: list[str] = Field(default_factory=list)
    normalisation: list[str] = Field(default_factory=list)
    aggregation: list[str] = Field(default_factory=list)
    domain_aggregation: list[str] = Field(default_factory=list)
    weight_spread: float = Field(0.25, ge=0, lt=1, description="each weight x U(1-s, 1+s)")
    leave_one_out: bool = Field(True, description="also draw 'leave one indicator out'")
    select_k: int | None = Field(None, ge=1, description="selection rule: the k highest-scoring units")

    @field_validator("imputation", "outliers", "normalisation", "aggregation", "domain_aggregation")
    @classmethod
    def _known(cls, v: list[str], info: Any) -> list[str]:
        for name in v:
            _check_method(info.field_name, name)
        return v


class IndexConfig(_Strict):
    """A composite index: domains of indicators plus method choices."""

    name: str = "index"
    description: str | None = None
    orientation: Literal["deprivation", "welfare"] = Field(
        "deprivation", description="deprivation: a higher score means more deprived (rank 1 = most deprived)"
    )
    level: Literal["gemeente", "corop", "provincie", "npvr", "wijk"] = "gemeente"
    methods: Methods = Field(default_factory=Methods)
    domains: list[DomainSpec] = Field(min_length=1)
    uncertainty: UncertaintySpec = Field(default_factory=UncertaintySpec)
    missing_domains: dict[str, str] = Field(
        default_factory=dict, description="domains the index should have but the data lacks, with why"
    )

    _source: YamlDoc | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> IndexConfig:
        seen: set[str] = set()
        for d, dom in enumerate(self.domains):
            for i, ind in enumerate(dom.indicators):
                if ind.id in seen:
                    raise _located(
                        f"indicator '{ind.id}' staat twee keer in de index",
                        ("domains", d, "indicators", i, "id"),
                    )
                seen.add(ind.id)
        if self.methods.weights == "manual":
            for d, dom in enumerate(self.domains):
                if dom.weight is None:
                    raise _located(
                        "weights: manual, maar dit domein heeft geen gewicht", ("domains", d, "weight")
                    )
                for i, ind in enumerate(dom.indicators):
                    if ind.weight is None:
                        raise _located(
                            f"weights: manual, maar indicator '{ind.id}' heeft geen gewicht",
                            ("domains", d, "indicators", i, "weight"),
                        )
                if sum(ind.weight or 0 for ind in dom.indicators) <= 0:
                    raise _located("de gewichten in dit domein tellen op tot 0", ("domains", d, "indicators"))
            if sum(d.weight or 0 for d in self.domains) <= 0:
                raise _located("de domeingewichten tellen op tot 0", ("domains",))
        needs = {m.options.get("needs") for m in NORMALISERS if m.name in self.all_normalisations()}
        for d, dom in enumerate(self.domains):
            for i, ind in enumerate(dom.indicators):
                if "goalposts" in needs and ind.goalposts is None:
                    raise _located(
                        f"normalisatie 'goalposts' vraagt doelpalen voor '{ind.id}'",
                        ("domains", d, "indicators", i, "goalposts"),
                    )
                if "target" in needs and ind.target is None:
                    raise _located(
                        f"normalisatie 'target' vraagt een streefwaarde voor '{ind.id}'",
                        ("domains", d, "indicators", i, "target"),
                    )
        if "reference" in needs and not self.methods.reference:
            raise _located(
                "normalisatie 'reference' vraagt methods.reference (een gebiedscode)",
                ("methods", "reference"),
            )
        return self

    def all_normalisations(self) -> list[str]:
        return [self.methods.normalisation, *self.uncertainty.normalisation]

    # --- helpers used by the pipeline ------------------------------------------------------------
    def indicator_ids(self) -> list[str]:
        return [ind.id for dom in self.domains for ind in dom.indicators]

    def where(self, *loc: str | int) -> tuple[str | None, int | None]:
        """(file, line) of a field, if the config came from YAML."""
        if self._source is None:
            return None, None
        return self._source.file, self._source.line(loc)

    def error(self, message: str, loc: tuple[str | int, ...], *, en: str | None = None) -> ConfigError:
        """A ConfigError pointing at ``loc`` in the YAML."""
        file, line = self.where(*loc)
        return ConfigError(message, en=en, file=file, line=line, field=field_name(loc))


class _LocatedError(ValueError):
    def __init__(self, message: str, loc: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.loc = loc


def _located(message: str, loc: tuple[str | int, ...]) -> _LocatedError:
    return _LocatedError(message, loc)


_PYDANTIC_NL = {
    "missing": "dit veld ontbreekt",
    "extra_forbidden": "onbekend veld (tikfout?)",
    "too_short": "mag niet leeg zijn",
    "literal_error": "ongeldige waarde",
    "int_parsing": "verwacht een geheel getal",
    "float_parsing": "verwacht een getal",
    "string_type": "verwacht tekst",
    "list_type": "verwacht een lijst",
    "dict_type": "verwacht een mapping (sleutel: waarde)",
}


def from_dict(data: Any, *, file: str | None = None, source: YamlDoc | None = None) -> IndexConfig:
    """Validate a parsed YAML mapping; every problem is collected into one ConfigError."""
    source = source if source is not None else YamlDoc.from_node(data, file, None)
    if not isinstance(data, dict):
        raise ConfigError(
            "de index-configuratie moet een YAML-mapping zijn",
            en="the index config must be a YAML mapping",
            file=file,
            line=1,
        )
    try:
        cfg = IndexConfig.model_validate(data)
    except PydanticValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = err["msg"]
            ctx_err = (err.get("ctx") or {}).get("error")
            if isinstance(ctx_err, _LocatedError):
                loc = loc + ctx_err.loc
                msg = str(ctx_err)
            elif isinstance(ctx_err, ValueError):
                msg = str(ctx_err)
            elif err["type"] in _PYDANTIC_NL:
                msg = f"{_PYDANTIC_NL[err['type']]} ({err['msg']})"
            problems.append(Problem(msg, file=file, row=source.line(loc), field=field_name(loc)))
        first = problems[0]
        text = "; ".join(p.render() if i else p.message for i, p in enumerate(problems))
        error = ConfigError(text, en=text, file=file, line=first.row, field=first.field)
        error.problems = problems  # type: ignore[attr-defined]
        raise error from None
    cfg._source = source
    return cfg


def load_config(path: str | Path | None = None) -> IndexConfig:
    """Read an index config from YAML; ``None`` = the shipped default deprivation index."""
    if path is None:
        text = resources.files("npvr.index").joinpath("default_index.yaml").read_text(encoding="utf-8")
        file = "default_index.yaml"
    else:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(
                f"configuratiebestand '{p}' bestaat niet", en=f"config file '{p}' does not exist", file=str(p)
            )
        text = read_text(p)
        file = str(p)
    doc = parse_yaml(text, file)
    return from_dict(doc.data, file=file, source=doc)


def coerce_config(config: IndexConfig | str | Path | dict[str, Any] | None) -> IndexConfig:
    """Accept a config object, a YAML path, a plain dict or None (the default index)."""
    if isinstance(config, IndexConfig):
        return config
    if isinstance(config, dict):
        return from_dict(config)
    return load_config(config)
