"""Crisis texts per language (program.crisis_message moves into program.settings), and the
marker of which of a person's messages staff have seen (person.staff_seen_message_id).

One crisis message used to go to everyone, so Spanish speakers got a custom English text. The
texts now live in ``program.settings`` as ``{"crisis_message": {language: text}, "staff_told":
{language: text}}``; a language without its own text gets the shipped default in that language.

An existing message becomes the English text: English is the first language of the shipped
flows and the language a person gets by default, and the old setting's wording said it was
"sent exactly as written". Check-ins already running in another language carried that text in
their state; it is taken out of them, so they fall back to the flow's own translation.

``person.staff_seen_message_id`` starts empty: messages that mentees sent outside a check-in
before this version were shown to staff nowhere, so they count as unread in the queue.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_LANGUAGE = "en"


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True),
                                                   "postgresql")


_program = sa.table(
    "program",
    sa.column("id", sa.Integer()),
    sa.column("crisis_message", sa.String()),
    sa.column("settings", _json()),
)
_session = sa.table(
    "checkin_session",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("context", _json()),
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(_program.c.id, _program.c.crisis_message, _program.c.settings)
                        .where(_program.c.crisis_message.is_not(None))).all()
    for program_id, message, settings in rows:
        if not message:
            continue
        settings = dict(settings or {})
        texts = dict(settings.get("crisis_message") or {})
        texts.setdefault(FIRST_LANGUAGE, message)
        settings["crisis_message"] = texts
        conn.execute(sa.update(_program).where(_program.c.id == program_id)
                     .values(settings=settings))
    if rows:
        # Running check-ins in another language must not keep the English text.
        active = conn.execute(sa.select(_session.c.id, _session.c.context)
                              .where(_session.c.status == "active")).all()
        for session_id, context in active:
            values = (context or {}).get("values") or {}
            if context.get("language") != FIRST_LANGUAGE and "crisis_message" in values:
                context = dict(context)
                context["values"] = {k: v for k, v in values.items() if k != "crisis_message"}
                conn.execute(sa.update(_session).where(_session.c.id == session_id)
                             .values(context=context))
    _drop_column(conn, "program", "crisis_message")
    op.add_column("person", sa.Column("staff_seen_message_id", sa.Integer(), nullable=True))


def _drop_column(conn: sa.Connection, table: str, column: str) -> None:
    if conn.dialect.name != "sqlite":
        op.drop_column(table, column)
        return
    # SQLite's own DROP COLUMN (3.35+), not a batch copy of the table: dropping the old
    # table during the copy counts as deleting every row that other tables refer to, and the
    # deferred foreign-key check refuses the commit.
    if sqlite3.sqlite_version_info < (3, 35):
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} is too old for this migration: "
                           "3.35 or newer is needed (Python 3.11 builds usually have it)")
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def downgrade() -> None:
    """Back to one message: the English text (else any one); other languages' texts are lost."""
    conn = op.get_bind()
    _drop_column(conn, "person", "staff_seen_message_id")
    if conn.dialect.name == "sqlite":  # a plain ADD COLUMN, no copy of the table
        op.execute("ALTER TABLE program ADD COLUMN crisis_message VARCHAR")
    else:
        op.add_column("program", sa.Column("crisis_message", sa.String(), nullable=True))
    for program_id, settings in conn.execute(sa.select(_program.c.id, _program.c.settings)).all():
        settings = dict(settings or {})
        texts = settings.pop("crisis_message", None) or {}
        settings.pop("staff_told", None)
        if not isinstance(texts, dict):
            texts = {}
        message = texts.get(FIRST_LANGUAGE) or next(iter(texts.values()), None)
        conn.execute(sa.update(_program).where(_program.c.id == program_id)
                     .values(settings=settings, crisis_message=message))
