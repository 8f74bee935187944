"""Alembic environment for storage/.  Driven by storage.migrate (no alembic.ini)."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.crypto import EncryptedJSON, EncryptedText
from storage.db import is_sqlite, make_engine
from storage.types import StrEnumType, UTCDateTime

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: use storage.migrate.upgrade(url)")
    return str(url)


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Autogenerate our column types as plain SQLAlchemy types (migrations import no storage/)."""
    if kind != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, EncryptedText):
        return "sa.String()"
    if isinstance(obj, EncryptedJSON):
        obj = sa.JSON()
    if isinstance(obj, StrEnumType):
        return f"sa.String({obj.length})"
    if isinstance(obj, AutoString):
        length = getattr(obj.impl_instance, "length", None)
        return f"sa.String({length})" if length else "sa.String()"
    if isinstance(obj, sa.JSON):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return (
            "sa.JSON(none_as_null=True)"
            ".with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')"
        )
    return False


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    try:
        # One transaction for the whole upgrade on both databases (storage.db makes SQLite DDL
        # transactional by emitting BEGIN itself), so a failed migration leaves nothing behind.
        with engine.begin() as connection:
            sqlite = is_sqlite(engine)
            if sqlite:
                # Batch migrations recreate tables; let FK checks wait for the commit.
                connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
                transactional_ddl=True,
                render_item=render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
