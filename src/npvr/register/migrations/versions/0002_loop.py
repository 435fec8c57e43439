"""The policy loop: adjustments, lessons, border obstacles, BRIDGEforEU files and their steps.

Branches from the initial schema (each domain package adds its own head); the audit log of
0001 records these tables too.

Revision ID: 0002_loop
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_loop"
down_revision = "0001"
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "loop_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("scheme", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("regions", sa.Text(), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("toets_before_file", sa.String(length=400), nullable=True),
        sa.Column("toets_before_policy", sa.Text(), nullable=True),
        sa.Column("toets_after_file", sa.String(length=400), nullable=True),
        sa.Column("toets_after_policy", sa.Text(), nullable=True),
        sa.Column("toets_result", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_adjustments")),
        sa.UniqueConstraint("code", name=op.f("uq_loop_adjustments_code")),
    )
    op.create_table(
        "loop_lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("region_id", sa.String(length=64), nullable=False),
        sa.Column("theme", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("tried", sa.Text(), nullable=True),
        sa.Column("worked", sa.Text(), nullable=True),
        sa.Column("not_worked", sa.Text(), nullable=True),
        sa.Column("national_rule", sa.Text(), nullable=True),
        sa.Column("adjustment", sa.String(length=64), nullable=True),
        sa.Column("plan", sa.String(length=64), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_lessons")),
        sa.UniqueConstraint("code", name=op.f("uq_loop_lessons_code")),
    )
    op.create_index(op.f("ix_loop_lessons_region_id"), "loop_lessons", ["region_id"], unique=False)
    op.create_table(
        "loop_obstacles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("rule_kind", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("groups", sa.Text(), nullable=False),
        sa.Column("gemeenten", sa.Text(), nullable=False),
        sa.Column("distance_km", sa.Integer(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("people_basis", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("grenstoets_file", sa.String(length=400), nullable=True),
        sa.Column("grenstoets_form", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_obstacles")),
        sa.UniqueConstraint("code", name=op.f("uq_loop_obstacles_code")),
    )
    op.create_table(
        "loop_bridge_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("obstacle", sa.String(length=64), nullable=True),
        sa.Column("initiator", sa.String(length=200), nullable=False),
        sa.Column("coordination_point", sa.String(length=200), nullable=True),
        *[sa.Column(f"el_{x}", sa.Text(), nullable=True) for x in "abcdefg"],
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("state_since", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("redress_months", sa.Integer(), nullable=True),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_bridge_files")),
        sa.UniqueConstraint("code", name=op.f("uq_loop_bridge_files_code")),
    )
    op.create_table(
        "loop_bridge_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=40), nullable=True),
        sa.Column("to_state", sa.String(length=40), nullable=False),
        sa.Column("step_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["loop_bridge_files.id"],
            name=op.f("fk_loop_bridge_steps_file_id_loop_bridge_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_bridge_steps")),
    )
    op.create_index(op.f("ix_loop_bridge_steps_file_id"), "loop_bridge_steps", ["file_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_loop_bridge_steps_file_id"), table_name="loop_bridge_steps")
    op.drop_table("loop_bridge_steps")
    op.drop_table("loop_bridge_files")
    op.drop_table("loop_obstacles")
    op.drop_index(op.f("ix_loop_lessons_region_id"), table_name="loop_lessons")
    op.drop_table("loop_lessons")
    op.drop_table("loop_adjustments")
