"""Documents keep the id they had before a blind batch gave them a pseudonym ("Applicant 07").

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as table:  # batch mode: SQLite cannot alter a table in place
        table.add_column(sa.Column("original_id", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as table:
        table.drop_column("original_id")
