"""Bulk reads and writes for import and export: SQLAlchemy Core, executemany, no ORM per row.

A workbook of 100,000 amounts must import and export in seconds, so this module reads the whole
register once into plain dicts (:class:`State`), works out what changes in Python, and writes
inserts and updates in batches inside the caller's transaction (all or nothing). It writes the
audit entries itself, in the same format as the ORM listener of :mod:`npvr.register.service`
(same fields, same keys), so an import and an API call leave the same trail.

Updates are versioned like the ORM's: ``UPDATE … SET version = v + 1 WHERE id = :id AND
version = v`` with ``v`` the version this import read; a row changed meanwhile by someone else
matches no row, and the whole import is refused with a :class:`~npvr.errors.ConflictError`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from npvr.errors import ConflictError
from npvr.register.models import (
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
from npvr.register.validate import Batch, Existing, amount_key

#: Environment hook for the crash test: when set to a file path, an import writes half its rows
#: inside the transaction, creates that file and sleeps, so a test can SIGKILL it there.
PAUSE_ENV = "NPVR_REGISTER_IMPORT_PAUSE"

CHUNK = 10_000
AmountKey = tuple[str, int, str, str, str, str]

_P: Table = Plan.__table__  # type: ignore[assignment]
_M: Table = Measure.__table__  # type: ignore[assignment]
_MG: Table = MeasureGemeente.__table__  # type: ignore[assignment]
_MI: Table = MeasureIndicator.__table__  # type: ignore[assignment]
_S: Table = FundingSource.__table__  # type: ignore[assignment]
_A: Table = Amount.__table__  # type: ignore[assignment]
_N: Table = Need.__table__  # type: ignore[assignment]
_L: Table = AuditEntry.__table__  # type: ignore[assignment]

PLAN_FIELDS = ("code", "region_id", "kind", "title", "status", "status_date", "note")
MEASURE_FIELDS = ("code", "region_id", "title", "description", "theme", "goal")
NEED_FIELDS = ("region_id", "theme", "year", "amount", "source")


def jsonable(v: Any) -> Any:
    """A value as the audit log stores it (Decimal and dates as text)."""
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return v


def audit_row(
    action: str, entity: str, key: str, changes: dict[str, Any], actor: str, origin: str
) -> dict[str, Any]:
    """One audit-log row; key and origin are cut to their column widths (the full key is in
    ``changes``), so a long party or scheme name can never make the write fail on PostgreSQL."""
    return {
        "at": utcnow(),
        "actor": actor[:200],
        "origin": origin[:400],
        "action": action,
        "entity": entity,
        "entity_key": key[:400],
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
    }


# --- the register as plain dicts ----------------------------------------------------------------


@dataclass
class State:
    """Everything in the register, keyed by natural keys, with ids and versions."""

    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[tuple[str, str, str], int] = field(default_factory=dict)
    amounts: dict[AmountKey, dict[str, Any]] = field(default_factory=dict)
    needs: dict[tuple[str, str, int], dict[str, Any]] = field(default_factory=dict)

    def existing(self) -> Existing:
        """What the validator needs to know about the register."""
        ex = Existing()
        ex.plans = {c: (p["region_id"], p["version"]) for c, p in self.plans.items()}
        ex.measures = {c: (m["region_id"], m["version"]) for c, m in self.measures.items()}
        ex.amounts = {k: a["amount"] for k, a in self.amounts.items()}
        ex.amount_versions = {k: a["version"] for k, a in self.amounts.items()}
        ex.needs = {k: n["version"] for k, n in self.needs.items()}
        return ex


def load_state(conn: Connection) -> State:
    """Read the whole register in a handful of queries."""
    st = State()
    plan_code: dict[int, str] = {}
    for r in conn.execute(select(_P)).mappings():
        st.plans[r["code"]] = dict(r)
        plan_code[r["id"]] = r["code"]
    by_id: dict[int, dict[str, Any]] = {}
    for r in conn.execute(select(_M)).mappings():
        m = dict(r)
        m["plan"] = plan_code.get(m["plan_id"]) if m["plan_id"] is not None else None
        m["gemeenten"], m["indicators"] = [], []
        st.measures[m["code"]] = by_id[m["id"]] = m
    for mid, gm in conn.execute(select(_MG.c.measure_id, _MG.c.gm_code).order_by(_MG.c.gm_code)):
        by_id[mid]["gemeenten"].append(gm)
    for mid, ind in conn.execute(select(_MI.c.measure_id, _MI.c.indicator_id).order_by(_MI.c.indicator_id)):
        by_id[mid]["indicators"].append(ind)
    src_by_id: dict[int, tuple[str, str, str]] = {}
    for sid, st_, party, scheme in conn.execute(select(_S.c.id, _S.c.source_type, _S.c.party, _S.c.scheme)):
        st.sources[(st_, party, scheme)] = sid
        src_by_id[sid] = (st_, party, scheme)
    code_by_id = {m["id"]: c for c, m in st.measures.items()}
    for r in conn.execute(select(_A)).mappings():
        src = src_by_id[r["source_id"]]
        key = (code_by_id[r["measure_id"]], r["year"], *src, r["kind"])
        st.amounts[key] = dict(r)  # type: ignore[index]
    for r in conn.execute(select(_N)).mappings():
        st.needs[(r["region_id"], r["theme"], r["year"])] = dict(r)
    return st


# --- writing ------------------------------------------------------------------------------------


class _Writer:
    """Collects statements and their rows; runs them in chunks, counting rows for the pause hook."""

    def __init__(self, conn: Connection, total: int) -> None:
        self.conn = conn
        self.total = total
        self.written = 0
        self.pause = os.environ.get(PAUSE_ENV)
        self.chunk = 1 if self.pause else CHUNK

    def _tick(self, n: int) -> None:
        before = self.written
        self.written += n
        half = max(1, self.total // 2)
        if self.pause and before < half <= self.written:
            Path(self.pause).write_text(f"{self.written}/{self.total}\n")
            time.sleep(120)

    def insert(self, table: Table, rows: Sequence[dict[str, Any]], *, count: bool = True) -> None:
        for i in range(0, len(rows), self.chunk):
            part = rows[i : i + self.chunk]
            self.conn.execute(insert(table), list(part))
            if count:
                self._tick(len(part))

    def update(self, table: Table, rows: Sequence[dict[str, Any]], what: str) -> None:
        """Versioned updates: each row has ``_id``, ``_v`` (version read) and the new values."""
        if not rows:
            return
        cols = [k for k in rows[0] if not k.startswith("_")]
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_v"))
            .values(
                {**{c: bindparam(f"v_{c}", type_=table.c[c].type) for c in cols}, "version": bindparam("_nv")}
            )
        )
        for i in range(0, len(rows), self.chunk):
            part = [
                {**{f"v_{c}": r[c] for c in cols}, "_id": r["_id"], "_v": r["_v"], "_nv": r["_v"] + 1}
                for r in rows[i : i + self.chunk]
            ]
            res = self.conn.execute(stmt, part)
            if res.rowcount != len(part):
                raise ConflictError(
                    f"{what}: iemand anders wijzigde tijdens de import een van deze regels; er is niets "
                    "opgeslagen. Exporteer opnieuw en probeer het nog eens",
                    en=f"{what}: somebody else changed one of these rows during the import; nothing was "
                    "saved. Export again and retry",
                )
            self._tick(len(part))


def write_batch(conn: Connection, batch: Batch, st: State, *, actor: str, origin: str) -> dict[str, int]:
    """Merge a validated batch into the register by natural key; returns rows per sheet.

    Unchanged rows are not touched (no version bump, no audit entry); nothing is deleted.
    """
    now = utcnow()
    audit: list[dict[str, Any]] = []

    def log(action: str, entity: str, key: str, changes: dict[str, Any]) -> None:
        audit.append(audit_row(action, entity, key, changes, actor, origin))

    # -- plans
    plan_ins: list[dict[str, Any]] = []
    plan_upd: list[dict[str, Any]] = []
    for rec in batch.plannen:
        new = {
            "code": rec["code"],
            "region_id": rec["region"],
            "kind": rec["kind"],
            "title": rec["title"],
            "status": rec["status"],
            "status_date": rec.get("status_date"),
            "note": rec.get("note"),
        }
        old = st.plans.get(rec["code"])
        if old is None:
            plan_ins.append({**new, "version": 1, "updated_at": now})
            log("insert", "plans", rec["code"], {k: [None, jsonable(v)] for k, v in new.items()})
            continue
        diff = _diff(old, new, PLAN_FIELDS)
        if diff:
            plan_upd.append({**new, "updated_at": now, "_id": old["id"], "_v": old["version"]})
            log("update", "plans", rec["code"], diff)

    # -- measures (plan ids are known only after the plans are written)
    meas_ins: list[dict[str, Any]] = []
    meas_upd: list[tuple[dict[str, Any], dict[str, Any]]] = []
    links_new: dict[str, tuple[list[str], list[str]]] = {}
    links_changed: dict[str, tuple[list[str], list[str]]] = {}
    for rec in batch.maatregelen:
        code = rec["code"]
        new = {
            "code": code,
            "region_id": rec["region"],
            "title": rec["title"],
            "description": rec.get("description"),
            "theme": rec["theme"],
            "goal": rec.get("goal"),
        }
        gms, inds = sorted(rec.get("gemeenten") or []), sorted(rec.get("indicators") or [])
        old = st.measures.get(code)
        if old is None:
            meas_ins.append({**new, "_plan": rec.get("plan")})
            links_new[code] = (gms, inds)
            snap = {k: [None, jsonable(v)] for k, v in new.items()}
            snap.update(plan=[None, rec.get("plan")], gemeenten=[None, gms], indicators=[None, inds])
            log("insert", "measures", code, snap)
            continue
        diff = _diff(old, new, MEASURE_FIELDS)
        if old["plan"] != rec.get("plan"):
            diff["plan"] = [old["plan"], rec.get("plan")]
        if old["gemeenten"] != gms:
            diff["gemeenten"] = [old["gemeenten"], gms]
        if old["indicators"] != inds:
            diff["indicators"] = [old["indicators"], inds]
        if diff:
            meas_upd.append(({**new, "_plan": rec.get("plan")}, old))
            if "gemeenten" in diff or "indicators" in diff:
                links_changed[code] = (gms, inds)
            log("update", "measures", code, diff)

    # -- funding sources and amounts
    new_sources = sorted(
        {amount_key(r)[2:5] for r in batch.bedragen} - set(st.sources)  # type: ignore[arg-type]
    )
    for src in new_sources:
        log("insert", "funding_sources", "/".join(src), {
            "source_type": [None, src[0]], "party": [None, src[1]], "scheme": [None, src[2]]
        })  # fmt: skip
    amt_ins: list[tuple[AmountKey, dict[str, Any]]] = []
    amt_upd: list[dict[str, Any]] = []
    amt_upd_codes: set[str] = set()
    for rec in batch.bedragen:
        key = amount_key(rec)
        new = {"amount": rec["amount"], "cofinancing_share": rec.get("cofinancing_share")}
        old = st.amounts.get(key)
        akey = f"{key[0]}/{key[1]}/{key[2]}/{key[3]}/{key[4]}/{key[5]}"
        if old is None:
            amt_ins.append((key, new))
            log("insert", "amounts", akey, {
                "year": [None, key[1]], "kind": [None, key[5]], "amount": [None, jsonable(new["amount"])],
                "cofinancing_share": [None, jsonable(new["cofinancing_share"])],
                "measure": [None, key[0]], "source": [None, "/".join(key[2:5])],
            })  # fmt: skip
            continue
        diff = _diff(old, new, ("amount", "cofinancing_share"))
        if diff:
            amt_upd.append({**new, "_id": old["id"], "_v": old["version"]})
            amt_upd_codes.add(key[0])
            log("update", "amounts", akey, diff)

    # -- need
    need_ins: list[dict[str, Any]] = []
    need_upd: list[dict[str, Any]] = []
    for rec in batch.behoefte:
        key3 = (rec["region"], rec["theme"], rec["year"])
        new = {
            "region_id": rec["region"],
            "theme": rec["theme"],
            "year": rec["year"],
            "amount": rec["amount"],
            "source": rec.get("source"),
        }
        old = st.needs.get(key3)
        nkey = f"{rec['region']}/{rec['theme'] or '*'}/{rec['year']}"
        if old is None:
            need_ins.append({**new, "version": 1})
            log("insert", "needs", nkey, {k: [None, jsonable(v)] for k, v in new.items()})
            continue
        diff = _diff(old, new, NEED_FIELDS)
        if diff:
            need_upd.append(
                {"amount": new["amount"], "source": new["source"], "_id": old["id"], "_v": old["version"]}
            )
            log("update", "needs", nkey, diff)

    total = (
        len(plan_ins) + len(plan_upd) + len(meas_ins) + len(meas_upd) + len(amt_ins) + len(amt_upd)
        + len(need_ins) + len(need_upd)
    )  # fmt: skip
    w = _Writer(conn, total)
    w.insert(_P, plan_ins)
    w.update(_P, plan_upd, "plannen")
    plan_ids = _ids(conn, _P, _P.c.code, {r["_plan"] for r in (*meas_ins, *(u for u, _o in meas_upd))})
    w.insert(_M, [_measure_row(r, plan_ids, now) for r in meas_ins])
    upd_rows = []
    for r, old in meas_upd:
        upd_rows.append({**_measure_row(r, plan_ids, now), "_id": old["id"], "_v": old["version"]})
    for row in upd_rows:
        row.pop("version", None)
    w.update(_M, upd_rows, "maatregelen")
    meas_ids = {c: m["id"] for c, m in st.measures.items()}
    meas_ids.update(_ids(conn, _M, _M.c.code, {r["code"] for r in meas_ins}))
    changed_ids = [meas_ids[c] for c in links_changed]
    for i in range(0, len(changed_ids), CHUNK):
        part = changed_ids[i : i + CHUNK]
        conn.execute(delete(_MG).where(_MG.c.measure_id.in_(part)))
        conn.execute(delete(_MI).where(_MI.c.measure_id.in_(part)))
    links = {**links_new, **links_changed}
    gm_rows = [{"measure_id": meas_ids[c], "gm_code": g} for c, (gms, _i) in links.items() for g in gms]
    ind_rows = [
        {"measure_id": meas_ids[c], "indicator_id": x} for c, (_g, inds) in links.items() for x in inds
    ]
    w.insert(_MG, gm_rows, count=False)
    w.insert(_MI, ind_rows, count=False)

    if new_sources:
        conn.execute(insert(_S), [{"source_type": s[0], "party": s[1], "scheme": s[2]} for s in new_sources])
        for sid, st_, party, scheme in conn.execute(
            select(_S.c.id, _S.c.source_type, _S.c.party, _S.c.scheme)
        ):
            st.sources[(st_, party, scheme)] = sid
    w.insert(
        _A,
        [
            {
                "measure_id": meas_ids[k[0]],
                "year": k[1],
                "source_id": st.sources[(k[2], k[3], k[4])],
                "kind": k[5],
                "amount": v["amount"],
                "cofinancing_share": v["cofinancing_share"],
                "version": 1,
            }
            for k, v in amt_ins
        ],
    )
    w.update(_A, amt_upd, "bedragen")
    # money of an existing measure changed: its version + 1 (the measure's version covers its money)
    bumped = {u["code"] for u, _o in meas_upd}
    touched = sorted(({k[0] for k, _v in amt_ins} | amt_upd_codes) - set(links_new) - bumped)
    w.update(
        _M,
        [{"updated_at": now, "_id": st.measures[c]["id"], "_v": st.measures[c]["version"]} for c in touched],
        "maatregelen",
    )
    w.insert(_N, need_ins)
    w.update(_N, need_upd, "behoefte")
    for i in range(0, len(audit), CHUNK):
        conn.execute(insert(_L), audit[i : i + CHUNK])
    return {
        "plannen": len(batch.plannen),
        "maatregelen": len(batch.maatregelen),
        "bedragen": len(batch.bedragen),
        "behoefte": len(batch.behoefte),
    }


def _diff(old: dict[str, Any], new: dict[str, Any], fields: Sequence[str]) -> dict[str, list[Any]]:
    return {f: [jsonable(old[f]), jsonable(new[f])] for f in fields if old[f] != new[f]}


def _ids(conn: Connection, table: Table, col: Any, codes: set[Any]) -> dict[str, int]:
    codes = {c for c in codes if c}
    out: dict[str, int] = {}
    ordered = sorted(codes)
    for i in range(0, len(ordered), CHUNK):
        part = ordered[i : i + CHUNK]
        out.update({c: i for c, i in conn.execute(select(col, table.c.id).where(col.in_(part)))})
    return out


def _measure_row(r: dict[str, Any], plan_ids: dict[str, int], now: dt.datetime) -> dict[str, Any]:
    row = {k: v for k, v in r.items() if not k.startswith("_")}
    row["plan_id"] = plan_ids.get(r["_plan"]) if r["_plan"] else None
    row["version"] = 1
    row["updated_at"] = now
    return row


# --- export ---------------------------------------------------------------------------------------


def export_rows(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """The whole register as record dicts per sheet (English keys), sorted like the API lists."""
    st = load_state(conn)
    plans = [
        {
            "code": p["code"],
            "region": p["region_id"],
            "kind": p["kind"],
            "title": p["title"],
            "status": p["status"],
            "status_date": p["status_date"],
            "note": p["note"],
            "version": p["version"],
        }
        for _c, p in sorted(st.plans.items())
    ]
    measures = [
        {
            "code": m["code"],
            "region": m["region_id"],
            "plan": m["plan"],
            "title": m["title"],
            "description": m["description"],
            "theme": m["theme"],
            "goal": m["goal"],
            "gemeenten": m["gemeenten"],
            "indicators": m["indicators"],
            "version": m["version"],
        }
        for _c, m in sorted(st.measures.items())
    ]
    amounts = [
        {
            "measure": k[0],
            "region": st.measures[k[0]]["region_id"],
            "theme": st.measures[k[0]]["theme"],
            "year": k[1],
            "kind": k[5],
            "source_type": k[2],
            "party": k[3] or None,
            "scheme": k[4] or None,
            "amount": a["amount"],
            "cofinancing_share": a["cofinancing_share"],
            "version": a["version"],
        }
        for k, a in sorted(st.amounts.items())
    ]
    needs = [
        {
            "region": n["region_id"],
            "theme": n["theme"],
            "year": n["year"],
            "amount": n["amount"],
            "source": n["source"],
            "version": n["version"],
        }
        for _k, n in sorted(st.needs.items())
    ]
    return {"plannen": plans, "maatregelen": measures, "bedragen": amounts, "behoefte": needs}
