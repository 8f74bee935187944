"""Stored words in the enc2 format (AES-256-GCM bound to its column; storage/crypto.py).

No column changes. Upgrade: nothing to do; rows in the older ``enc1:`` (Fernet) format stay
readable, and `checkin keys rotate` re-writes them as enc2 in batches, a commit each, which a
migration run at start-up cannot do on a large database.

Downgrade: the code of 0009 reads only ``enc1:``, so every ``enc2:`` value is re-written as
``enc1:`` under the newest data key (DATA_KEYS, handed over by storage.migrate, else the
environment). With enc2 rows and no key that opens them it refuses, naming the cause, rather
than leave values the older code would show as if they were text.

This file imports nothing from storage/ (migrations must keep working as storage/ changes), so
the few lines of opening an enc2 value are repeated here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

ENC1, ENC2 = "enc1:", "enc2:"
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


def _derive(raw: bytes, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None,
                info=b"peer-checkin data key: " + purpose).derive(raw)


def upgrade() -> None:
    pass


def downgrade() -> None:
    keys = _keys()
    by_id = {}
    for key in keys:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
        by_id[_derive(raw, b"enc2 key id", 4)] = AESGCM(_derive(raw, b"enc2 aes-256-gcm", 32))
    newest = Fernet(keys[0].encode("ascii")) if keys else None
    conn = op.get_bind()
    json_type = postgresql.JSONB() if conn.dialect.name == "postgresql" else sa.JSON()
    changed = 0
    for table_name, column_name, kind in COLUMNS:
        raw_type = sa.String() if kind == "text" else json_type
        tbl = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column_name, raw_type))
        value_col = tbl.c[column_name]
        bound_to = f"{table_name}.{column_name}".encode("ascii")
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
                if not (isinstance(stored, str) and stored.startswith(ENC2)):
                    continue
                if newest is None:
                    raise RuntimeError("cannot downgrade below 0010: stored words are encrypted "
                                       "and DATA_KEYS is not set; set DATA_KEYS to the keys they "
                                       "were written with")
                plain = _open(stored, by_id, bound_to, f"{table_name}.{column_name}")
                writes.append({"_id": row_id, "_value": ENC1 + newest.encrypt(plain).decode()})
            if writes:
                conn.execute(
                    sa.update(tbl).where(tbl.c.id == sa.bindparam("_id"))
                    .values({column_name: sa.bindparam("_value", type_=raw_type)}), writes)
                changed += len(writes)
            after = rows[-1][0]
    if changed:
        log.info("0010: re-wrote %d stored values in the enc1 format", changed)


def _open(stored: str, by_id: dict[bytes, Any], bound_to: bytes, name: str) -> bytes:
    try:
        blob = binascii.a2b_base64(stored[len(ENC2):], strict_mode=True)
        return bytes(by_id[blob[:4]].decrypt(blob[4:16], blob[16:], bound_to))
    except KeyError:
        raise RuntimeError("cannot downgrade below 0010: a stored value is encrypted with a key "
                           "that is not in DATA_KEYS") from None
    except (InvalidTag, ValueError, binascii.Error):
        raise RuntimeError(f"cannot downgrade below 0010: a stored value in {name} fails its "
                           "integrity check") from None
