"""An index on person (program_id, role): the on-call and staff lookups.

Every alert round and every /healthz poll asks who the active supervisors and admins of a
program are; with only the program_id index that walks every mentee of the program.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_person_program_role", "person", ["program_id", "role"])


def downgrade() -> None:
    op.drop_index("ix_person_program_role", table_name="person")
