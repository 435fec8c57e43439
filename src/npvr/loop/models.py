"""The policy loop's tables, on the register's declarative Base (same database, same audit log).

Why these choices:

* Lists (regions, gemeenten, indicators, groups) are stored as sorted JSON text: they are read
  and written whole, filtered in Python, and their old and new values read plainly in the audit
  trail. None of them is joined on in SQL.
* The policy files of the toets that motivated an adjustment are stored as text (the YAML as it
  was), with the regional result of both runs (JSON), so the before/after of the toets can be
  shown later even when the files or the data have changed since.
* Every table has a ``version`` column for optimistic locking, like the register's plans.
* The vocabularies live here once; validation, CLI help and docs read them from here.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from npvr.register.models import Base, utcnow

#: What kind of change an adjustment makes (Dutch id -> Dutch label, English label).
ADJUSTMENT_KINDS: dict[str, tuple[str, str]] = {
    "ondergrens": ("ondergrens of minimale projectomvang gewijzigd", "threshold or minimum size changed"),
    "vaste-voet": ("vaste voet in een verdeelsleutel", "fixed base added to a distribution key"),
    "verdeelsleutel": ("andere maatstaven of gewichten in een verdeelsleutel", "distribution key changed"),
    "grensoverschrijdend": (
        "regeling opengesteld voor grensoverschrijdende projecten",
        "opened cross-border",
    ),
    "ontschotting": ("geldstromen gebundeld (ontschot)", "funding streams bundled"),
    "ingroeipad": ("ingroeipad of overgangsregeling", "phase-in path"),
    "overig": ("andere aanpassing", "other adjustment"),
}

#: Groups a border obstacle affects.
GROUPS: dict[str, tuple[str, str]] = {
    "grensarbeiders": ("grensarbeiders", "cross-border workers"),
    "studenten": ("studenten", "students"),
    "patienten": ("patiënten", "patients"),
    "bedrijven": ("bedrijven", "companies"),
    "inwoners": ("inwoners", "residents"),
    "overheden": ("overheden en publieke diensten", "public bodies and services"),
}

#: Neighbouring countries (code -> the border flag name used by npvr.border).
COUNTRIES: dict[str, str] = {"BE": "belgium", "DE": "germany"}

#: Kind of obstacle: a written rule or a practice.
OBSTACLE_KINDS: tuple[str, ...] = ("regel", "praktijk")

#: Status of a border obstacle in the register, in order.
OBSTACLE_STATUSES: dict[str, tuple[str, str]] = {
    "gesignaleerd": ("gesignaleerd", "reported"),
    "onderzocht": ("onderzocht", "investigated"),
    "in-behandeling": ("in behandeling (bijv. BRIDGEforEU-dossier)", "being dealt with"),
    "opgelost": ("opgelost", "resolved"),
    "niet-opgelost": ("niet opgelost", "not resolved"),
}


def dump_list(items: Any) -> str:
    """A list as sorted, de-duplicated JSON text (the stored form)."""
    return json.dumps(sorted({str(i) for i in (items or [])}), ensure_ascii=False)


def load_list(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


class Adjustment(Base):
    """A change to a national scheme or key: what, from when, where, why (toets) and aimed at what."""

    __tablename__ = "loop_adjustments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    scheme: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    change: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    regions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list; [] = all NPVR regions
    indicators: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of catalogue ids
    toets_before_file: Mapped[str | None] = mapped_column(String(400), nullable=True)
    toets_before_policy: Mapped[str | None] = mapped_column(Text, nullable=True)
    toets_after_file: Mapped[str | None] = mapped_column(String(400), nullable=True)
    toets_after_policy: Mapped[str | None] = mapped_column(Text, nullable=True)
    toets_result: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, see effects.toets_pair
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        return self.code


class Lesson(Base):
    """A lesson of a region on a theme: tried, worked, did not work, which national rule got in the way."""

    __tablename__ = "loop_lessons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[str] = mapped_column(String(64), index=True)
    theme: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(400))
    tried: Mapped[str | None] = mapped_column(Text, nullable=True)
    worked: Mapped[str | None] = mapped_column(Text, nullable=True)
    not_worked: Mapped[str | None] = mapped_column(Text, nullable=True)
    national_rule: Mapped[str | None] = mapped_column(Text, nullable=True)
    adjustment: Mapped[str | None] = mapped_column(String(64), nullable=True)  # adjustment code
    plan: Mapped[str | None] = mapped_column(String(64), nullable=True)  # register plan code
    recorded_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        return self.code


class Obstacle(Base):
    """A border obstacle (grensbelemmering): rule or practice, country, groups, gemeenten, people."""

    __tablename__ = "loop_obstacles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    rule: Mapped[str] = mapped_column(Text)
    rule_kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    groups: Mapped[str] = mapped_column(Text, default="[]")
    gemeenten: Mapped[str] = mapped_column(Text, default="[]")
    distance_km: Mapped[int | None] = mapped_column(Integer, nullable=True)  # how gemeenten were chosen
    people: Mapped[int | None] = mapped_column(Integer, nullable=True)  # inwoners of those gemeenten
    people_basis: Mapped[str | None] = mapped_column(Text, nullable=True)  # source line of that figure
    status: Mapped[str] = mapped_column(String(32))
    grenstoets_file: Mapped[str | None] = mapped_column(String(400), nullable=True)
    grenstoets_form: Mapped[str | None] = mapped_column(Text, nullable=True)  # the YAML as it was
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        return self.code


class BridgeFile(Base):
    """A cross-border file under Regulation (EU) 2025/925 (BRIDGEforEU), with its procedure state.

    The element columns ``el_a`` … ``el_g`` are the elements of Art. 8(1)(a)–(g).
    """

    __tablename__ = "loop_bridge_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    obstacle: Mapped[str | None] = mapped_column(String(64), nullable=True)  # obstacle code
    initiator: Mapped[str] = mapped_column(String(200))
    coordination_point: Mapped[str | None] = mapped_column(String(200), nullable=True)
    el_a: Mapped[str | None] = mapped_column(Text, nullable=True)
    el_b: Mapped[str | None] = mapped_column(Text, nullable=True)
    el_c: Mapped[str | None] = mapped_column(Text, nullable=True)
    el_d: Mapped[str | None] = mapped_column(Text, nullable=True)
    el_e: Mapped[str | None] = mapped_column(Text, nullable=True)
    el_f: Mapped[str | None] = mapped_column(Text, nullable=True)
    el_g: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str] = mapped_column(String(40))
    state_since: Mapped[dt.date] = mapped_column(Date)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    outcome_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)  # Art. 12(1)(a)-(c)
    reasons: Mapped[str | None] = mapped_column(Text, nullable=True)  # of the last decision
    redress_months: Mapped[int | None] = mapped_column(Integer, nullable=True)  # national limit, if any
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    steps: Mapped[list[BridgeStep]] = relationship(
        back_populates="file", cascade="all, delete-orphan", order_by="BridgeStep.seq"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_key(self) -> str:
        return self.code


class BridgeStep(Base):
    """One step of a file's procedure: from which state to which, on which date, with what note."""

    __tablename__ = "loop_bridge_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("loop_bridge_files.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(40), nullable=True)
    to_state: Mapped[str] = mapped_column(String(40))
    step_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    file: Mapped[BridgeFile] = relationship(back_populates="steps")

    def audit_key(self) -> str:
        code = self.file.code if self.file is not None else str(self.file_id)
        return f"{code}/{self.seq}"


#: Entities the loop's audit listener records.
LOOP_AUDITED: tuple[type[Base], ...] = (Adjustment, Lesson, Obstacle, BridgeFile, BridgeStep)
