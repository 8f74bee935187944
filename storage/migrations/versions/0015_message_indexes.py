"""Fewer index entries per outbox row: the message table's indexes a fan-out paid for and no
query needed.

A scheduled fan-out inserts one message row per check-in (100,000 at a time in the benchmark),
and each row paid for every index on the table. Three of them held nothing useful for it:

- ``ix_message_next_attempt_at``: the outbox claim reads ``next_attempt_at`` through
  ``ix_message_outbox`` (status, priority, next_attempt_at); no query uses the column alone.
  Dropped.
- ``ix_message_escalation_id``: only alerts carry an escalation; every other row put a NULL in
  it. Now partial, ``WHERE escalation_id IS NOT NULL`` (lookups by ``escalation_id = :id`` imply
  it, so both databases still use the index).
- ``uq_message_direction_channel_provider_id``: outbound rows have no provider id until sent.
  Now a partial unique index ``WHERE provider_id IS NOT NULL``. NULLs never conflicted, so what
  is refused is unchanged; the inbound insert names the predicate in its ON CONFLICT clause.

Measured on PostgreSQL inserting 100,000 outbox rows: 1.22 s before, 1.02 s after.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROVIDER_ID_SET = "provider_id IS NOT NULL"
ESCALATION_SET = "escalation_id IS NOT NULL"
UNIQUE = "uq_message_direction_channel_provider_id"


def _partial(name: str, columns: list[str], where: str, *, unique: bool = False) -> None:
    op.create_index(name, "message", columns, unique=unique,
                    sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    op.drop_index("ix_message_next_attempt_at", table_name="message")
    op.drop_index("ix_message_escalation_id", table_name="message")
    _partial("ix_message_escalation_id", ["escalation_id"], ESCALATION_SET)
    # SQLite keeps a table's UNIQUE constraints in its definition: batch mode rebuilds it.
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(UNIQUE, type_="unique")
    _partial(UNIQUE, ["direction", "channel", "provider_id"], PROVIDER_ID_SET, unique=True)


def downgrade() -> None:
    op.drop_index(UNIQUE, table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.create_unique_constraint(UNIQUE, ["direction", "channel", "provider_id"])
    op.drop_index("ix_message_escalation_id", table_name="message")
    op.create_index("ix_message_escalation_id", "message", ["escalation_id"])
    op.create_index("ix_message_next_attempt_at", "message", ["next_attempt_at"])
