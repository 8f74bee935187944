"""The writes of a conversation turn, each one function taking a whole batch of rows.

`bot.turns` applies a batch of step results (one webhook reply, a group commit of a few, a
scheduled fan-out of thousands) with one call of each function here per kind of write: new
sessions, session updates, answers, outbox rows. Nothing here commits; every function runs in
the caller's transaction and writes people's words through their columns' encryption
(`storage.crypto`).

Dialect differences live here, once (`insert_rows`): SQLite takes multi-row VALUES with the
shared values bound once; PostgreSQL takes one JSON array parameter that the server unpacks,
one round trip for any number of rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Integer,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from storage import crypto
from storage.db import is_postgres
from storage.models import (
    Answer,
    AuditEvent,
    CheckinSession,
    Direction,
    Message,
    MessageStatus,
)
from storage.prepared import Prepared, pipelined
from storage.queries.sessions import numeric

SESSION_TABLE: Table = CheckinSession.__table__  # type: ignore[attr-defined]
ANSWER_TABLE: Table = Answer.__table__  # type: ignore[attr-defined]
MESSAGE_TABLE: Table = Message.__table__  # type: ignore[attr-defined]

# An outbox row: (channel, address, person_id, session_id, body, kind, lane, priority,
# request_id); the lane as its plain string (a StrEnum is one); request_id: the webhook request
# whose turn queued it, or None.
OutboxRow = tuple[str, str, int | None, int | None, str, str, str, int, str | None]
# An answer row: (session_id, person_id, key, raw_text, value, status).
AnswerRow = tuple[int, int, str, str | None, bool | int | str | None, str]

NEW_SESSION_VARYING = ("person_id", "context", "channel", "address")


def insert_sessions(
    db: Session, groups: Sequence[tuple[Sequence[tuple[int, str, str, str]], Mapping[str, Any]]],
) -> list[dict[int, int]]:
    """New session rows, in groups: each group's rows are (person_id, context as JSON text,
    channel, address) with the group's columns (flow, state, times...) in common. Per group,
    person_id -> new session id (a person has one new session per group). On PostgreSQL the
    groups' INSERTs go out in one pipeline: one round trip for the batch, however many kinds
    of start (languages) it holds."""
    returning = (SESSION_TABLE.c.person_id, SESSION_TABLE.c.id)
    with pipelined(db.connection()):
        fetches = [_send_rows(db, SESSION_TABLE, NEW_SESSION_VARYING, rows, shared, returning)
                   for rows, shared in groups]
        return [{int(person_id): int(session_id) for person_id, session_id in fetch()}
                for fetch in fetches]


def update_sessions(db: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """UPDATE sessions by id: each row holds ``_id`` and the columns to set. Rows with the same
    columns go out as one executemany."""
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    conn = db.connection()
    for group in groups.values():
        _UPDATE_SESSION.many(conn, group)


# The SET clause follows the keys given: one compiled form per key set.
_UPDATE_SESSION = Prepared(update(SESSION_TABLE).where(SESSION_TABLE.c.id == bindparam("_id")))


def insert_answers(db: Session, rows: Sequence[AnswerRow], now: datetime) -> None:
    """Answers, in order; each (session_id, person_id, key, raw_text, value, status). A number
    is kept in ``value_num`` too, for trends."""
    if not rows:
        return
    _INSERT_ANSWER.many(db.connection(), [
        {"session_id": session_id, "person_id": person_id, "key": key, "raw_text": raw,
         "value": value, "value_num": numeric(value), "status": status, "created_at": now}
        for session_id, person_id, key, raw, value, status in rows
    ])


_INSERT_ANSWER = Prepared(insert(ANSWER_TABLE).inline())

# An audit row: (action, subject_type, subject_id, detail); actor "system".
AuditRow = tuple[str, str, int | None, dict[str, Any]]


def insert_audit(db: Session, rows: Sequence[AuditRow], now: datetime) -> None:
    """System audit events at ``now``, in order (`storage.queries.audit.record` for a batch;
    details hold what happened, never anyone's words)."""
    if not rows:
        return
    _INSERT_AUDIT.many(db.connection(), [
        {"at": now, "actor": "system", "action": action, "subject_type": subject_type,
         "subject_id": subject_id, "detail": detail}
        for action, subject_type, subject_id, detail in rows
    ])


_INSERT_AUDIT = Prepared(insert(AuditEvent.__table__).inline())  # type: ignore[attr-defined]

_OUTBOX_VARYING = ("channel", "address", "person_id", "session_id", "body", "kind", "lane",
                   "priority", "request_id")


def insert_outbox(db: Session, rows: Sequence[OutboxRow], now: datetime) -> None:
    """Pending outbox rows due at ``now``, in order (the sender sends to one address in id
    order), as `storage.queries.messages.enqueue_outbound` adds one."""
    insert_rows(db, MESSAGE_TABLE, _OUTBOX_VARYING, rows, {
        "direction": Direction.outbound, "status": MessageStatus.pending, "attempts": 0,
        "next_attempt_at": now, "created_at": now, "updated_at": now})


def insert_rows(
    db: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], *, returning: Sequence[Column[Any]] = (),
) -> list[tuple[Any, ...]]:
    """INSERT `rows` (values of the columns `names`, in that order), each with `constants`, in
    the order of `rows`, with as few statements and as little Python per row as each database
    allows. Returns the `returning` columns of the new rows, in no particular order.

    The varying values are handed to the driver as they are, without SQLAlchemy's per-value
    type processing (a thousand rows of it cost more than the database's work): they must be
    integers, strings (a StrEnum is one) or None, and a JSON column's value is its JSON text,
    already encoded. Datetimes, enums and the like belong in `constants`, which are bound once
    through their column types. The one exception is people's words: the values of encrypted
    columns (storage/crypto.py) are encrypted here, as their column types would.

    - SQLite: multi-row `INSERT ... VALUES (...), (...) RETURNING`, the constants bound once as
      numbered parameters shared by every row.
    - PostgreSQL: one INSERT ... SELECT whose source is a single JSON array parameter that the
      server unpacks (`jsonb_array_elements`): one round trip, and one JSON document encoded
      in C instead of thousands of parameters.
    """
    return _send_rows(db, table, names, rows, constants, returning)()


def _send_rows(
    db: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], returning: Sequence[Column[Any]],
) -> Callable[[], list[tuple[Any, ...]]]:
    """`insert_rows`, returning the function that fetches its `returning` rows: inside a
    PostgreSQL pipeline (`storage.prepared.pipelined`) the INSERT only goes out, and the fetch
    waits for it."""
    if not rows:
        return list
    rows = _sealed_rows(table, names, rows)
    conn = db.connection()
    if is_postgres(conn):
        return _insert_from_json(conn, table, names, rows, constants, returning)
    found = _insert_values(conn, table, names, rows, constants, returning)
    return lambda: found


# Rows per SQLite INSERT: bounds the statement's text and parameter count; a batch of 1000
# splits into equal halves, so the driver reuses one prepared statement for both.
SQLITE_ROWS_PER_INSERT = 500


def _insert_values(
    conn: Connection, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], returning: Sequence[Column[Any]],
) -> list[tuple[Any, ...]]:
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    bound = [_bind_processed(table.c[name], dialect, value) for name, value in constants.items()]
    # Every row's tuple lists the constants first, as ?1..?k (the same parameters in every
    # row), then its own values as plain ?s, which SQLite numbers on from there.
    row_sql = "(" + ", ".join([f"?{k}" for k in range(1, len(bound) + 1)]
                              + ["?"] * len(names)) + ")"
    head = (f"INSERT INTO {quote(table.name)} "
            f"({', '.join(quote(name) for name in [*constants, *names])}) VALUES ")
    tail = f" RETURNING {', '.join(quote(c.name) for c in returning)}" if returning else ""
    raw = conn.connection.dbapi_connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if raw is not None else 999
    per_statement = max(1, min(SQLITE_ROWS_PER_INSERT, (limit - len(bound)) // len(names)))
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        params = list(bound)
        for row in chunk:
            params.extend(row)
        result = conn.exec_driver_sql(head + ", ".join([row_sql] * len(chunk)) + tail,
                                      tuple(params))
        if returning:
            out.extend(tuple(row) for row in result.all())
    return out


def _sealed_rows(
    table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
) -> Sequence[Sequence[Any]]:
    """`rows` with the values of encrypted columns encrypted (no key: as they are). A JSON
    value (its JSON text) becomes the JSON text of the encrypted string; values repeated in a
    batch (a start's shared context) are encrypted once."""
    if crypto.keyring() is None:
        return rows
    sealers: dict[int, Any] = {}
    for index, name in enumerate(names):
        column_type = table.c[name].type
        if isinstance(column_type, crypto.EncryptedText | crypto.EncryptedJSON):
            sealers[index] = column_type.seal_stored  # bound to its column
    if not sealers:
        return rows
    done: dict[tuple[int, Any], Any] = {}

    def sealed(index: int, value: Any) -> Any:
        if value is None:
            return None
        key = (index, value)
        if key not in done:
            done[key] = sealers[index](value)
        return done[key]

    return [tuple(sealed(i, v) if i in sealers else v for i, v in enumerate(row))
            for row in rows]


def _bind_processed(column: Column[Any], dialect: Dialect, value: Any) -> Any:
    """`value` as the driver receives it for `column` (e.g. a datetime as SQLite's text)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process is not None else value


def _insert_from_json(
    conn: Connection, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], returning: Sequence[Column[Any]],
) -> Callable[[], list[tuple[Any, ...]]]:
    key = (table.name, tuple(names), tuple(constants), tuple(c.name for c in returning))
    stmt = _INSERTS.get(key)
    if stmt is None:
        stmt = _INSERTS[key] = Prepared(
            _insert_from_json_statement(table, names, constants, returning))
    params = {f"c_{name}": value for name, value in constants.items()}
    params["rows"] = json.dumps(rows, separators=(",", ":"))
    # A Prepared statement: it can run inside a turn's pipeline (`storage.prepared.pipelined`).
    return stmt.send(conn, params)


_INSERTS: dict[tuple[Any, ...], Prepared] = {}


def _insert_from_json_statement(
    table: Table, names: Sequence[str], constants: Iterable[str],
    returning: Sequence[Column[Any]],
) -> Any:
    payload = bindparam("rows", type_=String)
    elements = func.jsonb_array_elements(sql_cast(payload, JSONB))
    source = elements.table_valued("value", with_ordinality="position").render_derived("row")
    value = source.c.value
    picked: list[ColumnElement[Any]] = []
    for index, name in enumerate(names):
        column_type = table.c[name].type
        if isinstance(column_type, TypeDecorator):  # an encrypted column: what it stores
            column_type = column_type.impl_instance
        text = value.op("->>", return_type=String)(literal_column(str(index), Integer))
        if isinstance(column_type, JSON):  # the element is the JSON text: parse it
            picked.append(sql_cast(text, JSONB))
        elif isinstance(column_type, Integer):
            picked.append(sql_cast(text, Integer))
        else:
            picked.append(text)
    constants = list(constants)
    picked += [bindparam(f"c_{name}", type_=table.c[name].type, required=True)
               for name in constants]
    stmt = insert(table).from_select([*names, *constants],
                                     select(*picked).order_by(source.c.position))
    return stmt.returning(*returning) if returning else stmt
