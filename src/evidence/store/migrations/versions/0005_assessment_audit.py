"""The audit trail (an append-only, hash-chained log with its one-row head), each batch's assessment policy, and
decisions' comment, moderation outcome and whether the model's suggestion was hidden from the assessor.

Columns are added with plain ``ADD COLUMN`` (SQLite has it for these), never in batch mode: batch mode copies
``decisions`` into a new table, which would drop the SQLite triggers that keep it append-only (0001).
``audit_log`` refuses UPDATE and DELETE with triggers on both databases, as ``decisions`` does.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64  # the prev_hash of the first record (evidence.store.audit.GENESIS)
GUARD_FUNCTION = "audit_log_append_only"
MESSAGE = "the audit trail is append-only"
APPEND_ONLY_TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log",
}


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    op.add_column("batches", sa.Column("reviewers_per_unit", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("batches", sa.Column("hide_suggestions", sa.Float(), nullable=False, server_default="0"))
    op.add_column("batches", sa.Column("chunked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("batches", sa.Column("moderator", sa.String(120), nullable=True))
    op.add_column("decisions", sa.Column("comment", sa.Text(), nullable=True))
    op.add_column("decisions", sa.Column("settled_kind", sa.String(20), nullable=True))
    op.add_column("decisions", sa.Column("suggestion_hidden", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"RAISE EXCEPTION '{MESSAGE}'; END $$")
        for name, when in APPEND_ONLY_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()")
    else:
        for name, when in APPEND_ONLY_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in APPEND_ONLY_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_log" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    if postgres:
        op.execute(f"DROP FUNCTION IF EXISTS {GUARD_FUNCTION}()")
    for column in ("suggestion_hidden", "settled_kind", "comment"):
        op.drop_column("decisions", column)  # SQLite 3.35+ drops a column in place, keeping the triggers
    for column in ("moderator", "chunked", "hide_suggestions", "reviewers_per_unit"):
        op.drop_column("batches", column)
    op.drop_table("audit_head")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
