"""The request id on message rows: the send logs carry the id of the webhook that caused them.

``message.request_id`` (nullable, at most 64 characters): set on the outbound rows a webhook's
turn queued, so the outbox sender's log lines (and Twilio's status callbacks for the row) carry
the id of that request, however much later and on whichever instance the row is sent. Not
indexed: nothing looks rows up by it; it is read with the row the sender claims.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.drop_column("request_id")
