"""Staff conversations: a supervisor's reply to a mentee from the dashboard opens one.

While one is open, the mentee's messages belong to it (screened, never read as a check-in
answer); see `storage.models.StaffConversation`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "staff_conversation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("program_id", sa.Integer(), sa.ForeignKey("program.id"), nullable=False),
        sa.Column("opened_by", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        _ts("opened_at"),
        _ts("last_staff_message_at"),
        _ts("expires_at"),
        _ts("closed_at", nullable=True),
        sa.Column("closed_by", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
    )
    op.create_index(op.f("ix_staff_conversation_person_id"), "staff_conversation",
                    ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_conversation_person_id"), table_name="staff_conversation")
    op.drop_table("staff_conversation")
