"""The first schema: frameworks, batches, documents, units, suggestions and the append-only decision log.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TRIGGERS = {
    "decisions_no_update": "BEFORE UPDATE ON decisions",
    "decisions_no_delete": "BEFORE DELETE ON decisions",
}


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("framework_id", sa.String(120), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("framework_id", "content_hash", name="uq_frameworks_id_hash"),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("framework_ref", sa.Integer(), sa.ForeignKey("frameworks.id"), nullable=False),
        sa.Column("framework_id", sa.String(120), nullable=False),
        sa.Column("role_id", sa.String(120), nullable=True),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(120), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_batches_framework_id", "batches", ["framework_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("external_id", sa.String(300), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("redacted_text", sa.Text(), nullable=True),
        sa.Column("match", sa.Float(), nullable=True),
        sa.Column("analysis", sa.Text(), nullable=False),
        sa.UniqueConstraint("batch_id", "external_id", name="uq_documents_batch_external"),
    )
    op.create_index("ix_documents_batch_id", "documents", ["batch_id"])
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("cues", sa.Text(), nullable=False),
        sa.UniqueConstraint("document_id", "idx", name="uq_units_document_idx"),
    )
    op.create_index("ix_units_document_id", "units", ["document_id"])
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("counter_evidence", sa.Boolean(), nullable=False),
        sa.Column("competency", sa.String(120), nullable=False),
        sa.Column("competency_name", sa.String(300), nullable=False),
        sa.Column("level", sa.String(120), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("model_version", sa.String(120), nullable=False),
        sa.UniqueConstraint("unit_id", "counter_evidence", "rank", name="uq_suggestions_unit_rank"),
    )
    op.create_index("ix_suggestions_unit_id", "suggestions", ["unit_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("reviewer", sa.String(120), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("competency", sa.String(120), nullable=True),
        sa.Column("level", sa.String(120), nullable=True),
        sa.Column("suggested_competency", sa.String(120), nullable=True),
        sa.Column("suggested_level", sa.String(120), nullable=True),
        sa.Column("suggested_score", sa.Float(), nullable=True),
        sa.Column("model_version", sa.String(120), nullable=False),
        sa.Column("revokes", sa.Integer(), sa.ForeignKey("decisions.id"), nullable=True, unique=True),
    )
    op.create_index("ix_decisions_unit_id", "decisions", ["unit_id"])
    op.create_index("ix_decisions_reviewer", "decisions", ["reviewer"])
    if op.get_bind().dialect.name == "sqlite":
        for name, when in APPEND_ONLY_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN "
                       "SELECT RAISE(ABORT, 'decisions are append-only; record an undo instead'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in APPEND_ONLY_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("decisions", "suggestions", "units", "documents", "batches", "frameworks"):
        op.drop_table(table)
