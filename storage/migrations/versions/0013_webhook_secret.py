"""Outbound webhooks: a program's signing secret.

``program`` gains ``webhook_secret``, the key a program's receiver checks our
``X-PeerCheckin-Signature`` with. It is a secret, so it is sealed at rest when DATA_KEYS is set,
like message bodies (a VARCHAR either way); the URL and the opt-ins live in ``program.settings``.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("program") as batch:
        batch.add_column(sa.Column("webhook_secret", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("program") as batch:
        batch.drop_column("webhook_secret")
