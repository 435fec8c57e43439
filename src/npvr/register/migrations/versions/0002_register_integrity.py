"""Register integrity: versions on amounts and need rows, an audit log that REPLACE cannot
rewrite on SQLite, and the one theme list (the indicator catalogue's).

* ``amounts.version`` and ``needs.version`` (optimistic locking, like plans and measures): every
  change of a value must name the version that was read, so a read-modify-write cannot lose an
  update.
* SQLite fires no DELETE trigger for ``REPLACE INTO`` / ``INSERT OR REPLACE``; a BEFORE INSERT
  trigger now refuses an insert whose id is already taken, so an entry cannot be replaced.
* Themes: the register's own theme words become the catalogue themes (``LEGACY`` below); need
  rows that collapse onto one theme are added up. Each change is written to the audit log.

Revision ID: 0002_register_integrity
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0002_register_integrity"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Fixed here (a migration must not change when the code does): old register theme -> catalogue theme.
LEGACY = {
    "leefomgeving": "woonomgeving",
    "wonen": "huisvesting",
    "zorg": "gezondheid",
    "onderwijs": "opleiding",
    "energie": "woonomgeving",
    "grens": "werk",
}
ACTOR = "npvr-migratie 0002_register_integrity"


def upgrade() -> None:
    op.add_column("amounts", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("needs", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    _map_themes()


def _audit(conn: sa.Connection, action: str, entity: str, key: str, changes: dict) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO audit_log (at, actor, origin, action, entity, entity_key, changes) "
            "VALUES (:at, :actor, :origin, :action, :entity, :key, :changes)"
        ),
        {
            "at": dt.datetime.now(dt.UTC).replace(microsecond=0),
            "actor": ACTOR,
            "origin": "migratie",
            "action": action,
            "entity": entity,
            "key": key[:400],
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
        },
    )


def _map_themes() -> None:
    conn = op.get_bind()
    for mid, code, theme in conn.execute(sa.text("SELECT id, code, theme FROM measures")).all():
        if theme in LEGACY:
            conn.execute(
                sa.text("UPDATE measures SET theme = :t, version = version + 1 WHERE id = :id"),
                {"t": LEGACY[theme], "id": mid},
            )
            _audit(conn, "update", "measures", code, {"theme": [theme, LEGACY[theme]]})
    rows = conn.execute(sa.text("SELECT id, region_id, theme, year, amount FROM needs ORDER BY id")).all()
    groups: dict[tuple[str, str, int], list[tuple[int, str, int]]] = defaultdict(list)
    for nid, region, theme, year, cents in rows:
        groups[(region, LEGACY.get(theme, theme), year)].append((nid, theme, cents))
    for (region, new, year), members in groups.items():
        if all(theme == new for _i, theme, _c in members):
            continue
        keep, total = members[0][0], sum(c for _i, _t, c in members)
        for nid, theme, cents in members[1:]:
            conn.execute(sa.text("DELETE FROM needs WHERE id = :id"), {"id": nid})
            _audit(conn, "delete", "needs", f"{region}/{theme}/{year}", {"amount": [str(cents / 100), None]})
        old_theme = members[0][1]
        conn.execute(
            sa.text("UPDATE needs SET theme = :t, amount = :a, version = version + 1 WHERE id = :id"),
            {"t": new, "a": total, "id": keep},
        )
        _audit(conn, "update", "needs", f"{region}/{new}/{year}", {"theme": [old_theme, new]})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    with op.batch_alter_table("needs") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("amounts") as batch:
        batch.drop_column("version")
