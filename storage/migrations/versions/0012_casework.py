"""Casework on an escalation: an owner, a follow-up time, an outcome, and internal notes.

``escalation`` gains ``owner_id`` (acknowledging makes you the owner; reassigning hands it on),
``follow_up_at`` (indexed: the follow-up job looks for due ones) with ``follow_up_alerted_at``
(the owner is alerted once per follow-up), and ``outcome`` (one of the program's outcomes,
chosen when resolving). ``escalation_note`` holds staff notes, their text sealed at rest when
DATA_KEYS is set (as message bodies are; a VARCHAR either way).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("escalation") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("follow_up_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("follow_up_alerted_at", sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=80), nullable=True))
        batch.create_foreign_key("fk_escalation_owner_id_person", "person", ["owner_id"], ["id"])
        batch.create_index("ix_escalation_follow_up_at", ["follow_up_at"])
    op.create_table(
        "escalation_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("escalation_id", sa.Integer(), sa.ForeignKey("escalation.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.String(), nullable=True),
    )
    op.create_index("ix_escalation_note_escalation_id", "escalation_note", ["escalation_id"])


def downgrade() -> None:
    op.drop_index("ix_escalation_note_escalation_id", table_name="escalation_note")
    op.drop_table("escalation_note")
    with op.batch_alter_table("escalation") as batch:
        batch.drop_index("ix_escalation_follow_up_at")
        batch.drop_constraint("fk_escalation_owner_id_person", type_="foreignkey")
        batch.drop_column("outcome")
        batch.drop_column("follow_up_alerted_at")
        batch.drop_column("follow_up_at")
        batch.drop_column("owner_id")
