"""The policy loop's Python API: adjustments, lessons, border obstacles and BRIDGEforEU files.

It extends the register's service (:class:`npvr.register.RegisterService`): same database, same
all-or-nothing transactions, same append-only audit log (a second ``before_flush`` listener records
the loop's tables, so no write path can forget it), same optimistic locking. Inputs are checked by
:mod:`npvr.loop.validate`, so the API and a workbook import obey the same rules.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, selectinload

from npvr.errors import ConfigError, ConflictError, DataError, ValidationError
from npvr.loop import bridge, effects, obstacles
from npvr.loop.models import (
    LOOP_AUDITED,
    Adjustment,
    BridgeFile,
    BridgeStep,
    Lesson,
    Obstacle,
    dump_list,
    load_list,
)
from npvr.loop.validate import SHEETS, Existing, errors, validate
from npvr.register.models import AuditEntry, Plan, utcnow
from npvr.register.service import ImportResult, RegisterService

MODELS: dict[str, type[Any]] = {
    "aanpassingen": Adjustment,
    "lessen": Lesson,
    "belemmeringen": Obstacle,
    "bridge_dossiers": BridgeFile,
}
_ATTR = {"region": "region_id"}  # record key -> model attribute where they differ
_SKIP = {"id", "version", "updated_at", "file_id"}
_TEXT_FIELDS = ("title", "tried", "worked", "not_worked", "national_rule")
ENTITY = {
    "aanpassingen": "aanpassing",
    "lessen": "les",
    "belemmeringen": "belemmering",
    "bridge_dossiers": "dossier",
}


# --- audit -------------------------------------------------------------------------------------------


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return v


def _columns(obj: Any) -> dict[str, Any]:
    return {
        a.key: _jsonable(getattr(obj, a.key)) for a in inspect(obj).mapper.column_attrs if a.key not in _SKIP
    }


def _audit(session: Session, _ctx: Any, _instances: Any) -> None:
    """Record every insert, update and delete of a loop table in the register's audit log."""
    actor = session.info.get("actor") or "onbekend"
    origin = session.info.get("origin") or ""
    entries = []
    with session.no_autoflush:
        for action, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in list(objs):
                if not isinstance(obj, LOOP_AUDITED):
                    continue
                if action == "insert":
                    changes = {k: [None, v] for k, v in _columns(obj).items()}
                elif action == "delete":
                    changes = {k: [v, None] for k, v in _columns(obj).items()}
                else:
                    changes = {}
                    state = inspect(obj)
                    for attr in state.mapper.column_attrs:
                        hist = state.attrs[attr.key].history
                        if attr.key in _SKIP or not hist.has_changes():
                            continue
                        old = hist.deleted[0] if hist.deleted else None
                        new = hist.added[0] if hist.added else None
                        if old != new:
                            changes[attr.key] = [_jsonable(old), _jsonable(new)]
                    if not changes:
                        continue
                entries.append(
                    AuditEntry(
                        at=utcnow(),
                        actor=actor,
                        origin=origin,
                        action=action,
                        entity=type(obj).__tablename__,
                        entity_key=cast(Any, obj).audit_key(),
                        changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
                    )
                )
    session.add_all(entries)


# --- records -----------------------------------------------------------------------------------------


def record(sheet: str, obj: Any) -> dict[str, Any]:
    """A stored row as a dict with the exchange format's keys (lists as lists)."""
    out: dict[str, Any] = {}
    for col in SHEETS[sheet]:
        if col.key == "version":
            continue
        v = getattr(obj, _ATTR.get(col.key, col.key))
        out[col.key] = load_list(v) if col.kind == "list" else v
    out["version"] = obj.version
    return out


def step_record(s: BridgeStep) -> dict[str, Any]:
    return {
        "file": s.file.code,
        "seq": s.seq,
        "from_state": s.from_state,
        "to_state": s.to_state,
        "step_date": s.step_date,
        "note": s.note,
    }


def _values(sheet: str, rec: Mapping[str, Any]) -> dict[str, Any]:
    """A record (keys) as raw values (Dutch column names) for the validator."""
    return {c.name: rec.get(c.key) for c in SHEETS[sheet]}


class LoopService(RegisterService):
    """Read and write the policy loop in a register database."""

    def __init__(self, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        event.listen(self._sessions, "before_flush", _audit)

    # -- validation -------------------------------------------------------------------------------

    def _loop_existing(self, s: Session) -> Existing:
        ex = Existing()
        for sheet, model in MODELS.items():
            ex.versions[sheet] = {c: v for c, v in s.execute(select(model.code, model.version))}
        ex.plans = set(s.scalars(select(Plan.code)))
        return ex

    def _check(
        self, raw: Mapping[str, Any], s: Session, file: str | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        batch, problems = validate(raw, self.reference, self._loop_existing(s), file=file)
        if errors(problems):
            raise ValidationError(problems, file=file)
        return batch

    def _one(
        self, sheet: str, values: Mapping[str, Any], s: Session, extra: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        raw = {sheet: [(None, _values(sheet, values))], **(extra or {})}
        return self._check(raw, s)[sheet][0]

    @staticmethod
    def _load(s: Session, sheet: str, code: str) -> Any:
        model = MODELS[sheet]
        q = select(model).where(model.code == code)
        if model is BridgeFile:
            q = q.options(selectinload(BridgeFile.steps))
        obj = s.scalar(q)
        if obj is None:
            raise DataError(
                f"{ENTITY[sheet]} '{code}' bestaat niet",
                en=f"{ENTITY[sheet]} '{code}' does not exist",
                field="code",
            )
        return obj

    @staticmethod
    def _refuse_existing(s: Session, sheet: str, code: str) -> None:
        model = MODELS[sheet]
        if s.scalar(select(model.id).where(model.code == code)) is not None:
            raise ConflictError(
                f"{ENTITY[sheet]} '{code}' bestaat al", en=f"{ENTITY[sheet]} '{code}' already exists"
            )

    @staticmethod
    def _version(obj: Any, expected: int | None) -> None:
        if expected is not None and obj.version != expected:
            raise ConflictError(
                f"'{obj.code}' is intussen gewijzigd (nu versie {obj.version}, u had versie {expected}); "
                "uw wijziging is niet opgeslagen",
                en=f"'{obj.code}' was changed meanwhile (now version {obj.version}, you had {expected})",
            )

    @staticmethod
    def _apply(sheet: str, obj: Any, rec: Mapping[str, Any]) -> None:
        for col in SHEETS[sheet]:
            if col.key in ("version", "code"):
                continue
            v = rec.get(col.key)
            v = dump_list(v) if col.kind == "list" else v
            attr = _ATTR.get(col.key, col.key)
            if getattr(obj, attr) != v:
                setattr(obj, attr, v)

    def _insert(self, s: Session, sheet: str, rec: Mapping[str, Any]) -> Any:
        obj = MODELS[sheet](code=rec["code"])
        self._apply(sheet, obj, rec)
        s.add(obj)
        s.flush()
        return obj

    # -- adjustments ----------------------------------------------------------------------------------

    def add_adjustment(
        self,
        code: str,
        *,
        scheme: str,
        kind: str,
        change: str,
        effective_from: dt.date | str,
        regions: Iterable[str] = (),
        indicators: Iterable[str] = (),
        toets_before: str | Path | None = None,
        toets_after: str | Path | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record an adjustment; with both policy files, run the toets before and after and keep both."""
        rec: dict[str, Any] = {
            "code": code,
            "scheme": scheme,
            "kind": kind,
            "change": change,
            "effective_from": effective_from,
            "regions": list(regions),
            "indicators": list(indicators),
            "note": note,
        }
        if (toets_before is None) != (toets_after is None):
            raise ConfigError(
                "geef beide beleidsbestanden (vóór en ná de aanpassing) of geen van beide",
                en="give both policy files (before and after the adjustment) or neither",
                field="--toets-voor/--toets-na",
            )
        if toets_before is not None and toets_after is not None:
            pair = effects.toets_pair(toets_before, toets_after)
            rec.update(
                toets_before_file=Path(pair["before_file"]).name,
                toets_before_policy=pair["before_policy"],
                toets_after_file=Path(pair["after_file"]).name,
                toets_after_policy=pair["after_policy"],
                toets_result=json.dumps(pair["result"], ensure_ascii=False, default=str),
            )
        with self.transaction() as s:
            checked = self._one("aanpassingen", rec, s)
            self._refuse_existing(s, "aanpassingen", code)
            return self.adjustment_dict(self._insert(s, "aanpassingen", checked))

    @staticmethod
    def adjustment_dict(a: Adjustment) -> dict[str, Any]:
        d = record("aanpassingen", a)
        d["toets_result"] = json.loads(a.toets_result) if a.toets_result else None
        return d

    def adjustments(self) -> pd.DataFrame:
        with self.transaction("read") as s:
            rows = [
                record("aanpassingen", a) for a in s.scalars(select(Adjustment).order_by(Adjustment.code))
            ]
        cols = [
            "code",
            "scheme",
            "kind",
            "effective_from",
            "regions",
            "indicators",
            "toets_after_file",
            "version",
        ]
        return (
            pd.DataFrame(rows, columns=[c.key for c in SHEETS["aanpassingen"]])[cols]
            if rows
            else pd.DataFrame(columns=cols)
        )

    def get_adjustment(self, code: str) -> dict[str, Any]:
        with self.transaction("read") as s:
            return self.adjustment_dict(self._load(s, "aanpassingen", code))

    def adjustment_effect(
        self, code: str, *, k: int = 3, lang: str = "nl", snap: Any = None, region_set: Any = None
    ) -> effects.EffectPanel:
        """The effect panel of a stored adjustment (its regions, target indicators and start date)."""
        a = self.get_adjustment(code)
        panel = effects.effect_panel(
            a["indicators"],
            a["effective_from"],
            regions=a["regions"],
            k=k,
            snap=snap,
            region_set=region_set,
            lang=lang,
        )
        panel.meta["adjustment"] = code
        panel.meta["effective_from"] = a["effective_from"]
        return panel

    # -- lessons ----------------------------------------------------------------------------------------

    def add_lesson(
        self,
        code: str,
        *,
        region: str,
        theme: str,
        title: str,
        tried: str | None = None,
        worked: str | None = None,
        not_worked: str | None = None,
        national_rule: str | None = None,
        adjustment: str | None = None,
        plan: str | None = None,
        recorded_on: dt.date | str | None = None,
    ) -> dict[str, Any]:
        """Record a lesson of a region on a theme."""
        rec = {
            "code": code,
            "region": region,
            "theme": theme,
            "title": title,
            "tried": tried,
            "worked": worked,
            "not_worked": not_worked,
            "national_rule": national_rule,
            "adjustment": adjustment,
            "plan": plan,
            "recorded_on": recorded_on or dt.date.today(),
        }
        with self.transaction() as s:
            checked = self._one("lessen", rec, s)
            self._refuse_existing(s, "lessen", code)
            return record("lessen", self._insert(s, "lessen", checked))

    def lessons(
        self, *, text: str | None = None, theme: str | None = None, region: str | None = None
    ) -> pd.DataFrame:
        """Lessons, filtered by theme, region and a text found (case-insensitive) in any text field."""
        with self.transaction("read") as s:
            q = select(Lesson).order_by(Lesson.region_id, Lesson.theme, Lesson.code)
            if theme:
                q = q.where(Lesson.theme == theme)
            if region:
                q = q.where(Lesson.region_id == region)
            rows = [record("lessen", x) for x in s.scalars(q)]
        if text:
            needle = text.casefold()
            rows = [r for r in rows if any(needle in str(r.get(f) or "").casefold() for f in _TEXT_FIELDS)]
        return pd.DataFrame(rows, columns=[*(c.key for c in SHEETS["lessen"])])

    # -- border obstacles ---------------------------------------------------------------------------------

    def add_obstacle(
        self,
        code: str,
        *,
        title: str,
        rule: str,
        rule_kind: str,
        country: str,
        groups: Iterable[str] = (),
        gemeenten: Iterable[str] | None = None,
        distance_km: int = 0,
        status: str = "gesignaleerd",
        grenstoets: str | Path | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record a border obstacle; gemeenten default to those within ``distance_km`` of the land border."""
        chosen = sorted(set(gemeenten or []))
        km: int | None = None
        if not chosen:
            chosen = obstacles.border_gemeenten_within(country, distance_km)
            km = distance_km
        people, basis = obstacles.people_in(chosen)
        rec: dict[str, Any] = {
            "code": code,
            "title": title,
            "rule": rule,
            "rule_kind": rule_kind,
            "country": country,
            "groups": list(groups),
            "gemeenten": chosen,
            "distance_km": km,
            "people": people,
            "people_basis": f"{basis}; som over {len(chosen)} gemeenten",
            "status": status,
            "note": note,
        }
        if grenstoets is not None:
            from npvr.border import grenstoets as run_grenstoets

            run_grenstoets(grenstoets)  # a form that does not load is refused here, with its line
            rec.update(
                grenstoets_file=Path(grenstoets).name,
                grenstoets_form=Path(grenstoets).read_text(encoding="utf-8"),
            )
        with self.transaction() as s:
            checked = self._one("belemmeringen", rec, s)
            self._refuse_existing(s, "belemmeringen", code)
            return record("belemmeringen", self._insert(s, "belemmeringen", checked))

    def set_obstacle_status(
        self, code: str, status: str, *, expected_version: int | None = None
    ) -> dict[str, Any]:
        with self.transaction() as s:
            o = self._load(s, "belemmeringen", code)
            self._version(o, expected_version)
            checked = self._one(
                "belemmeringen", {**record("belemmeringen", o), "status": status, "version": None}, s
            )
            self._apply("belemmeringen", o, checked)
            s.flush()
            return record("belemmeringen", o)

    def obstacles(self, *, country: str | None = None, status: str | None = None) -> pd.DataFrame:
        with self.transaction("read") as s:
            q = select(Obstacle).order_by(Obstacle.code)
            if country:
                q = q.where(Obstacle.country == country)
            if status:
                q = q.where(Obstacle.status == status)
            rows = [record("belemmeringen", o) for o in s.scalars(q)]
        return pd.DataFrame(rows, columns=[*(c.key for c in SHEETS["belemmeringen"])])

    def get_obstacle(self, code: str) -> dict[str, Any]:
        with self.transaction("read") as s:
            return record("belemmeringen", self._load(s, "belemmeringen", code))

    # -- BRIDGEforEU files ------------------------------------------------------------------------------

    def bridge_new(
        self,
        code: str,
        *,
        title: str,
        initiator: str,
        on: dt.date | str,
        coordination_point: str | None = None,
        obstacle: str | None = None,
        elements: Mapping[str, str | None] | None = None,
    ) -> dict[str, Any]:
        """Open a file in state 'concept'; ``elements`` maps 'a'…'g' (Art. 8(1)) to text."""
        day = bridge.as_date(on)
        rec: dict[str, Any] = {
            "code": code,
            "title": title,
            "initiator": initiator,
            "obstacle": obstacle,
            "coordination_point": coordination_point,
            "state": "concept",
            "state_since": day,
        }
        for letter, text in (elements or {}).items():
            rec[f"el_{letter}"] = text
        step = {"file": code, "seq": 1, "from_state": None, "to_state": "concept", "step_date": day}
        with self.transaction() as s:
            checked = self._one(
                "bridge_dossiers", rec, s, {"bridge_stappen": [(None, _values("bridge_stappen", step))]}
            )
            self._refuse_existing(s, "bridge_dossiers", code)
            f = self._insert(s, "bridge_dossiers", checked)
            f.steps.append(BridgeStep(seq=1, from_state=None, to_state="concept", step_date=day))
            s.flush()
            return self.bridge_dict(f)

    def bridge_step(
        self,
        code: str,
        to_state: str,
        *,
        on: dt.date | str,
        note: str | None = None,
        reasons: str | None = None,
        outcome: str | None = None,
        redress_months: int | None = None,
        elements: Mapping[str, str | None] | None = None,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Move a file one step along the procedure; refused (with the allowed steps) when not allowed."""
        day = bridge.as_date(on)
        with self.transaction() as s:
            f = self._load(s, "bridge_dossiers", code)
            self._version(f, expected_version)
            bridge.check_transition(code, f.state, to_state)
            if day < f.state_since:
                raise ConfigError(
                    f"datum {day} ligt vóór de vorige stap van {code} ({f.state_since})",
                    en=f"date {day} is before the previous step of {code} ({f.state_since})",
                    field="datum",
                )
            rec = record("bridge_dossiers", f)
            for letter, text in (elements or {}).items():
                rec[f"el_{letter}"] = text
            rec.update(state=to_state, state_since=day, version=None)
            if to_state == "ingediend":
                rec["submitted_on"] = day
            if to_state == "afgerond":
                rec.update(outcome_on=day, outcome=outcome)
            if reasons is not None:
                rec["reasons"] = reasons
            elif to_state in bridge.NEEDS_REASONS:
                rec["reasons"] = None  # reasons of an earlier decision do not carry over
            if redress_months is not None:
                rec["redress_months"] = redress_months
            steps = [step_record(x) for x in f.steps]
            new = {
                "file": code,
                "seq": len(steps) + 1,
                "from_state": f.state,
                "to_state": to_state,
                "step_date": day,
                "note": note,
            }
            extra = {"bridge_stappen": [(None, _values("bridge_stappen", x)) for x in [*steps, new]]}
            checked = self._one("bridge_dossiers", rec, s, extra)
            self._apply("bridge_dossiers", f, checked)
            f.steps.append(
                BridgeStep(
                    seq=new["seq"], from_state=new["from_state"], to_state=to_state, step_date=day, note=note
                )
            )
            s.flush()
            return self.bridge_dict(f)

    def bridge_edit(
        self,
        code: str,
        *,
        elements: Mapping[str, str | None] | None = None,
        title: str | None = None,
        coordination_point: str | None = None,
        obstacle: str | None = None,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Fill in or correct a file's elements and details without moving it along the procedure.

        The same checks apply as on a step (e.g. a submitted file keeps the required elements).
        """
        with self.transaction() as s:
            f = self._load(s, "bridge_dossiers", code)
            self._version(f, expected_version)
            rec = record("bridge_dossiers", f)
            for letter, text in (elements or {}).items():
                rec[f"el_{letter}"] = text
            for key, v in (
                ("title", title),
                ("coordination_point", coordination_point),
                ("obstacle", obstacle),
            ):
                if v is not None:
                    rec[key] = v
            rec["version"] = None
            steps = [step_record(x) for x in f.steps]
            extra = {"bridge_stappen": [(None, _values("bridge_stappen", x)) for x in steps]}
            checked = self._one("bridge_dossiers", rec, s, extra)
            self._apply("bridge_dossiers", f, checked)
            s.flush()
            return self.bridge_dict(f)

    @staticmethod
    def bridge_dict(f: BridgeFile) -> dict[str, Any]:
        d = record("bridge_dossiers", f)
        d["steps"] = [step_record(x) for x in f.steps]
        return d

    def bridge_files(
        self, *, today: dt.date | None = None, rules: bridge.DeadlineRules | None = None
    ) -> list[dict[str, Any]]:
        """Every file with its steps and its time limits (due dates, open, overdue) as of ``today``."""
        with self.transaction("read") as s:
            files = [
                self.bridge_dict(f)
                for f in s.scalars(
                    select(BridgeFile).options(selectinload(BridgeFile.steps)).order_by(BridgeFile.code)
                )
            ]
        for f in files:
            f["deadlines"] = bridge.file_deadlines(f, today=today, rules=rules)
            f["overdue"] = any(d["overdue"] for d in f["deadlines"])
        return files

    def get_bridge_file(self, code: str, *, today: dt.date | None = None) -> dict[str, Any]:
        with self.transaction("read") as s:
            f = self.bridge_dict(self._load(s, "bridge_dossiers", code))
        f["deadlines"] = bridge.file_deadlines(f, today=today)
        f["overdue"] = any(d["overdue"] for d in f["deadlines"])
        return f

    def overdue(self, *, today: dt.date | None = None) -> list[dict[str, Any]]:
        """Files with an overdue time limit (see :func:`npvr.loop.bridge.overdue_files`)."""
        return bridge.overdue_files(self.bridge_files(today=today), today=today)

    # -- exchange -------------------------------------------------------------------------------------------

    def export_loop(self) -> dict[str, pd.DataFrame]:
        """The whole policy loop as sheets of the exchange format (Dutch column names)."""
        out: dict[str, pd.DataFrame] = {}
        with self.transaction("read") as s:
            for sheet, model in MODELS.items():
                q = select(model).order_by(model.code)
                recs = [record(sheet, o) for o in s.scalars(q)]
                out[sheet] = pd.DataFrame(
                    [_values(sheet, r) for r in recs], columns=[c.name for c in SHEETS[sheet]]
                )
            steps = s.scalars(select(BridgeStep).options(selectinload(BridgeStep.file)))
            srecs = sorted((step_record(x) for x in steps), key=lambda r: (r["file"], r["seq"]))
            out["bridge_stappen"] = pd.DataFrame(
                [_values("bridge_stappen", r) for r in srecs],
                columns=[c.name for c in SHEETS["bridge_stappen"]],
            )
        return out

    def export_lessons(
        self, *, text: str | None = None, theme: str | None = None, region: str | None = None
    ) -> dict[str, pd.DataFrame]:
        """A selection of lessons as the ``lessen`` sheet of the exchange format (importable)."""
        df = self.lessons(text=text, theme=theme, region=region)
        rows = [_values("lessen", r) for r in df.to_dict(orient="records")]
        return {"lessen": pd.DataFrame(rows, columns=[c.name for c in SHEETS["lessen"]])}

    def import_loop(
        self,
        raw: Mapping[str, Sequence[tuple[int | None, Mapping[str, Any]]]],
        *,
        file: str | None = None,
    ) -> ImportResult:
        """Validate every row, then write all of them in one transaction — or nothing.

        Rows are merged by code; a file's steps on ``bridge_stappen`` are its whole history and
        replace the stored steps when they differ. Nothing else is deleted by an import.
        """
        origin = f"{self.origin} import {file}" if file else f"{self.origin} import"
        with self.transaction(origin=origin) as s:
            batch = self._check(raw, s, file=file)
            counts: dict[str, int] = {}
            files: dict[str, BridgeFile] = {}
            for sheet, model in MODELS.items():
                stored = {o.code: o for o in s.scalars(select(model))}
                for rec in batch[sheet]:
                    obj = stored.get(rec["code"])
                    if obj is None:
                        obj = self._insert(s, sheet, rec)
                    else:
                        self._apply(sheet, obj, rec)
                    if sheet == "bridge_dossiers":
                        files[rec["code"]] = obj
                counts[sheet] = len(batch[sheet])
            s.flush()
            by_file: dict[str, list[dict[str, Any]]] = {}
            for rec in batch["bridge_stappen"]:
                by_file.setdefault(rec["file"], []).append(rec)
            for code, recs in by_file.items():
                f = files[code]
                want = [
                    (r["seq"], r["from_state"], r["to_state"], r["step_date"], r.get("note"))
                    for r in sorted(recs, key=lambda r: r["seq"])
                ]
                have = [(x.seq, x.from_state, x.to_state, x.step_date, x.note) for x in f.steps]
                if want != have:
                    for x in list(f.steps):
                        s.delete(x)
                    s.flush()
                    s.expire(f, ["steps"])
                    for seq, frm, to, day, note in want:
                        s.add(
                            BridgeStep(file=f, seq=seq, from_state=frm, to_state=to, step_date=day, note=note)
                        )
            counts["bridge_stappen"] = len(batch["bridge_stappen"])
            s.flush()
        return ImportResult(counts=counts, warnings=[])

    def audit(self, *, limit: int | None = None) -> pd.DataFrame:
        """The audit trail of the loop's tables (the register's log, filtered)."""
        log = self.log()
        names = {m.__tablename__ for m in LOOP_AUDITED}
        out = log[log["entity"].isin(names)].reset_index(drop=True)
        return out.tail(limit).reset_index(drop=True) if limit else out
