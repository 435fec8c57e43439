"""The indicator catalogue: what each figure means, where it comes from and how it aggregates.

The catalogue is declared once in ``catalogue.yaml`` (shipped with the package) and validated into
:class:`Indicator` objects. Aggregation rules say how a gemeente value becomes a value for a
larger area, because a share cannot be summed and a median cannot be aggregated exactly:

- ``sum``: counts are summed.
- ``ratio``: ``scale * sum(numerator) / sum(denominator)`` over the members, recomputed from counts.
- ``weighted_mean``: the mean of member values weighted by a count indicator (``weight``); exact for
  averages over that population (e.g. distance to the GP averaged over residents).
- ``median_approx``: a median cannot be aggregated from medians; the documented approximation is the
  ``weight``-weighted mean of the member medians.
- ``change``: ``scale * (sum(of@period) / sum(of@base_period) - 1)``, e.g. population growth.

Two flags refine a rule. ``published: true`` on a ratio keeps CBS's own published percentage for a
single gemeente (the counts behind it are rounded to thousands, which ruins small gemeenten), while
larger areas are recomputed from numerator and denominator. ``level: corop`` marks a figure CBS
publishes only per COROP area (regional accounts, forecasts): every gemeente carries its COROP area's
value and a region that is not a whole COROP area gets the population-weighted value of the COROP
areas it lies in (see :func:`level_note`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Aggregation = Literal["sum", "ratio", "weighted_mean", "median_approx", "change"]

THEMES: dict[str, tuple[str, str]] = {
    "demografie": ("Demografie", "Demography"),
    "inkomen": ("Inkomen", "Income"),
    "werk": ("Werk", "Work"),
    "gezondheid": ("Gezondheid", "Health"),
    "opleiding": ("Opleiding", "Education"),
    "huisvesting": ("Huisvesting", "Housing"),
    "veiligheid": ("Veiligheid", "Safety"),
    "woonomgeving": ("Woonomgeving", "Living environment"),
    "voorzieningen": ("Voorzieningen", "Facilities"),
    "economie": ("Economie", "Economy"),
    "bereikbaarheid": ("Bereikbaarheid", "Accessibility"),
}

TABLES: dict[str, str] = {
    "85984NED": "Kerncijfers wijken en buurten 2024",
    "84799NED": "Kerncijfers wijken en buurten 2020",
    "70072NED": "Regionale kerncijfers Nederland",
    "37230NED": "Bevolkingsontwikkeling; regio per maand",
    "81955NED": "Voorraad woningen en nieuwbouw; gemeenten",
    "83625NED": "Bestaande koopwoningen; gemiddelde verkoopprijzen, regio",
    "INKHH": "Inkomen van huishoudens; huishoudenskenmerken, regio (tabelnummer niet in de export)",
    "50140NED": "Gezondheidsmonitor Jongvolwassenen 2024 (RIVM/GGD GHOR/CBS)",
    "50090NED": "Gezondheid per wijk en buurt 2020 (RIVM)",
    "03759NED": "Bevolking op 1 januari; leeftijd, regio",
    "86088NED": "Arbeidsdeelname; regionale indeling 2024",
    "83582NED": "Banen van werknemers in december; economische activiteit (SBI2008), regio",
    "85924NED": "Regionale kerncijfers; nationale rekeningen",
    "83648NED": "Geregistreerde criminaliteit; soort misdrijf, regio",
    "47013NED": "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente (Politie)",
    "80305NED": "Nabijheid voorzieningen; afstand locatie, regionale cijfers",
    "85618NED": "Kerncijfers wijken en buurten 2023",
    "50120NED": "Gezondheid per wijk en buurt 2022 (RIVM, indeling 2022)",
    "85563NED": "Gezondheidsmonitor; bevolking 18 jaar of ouder, regio, 2022",
    "85171NED": "Regionale prognose 2023-2050; bevolking, regio-indeling 2021",
}


#: English for the catalogue's Dutch units (an English report shows these)
UNITS_EN: dict[str, str] = {
    "aantal": "count",
    "%": "%",
    "km": "km",
    "km²": "km²",
    "euro": "euro",
    "x 1 000 euro": "x 1,000 euro",
    "per 1 000 inwoners": "per 1,000 inhabitants",
    "per 1 000 woningen": "per 1,000 dwellings",
    "inwoners per km² land": "inhabitants per km² of land",
    "0-19-jarigen per 100 van 20-64": "aged 0-19 per 100 aged 20-64",
    "65-plussers per 100 van 20-64": "aged 65+ per 100 aged 20-64",
    "per 100 inwoners": "per 100 inhabitants",
    "banen": "jobs",
}
LEVELS = ("gemeente", "corop")


class Indicator(BaseModel):
    """One indicator: identity, meaning, provenance and aggregation rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label_nl: str
    label_en: str
    theme: str
    unit: str
    direction: Literal[-1, 0, 1] = Field(
        description="+1: higher is better for the region; -1: higher is worse; 0: context only"
    )
    periods: tuple[int, ...] = ()
    sources: dict[int, str] = Field(default_factory=dict, description="period -> CBS table id")
    aggregation: Aggregation
    numerator: str | None = None
    denominator: str | None = None
    of: str | None = None
    base_period: int | None = None
    scale: float = 1.0
    weight: str | None = None
    note: str = ""
    coverage: dict[int, int] = Field(default_factory=dict, description="period -> gemeenten with a value")
    level: Literal["gemeente", "corop"] = Field(
        "gemeente",
        description="the finest level CBS publishes; 'corop': each gemeente carries its COROP value",
    )
    published: bool = Field(
        False, description="ratio whose gemeente value is CBS's published figure (areas: from the counts)"
    )
    national: dict[int, dict[str, float]] = Field(
        default_factory=dict,
        description="period -> {'published': NL figure of the source table, 'aggregate': npvr's NL value}",
    )

    @model_validator(mode="after")
    def _rule_has_inputs(self) -> Indicator:
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}")
        if self.aggregation == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("a ratio needs numerator and denominator")
        if self.aggregation in ("weighted_mean", "median_approx") and not self.weight:
            raise ValueError(f"{self.aggregation} needs a weight")
        if self.aggregation == "change" and not (self.of and self.base_period):
            raise ValueError("a change needs 'of' and 'base_period'")
        return self

    def national_deviation(self, period: int) -> float | None:
        """npvr's Nederland value minus the published national figure (None when not published)."""
        check = self.national.get(period)
        return None if check is None else check["aggregate"] - check["published"]

    @property
    def table(self) -> str:
        """The CBS table id of the latest period."""
        return self.sources[max(self.sources)] if self.sources else ""

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl

    def unit_label(self, lang: str = "nl") -> str:
        """The unit in the reader's language (the catalogue declares it in Dutch)."""
        return UNITS_EN.get(self.unit, self.unit) if lang == "en" else self.unit

    def provenance(self, period: int | None = None, lang: str = "nl") -> str:
        """A one-line source statement: 'CBS 85984NED (Kerncijfers wijken en buurten 2024), 2024, aantal'."""
        if period is None:
            period = max(self.periods) if self.periods else None
        table = self.sources.get(period, self.table) if period is not None else self.table
        publisher = "RIVM/CBS" if table.startswith("50") else "CBS"
        title = TABLES.get(table, "")
        unit = self.unit_label(lang)
        if not table.endswith("NED"):  # a StatLine export whose table id was not recorded
            return f"{publisher} StatLine: {title}, {period}, {unit}"
        return f"{publisher} {table}{f' ({title})' if title else ''}, {period}, {unit}"


class Catalogue(Mapping[str, Indicator]):
    """All indicators by id, in catalogue order."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self._items = {i.id: i for i in indicators}

    def __getitem__(self, key: str) -> Indicator:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def to_records(self) -> list[dict[str, object]]:
        return [i.model_dump() for i in self._items.values()]

    @classmethod
    def from_records(cls, records: list[dict[str, object]]) -> Catalogue:
        return cls([Indicator.model_validate(r) for r in records])


@lru_cache(maxsize=1)
def definitions() -> Catalogue:
    """The catalogue as declared in catalogue.yaml (periods are filled in by the snapshot build)."""
    from npvr.yamlio import parse_yaml  # the one YAML reader (duplicate keys refused, limits)

    text = resources.files("npvr.data").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    raw = parse_yaml(text, "catalogue.yaml").data
    return Catalogue([Indicator.model_validate(_expand(r)) for r in raw["indicators"]])


def _expand(record: dict[str, object]) -> dict[str, object]:
    """``sources_range: [first, last, table]`` in the YAML is shorthand for one source per year."""
    rec = dict(record)
    rng = rec.pop("sources_range", None)
    if isinstance(rng, list) and len(rng) == 3:
        first, last, table = int(rng[0]), int(rng[1]), str(rng[2])
        rec["sources"] = {year: table for year in range(first, last + 1)}
    elif rng is not None:
        raise ValueError(f"sources_range must be [first, last, table], not {rng!r}")
    return rec


def level_note(
    indicator: Indicator, members: list[str], corop_of: Mapping[str, str], lang: str = "nl"
) -> str:
    """A reader's note for a COROP-level figure shown for ``members`` (gemeente codes); '' otherwise.

    The figure is the COROP area's own value only when the members are exactly whole COROP areas.
    """
    if indicator.level != "corop" or not members:
        return ""
    mine = {corop_of[m] for m in members if m in corop_of}
    whole = {c for c in mine if {g for g, cc in corop_of.items() if cc == c} <= set(members)}
    if mine == whole:
        return ""
    areas = ", ".join(sorted(mine))
    if lang == "en":
        return f"published per COROP area only; this area is not a whole COROP area: figure of {areas}"
    return f"alleen per COROP-gebied gepubliceerd; dit gebied is geen geheel COROP-gebied: cijfer van {areas}"
