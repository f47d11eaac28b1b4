"""Claims on the review queue (a reviewer's hold on one unit), and on PostgreSQL the decision log's append-only guard.

``claims`` holds at most one row per unit: who holds it and until when (:mod:`evidence.store.claims`).
SQLite databases have refused UPDATE and DELETE on ``decisions`` with triggers since 0001; a PostgreSQL
database gets the same refusal here, from a trigger function, whatever revision it was created at.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-14
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUARD_FUNCTION = "decisions_append_only"
APPEND_ONLY_TRIGGERS = {
    "decisions_no_update": "BEFORE UPDATE ON decisions",
    "decisions_no_delete": "BEFORE DELETE ON decisions",
}


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), primary_key=True, autoincrement=False),
        sa.Column("reviewer", sa.String(120), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_claims_reviewer", "claims", ["reviewer"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "RAISE EXCEPTION 'decisions are append-only; record an undo instead'; END $$")
        for name, when in APPEND_ONLY_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON decisions")
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in APPEND_ONLY_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON decisions")
        op.execute(f"DROP FUNCTION IF EXISTS {GUARD_FUNCTION}()")
    op.drop_index("ix_claims_reviewer", table_name="claims")
    op.drop_table("claims")
