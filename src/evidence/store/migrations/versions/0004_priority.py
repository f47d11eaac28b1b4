"""Units keep their place in the review order, computed when the batch is screened, so a reviewer's first card
needs no model.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("units") as table:  # batch mode: SQLite cannot alter a table in place
        table.add_column(sa.Column("priority", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as table:
        table.drop_column("priority")
