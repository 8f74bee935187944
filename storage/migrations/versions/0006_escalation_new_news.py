"""Escalations: a finding after staff acted is a new row; who reported it.

- The unique constraint on (session_id, level) becomes a partial unique index on
  (session_id, person_id, level) over OPEN rows: findings still merge into the open escalation
  of their check-in (two concurrent raises still collide, and the loser merges into the
  winner), but once staff acknowledged or resolved it a new finding raises a new escalation.
  person_id is part of the key because one mentor's check-in can raise an escalation about each
  of their mentees.
- ``reported_by``: the person who told us, when it is not the person it is about.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("escalation") as batch:
        batch.drop_constraint("uq_escalation_session_id_level", type_="unique")
        batch.add_column(sa.Column("reported_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_escalation_reported_by_person", "person",
                                 ["reported_by"], ["id"])
    op.create_index("uq_escalation_open_session_person_level", "escalation",
                    ["session_id", "person_id", "level"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    # Fails (and changes nothing) while a (session, level) has several escalations: the old
    # schema cannot hold them, and dropping any would lose one.
    op.drop_index("uq_escalation_open_session_person_level", table_name="escalation")
    with op.batch_alter_table("escalation") as batch:
        batch.drop_constraint("fk_escalation_reported_by_person", type_="foreignkey")
        batch.drop_column("reported_by")
        batch.create_unique_constraint("uq_escalation_session_id_level", ["session_id", "level"])
