"""Dashboard accounts and browser sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, *, nullable: bool = False, now: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable,
                     server_default=sa.func.now() if now else None)


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False,
                  unique=True),
        sa.Column("username", sa.String(), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _ts("last_failed_at", nullable=True),
        _ts("last_login_at", nullable=True),
        _ts("created_at", now=True),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(), nullable=False, unique=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("staff_account.id"),
                  nullable=False),
        sa.Column("csrf_token", sa.String(), nullable=False),
        _ts("created_at"),
        _ts("last_seen_at"),
    )
    op.create_index(op.f("ix_web_session_account_id"), "web_session", ["account_id"])


def downgrade() -> None:
    op.drop_table("web_session")
    op.drop_table("staff_account")
