"""Re-encrypting stored words in batches: `checkin keys rotate` and migration 0009.

Each batch reads the raw stored values (past the encrypting column types) of one column, rows
with ids after the last batch's, and writes back only what changes:
- plaintext (written before a key was configured): encrypted under the newest key;
- encrypted under an older key, or in the older Fernet format (``enc1:``): decrypted and
  encrypted again under the newest key in the current format (``enc2:``, bound to its column);
- already so: left alone, so a second run (or one after an interruption) does no work again.
``decrypt=True`` (the migration's downgrade) writes plaintext back instead.
Nothing here commits: the caller decides (`keys rotate` commits each batch).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Integer, String, bindparam, column, select, table, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

from storage.crypto import Keyring, is_sealed, stays_plain


@dataclass
class Resealed:
    """What one column's batches did."""

    encrypted: int = 0  # plaintext rows now encrypted
    rekeyed: int = 0  # rows moved from an older key to the newest
    decrypted: int = 0  # rows written back as plaintext (downgrade)
    unchanged: int = 0  # already as wanted

    def add(self, other: Resealed) -> None:
        self.encrypted += other.encrypted
        self.rekeyed += other.rekeyed
        self.decrypted += other.decrypted
        self.unchanged += other.unchanged


def _raw_type(kind: str, conn: Connection) -> TypeEngine[Any]:
    if kind == "text":
        return String()
    return JSONB() if conn.dialect.name == "postgresql" else JSON()


def reseal_batch(
    conn: Connection, table_name: str, column_name: str, kind: str, ring: Keyring | None,
    *, after_id: int, batch: int, decrypt: bool = False,
) -> tuple[int | None, Resealed]:
    """One batch of `table_name.column_name` (``kind`` "text" or "json") after id `after_id`:
    (the last id it read, None when there were no more rows; what it did)."""
    raw = _raw_type(kind, conn)
    tbl = table(table_name, column("id", Integer), column(column_name, raw))
    value_col = tbl.c[column_name]
    # Locked until the caller commits (PostgreSQL; SQLite's write lock is the transaction's):
    # the running service may rewrite a row (a session's state) between this read and the
    # write below, and the re-encrypted old value must not overwrite its new one.
    rows = conn.execute(
        select(tbl.c.id, value_col)
        .where(tbl.c.id > after_id, value_col.is_not(None))
        .order_by(tbl.c.id).limit(batch).with_for_update()
    ).all()
    done = Resealed()
    if not rows:
        return None, done
    writes: list[dict[str, Any]] = []
    bound_to = f"{table_name}.{column_name}"  # the associated data of its values
    for row_id, stored in rows:
        new = _resealed(stored, kind, bound_to, ring, decrypt, done)
        if new is not None:
            writes.append({"_id": row_id, "_value": new})
    if writes:
        conn.execute(
            update(tbl).where(tbl.c.id == bindparam("_id"))
            .values({column_name: bindparam("_value", type_=raw)}),
            writes,
        )
    return int(rows[-1][0]), done


def _resealed(stored: Any, kind: str, column: str, ring: Keyring | None, decrypt: bool,
              done: Resealed) -> Any:
    """The value to store instead of `stored`, or None to leave it."""
    if decrypt:
        if not is_sealed(stored):
            done.unchanged += 1
            return None
        if ring is None:
            raise RuntimeError("encrypted rows and no DATA_KEYS to decrypt them")
        done.decrypted += 1
        text = ring.open(stored, column)
        return text if kind == "text" else json.loads(text)
    assert ring is not None
    if is_sealed(stored):
        if ring.is_newest(stored):
            done.unchanged += 1
            return None
        done.rekeyed += 1
        return ring.seal(ring.open(stored, column), column)
    if kind == "json" and stays_plain(stored, column):
        done.unchanged += 1
        return None
    done.encrypted += 1
    plain = stored if kind == "text" else json.dumps(stored, separators=(",", ":"),
                                                     ensure_ascii=False)
    return ring.seal(plain, column)


def reseal_column(
    conn: Connection, table_name: str, column_name: str, kind: str, ring: Keyring | None,
    *, batch: int, decrypt: bool = False, after_batch: Any = None,
) -> Resealed:
    """Every batch of one column; `after_batch()` runs after each (a commit, for the CLI)."""
    total = Resealed()
    after_id = 0
    while True:
        last, done = reseal_batch(conn, table_name, column_name, kind, ring,
                                  after_id=after_id, batch=batch, decrypt=decrypt)
        total.add(done)
        if last is None:
            return total
        if after_batch is not None:
            after_batch()
        after_id = last
