"""Start many check-ins in one transaction: what `bot.runner.start_checkin` does, in bulk.

A scheduled fan-out starts thousands of check-ins at once. One by one, each costs a few queries
and ORM flushes; here a batch costs a handful of statements whatever its size: one query for the
active sessions of every person, one for recent consent requests, one INSERT ... RETURNING for
the sessions and one INSERT for their first messages (see `insert_rows`). The engine's `Start`
result depends only on (flow, language, template values) and `now`, so it is computed once per
distinct combination in a batch.

Per request the rules are those of `start_checkin`, in its order: a paused or exited person,
no usable contact, an opted-out or unreachable contact, or an active session (or one started
earlier in the same batch) means no start; an SMS contact that has not agreed to texts gets a
consent request instead (at most one per `CONSENT_REQUEST_INTERVAL`) and no check-in content.
One audit row records the whole batch. Nothing here commits.
"""

from __future__ import annotations

import json
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
from sqlmodel import Session

from bot import texts
from bot.runner import (
    CONSENT_REQUEST_INTERVAL,
    _apply,
    _nudge_time,
    needs_consent,
    template_values,
)
from flows.engine import step
from flows.events import Start, StepResult
from flows.model import Flow
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
    rows: list[list[Any]] = []
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


@dataclass
class _Started:
    """One Start result shared by every request with the same flow, language and values."""

    result: StepResult
    context: dict[str, Any]  # result.state.to_json(), computed once


def _start(
    db: Session, flows: dict[str, Flow], starts: list[tuple[int, StartRequest]], now: datetime
) -> dict[int, int]:
    """Create the sessions and queue their first messages; request index -> session id."""
    cache: dict[_StartKey, _Started] = {}
    nudges: dict[tuple[datetime | None, str, str, str], datetime | None] = {}
    groups: dict[_Columns, list[tuple[int, StartRequest, _Started]]] = {}
    started: dict[int, int] = {}
    for i, req in starts:
        flow = flows[req.flow_id]
        person, program = cast(Person, req.person), req.program  # the runner reads these fields
        values = template_values(program, person)
        key = (flow.id, req.person.language, tuple(sorted(values.items())))
        shared = cache.get(key)
        if shared is None:
            result = step(flow, None, Start(req.person.language, values), now)
            shared = cache[key] = _Started(result, result.state.to_json())
        wait = shared.result.wait
        if shared.result.events or wait is None:
            # A start that already ends or raises something (no shipped flow does): the runner's
            # own path, with everything `_apply` does on such events.
            started[i] = _start_one(db, flow, req, shared.result, now)
            continue
        # The runner moves a nudge that would land in the person's quiet hours to the morning.
        quiet = (wait.nudge_at, person.timezone or program.timezone, program.quiet_start,
                 program.quiet_end)
        if quiet not in nudges:
            nudges[quiet] = _nudge_time(wait.nudge_at, person, program)
        columns = _session_columns(flow, shared.result, nudges[quiet], now)
        groups.setdefault(columns, []).append((i, req, shared))

    # One INSERT per group of rows that share every column but these four (usually one group
    # per language). person_id is unique among the rows (one start per person per batch), so it
    # maps the RETURNING rows back to the requests.
    s = _SESSION_TABLE.c
    session_ids: dict[int, int] = {}
    for shared_columns, items in groups.items():
        rows = [[req.person.id, shared.context, _contact(req).channel, _contact(req).address]
                for _, req, shared in items]
        inserted = insert_rows(db, _SESSION_TABLE, ("person_id", "context", "channel", "address"),
                               rows, dict(shared_columns), returning=(s.person_id, s.id))
        session_ids.update((row[0], row[1]) for row in inserted)

    # The first messages, in the engine's order within each session (the sender sends to one
    # address in id order).
    messages: list[list[Any]] = []
    for items in groups.values():
        for i, req, shared in items:
            session_id = started[i] = session_ids[_person_id(req)]
            contact = _contact(req)
            for msg in shared.result.messages:
                lane = Lane.urgent if msg.urgent else Lane.routine
                messages.append(
                    _outbox_row(contact, req.person.id, session_id, msg.text, msg.kind, lane))
    _queue(db, messages, now)
    return started


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


def _queue(db: Session, rows: list[list[Any]], now: datetime) -> None:
    """Add pending outbox rows due at `now`, in order, as `messages.enqueue_outbound` adds them;
    each row is [channel, address, person_id, session_id, body, kind, lane, priority]."""
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
) -> list[Any]:
    """A `_queue` row; priority follows the lane, as the Message model keeps it."""
    return [contact.channel, contact.address, person_id, session_id, body, kind, lane,
            lane.priority]


def insert_rows(
    db: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any], *, returning: Sequence[Column[Any]] = (),
) -> list[tuple[Any, ...]]:
    """INSERT `rows` (values of the columns `names`, in that order), each with `constants`, as
    one INSERT ... SELECT whose source is a single JSON array parameter that the database
    unpacks (SQLite `json_each`, PostgreSQL `jsonb_array_elements`), in the order of `rows`.

    Why not executemany or multi-row VALUES ("insertmanyvalues"): binding a thousand rows'
    values one by one costs more Python time than the database spends inserting them, while one
    JSON document is encoded in C and each constant is bound once through its column type. The
    varying columns must hold integers, strings, None or JSON (datetimes and enums belong in
    `constants`). Returns the `returning` columns of the new rows, in no particular order.
    """
    if not rows:
        return []
    postgres = is_postgres(db.get_bind())  # type: ignore[arg-type]
    key = (postgres, table.name, tuple(names), tuple(constants), tuple(c.name for c in returning))
    stmt = _INSERTS.get(key)
    if stmt is None:
        stmt = _INSERTS[key] = _insert_from_json(postgres, table, names, constants, returning)
    params = {f"c_{name}": value for name, value in constants.items()}
    params["rows"] = json.dumps(rows, separators=(",", ":"))
    result = db.execute(stmt, params)
    return [tuple(row) for row in result.all()] if returning else []


_INSERTS: dict[tuple[Any, ...], Insert] = {}


def _insert_from_json(
    postgres: bool, table: Table, names: Sequence[str], constants: Iterable[str],
    returning: Sequence[Column[Any]],
) -> Insert:
    payload = bindparam("rows", type_=String)
    if postgres:
        elements = func.jsonb_array_elements(sql_cast(payload, JSONB))
        source = elements.table_valued("value", with_ordinality="position").render_derived("row")
        order = source.c.position
    else:
        source = func.json_each(payload).table_valued("key", "value").alias("row")
        order = source.c.key  # the index in the array
    value = source.c.value
    picked: list[ColumnElement[Any]] = []
    for index, name in enumerate(names):
        column_type = table.c[name].type
        position = literal_column(str(index), Integer)
        if not postgres:
            picked.append(func.json_extract(value, f"$[{index}]"))
        elif isinstance(column_type, JSON):
            picked.append(value.op("->")(position))
        elif isinstance(column_type, Integer):
            picked.append(sql_cast(value.op("->>", return_type=String)(position), Integer))
        else:
            picked.append(value.op("->>", return_type=String)(position))
    constants = list(constants)
    picked += [bindparam(f"c_{name}", type_=table.c[name].type) for name in constants]
    stmt = insert(table).from_select([*names, *constants], select(*picked).order_by(order))
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
