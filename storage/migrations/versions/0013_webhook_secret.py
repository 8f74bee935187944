"""Outbound webhooks: a program's signing secret.

``program`` gains ``webhook_secret``, the key a program's receiver checks our
``X-PeerCheckin-Signature`` with. It is a secret, so it is sealed at rest when DATA_KEYS is set,
like message bodies (a VARCHAR either way); the URL and the opt-ins live in ``program.settings``.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("program", sa.Column("webhook_secret", sa.String(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_column("program", "webhook_secret")
        return
    # SQLite's own DROP COLUMN (3.35+), as 0003 does, not a batch copy: dropping the old table
    # during the copy counts as deleting every program that people refer to, and the deferred
    # foreign-key check refuses the commit.
    if sqlite3.sqlite_version_info < (3, 35):
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} is too old for this migration: "
                           "3.35 or newer is needed (Python 3.11 builds usually have it)")
    op.execute("ALTER TABLE program DROP COLUMN webhook_secret")
