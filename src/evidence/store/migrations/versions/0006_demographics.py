"""Self-declared demographics of a batch's applicants, kept apart from the statements for the adverse-impact report.

``demographics`` holds one row per applicant and category (blank where the applicant did not declare), keyed by
the id the applicant was screened under (a blind batch's original id, never its pseudonym). Nothing that serves
assessors or the model reads this table (:mod:`evidence.store.demographics`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "demographics",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("applicant_id", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(120), nullable=False),
        sa.Column("value", sa.String(300), nullable=False),
        sa.Column("uploaded_by", sa.String(120), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("batch_id", "applicant_id", "category", name="uq_demographics_batch_applicant_category"),
    )
    op.create_index("ix_demographics_batch_id", "demographics", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_demographics_batch_id", table_name="demographics")
    op.drop_table("demographics")
