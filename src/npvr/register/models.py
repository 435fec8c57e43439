"""The register's data model (SQLAlchemy 2, declarative, typed).

Why these choices:

* Money is stored as whole cents in a BIGINT (:class:`Money`), so it is exact on every backend
  (SQLite has no exact decimal type) and sums never pass through floats. In Python it is a
  :class:`~decimal.Decimal` with two places.
* Every amount belongs to exactly one measure, year, funding source and kind
  (planned / committed / paid) — a unique constraint enforces it.
* Plans, measures, amounts and need rows carry a ``version`` column used by SQLAlchemy's optimistic locking
  (``version_id_col``): an UPDATE only succeeds ``WHERE version = <the version that was read>``.
* The audit log is append-only; the migration adds triggers that refuse UPDATE and DELETE on it.

The vocabularies (themes, goals, statuses, kinds, source types) live here once; validation, CLI
help and docs read them from here.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from npvr.data.catalogue import THEMES as CATALOGUE_THEMES
from npvr.validation import MAX_EURO

# --- vocabularies (one registry, read everywhere) -------------------------------------------------

#: Themes a measure (and a need figure) belongs to: the indicator catalogue's themes, ONE list
#: (:data:`npvr.data.catalogue.THEMES`), so money and indicators can be joined on the theme.
THEMES: tuple[str, ...] = tuple(CATALOGUE_THEMES)

#: Register themes before 0002 -> catalogue theme (used by that migration; kept for old files).
LEGACY_THEMES: dict[str, str] = {
    "leefomgeving": "woonomgeving",
    "wonen": "huisvesting",
    "zorg": "gezondheid",
    "onderwijs": "opleiding",
    "energie": "woonomgeving",
    "grens": "werk",
}

#: The three NPVR goals (id -> Dutch label).
GOALS: dict[str, str] = {
    "leefbare-regios": "Leefbare regio's",
    "voorzieningenniveau": "Duurzaam en bereikbaar voorzieningenniveau",
    "kansrijke-toekomst": "Gezonde en kansrijke toekomst",
}

#: Kinds of plan document a region keeps.
PLAN_KINDS: tuple[str, ...] = ("regioplan", "actieagenda")

#: Status of a plan, in order.
PLAN_STATUSES: dict[str, str] = {
    "in-voorbereiding": "In voorbereiding",
    "bestuurlijk-besproken": "Bestuurlijk besproken met het Rijk",
    "vastgesteld": "Vastgesteld",
}

#: Kinds of amount; Dutch word -> meaning.
AMOUNT_KINDS: dict[str, str] = {
    "gepland": "planned",
    "toegezegd": "committed",
    "betaald": "paid",
}

#: Funding source types; Dutch word -> meaning.
SOURCE_TYPES: dict[str, str] = {
    "rijk": "national government (department + scheme)",
    "provincie": "province",
    "gemeenten": "municipalities",
    "eu": "EU fund",
    "privaat": "private",
}

#: Largest amount accepted anywhere in the register (euro): €1 trillion, far above any programme,
#: small enough that cents fit a BIGINT and survive a round trip through an Excel float.
MAX_AMOUNT = Decimal(MAX_EURO)

#: Longest free text (notes, descriptions, sources) in characters; the same on every backend.
MAX_TEXT = 10_000

#: The programme period used for validation by default (a documented default, not a law).
PROGRAMME_PERIOD: tuple[int, int] = (2025, 2034)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# --- exact fixed-point types -----------------------------------------------------------------------


class FixedDecimal(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of places stored as a scaled integer (exact everywhere)."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = 2) -> None:
        super().__init__()
        self.places = places
        self._quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        q = d.quantize(self._quantum, rounding=ROUND_HALF_EVEN)
        if q != d:
            raise ValueError(f"{d} has more than {self.places} decimal places")
        return int(q.scaleb(self.places))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places).quantize(self._quantum)


class Money(FixedDecimal):
    """Euros with cents, stored as whole cents."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(2)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Plan(Base):
    """A region's regioplan or actieagenda, with its status."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(32))
    status_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        return self.code


class Measure(Base):
    """A measure of a region: what, which theme and goal, where, which indicators it aims to move."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[str] = mapped_column(String(64), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(400))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    theme: Mapped[str] = mapped_column(String(32))
    goal: Mapped[str | None] = mapped_column(String(32), nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    plan: Mapped[Plan | None] = relationship()
    gemeente_links: Mapped[list[MeasureGemeente]] = relationship(
        cascade="all, delete-orphan", order_by="MeasureGemeente.gm_code"
    )
    indicator_links: Mapped[list[MeasureIndicator]] = relationship(
        cascade="all, delete-orphan", order_by="MeasureIndicator.indicator_id"
    )
    amounts: Mapped[list[Amount]] = relationship(back_populates="measure", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def gemeenten(self) -> list[str]:
        return sorted(link.gm_code for link in self.gemeente_links)

    @property
    def indicators(self) -> list[str]:
        return sorted(link.indicator_id for link in self.indicator_links)

    def audit_key(self) -> str:
        return self.code


class MeasureGemeente(Base):
    """A gemeente a measure concerns (2025 division, GMnnnn)."""

    __tablename__ = "measure_gemeenten"

    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    gm_code: Mapped[str] = mapped_column(String(6), primary_key=True)


class MeasureIndicator(Base):
    """An indicator (catalogue id) a measure aims to move."""

    __tablename__ = "measure_indicators"

    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(128), primary_key=True)


class FundingSource(Base):
    """One separate funding scheme: type, the party (department, province, EU fund…) and the scheme.

    Each distinct row counts as one scheme in the fragmentation measure.
    """

    __tablename__ = "funding_sources"
    __table_args__ = (UniqueConstraint("source_type", "party", "scheme"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_type: Mapped[str] = mapped_column(String(16))
    party: Mapped[str] = mapped_column(String(200), default="")
    scheme: Mapped[str] = mapped_column(String(200), default="")

    def audit_key(self) -> str:
        return f"{self.source_type}/{self.party}/{self.scheme}"


class Amount(Base):
    """Money for one measure, year, funding source and kind; with the co-financing share."""

    __tablename__ = "amounts"
    __table_args__ = (UniqueConstraint("measure_id", "year", "source_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("funding_sources.id"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    #: share of the total the scheme requires from others (0..1, 4 places), e.g. 0.5 = 50% co-financing
    cofinancing_share: Mapped[Decimal | None] = mapped_column(FixedDecimal(4), nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    measure: Mapped[Measure] = relationship(back_populates="amounts")
    source: Mapped[FundingSource] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        src = self.source.audit_key() if self.source is not None else str(self.source_id)
        code = self.measure.code if self.measure is not None else str(self.measure_id)
        return f"{code}/{self.year}/{src}/{self.kind}"


class Need(Base):
    """The estimated need (user input) for a region, theme and year.

    Theme '' is the need of the region's other themes together: every theme that has no need
    row of its own in that region and year (all themes when there is none per theme).
    """

    __tablename__ = "needs"
    __table_args__ = (UniqueConstraint("region_id", "theme", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[str] = mapped_column(String(64))
    theme: Mapped[str] = mapped_column(String(32), default="")
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money())
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        return f"{self.region_id}/{self.theme or '*'}/{self.year}"


class AuditEntry(Base):
    """One change, append-only: who, when, what (entity + key), and the changed fields (old, new)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(400), default="")
    action: Mapped[str] = mapped_column(String(16))  # insert | update | delete
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(400))
    changes: Mapped[str] = mapped_column(Text)  # JSON: {field: [old, new]}


#: Entities the audit listener records, by table name.
AUDITED: tuple[type[Base], ...] = (Plan, Measure, FundingSource, Amount, Need)
