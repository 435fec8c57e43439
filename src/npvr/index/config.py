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

from npvr.errors import ConfigError
from npvr.index.aggregate import AGGREGATORS
from npvr.index.impute import IMPUTERS
from npvr.index.normalise import NORMALISERS
from npvr.index.outliers import OUTLIERS
from npvr.index.registry import Registry
from npvr.index.weights import WEIGHTS
from npvr.yamlio import YamlDoc, field_name, parse_yaml, read_text

LEVELS = ("gemeente", "corop", "provincie", "regio", "npvr", "wijk")

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
    """A domain: a group of indicators, or of sub-domains (hierarchies of any depth), aggregated
    into one sub-score. Every branch must reach its indicators at the same depth, so that each
    level has one aggregation method (as in COINr)."""

    id: str
    label: str | None = None
    weight: float | None = Field(None, description="weight of the domain in its parent (weights: manual)")
    indicators: list[IndicatorSpec] | None = Field(None, min_length=1)
    domains: list[DomainSpec] | None = Field(
        None, min_length=1, description="sub-domains (instead of indicators)"
    )

    @field_validator("weight")
    @classmethod
    def _non_negative(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError(f"een gewicht kan niet negatief zijn ({v})")
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> DomainSpec:
        if (self.indicators is None) == (self.domains is None):
            raise _located(
                f"domein '{self.id}' heeft óf 'indicators' óf 'domains' (subdomeinen), niet beide of geen",
                ("indicators",),
            )
        return self

    def depth(self) -> int:
        """1 for a group of indicators; 1 + the depth of its sub-domains otherwise."""
        return 1 if self.domains is None else 1 + max(d.depth() for d in self.domains)


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
    minmax_range: tuple[float, float] = Field(
        (0.0, 1.0), description="min-max (and goalposts) to [low, high]"
    )
    cap_max: bool = Field(False, description="dist2ref/dist2targ: cap values beyond the reference at 1")
    shift: float = Field(
        0.1, gt=0, description="geometric/harmonic/generalised: c = -min + shift·(max - min) when min <= 0"
    )
    winsorise_max_points: int = Field(
        5, ge=1, description="skew_kurtosis: at most this many points per indicator"
    )
    skew_threshold: float = Field(2.0, gt=0, description="skew_kurtosis: treat when |skew| > this ...")
    kurt_threshold: float = Field(3.5, gt=0, description="... and excess kurtosis > this (COINr's rule)")
    intermediate_aggregation: list[str] = Field(
        default_factory=list,
        description="deeper hierarchies: aggregation of each level between the indicator groups and the "
        "top domains, bottom-up (default arithmetic)",
    )

    @field_validator("minmax_range")
    @classmethod
    def _range(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not v[0] < v[1]:
            raise ValueError(f"minmax_range moet oplopen (laag < hoog), niet {list(v)}")
        return v

    @field_validator("intermediate_aggregation")
    @classmethod
    def _known_levels(cls, v: list[str]) -> list[str]:
        for name in v:
            _check_method("aggregation", name)
        return v

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
    level: Literal["gemeente", "corop", "provincie", "regio", "npvr", "wijk"] = "gemeente"
    methods: Methods = Field(default_factory=Methods)
    domains: list[DomainSpec] = Field(min_length=1)
    uncertainty: UncertaintySpec = Field(default_factory=UncertaintySpec)
    missing_domains: dict[str, str] = Field(
        default_factory=dict, description="domains the index should have but the data lacks, with why"
    )

    _source: YamlDoc | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> IndexConfig:
        depths = {dom.depth() for dom in self.domains}
        if len(depths) > 1:
            raise _located(
                "alle takken van de hiërarchie moeten even diep zijn (één aggregatiemethode per niveau); "
                f"gevonden diepten {sorted(depths)}",
                ("domains",),
            )
        want = max(depths) - 1
        if self.methods.intermediate_aggregation and len(self.methods.intermediate_aggregation) != want:
            raise _located(
                f"intermediate_aggregation heeft {want} methode(n) nodig (een per tussenniveau), "
                f"niet {len(self.methods.intermediate_aggregation)}",
                ("methods", "intermediate_aggregation"),
            )
        seen: set[str] = set()
        nodes: set[str] = set()
        for loc, dom in self.walk_domains():
            if dom.id in nodes:
                raise _located(f"domein-id '{dom.id}' komt twee keer voor", (*loc, "id"))
            nodes.add(dom.id)
        for loc, _top, _leaf, ind in self.indicator_specs():
            if ind.id in seen:
                raise _located(f"indicator '{ind.id}' staat twee keer in de index", (*loc, "id"))
            seen.add(ind.id)
        if self.methods.weights == "manual":
            for loc, dom in self.walk_domains():
                if dom.weight is None:
                    raise _located("weights: manual, maar dit domein heeft geen gewicht", (*loc, "weight"))
                children: list[Any] = dom.indicators if dom.indicators is not None else dom.domains or []
                kind = "indicators" if dom.indicators is not None else "domains"
                for i, child in enumerate(children):
                    if child.weight is None:
                        raise _located(
                            f"weights: manual, maar '{child.id}' heeft geen gewicht",
                            (*loc, kind, i, "weight"),
                        )
                if sum(c.weight or 0 for c in children) <= 0:
                    raise _located("de gewichten in dit domein tellen op tot 0", (*loc, kind))
            if sum(d.weight or 0 for d in self.domains) <= 0:
                raise _located("de domeingewichten tellen op tot 0", ("domains",))
        needs = {m.options.get("needs") for m in NORMALISERS if m.name in self.all_normalisations()}
        for loc, _top, _leaf, ind in self.indicator_specs():
            if "goalposts" in needs and ind.goalposts is None:
                raise _located(
                    f"normalisatie 'goalposts' vraagt doelpalen voor '{ind.id}'", (*loc, "goalposts")
                )
            if "target" in needs and ind.target is None:
                raise _located(
                    f"normalisatie 'target' vraagt een streefwaarde voor '{ind.id}'", (*loc, "target")
                )
        if "reference" in needs and not self.methods.reference:
            raise _located(
                "normalisatie 'reference' vraagt methods.reference (een gebiedscode)",
                ("methods", "reference"),
            )
        return self

    # --- the tree --------------------------------------------------------------------------------
    def walk_domains(self) -> list[tuple[tuple[str | int, ...], DomainSpec]]:
        """Every domain node with its YAML location, depth first (parents before children)."""
        out: list[tuple[tuple[str | int, ...], DomainSpec]] = []

        def walk(doms: list[DomainSpec], loc: tuple[str | int, ...]) -> None:
            for d, dom in enumerate(doms):
                here = (*loc, "domains", d)
                out.append((here, dom))
                if dom.domains is not None:
                    walk(dom.domains, here)

        walk(self.domains, ())
        return out

    def leaf_groups(self) -> list[tuple[tuple[str | int, ...], DomainSpec]]:
        """The domain nodes that hold indicators, depth first."""
        return [(loc, dom) for loc, dom in self.walk_domains() if dom.indicators is not None]

    def indicator_specs(self) -> list[tuple[tuple[str | int, ...], int, int, IndicatorSpec]]:
        """(YAML location, top-domain index, leaf-group index, spec) of every indicator, in order."""
        out = []
        leaves = self.leaf_groups()
        for g, (loc, dom) in enumerate(leaves):
            top = int(loc[1])
            for i, ind in enumerate(dom.indicators or []):
                out.append(((*loc, "indicators", i), top, g, ind))
        return out

    def depth(self) -> int:
        """Aggregation steps from the indicators to the index (2 for indicators -> domains -> index)."""
        return 1 + max(d.depth() for d in self.domains)

    def all_normalisations(self) -> list[str]:
        return [self.methods.normalisation, *self.uncertainty.normalisation]

    # --- helpers used by the pipeline ------------------------------------------------------------
    def indicator_ids(self) -> list[str]:
        return [ind.id for _loc, _top, _leaf, ind in self.indicator_specs()]

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
        # The one validation mechanism (npvr.validation): every problem located, Dutch and English.
        from npvr.validation import Problems, translate

        problems = Problems(file, doc=source)
        for err in exc.errors():
            loc = tuple(err["loc"])
            ctx_err = (err.get("ctx") or {}).get("error")
            if isinstance(ctx_err, _LocatedError):
                loc = loc + ctx_err.loc
            if isinstance(ctx_err, ValueError):
                nl, _, en = str(ctx_err).partition(" || ")
                en = en or nl
            else:
                nl, en = translate(err)
            problems.add(nl, en, loc=loc)
        raise problems.error() from None
    cfg._source = source
    return cfg


SHIPPED: dict[str, str] = {
    "deprivatie": "default_index.yaml",
    "opgave": "npvr_opgave_index.yaml",
}
"""The shipped index configs by short name (``npvr index build opgave``); the first is the default."""


def load_config(path: str | Path | None = None) -> IndexConfig:
    """Read an index config from YAML; ``None`` = the shipped default deprivation index; a name
    from :data:`SHIPPED` (``"deprivatie"``, ``"opgave"``) = that shipped config."""
    if path is None or (str(path) in SHIPPED and not Path(path).exists()):
        fname = SHIPPED[str(path) if path is not None else "deprivatie"]
        text = resources.files("npvr.index").joinpath(fname).read_text(encoding="utf-8")
        file = fname
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
