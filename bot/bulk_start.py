"""Start many check-ins in one transaction: what `bot.runner.start_checkin` does, in bulk.

A scheduled fan-out starts thousands of check-ins at once. Here a batch costs a handful of
statements: one query for the active sessions of every person, one for recent consent requests,
then the applier (`bot.turns.applier`, the one that applies every turn) writes the whole batch:
an INSERT ... RETURNING for the sessions and an INSERT for their first messages
(`storage.writes.insert_rows`). The engine's `Start` result depends only on (flow, language,
template values) and `now`, so it is computed once per distinct combination in a batch, and the
applier renders it (context JSON, messages, the nudge's quiet-hours check) once per result.

Per request the rules are those of `start_checkin`, in its order: a paused or exited person,
no usable contact, an opted-out or unreachable contact, or an active session (or one started
earlier in the same batch) means no start; an SMS contact that has not agreed to texts gets a
consent request instead (at most one per `CONSENT_REQUEST_INTERVAL`) and no check-in content.
One audit row records the whole batch. Nothing here commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, cast

from sqlalchemy import String, Table, func, select, type_coerce
from sqlmodel import Session

from bot import crisis_texts, texts
from bot.policy import CONSENT_REQUEST_INTERVAL, needs_consent
from bot.turns import applier
from bot.turns.outcome import DEFAULT_MISSED_CHECKINS_FOR_WATCH
from flows.engine import step
from flows.events import Start, StepResult
from flows.model import Flow
from storage import writes
from storage.db import is_postgres
from storage.models import (
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Lane,
    Message,
    Person,
    PersonStatus,
    Program,
)
from storage.queries import audit, staff_conversations
from storage.queries.sql import one_of

SkipReason = Literal[
    "active_session", "no_contact", "opted_out", "unreachable", "consent_requested",
    "consent_pending", "unknown_flow", "person_paused", "staff_conversation",
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
    db: Session, flows: dict[str, Flow], requests: Sequence[StartRequest], now: datetime, *,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
) -> list[StartOutcome]:
    """Start every request that may start; one outcome per request, in order.
    ``missed_checkins_for_watch``: the service's setting (a start that ends at once counts)."""
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

    asked = {_person_id(requests[i]) for i in candidates}
    busy = _people_with_active_session(db, asked)
    # A staff member is talking with them from the dashboard: their replies belong to that
    # conversation (bot.turns.staff_conversation), so a check-in started now could only sit
    # unanswered and be counted as missed. This occurrence is skipped, like one that finds a
    # check-in still running.
    talking = staff_conversations.people_in_conversation(db, asked, now)
    to_start: list[int] = []
    to_ask: list[int] = []
    for i in candidates:
        req = requests[i]
        pid = _person_id(req)
        if pid in busy:
            skipped[i] = "active_session"
        elif pid in talking:
            skipped[i] = "staff_conversation"
        elif needs_consent(cast(ContactPoint, req.contact)):  # reads channel and consent_at
            to_ask.append(i)
        else:
            busy.add(pid)  # a second request for this person in the batch finds it active
            to_start.append(i)

    skipped.update(_request_consents(db, [(i, requests[i]) for i in to_ask], now))
    started = _start(db, flows, [(i, requests[i]) for i in to_start], now,
                     missed_checkins_for_watch)
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
    # `status || ''` keeps both databases off the status index: without fresh statistics (a
    # table that grew since the last ANALYZE, as during a first fan-out) they would walk every
    # active session in the service instead of the person_id index (a few rows per person).
    # Measured on PostgreSQL at 100,000 due check-ins: this query went from 3.4 s to 0.2 s.
    active = type_coerce(s.status, String).concat("") == "active"
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
    rows: list[writes.OutboxRow] = []
    for i, req in asks:
        contact = _contact(req)
        recent = last.get(contact.address)
        if recent is not None and now - recent < CONSENT_REQUEST_INTERVAL:
            outcome[i] = "consent_pending"
            continue
        person = req.person
        name = person.display_name.split()[0] if person.display_name else ""
        body = texts.text("consent_request", person.language, name=name, program=req.program.name)
        rows.append((contact.channel, contact.address, person.id, None, body, "consent_request",
                     Lane.routine.value, Lane.routine.priority, None))  # no request: scheduled
        last[contact.address] = now
        outcome[i] = "consent_requested"
    writes.insert_outbox(db, rows, now)
    return outcome


_StartKey = tuple[str, str, tuple[tuple[str, str], ...]]


def template_values(
    program: Program, person: Person, language: str | None = None
) -> dict[str, str]:
    """A session's template values and program overrides. ``language`` is the session's (the
    flow's language for the person): the program's crisis texts are chosen for it."""
    values = {"name": person.display_name.split()[0] if person.display_name else "",
              "program": program.name}
    values.update(crisis_texts.flow_values(program, language or person.language))
    if program.help_text:
        values["help_message"] = program.help_text
    return values


def _start(
    db: Session, flows: dict[str, Flow], starts: list[tuple[int, StartRequest]], now: datetime,
    missed_checkins_for_watch: int,
) -> dict[int, int]:
    """Start the sessions through the applier, one batch; request index -> session id.

    The engine's Start is computed once per distinct (flow, language, template values) and
    the same result handed to every request sharing it: the applier then encodes its context
    and renders its rows once too."""
    steps: dict[_StartKey, StepResult] = {}
    values_of: dict[tuple[Any, ...], StepResult] = {}
    versions = {flow_id: applier.NewSession(flow.version) for flow_id, flow in flows.items()}
    # What the applier reads of each program, read once per program object (an ORM attribute
    # read costs more than a dictionary lookup, and a batch repeats the same program).
    where: dict[int, tuple[int, str, str, str]] = {}
    turns: list[applier.Turn] = []
    Who, Turn = applier.Who, applier.Turn
    for _, req in starts:
        person, program, contact = req.person, req.program, _contact(req)
        program_key = id(program)  # the program object is alive (in `starts`) throughout
        quiet = where.get(program_key)
        if quiet is None:
            assert program.id is not None
            quiet = where[program_key] = (program.id, program.timezone, program.quiet_start,
                                          program.quiet_end)
        name = person.display_name  # template_values uses the first name only
        key = (req.flow_id, person.language, name.split()[0] if name else "", program_key)
        result = values_of.get(key)
        if result is None:
            flow = flows[req.flow_id]
            values = template_values(program, cast(Person, person),
                                            flow.language_for(person.language))
            step_key = (flow.id, person.language, tuple(sorted(values.items())))
            result = steps.get(step_key)
            if result is None:
                result = steps[step_key] = step(flow, None, Start(person.language, values), now)
            values_of[key] = result
        program_id, zone, quiet_start, quiet_end = quiet
        turns.append(Turn(
            Who(person.id, program_id, person.timezone or zone,  # type: ignore[arg-type]
                quiet_start, quiet_end, contact.id, contact.channel, contact.address),
            versions[req.flow_id], req.flow_id, result))
    applied = applier.apply(db, turns, now, missed_checkins_for_watch=missed_checkins_for_watch)
    return {i: done.session_id for (i, _), done in zip(starts, applied, strict=True)}


__all__ = [
    "ContactLike", "PersonLike", "SkipReason", "StartOutcome", "StartRequest", "start_many",
]
