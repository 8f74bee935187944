"""Start many check-ins in one transaction: what `bot.runner.start_checkin` does, in bulk.

A scheduled fan-out starts thousands of check-ins at once. One by one, each costs a few queries
and ORM flushes; here a batch costs a handful of statements: one query for the active sessions
of every person, one for recent consent requests, an INSERT ... RETURNING for the sessions and
an INSERT for their first messages (see `insert_rows`; SQLite takes a few hundred rows per
statement). The engine's `Start` result depends only on (flow, language, template values) and
`now`, so it is computed once per distinct combination in a batch, and its rendering (context
JSON, messages, the nudge's quiet-hours check) with it: per request there is little more left
than a dictionary lookup and a row tuple.

Per request the rules are those of `start_checkin`, in its order: a paused or exited person,
no usable contact, an opted-out or unreachable contact, or an active session (or one started
earlier in the same batch) means no start; an SMS contact that has not agreed to texts gets a
consent request instead (at most one per `CONSENT_REQUEST_INTERVAL`) and no check-in content.
One audit row records the whole batch. Nothing here commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, cast

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Insert,
    Integer,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from bot import texts
from bot.runner import (
    CONSENT_REQUEST_INTERVAL,
    _apply,
    needs_consent,
    nudge_time,
    template_values,
)
from flows.engine import step
from flows.events import Start, StepResult
from flows.model import Flow
from storage import crypto
from storage.db import is_postgres
from storage.models import (
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Lane,
    Message,
    MessageStatus,
    Person,
    PersonStatus,
    Program,
    SessionStatus,
)
from storage.queries import audit, sessions
from storage.queries.sql import one_of

SkipReason = Literal[
    "active_session", "no_contact", "opted_out", "unreachable", "consent_requested",
    "consent_pending", "unknown_flow", "person_paused",
]

_SESSION_TABLE: Table = CheckinSession.__table__  # type: ignore[attr-defined]
_MESSAGE_TABLE: Table = Message.__table__  # type: ignore[attr-defined]
_PERSON_TABLE: Table = Person.__table__  # type: ignore[attr-defined]


class PersonLike(Protocol):
    """What a start reads of a person: a `Person`, or a lighter row with these attributes
    (the dispatcher's: building ORM objects for thousands of people costs more than the rest)."""

    @property
    def id(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def timezone(self) -> str | None: ...


class ContactLike(Protocol):
    """What a start reads of a contact point: a `ContactPoint` or a lighter row."""

    @property
    def id(self) -> int | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def opted_out(self) -> bool: ...
    @property
    def unreachable(self) -> bool: ...
    @property
    def consent_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class StartRequest:
    person: PersonLike  # e.g. a Person
    program: Program
    contact: ContactLike | None  # e.g. a ContactPoint; None: the person has no usable contact
    flow_id: str


@dataclass(frozen=True)
class StartOutcome:
    request: StartRequest
    session_id: int | None = None  # set when a check-in was started
    skipped: SkipReason | None = None  # set otherwise

    @property
    def started(self) -> bool:
        return self.session_id is not None


def start_many(
    db: Session, flows: dict[str, Flow], requests: Sequence[StartRequest], now: datetime
) -> list[StartOutcome]:
    """Start every request that may start; one outcome per request, in order."""
    if not requests:
        return []
    db.flush()  # the queries below must see what the caller changed (e.g. a consent just given)
    skipped: dict[int, SkipReason] = {}
    candidates: list[int] = []
    for i, req in enumerate(requests):
        reason = _precheck(flows, req)
        if reason is None:
            candidates.append(i)
        else:
            skipped[i] = reason

    busy = _people_with_active_session(db, {_person_id(requests[i]) for i in candidates})
    to_start: list[int] = []
    to_ask: list[int] = []
    for i in candidates:
        req = requests[i]
        pid = _person_id(req)
        if pid in busy:
            skipped[i] = "active_session"
        elif needs_consent(cast(ContactPoint, req.contact)):  # reads channel and consent_at
            to_ask.append(i)
        else:
            busy.add(pid)  # a second request for this person in the batch finds it active
            to_start.append(i)

    skipped.update(_request_consents(db, [(i, requests[i]) for i in to_ask], now))
    started = _start(db, flows, [(i, requests[i]) for i in to_start], now)
    if started:
        counts = Counter(requests[i].flow_id for i in started)
        only = next(iter(started.values())) if len(started) == 1 else None
        audit.record(db, actor="system", action="checkins_started",
                     subject_type="checkin_session", subject_id=only,
                     detail={"count": len(started), "flows": dict(sorted(counts.items()))},
                     now=now)
    return [
        StartOutcome(req, session_id=started.get(i), skipped=skipped.get(i))
        for i, req in enumerate(requests)
    ]


def _person_id(req: StartRequest) -> int:
    assert req.person.id is not None
    return req.person.id


def _contact(req: StartRequest) -> ContactLike:
    assert req.contact is not None
    return req.contact


def _precheck(flows: dict[str, Flow], req: StartRequest) -> SkipReason | None:
    """What rules a request out before any query."""
    if req.flow_id not in flows:
        return "unknown_flow"
    if req.person.status != PersonStatus.active:
        return "person_paused"
    contact = req.contact
    if contact is None:
        return "no_contact"
    if contact.opted_out:
        return "opted_out"
    if contact.unreachable:
        return "unreachable"
    return None


def _people_with_active_session(db: Session, person_ids: set[int]) -> set[int]:
    """Who already has an active session.

    On PostgreSQL the people's rows are locked first (in id order, so two batches cannot
    deadlock): two transactions starting check-ins for one person (two of their schedules
    claimed by two instances, or a batch and an inbound YES) then run one after the other, and
    the second sees the first one's session. SQLite's BEGIN IMMEDIATE already serialises them.
    """
    if not person_ids:
        return set()
    postgres = is_postgres(db.get_bind())  # type: ignore[arg-type]
    s = _SESSION_TABLE.c
    if postgres:
        p = _PERSON_TABLE.c
        db.execute(
            select(p.id).where(one_of(db, p.id, person_ids)).order_by(p.id).with_for_update()
        ).all()
    # SQLite: `status || ''`, because without statistics it would walk the status index (every
    # active session in the service) instead of the person_id index (a few rows per person).
    active = (s.status if postgres else type_coerce(s.status, String).concat("")) == "active"
    stmt = select(s.person_id).where(active, one_of(db, s.person_id, person_ids))
    if postgres:
        stmt = stmt.with_for_update()
    return set(db.execute(stmt).scalars().all())


def _last_consent_requests(db: Session, addresses: Sequence[str]) -> dict[str, datetime]:
    """When the newest consent request to each SMS address was queued (like
    `messages.last_outbound_of_kind`: the newest row by id, whatever its status)."""
    m = _MESSAGE_TABLE.c
    latest = (
        select(func.max(m.id).label("id"))
        .where(m.direction == Direction.outbound, m.channel == Channel.sms,
               m.kind == "consent_request", one_of(db, m.address, set(addresses)))
        .group_by(m.address)
        .subquery()
    )
    stmt = select(m.address, m.created_at).join(latest, m.id == latest.c.id)
    return {address: created_at for address, created_at in db.execute(stmt).all()}


def _request_consents(
    db: Session, asks: list[tuple[int, StartRequest]], now: datetime
) -> dict[int, SkipReason]:
    """Queue a consent request to each SMS contact not asked within the interval."""
    if not asks:
        return {}
    last = _last_consent_requests(db, [_contact(req).address for _, req in asks])
    outcome: dict[int, SkipReason] = {}
    rows: list[_OutRow] = []
    for i, req in asks:
        contact = _contact(req)
        recent = last.get(contact.address)
        if recent is not None and now - recent < CONSENT_REQUEST_INTERVAL:
            outcome[i] = "consent_pending"
            continue
        person = req.person
        name = person.display_name.split()[0] if person.display_name else ""
        body = texts.text("consent_request", person.language, name=name, program=req.program.name)
        rows.append(_outbox_row(contact, person.id, None, body, "consent_request", Lane.routine))
        last[contact.address] = now
        outcome[i] = "consent_requested"
    _queue(db, rows, now)
    return outcome


_StartKey = tuple[str, str, tuple[tuple[str, str], ...]]
_Columns = tuple[tuple[str, Any], ...]
_OutRow = tuple[Any, ...]  # a `_queue` row


@dataclass(frozen=True, slots=True)
class _Started:
    """One Start result shared by every request with the same flow, language and values."""

    result: StepResult
    context: str  # result.state.to_json() as JSON text, encoded once
    # (text, kind, lane, its priority) of result.messages; the lane as its plain string, so
    # that the per-request tuples holding these hold only strings and integers (the garbage
    # collector stops tracking such tuples instead of walking a batch's worth of them).
    messages: tuple[tuple[str, str, str, int], ...]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything a start shares with the others of the same flow, language, template values,
    timezone and program: the Start, and the session row's columns but for person_id, context,
    channel and address (None: a start the bulk path does not store, see `_start_one`)."""

    started: _Started
    columns: _Columns | None


def _start(
    db: Session, flows: dict[str, Flow], starts: list[tuple[int, StartRequest]], now: datetime
) -> dict[int, int]:
    """Create the sessions and queue their first messages; request index -> session id.

    Per request this is a dictionary lookup and a tuple: whatever can be shared (the engine's
    Start, the encoded context, the quiet-hours check of the nudge, the rendered messages) is
    computed once per distinct (flow, language, first name, timezone, program)."""
    steps: dict[_StartKey, _Started] = {}
    nudges: dict[tuple[datetime | None, str, str, str], datetime | None] = {}
    prepared: dict[tuple[Any, ...], _Prepared] = {}
    # columns -> (request index, person_id, channel, address, context, first messages)
    groups: dict[_Columns, list[tuple[int, int, str, str, str, tuple[Any, ...]]]] = {}
    started: dict[int, int] = {}
    for i, req in starts:
        person, program, contact = req.person, req.program, _contact(req)
        name = person.display_name  # template_values uses the first name only
        key = (req.flow_id, person.language, name.split()[0] if name else "", person.timezone,
               id(program))  # the program object is alive (in `starts`) throughout
        prep = prepared.get(key)
        if prep is None:
            prep = prepared[key] = _prepare(flows[req.flow_id], req, steps, nudges, now)
        if prep.columns is None:
            started[i] = _start_one(db, flows[req.flow_id], req, prep.started.result, now)
            continue
        shared = prep.started
        groups.setdefault(prep.columns, []).append(
            (i, _person_id(req), contact.channel, contact.address, shared.context,
             shared.messages))

    # One INSERT per group of rows that share every column but these four (usually one group
    # per language). person_id is unique among the rows (one start per person per batch), so it
    # maps the RETURNING rows back to the requests.
    s = _SESSION_TABLE.c
    session_ids: dict[int, int] = {}
    for shared_columns, items in groups.items():
        rows = [(pid, context, channel, address) for _, pid, channel, address, context, _ in items]
        session_ids.update(insert_rows(
            db, _SESSION_TABLE, ("person_id", "context", "channel", "address"), rows,
            dict(shared_columns), returning=(s.person_id, s.id)))

    # The first messages, in the engine's order within each session (the sender sends to one
    # address in id order).
    messages: list[_OutRow] = []
    for items in groups.values():
        for i, pid, channel, address, _, first in items:
            session_id = started[i] = session_ids[pid]
            for text, kind, lane, priority in first:
                messages.append((channel, address, pid, session_id, text, kind, lane, priority))
    _queue(db, messages, now)
    return started


def _prepare(
    flow: Flow, req: StartRequest, steps: dict[_StartKey, _Started],
    nudges: dict[tuple[datetime | None, str, str, str], datetime | None], now: datetime,
) -> _Prepared:
    person, program = cast(Person, req.person), req.program  # the runner reads these fields
    values = template_values(program, person, flow.language_for(person.language))
    key = (flow.id, person.language, tuple(sorted(values.items())))
    shared = steps.get(key)
    if shared is None:
        result = step(flow, None, Start(person.language, values), now)
        shared = steps[key] = _Started(
            result, json.dumps(result.state.to_json(), separators=(",", ":")),
            tuple((msg.text, msg.kind, lane.value, lane.priority) for msg in result.messages
                  for lane in [Lane.urgent if msg.urgent else Lane.routine]))
    wait = shared.result.wait
    if shared.result.events or wait is None:
        # A start that already ends or raises something (no shipped flow does): the runner's
        # own path, with everything `_apply` does on such events.
        return _Prepared(shared, None)
    # The runner moves a nudge that would land in the person's quiet hours to the morning.
    quiet = (wait.nudge_at, person.timezone or program.timezone, program.quiet_start,
             program.quiet_end)
    if quiet not in nudges:
        nudges[quiet] = nudge_time(*quiet)
    return _Prepared(shared, _session_columns(flow, shared.result, nudges[quiet], now))


def _session_columns(
    flow: Flow, result: StepResult, nudge_at: datetime | None, now: datetime
) -> _Columns:
    """The row `sessions.add_session` + `runner._apply` leave for a start that waits for an
    answer, but for person_id, context, channel and address."""
    state, wait = result.state, result.wait
    assert wait is not None
    return (
        ("flow_id", flow.id),
        ("flow_version", flow.version),
        ("current_state", state.current),
        ("turn", state.turn),
        ("status", SessionStatus.active),
        ("language", state.language),
        ("started_at", now),
        ("updated_at", now),
        ("nudge_at", nudge_at),
        ("expire_at", wait.expire_at),
    )


def _queue(db: Session, rows: Sequence[_OutRow], now: datetime) -> None:
    """Add pending outbox rows due at `now`, in order, as `messages.enqueue_outbound` adds them;
    each row is (channel, address, person_id, session_id, body, kind, lane, priority)."""
    insert_rows(
        db, _MESSAGE_TABLE,
        ("channel", "address", "person_id", "session_id", "body", "kind", "lane", "priority"),
        rows,
        {"direction": Direction.outbound, "status": MessageStatus.pending, "attempts": 0,
         "next_attempt_at": now, "created_at": now, "updated_at": now},
    )


def _outbox_row(
    contact: ContactLike, person_id: int | None, session_id: int | None, body: str, kind: str,
    lane: Lane,
) -> _OutRow:
    """A `_queue` row; priority follows the lane, as the Message model keeps it."""
    return (contact.channel, contact.address, person_id, session_id, body, kind, lane,
            lane.priority)


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
    if not rows:
        return []
    rows = _sealed_rows(table, names, rows)
    if is_postgres(db.get_bind()):  # type: ignore[arg-type]
        return _insert_from_json(db, table, names, rows, constants, returning)
    return _insert_values(db, table, names, rows, constants, returning)


# Rows per SQLite INSERT: bounds the statement's text and parameter count; a batch of 1000
# splits into equal halves, so the driver reuses one prepared statement for both.
_SQLITE_ROWS_PER_INSERT = 500


def _insert_values(
    db: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], returning: Sequence[Column[Any]],
) -> list[tuple[Any, ...]]:
    conn = db.connection()
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
    per_statement = max(1, min(_SQLITE_ROWS_PER_INSERT, (limit - len(bound)) // len(names)))
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
    db: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], returning: Sequence[Column[Any]],
) -> list[tuple[Any, ...]]:
    key = (table.name, tuple(names), tuple(constants), tuple(c.name for c in returning))
    stmt = _INSERTS.get(key)
    if stmt is None:
        stmt = _INSERTS[key] = _insert_from_json_statement(table, names, constants, returning)
    params = {f"c_{name}": value for name, value in constants.items()}
    params["rows"] = json.dumps(rows, separators=(",", ":"))
    result = db.execute(stmt, params)
    return [tuple(row) for row in result.all()] if returning else []


_INSERTS: dict[tuple[Any, ...], Insert] = {}


def _insert_from_json_statement(
    table: Table, names: Sequence[str], constants: Iterable[str],
    returning: Sequence[Column[Any]],
) -> Insert:
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
    picked += [bindparam(f"c_{name}", type_=table.c[name].type) for name in constants]
    stmt = insert(table).from_select([*names, *constants],
                                     select(*picked).order_by(source.c.position))
    return stmt.returning(*returning) if returning else stmt


def _start_one(
    db: Session, flow: Flow, req: StartRequest, result: StepResult, now: datetime
) -> int:
    """The one-by-one path, for a Start whose events the bulk path does not store itself:
    exactly `start_checkin`'s (`_apply` needs ORM objects)."""
    contact, person_id = _contact(req), _person_id(req)
    person = req.person if isinstance(req.person, Person) else db.get(Person, person_id)
    orm_contact = contact if isinstance(contact, ContactPoint) else db.get(ContactPoint, contact.id)
    assert person is not None and orm_contact is not None
    row = sessions.add_session(
        db, person_id=person_id, flow_id=flow.id, flow_version=flow.version,
        language=result.state.language, channel=contact.channel, address=contact.address,
        now=now,
    )
    _apply(db, row, person, req.program, orm_contact, result, now)
    db.flush()
    assert row.id is not None
    return row.id


__all__ = [
    "ContactLike", "PersonLike", "SkipReason", "StartOutcome", "StartRequest", "insert_rows",
    "one_of", "start_many",
]
