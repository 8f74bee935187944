"""The semantic screening job's columns on message, and its partial index.

Inbound messages already stored count as screened (their time is their own ``created_at``):
the job reads replies from now on, and does not raise concerns about months-old texts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNSCREENED = "direction = 'inbound' AND semantic_screened_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("semantic_screened_at", sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column("semantic_score", sa.Float(), nullable=True))
    op.execute(
        "UPDATE message SET semantic_screened_at = created_at WHERE direction = 'inbound'"
    )
    op.create_index("ix_message_semantic_unscreened", "message", ["id"],
                    sqlite_where=sa.text(UNSCREENED), postgresql_where=sa.text(UNSCREENED))


def downgrade() -> None:
    op.drop_index("ix_message_semantic_unscreened", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("semantic_score")
        batch.drop_column("semantic_screened_at")
