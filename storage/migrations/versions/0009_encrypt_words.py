"""Encrypt people's words already stored: message bodies, answers, conversation state, evidence.

No column changes type: an encrypted value is ``enc1:`` + a Fernet token, stored in the same
VARCHAR, or as a JSON string in the same JSON/JSONB column (storage/crypto.py).

Upgrade: with data keys (DATA_KEYS, handed over by storage.migrate, else the environment), every
plaintext row is encrypted under the newest key, in batches. Without keys nothing is touched:
plaintext stays readable and `checkin keys rotate` encrypts it once a key is set.
Downgrade: encrypted rows are decrypted back to plaintext; with encrypted rows and no key that
opens them it refuses, naming the cause (a downgrade must not leave unreadable ciphertext for a
schema that knows nothing of it).

This file imports nothing from storage/ (migrations must keep working as storage/ changes), so
the few lines of sealing are repeated here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

MARK = "enc1:"
COLUMNS = (
    ("message", "body", "text"),
    ("answer", "raw_text", "text"),
    ("answer", "value", "json"),
    ("checkin_session", "context", "json"),
    ("escalation", "evidence", "json"),
)
BATCH = 500


def _keys() -> list[str]:
    handed = context.config.attributes.get("data_keys")
    if handed:
        return list(handed)
    return [k.strip() for k in os.environ.get("DATA_KEYS", "").split(",") if k.strip()]


def _fernets() -> tuple[Fernet, MultiFernet] | None:
    keys = _keys()
    if not keys:
        return None
    fernets = [Fernet(k.encode("ascii")) for k in keys]
    return fernets[0], MultiFernet(fernets)


def _columns(conn: sa.Connection) -> Any:
    json_type = postgresql.JSONB() if conn.dialect.name == "postgresql" else sa.JSON()
    for table_name, column_name, kind in COLUMNS:
        raw = sa.String() if kind == "text" else json_type
        tbl = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column_name, raw))
        yield tbl, tbl.c[column_name], kind, raw


def _rewrite(conn: sa.Connection, change: Any) -> int:
    """Apply `change(stored, kind)` (None: leave it) to every row of every column; how many
    rows changed."""
    changed = 0
    for tbl, value_col, kind, raw in _columns(conn):
        after = 0
        while True:
            rows = conn.execute(
                sa.select(tbl.c.id, value_col)
                .where(tbl.c.id > after, value_col.is_not(None))
                .order_by(tbl.c.id).limit(BATCH).with_for_update()).all()
            if not rows:
                break
            writes = []
            for row_id, stored in rows:
                new = change(stored, kind)
                if new is not None:
                    writes.append({"_id": row_id, "_value": new})
            if writes:
                conn.execute(
                    sa.update(tbl).where(tbl.c.id == sa.bindparam("_id"))
                    .values({value_col.name: sa.bindparam("_value", type_=raw)}), writes)
                changed += len(writes)
            after = rows[-1][0]
    return changed


def _any_words(conn: sa.Connection) -> bool:
    return any(conn.execute(sa.select(tbl.c.id).where(value_col.is_not(None)).limit(1)).first()
               for tbl, value_col, _, _ in _columns(conn))


def _sealed(stored: Any) -> bool:
    return isinstance(stored, str) and stored.startswith(MARK)


def upgrade() -> None:
    keys = _fernets()
    if keys is None:
        if not _any_words(op.get_bind()):
            return  # a new database: nothing to say
        log.warning("0009: DATA_KEYS is not set, stored words stay plaintext; set DATA_KEYS "
                    "and run `checkin keys rotate` to encrypt them")
        return
    newest, _ = keys

    def encrypt(stored: Any, kind: str) -> str | None:
        if _sealed(stored) or isinstance(stored, bool | int | float) or (
                isinstance(stored, list | dict) and not stored):
            return None  # done; a number (plaintext in value_num anyway); an empty list/object
        text = stored if kind == "text" else json.dumps(stored, separators=(",", ":"),
                                                        ensure_ascii=False)
        return MARK + newest.encrypt(text.encode("utf-8")).decode("ascii")

    changed = _rewrite(op.get_bind(), encrypt)
    log.info("0009: encrypted %d stored values", changed)


def downgrade() -> None:
    keys = _fernets()
    every = keys[1] if keys is not None else None

    def decrypt(stored: Any, kind: str) -> Any:
        if not _sealed(stored):
            return None
        if every is None:
            raise RuntimeError("cannot downgrade below 0009: stored words are encrypted and "
                               "DATA_KEYS is not set; set DATA_KEYS to the keys they were "
                               "written with")
        try:
            text = every.decrypt(stored[len(MARK):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise RuntimeError("cannot downgrade below 0009: a stored value is encrypted with "
                               "a key that is not in DATA_KEYS") from None
        return text if kind == "text" else json.loads(text)

    _rewrite(op.get_bind(), decrypt)
