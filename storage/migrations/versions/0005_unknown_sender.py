"""Escalations about an unknown sender: person_id may be NULL, with the sender's address.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot ALTER a column's nullability in place (the table is copied).
    with op.batch_alter_table("escalation") as batch:
        batch.add_column(sa.Column("sender_channel", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("sender_address", sa.String(), nullable=True))
        batch.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch.create_check_constraint(
            "has_subject", "person_id IS NOT NULL OR sender_address IS NOT NULL")


def downgrade() -> None:
    # Escalations about unknown senders have no person to keep them: they go.
    op.execute("DELETE FROM escalation WHERE person_id IS NULL")
    with op.batch_alter_table("escalation") as batch:
        batch.drop_constraint("has_subject", type_="check")
        batch.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("sender_address")
        batch.drop_column("sender_channel")
