"""The register's Python API: the one layer the CLI, the report and the web app call.

Reading: ``list_plans``, ``list_measures``, ``list_amounts``, ``list_needs`` return plain dicts,
``get_plan``, ``get_measure``, ``get_amount``, ``get_need`` one dict; every dict carries the
row's ``version``. ``plans()``, ``measures()``, ``amounts()``, ``needs()`` are the same lists as
DataFrames; ``gap()`` and ``money_by_region_year()`` are the views; ``log()`` the audit trail.

Writing: every mutating method takes ``expected_version`` (the version that was read; ``None``
only to create a record that does not exist yet) and an optional ``actor`` (the user name for
the audit trail; default the service's). A write with a stale version is refused with
:class:`~npvr.errors.ConflictError` and changes nothing, so a read-modify-write never loses an
update: read, change, write with the version read; on conflict read again and retry.

Every write goes through :meth:`RegisterService.transaction`, which

* runs in one database transaction (all or nothing),
* records every inserted, changed or deleted row in the append-only audit log (a
  ``before_flush`` listener, so no write path can forget it; the bulk import writes the same
  entries itself, see :mod:`npvr.register.bulk`),
* checks versions in the database too (``UPDATE … WHERE version = <read>``), turning a lost
  race (SQLAlchemy ``StaleDataError``) into :class:`~npvr.errors.ConflictError`,
* turns a database data error (a value the backend refuses) into an :class:`~npvr.errors.NpvrError`.

Inputs are checked by the same validator as the import (:mod:`npvr.register.validate`), so the
API and a workbook obey the same rules on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import event, inspect, select
from sqlalchemy.exc import DataError as SADataError
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, contains_eager, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from npvr.errors import ConflictError, DataError, NpvrError, ValidationError
from npvr.register import bulk, db
from npvr.register.bulk import PAUSE_ENV, jsonable
from npvr.register.gap import GAP_BY, compute_gap, money_by_region_year
from npvr.register.models import (
    AUDITED,
    Amount,
    AuditEntry,
    FundingSource,
    Measure,
    MeasureGemeente,
    MeasureIndicator,
    Need,
    Plan,
    utcnow,
)
from npvr.register.reference import Reference, default_reference
from npvr.register.validate import SHEETS, Existing, amount_key, errors, validate

__all__ = ["PAUSE_ENV", "ImportResult", "RegisterService", "default_actor"]

_SKIP_AUDIT = {"id", "version", "updated_at", "measure_id", "source_id", "plan_id"}


# --- audit listener --------------------------------------------------------------------------------


def _snapshot(obj: Any) -> dict[str, Any]:
    """The audited fields of a row, with related codes instead of ids."""
    state = inspect(obj)
    out = {
        a.key: jsonable(getattr(obj, a.key)) for a in state.mapper.column_attrs if a.key not in _SKIP_AUDIT
    }
    if isinstance(obj, Measure):
        out["plan"] = obj.plan.code if obj.plan is not None else None
        out["gemeenten"] = obj.gemeenten
        out["indicators"] = obj.indicators
    if isinstance(obj, Amount):
        out["measure"] = obj.measure.code
        out["source"] = obj.source.audit_key()
    return out


def _changes(obj: Any) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_AUDIT:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[attr.key] = [jsonable(old), jsonable(new)]
    if isinstance(obj, Measure):
        for rel, fld_attr, fld in (
            ("gemeente_links", "gm_code", "gemeenten"),
            ("indicator_links", "indicator_id", "indicators"),
        ):
            hist = state.attrs[rel].history
            if hist.added or hist.deleted:
                old = sorted(getattr(x, fld_attr) for x in (*hist.unchanged, *hist.deleted))
                new = sorted(getattr(x, fld_attr) for x in (*hist.unchanged, *hist.added))
                if old != new:
                    changes[fld] = [old, new]
        hist = state.attrs["plan"].history
        if hist.added or hist.deleted:
            old_p = hist.deleted[0].code if hist.deleted and hist.deleted[0] is not None else None
            new_p = hist.added[0].code if hist.added and hist.added[0] is not None else None
            if old_p != new_p:
                changes["plan"] = [old_p, new_p]
    return changes


def _audit_before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    actor = session.info.get("actor") or "onbekend"
    origin = session.info.get("origin") or ""
    entries: list[AuditEntry] = []
    with session.no_autoflush:
        for obj in list(session.new):
            if isinstance(obj, AUDITED):
                changes = {k: [None, v] for k, v in _snapshot(obj).items()}
                entries.append(_entry(obj, "insert", changes, actor, origin))
        for obj in list(session.dirty):
            if isinstance(obj, AUDITED) and session.is_modified(obj, include_collections=True):
                changes = _changes(obj)
                if changes:
                    entries.append(_entry(obj, "update", changes, actor, origin))
        for obj in list(session.deleted):
            if isinstance(obj, AUDITED):
                changes = {k: [v, None] for k, v in _snapshot(obj).items()}
                entries.append(_entry(obj, "delete", changes, actor, origin))
    session.add_all(entries)


def _entry(obj: Any, action: str, changes: dict[str, Any], actor: str, origin: str) -> AuditEntry:
    return AuditEntry(
        **bulk.audit_row(action, type(obj).__tablename__, obj.audit_key(), changes, actor, origin)
    )


# --- the service -----------------------------------------------------------------------------------


def default_actor() -> str:
    """Who is writing: $NPVR_USER, else the login name."""
    if os.environ.get("NPVR_USER"):
        return os.environ["NPVR_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no login name in some containers
        return "onbekend"


def _check_actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor or "\x00" in actor or len(actor) > 200:
        raise NpvrError(
            "ongeldige gebruikersnaam voor het audit log (1–200 tekens, geen NUL-teken)",
            en="invalid user name for the audit log (1–200 characters, no NUL character)",
            field="--user",
        )
    return actor


_CONFLICT_NL = (
    "iemand anders heeft dit record intussen gewijzigd; uw wijziging is niet opgeslagen. "
    "Haal de nieuwe versie op en probeer opnieuw"
)
_CONFLICT_EN = "somebody else changed this record meanwhile; your change was not saved. Reload and try again"


class RegisterService:
    """Read and write one register database.

    Cheap to create (engines are cached per URL); keeps no state between calls, so a web app can
    open one per request with that request's user as ``actor``. Safe to use from several threads.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        actor: str | None = None,
        reference: Reference | None = None,
        check_schema: bool = True,
        origin: str = "api",
    ) -> None:
        self.url = db.resolve_url(url)
        self.engine = db.make_engine(self.url)
        if check_schema:
            db.require_current(self.engine)
        self.actor = _check_actor(actor) if actor else default_actor()
        self.origin = origin  # recorded in the audit log: api, cli, web, …
        self._reference = reference
        self._sessions = db.session_factory(self.engine)
        event.listen(self._sessions, "before_flush", _audit_before_flush)

    @property
    def reference(self) -> Reference:
        """The codes entries are checked against (default: NPVR regions and the snapshot)."""
        if self._reference is None:
            self._reference = default_reference()
        return self._reference

    # -- sessions ---------------------------------------------------------------------------------

    @contextmanager
    def transaction(self, origin: str | None = None, *, actor: str | None = None) -> Iterator[Session]:
        """One all-or-nothing unit of work, audited, with conflicts turned into ConflictError."""
        session = self._sessions()
        session.info.update(actor=_check_actor(actor) if actor else self.actor, origin=origin or self.origin)
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError(_CONFLICT_NL, en=_CONFLICT_EN) from exc
        except IntegrityError as exc:
            session.rollback()
            raise ConflictError(
                f"de wijziging botst met een gelijktijdige wijziging: {exc.orig}",
                en=f"the change collides with a concurrent change: {exc.orig}",
            ) from exc
        except StatementError as exc:
            session.rollback()
            if not isinstance(exc, SADataError) and not isinstance(exc.orig, ValueError | ArithmeticError):
                raise
            raise DataError(
                f"de database weigert een waarde: {exc.orig}; niets is opgeslagen",
                en=f"the database refuses a value: {exc.orig}; nothing was saved",
            ) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _validate_one(self, sheet: str, values: Mapping[str, Any], session: Session) -> dict[str, Any]:
        only = values.get("maatregel") if sheet == "bedragen" else ""  # amounts of one measure suffice
        existing = self._existing(session, amounts_of=only)
        batch, problems = validate({sheet: [(None, values)]}, self.reference, existing)
        if errors(problems):
            raise ValidationError(problems)
        rec: dict[str, Any] = getattr(batch, sheet)[0]
        rec["warnings"] = problems  # only warnings are left here
        return rec

    def _existing(self, session: Session, *, amounts_of: str | None = None) -> Existing:
        """Codes, versions and amounts in the register; ``amounts_of`` limits the amounts to one
        measure ("" = none), so a single API call does not read the whole register."""
        ex = Existing()
        for code, region, version in session.execute(select(Plan.code, Plan.region_id, Plan.version)):
            ex.plans[code] = (region, version)
        for code, region, version in session.execute(
            select(Measure.code, Measure.region_id, Measure.version)
        ):
            ex.measures[code] = (region, version)
        if amounts_of == "":
            return ex
        q = (
            select(Measure.code, Amount.year, FundingSource, Amount.kind, Amount.amount)
            .join(Amount.measure)
            .join(Amount.source)
        )
        if amounts_of is not None:
            q = q.where(Measure.code == amounts_of)
        for code, year, src, kind, amt in session.execute(q):
            ex.amounts[(code, year, src.source_type, src.party, src.scheme, kind)] = amt
        return ex

    @staticmethod
    def _check_version(obj: Any, expected: int | None, label: str) -> None:
        """Refuse when the row is no longer at the version the caller read."""
        if expected is None or obj.version != expected:
            if expected is None:
                raise ConflictError(
                    f"'{label}' bestaat al (versie {obj.version}); geef de versie mee die u las "
                    "om te wijzigen",
                    en=f"'{label}' exists (version {obj.version}); pass the version you read to change it",
                )
            raise ConflictError(
                f"'{label}' is intussen gewijzigd (nu versie {obj.version}, u had versie {expected}); "
                "uw wijziging is niet opgeslagen. Haal de nieuwe versie op en probeer opnieuw",
                en=f"'{label}' was changed meanwhile (now version {obj.version}, you had {expected}); "
                "your change was not saved",
            )

    @staticmethod
    def _must_not_exist(expected: int | None, label: str) -> None:
        if expected is not None:
            raise ConflictError(
                f"'{label}' bestaat niet (meer); u had versie {expected}. Haal de gegevens opnieuw op",
                en=f"'{label}' does not exist (any more); you had version {expected}. Reload",
            )

    # -- plans ------------------------------------------------------------------------------------

    def list_plans(self, region: str | None = None) -> list[dict[str, Any]]:
        """Plans (optionally of one region), ordered by code; each dict has its ``version``."""
        with self.transaction("read") as s:
            q = select(Plan).order_by(Plan.code)
            if region:
                q = q.where(Plan.region_id == region)
            return [plan_dict(p) for p in s.scalars(q)]

    def get_plan(self, code: str) -> dict[str, Any]:
        """One plan with its ``version``; NpvrError when unknown."""
        with self.transaction("read") as s:
            return plan_dict(self._load_plan(s, code))

    def plans(self, region: str | None = None) -> pd.DataFrame:
        """:meth:`list_plans` as a DataFrame."""
        return pd.DataFrame(self.list_plans(region), columns=list(_PLAN_COLS))

    def save_plan(
        self,
        code: str,
        *,
        region: str,
        kind: str,
        title: str,
        status: str,
        status_date: dt.date | str | None = None,
        note: str | None = None,
        expected_version: int | None = None,
        actor: str | None = None,
    ) -> dict[str, Any]:
        """Create a plan (``expected_version=None``) or update it (the version that was read)."""
        values = {
            "code": code,
            "regio": region,
            "soort": kind,
            "titel": title,
            "status": status,
            "datum_status": status_date,
            "toelichting": note,
            "versie": None,  # checked below and by the versioned UPDATE (ConflictError)
        }
        with self.transaction(actor=actor) as s:
            rec = self._validate_one("plannen", values, s)
            plan = s.scalar(select(Plan).where(Plan.code == code))
            if plan is not None:
                self._check_version(plan, expected_version, code)
            else:
                self._must_not_exist(expected_version, code)
            plan = _apply_plan(s, rec, plan)
            s.flush()
            return plan_dict(plan)

    def delete_plan(self, code: str, *, expected_version: int, actor: str | None = None) -> None:
        """Delete a plan no measure refers to; the deleted row stays in the audit log."""
        with self.transaction(actor=actor) as s:
            plan = self._load_plan(s, code)
            self._check_version(plan, expected_version, code)
            used = s.scalars(
                select(Measure.code).where(Measure.plan_id == plan.id).order_by(Measure.code)
            ).all()
            if used:
                raise ConflictError(
                    f"plan '{code}' heeft nog maatregelen ({', '.join(used[:10])}); koppel die eerst los",
                    en=f"plan '{code}' still has measures ({', '.join(used[:10])}); detach them first",
                )
            s.delete(plan)

    @staticmethod
    def _load_plan(s: Session, code: str) -> Plan:
        p = s.scalar(select(Plan).where(Plan.code == code))
        if p is None:
            raise NpvrError(f"onbekend plan '{code}'", en=f"unknown plan '{code}'", field="code")
        return p

    # -- measures ---------------------------------------------------------------------------------

    def list_measures(self, region: str | None = None) -> list[dict[str, Any]]:
        """Measures (optionally of one region), ordered by code; each dict has its ``version``."""
        with self.transaction("read") as s:
            q = select(Measure).options(*_measure_load()).order_by(Measure.code)
            if region:
                q = q.where(Measure.region_id == region)
            return [measure_dict(m) for m in s.scalars(q)]

    def get_measure(self, code: str) -> dict[str, Any]:
        """One measure with its ``version``; NpvrError when unknown."""
        with self.transaction("read") as s:
            return measure_dict(self._load_measure(s, code))

    def measures(self, region: str | None = None) -> pd.DataFrame:
        """:meth:`list_measures` as a DataFrame."""
        return pd.DataFrame(self.list_measures(region), columns=list(_MEASURE_COLS))

    def create_measure(
        self,
        code: str,
        *,
        region: str,
        title: str,
        theme: str | None,
        goal: str | None = None,
        description: str | None = None,
        plan: str | None = None,
        gemeenten: Iterable[str] = (),
        indicators: Iterable[str] = (),
        actor: str | None = None,
    ) -> dict[str, Any]:
        """Add a new measure (version 1). Refused if the code exists."""
        values = {
            "code": code,
            "regio": region,
            "titel": title,
            "thema": theme,
            "doel": goal,
            "omschrijving": description,
            "plan": plan,
            "gemeenten": list(gemeenten),
            "indicatoren": list(indicators),
        }
        with self.transaction(actor=actor) as s:
            rec = self._validate_one("maatregelen", values, s)
            if s.scalar(select(Measure.id).where(Measure.code == code)) is not None:
                raise ConflictError(
                    f"maatregel '{code}' bestaat al; wijzig haar met update", en=f"measure '{code}' exists"
                )
            m = _apply_measure(s, rec, None)
            s.flush()
            return measure_dict(m)

    def update_measure(
        self, code: str, *, expected_version: int, actor: str | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change fields of a measure, only if it is still at ``expected_version``.

        ``changes`` keys: region, title, theme, goal, description, plan, gemeenten, indicators.
        """
        allowed = {"region", "title", "theme", "goal", "description", "plan", "gemeenten", "indicators"}
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"unknown fields {sorted(unknown)}")
        with self.transaction(actor=actor) as s:
            m = self._load_measure(s, code)
            self._check_version(m, expected_version, code)
            current = measure_dict(m)
            merged = {**current, **changes}
            values = {c.name: merged.get(c.key) for c in SHEETS["maatregelen"]}
            values["versie"] = None  # checked above and by the versioned UPDATE (ConflictError)
            rec = self._validate_one("maatregelen", values, s)
            _apply_measure(s, rec, m)
            s.flush()
            return measure_dict(m)

    def delete_measure(self, code: str, *, expected_version: int, actor: str | None = None) -> None:
        """Delete a measure and its amounts; each deleted row stays in the audit log."""
        with self.transaction(actor=actor) as s:
            m = self._load_measure(s, code)
            self._check_version(m, expected_version, code)
            for a in list(m.amounts):
                s.delete(a)
            s.flush()
            s.expire(m, ["amounts"])
            s.delete(m)

    @staticmethod
    def _load_measure(s: Session, code: str) -> Measure:
        m = s.scalar(select(Measure).options(*_measure_load()).where(Measure.code == code))
        if m is None:
            raise NpvrError(f"onbekende maatregel '{code}'", en=f"unknown measure '{code}'", field="code")
        return m

    # -- amounts ------------------------------------------------------------------------------------

    def list_amounts(self, *, measure: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
        """Amounts (optionally of one measure or region), each dict with its ``version``."""
        with self.transaction("read") as s:
            q = (
                select(Amount)
                .join(Amount.measure)
                .options(selectinload(Amount.measure), selectinload(Amount.source))
            )
            if measure:
                q = q.where(Measure.code == measure)
            if region:
                q = q.where(Measure.region_id == region)
            return sorted((amount_dict(a) for a in s.scalars(q)), key=_amount_sort)

    def get_amount(
        self, measure: str, *, year: int, kind: str, source_type: str, party: str = "", scheme: str = ""
    ) -> dict[str, Any]:
        """One amount (measure, year, kind, source) with its ``version``; NpvrError when absent."""
        with self.transaction("read") as s:
            return amount_dict(self._load_amount(s, measure, year, kind, source_type, party, scheme))

    def amounts(self) -> pd.DataFrame:
        """Every amount as a DataFrame (columns of :meth:`list_amounts`)."""
        with self.engine.connect() as conn:
            rows = bulk.export_rows(conn)["bedragen"]
        return pd.DataFrame(rows, columns=list(_AMOUNT_COLS))

    def set_amount(
        self,
        measure: str,
        *,
        year: int,
        kind: str,
        source_type: str,
        amount: Decimal | str | int,
        party: str = "",
        scheme: str = "",
        cofinancing_share: Decimal | str | None = None,
        expected_version: int | None = None,
        expected_measure_version: int | None = None,
        actor: str | None = None,
    ) -> dict[str, Any]:
        """Create or change the amount for one measure/year/source/kind.

        Name the version you read in one of two ways:

        * ``expected_version``: the amount's own ``version`` (``get_amount``, ``list_amounts``);
          ``None`` creates a new amount and is refused when it exists;
        * ``expected_measure_version``: the measure's ``version`` (a form that shows a whole
          measure with its money); it covers every amount of the measure, new or existing.

        Every change of money bumps the measure's version too, so both ways see each other's
        writes. A stale version raises ConflictError and changes nothing. Returns the amount with
        its new ``version``, the ``measure_version`` and any ``warnings`` (e.g. paid above committed).
        """
        values = {
            "maatregel": measure,
            "jaar": year,
            "soort": kind,
            "bron": source_type,
            "partij": party,
            "regeling": scheme,
            "bedrag": amount,
            "cofinancieringsaandeel": cofinancing_share,
        }
        with self.transaction(actor=actor) as s:
            rec = self._validate_one("bedragen", values, s)
            m = s.scalars(select(Measure).where(Measure.code == measure)).one()  # validated: it exists
            sources = _SourceCache(s)
            key = amount_key(rec)
            src = sources.get(key[2], key[3], key[4])
            a = None
            if src.id is not None:
                a = s.scalar(
                    select(Amount).where(
                        Amount.measure_id == m.id,
                        Amount.year == rec["year"],
                        Amount.source_id == src.id,
                        Amount.kind == rec["kind"],
                    )
                )
            label = "/".join(str(x) for x in key)
            if expected_measure_version is not None:
                self._check_version(m, expected_measure_version, measure)
                if a is not None and expected_version is not None:
                    self._check_version(a, expected_version, label)
            elif a is None:
                self._must_not_exist(expected_version, label)
            else:
                self._check_version(a, expected_version, label)
            if a is None:
                a = Amount(measure=m, source=src, year=rec["year"], kind=rec["kind"])
                s.add(a)
            _set(a, amount=rec["amount"], cofinancing_share=rec.get("cofinancing_share"))
            if a in s.new or s.is_modified(a):
                _touch(m)  # the measure's version covers its money (versioned UPDATE)
            s.flush()
            warnings = [p.render() for p in rec["warnings"]]
            return {**amount_dict(a), "measure_version": m.version, "warnings": warnings}

    def delete_amount(
        self,
        measure: str,
        *,
        year: int,
        kind: str,
        source_type: str,
        party: str = "",
        scheme: str = "",
        expected_version: int,
        actor: str | None = None,
    ) -> None:
        """Delete one amount at the version that was read; it stays in the audit log."""
        with self.transaction(actor=actor) as s:
            a = self._load_amount(s, measure, year, kind, source_type, party, scheme)
            self._check_version(
                a, expected_version, f"{measure}/{year}/{source_type}/{party}/{scheme}/{kind}"
            )
            _touch(a.measure)  # the measure's version covers its money
            s.delete(a)

    @staticmethod
    def _load_amount(
        s: Session, measure: str, year: int, kind: str, source_type: str, party: str, scheme: str
    ) -> Amount:
        a = s.scalar(
            select(Amount)
            .join(Amount.measure)
            .join(Amount.source)
            .options(contains_eager(Amount.measure), contains_eager(Amount.source))
            .where(
                Measure.code == measure,
                Amount.year == year,
                Amount.kind == kind,
                FundingSource.source_type == source_type,
                FundingSource.party == (party or ""),
                FundingSource.scheme == (scheme or ""),
            )
        )
        if a is None:
            label = f"{measure}/{year}/{source_type}/{party}/{scheme}/{kind}"
            raise NpvrError(f"onbekend bedrag '{label}'", en=f"unknown amount '{label}'")
        return a

    # -- need ---------------------------------------------------------------------------------------

    def list_needs(self, region: str | None = None) -> list[dict[str, Any]]:
        """Need rows (optionally of one region) by region, theme, year; each with its ``version``."""
        with self.transaction("read") as s:
            q = select(Need).order_by(Need.region_id, Need.theme, Need.year)
            if region:
                q = q.where(Need.region_id == region)
            return [need_dict(n) for n in s.scalars(q)]

    def get_need(self, region: str, *, year: int, theme: str = "") -> dict[str, Any]:
        """The need row of a region, theme ('' = the other themes together) and year."""
        with self.transaction("read") as s:
            return need_dict(self._load_need(s, region, year, theme))

    def needs(self, region: str | None = None) -> pd.DataFrame:
        """:meth:`list_needs` as a DataFrame."""
        return pd.DataFrame(self.list_needs(region), columns=list(_NEED_COLS))

    def set_need(
        self,
        region: str,
        *,
        year: int,
        amount: Decimal | str | int,
        theme: str = "",
        source: str | None = None,
        expected_version: int | None = None,
        actor: str | None = None,
    ) -> dict[str, Any]:
        """Record (``expected_version=None``) or change the estimated need for a region, theme and
        year. Theme '' is the need of the region's themes that have no need row of their own."""
        values = {"regio": region, "thema": theme, "jaar": year, "bedrag": amount, "bron": source}
        with self.transaction(actor=actor) as s:
            rec = self._validate_one("behoefte", values, s)
            n = s.scalar(
                select(Need).where(
                    Need.region_id == rec["region"], Need.theme == rec["theme"], Need.year == rec["year"]
                )
            )
            label = f"{rec['region']}/{rec['theme'] or '*'}/{rec['year']}"
            if n is None:
                self._must_not_exist(expected_version, label)
                n = Need(region_id=rec["region"], theme=rec["theme"], year=rec["year"])
                s.add(n)
            else:
                self._check_version(n, expected_version, label)
            _set(n, amount=rec["amount"], source=rec.get("source"))
            s.flush()
            return need_dict(n)

    def delete_need(
        self, region: str, *, year: int, theme: str = "", expected_version: int, actor: str | None = None
    ) -> None:
        """Delete one need row at the version that was read; it stays in the audit log."""
        with self.transaction(actor=actor) as s:
            n = self._load_need(s, region, year, theme)
            self._check_version(n, expected_version, f"{region}/{theme or '*'}/{year}")
            s.delete(n)

    @staticmethod
    def _load_need(s: Session, region: str, year: int, theme: str) -> Need:
        n = s.scalar(
            select(Need).where(Need.region_id == region, Need.theme == (theme or ""), Need.year == year)
        )
        if n is None:
            label = f"{region}/{theme or '*'}/{year}"
            raise NpvrError(f"geen behoefte '{label}'", en=f"no need row '{label}'")
        return n

    # -- bulk import --------------------------------------------------------------------------------

    def import_rows(
        self,
        raw: Mapping[str, Sequence[tuple[int | None, Mapping[str, Any]]]],
        *,
        file: str | None = None,
    ) -> ImportResult:
        """Validate every row, then write all of them in one transaction — or nothing.

        Records are merged by their natural key (plan/measure code; measure+year+source+kind;
        region+theme+year); nothing is deleted by an import. A row with a ``versie`` is written
        only while the register still holds that version. Raises ValidationError listing every
        problem; warnings (e.g. paid above committed) are returned, not raised.
        """
        origin = f"{self.origin} import {file}" if file else f"{self.origin} import"
        try:
            with self.engine.begin() as conn:
                st = bulk.load_state(conn)
                batch, problems = validate(raw, self.reference, st.existing(), file=file)
                if errors(problems):
                    raise ValidationError(problems, file=file)
                counts = bulk.write_batch(conn, batch, st, actor=self.actor, origin=origin)
        except IntegrityError as exc:
            raise ConflictError(
                f"de import botst met een gelijktijdige wijziging: {exc.orig}; niets is opgeslagen",
                en=f"the import collides with a concurrent change: {exc.orig}; nothing was saved",
            ) from exc
        except SADataError as exc:
            raise DataError(
                f"de database weigert een waarde: {exc.orig}; niets is opgeslagen",
                en=f"the database refuses a value: {exc.orig}; nothing was saved",
                file=file,
            ) from exc
        return ImportResult(counts=counts, warnings=problems)

    # -- views --------------------------------------------------------------------------------------

    def export_frames(self) -> dict[str, pd.DataFrame]:
        """The whole register as sheets of the exchange format (Dutch column names)."""
        with self.engine.connect() as conn:
            rows = bulk.export_rows(conn)
        out = {}
        for sheet, recs in rows.items():
            cols = SHEETS[sheet]
            out[sheet] = pd.DataFrame(
                [[r.get(c.key) for c in cols] for r in recs], columns=[c.name for c in cols], dtype=object
            )
        return out

    def gap(self, by: Sequence[str] = GAP_BY) -> pd.DataFrame:
        """Need against money per region/theme/year (see :func:`npvr.register.gap.compute_gap`)."""
        return compute_gap(self.needs(), self.amounts(), by=by)

    def money_by_region_year(self, region: str | None = None) -> pd.DataFrame:
        """Need, planned, committed and paid per region and year (for stacked bars).

        See :func:`npvr.register.gap.money_by_region_year`.
        """
        return money_by_region_year(self.needs(region), self.amounts(), region=region)

    def log(
        self, *, limit: int | None = None, entity: str | None = None, key: str | None = None
    ) -> pd.DataFrame:
        """The audit trail, oldest first: id, at, actor, origin, action, entity, key, changes."""
        with self.transaction("read") as s:
            q = select(AuditEntry).order_by(AuditEntry.id)
            if entity:
                q = q.where(AuditEntry.entity == entity)
            if key:
                q = q.where(AuditEntry.entity_key == key)
            rows = [
                {
                    "id": e.id,
                    "at": e.at.replace(tzinfo=dt.UTC).isoformat()
                    if e.at.tzinfo is None
                    else e.at.isoformat(),
                    "actor": e.actor,
                    "origin": e.origin,
                    "action": e.action,
                    "entity": e.entity,
                    "key": e.entity_key,
                    "changes": json.loads(e.changes),
                }
                for e in s.scalars(q)
            ]
        df = pd.DataFrame(rows, columns=["id", "at", "actor", "origin", "action", "entity", "key", "changes"])
        return df.tail(limit).reset_index(drop=True) if limit else df


class ImportResult:
    """What an import wrote (rows per sheet) and the warnings it raised."""

    def __init__(self, counts: dict[str, int], warnings: list[Any]) -> None:
        self.counts = counts
        self.warnings = warnings

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "warnings": [w.__dict__ for w in self.warnings]}


# --- row <-> dict helpers ----------------------------------------------------------------------------

_PLAN_COLS = ("code", "region", "kind", "title", "status", "status_date", "note", "version")
_MEASURE_COLS = (
    "code",
    "region",
    "plan",
    "title",
    "description",
    "theme",
    "goal",
    "gemeenten",
    "indicators",
    "version",
)
_AMOUNT_COLS = (
    "measure",
    "region",
    "theme",
    "year",
    "kind",
    "source_type",
    "party",
    "scheme",
    "amount",
    "cofinancing_share",
    "version",
)
_NEED_COLS = ("region", "theme", "year", "amount", "source", "version")


def _measure_load() -> tuple[Any, ...]:
    return (
        selectinload(Measure.gemeente_links),
        selectinload(Measure.indicator_links),
        selectinload(Measure.plan),
    )


def plan_dict(p: Plan) -> dict[str, Any]:
    return {
        "code": p.code,
        "region": p.region_id,
        "kind": p.kind,
        "title": p.title,
        "status": p.status,
        "status_date": p.status_date,
        "note": p.note,
        "version": p.version,
    }


def measure_dict(m: Measure) -> dict[str, Any]:
    return {
        "code": m.code,
        "region": m.region_id,
        "plan": m.plan.code if m.plan is not None else None,
        "title": m.title,
        "description": m.description,
        "theme": m.theme,
        "goal": m.goal,
        "gemeenten": m.gemeenten,
        "indicators": m.indicators,
        "version": m.version,
    }


def amount_dict(a: Amount) -> dict[str, Any]:
    return {
        "measure": a.measure.code,
        "region": a.measure.region_id,
        "theme": a.measure.theme,
        "year": a.year,
        "kind": a.kind,
        "source_type": a.source.source_type,
        "party": a.source.party or None,
        "scheme": a.source.scheme or None,
        "amount": a.amount,
        "cofinancing_share": a.cofinancing_share,
        "version": a.version,
    }


def need_dict(n: Need) -> dict[str, Any]:
    return {
        "region": n.region_id,
        "theme": n.theme,
        "year": n.year,
        "amount": n.amount,
        "source": n.source,
        "version": n.version,
    }


def _amount_sort(d: dict[str, Any]) -> tuple[Any, ...]:
    return (d["measure"], d["year"], d["source_type"], d["party"] or "", d["scheme"] or "", d["kind"])


# --- writing parsed records --------------------------------------------------------------------------


class _SourceCache:
    def __init__(self, s: Session) -> None:
        self.s = s
        self.by_key = {(f.source_type, f.party, f.scheme): f for f in s.scalars(select(FundingSource))}

    def get(self, source_type: str, party: str, scheme: str) -> FundingSource:
        key = (source_type, party, scheme)
        if key not in self.by_key:
            f = FundingSource(source_type=source_type, party=party, scheme=scheme)
            self.s.add(f)
            self.by_key[key] = f
        return self.by_key[key]


def _touch(obj: Measure | Plan) -> None:
    """Force a versioned UPDATE (version + 1, WHERE version = the one read), even if no column
    of the row itself changed (only its links or amounts)."""
    obj.updated_at = utcnow()
    flag_modified(obj, "updated_at")


def _set(obj: Any, **values: Any) -> None:
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)


def _apply_plan(s: Session, rec: dict[str, Any], plan: Plan | None) -> Plan:
    if plan is None:
        plan = Plan(code=rec["code"])
        s.add(plan)
    _set(
        plan,
        region_id=rec["region"],
        kind=rec["kind"],
        title=rec["title"],
        status=rec["status"],
        status_date=rec.get("status_date"),
        note=rec.get("note"),
    )
    if plan.id is not None and s.is_modified(plan):
        _touch(plan)
    return plan


def _apply_measure(s: Session, rec: dict[str, Any], m: Measure | None) -> Measure:
    with s.no_autoflush:
        plan = s.scalar(select(Plan).where(Plan.code == rec["plan"])) if rec.get("plan") else None
    if m is None:
        m = Measure(code=rec["code"])
        s.add(m)
    _set(
        m,
        region_id=rec["region"],
        title=rec["title"],
        description=rec.get("description"),
        theme=rec["theme"],
        goal=rec.get("goal"),
    )
    if (m.plan.code if m.plan is not None else None) != (plan.code if plan is not None else None):
        m.plan = plan
    if m.gemeenten != sorted(rec.get("gemeenten") or []):
        m.gemeente_links = [MeasureGemeente(gm_code=g) for g in sorted(rec.get("gemeenten") or [])]
    if m.indicators != sorted(rec.get("indicators") or []):
        m.indicator_links = [MeasureIndicator(indicator_id=i) for i in sorted(rec.get("indicators") or [])]
    if m.id is not None and s.is_modified(m, include_collections=True):
        _touch(m)  # forces the versioned UPDATE even if only links changed
    return m
