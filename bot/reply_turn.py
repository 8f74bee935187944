"""The common inbound turn, written with Core statements: an enrolled person who is not staff,
has not opted out and has consented, replies inside an open check-in.

It is most of the inbound traffic, so it reads the contact, person, program and session as plain
values and writes the session, answers, audit and outbox rows as single Core statements, with
no ORM objects to build or unit of work to flush. It runs inside the caller's transaction like
`bot.runner.handle_inbound` (which calls it first) and never commits. Anything else (unknown
senders, staff, STOP/START outside a flow, consent, no open check-in) returns None before
writing anything, and the general ORM path handles it. The rare events of a reply (escalations,
an opt-out, a sharp drop, a missed-check-ins watch) load the ORM objects they need and go through
the same functions the general path uses, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot import crisis_window, runner, signals
from bot.policy import STAFF_ROLES, needs_consent
from bot.settings import get_settings
from flows.engine import step
from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    EscalationUpdated,
    OptOutRequested,
    OutMessage,
    Reply,
    StepResult,
)
from flows.model import Flow
from flows.state import SessionState
from storage.models import (
    CheckinSession,
    ContactPoint,
    Lane,
    Person,
    Program,
    SessionStatus,
)
from storage.prepared import pipelined
from storage.queries import audit, messages, people, sessions
from storage.queries.messages import OutboundRow


class _Loaded:
    """The ORM objects of this turn, loaded only when a rare event needs them."""

    def __init__(self, db: Session, snap: people.ContactSnapshot, session_id: int) -> None:
        self.db, self.snap, self.session_id = db, snap, session_id

    def program(self) -> Program:
        program = self.db.get(Program, self.snap.program_id)
        assert program is not None
        return program

    def person(self) -> Person:
        person = self.db.get(Person, self.snap.person_id)
        assert person is not None
        return person

    def contact(self) -> ContactPoint:
        contact = self.db.get(ContactPoint, self.snap.contact_id)
        assert contact is not None
        return contact

    def session_row(self) -> CheckinSession:
        # Fresh from the row this turn updated with Core, even if an earlier step loaded it.
        row = self.db.get(CheckinSession, self.session_id, populate_existing=True)
        assert row is not None
        return row


@dataclass(frozen=True)
class ReplyIn:
    """One inbound message, as `try_replies` takes it (`bot.inbound`'s turns are these)."""

    channel: str
    address: str
    text: str
    provider_id: str | None


@dataclass(slots=True)
class _Stepped:
    """A turn between its step and its writes."""

    index: int
    snap: people.ContactSnapshot
    session_id: int
    flow_id: str
    result: StepResult
    values: dict[str, object]
    answers: list[AnswerRecorded]
    ended: object
    rows: list[OutboundRow] | None  # None: the step opts out, its rows wait for that
    # Its trend reads, sent with the writes (None: an answer that is not scored).
    drops: list[Callable[[], signals.SharpDrop | None] | None] = field(default_factory=list)


def try_reply(
    db: Session,
    flows: dict[str, Flow],
    *,
    channel: str,
    address: str,
    text: str,
    provider_id: str | None,
    now: datetime,
    dashboard_url: str | None = None,
) -> runner.InboundResult | None:
    """The turn of a reply inside an open check-in; None (nothing written) for any other case."""
    return try_replies(db, flows, [ReplyIn(channel, address, text, provider_id)], now,
                       dashboard_url=dashboard_url)[0]


def try_replies(
    db: Session, flows: dict[str, Flow], turns: Sequence[ReplyIn], now: datetime, *,
    dashboard_url: str | None = None,
) -> list[runner.InboundResult | None]:
    """`try_reply` for several messages from different senders in one transaction, each
    result in its turn's place; None where that turn was not taken (nothing of it written: the
    caller gives it the general path, after these).

    The turns go through each stage together, so on PostgreSQL the whole group waits for
    three round trips where one turn after another waited for three each: who the senders are
    with their sessions (row-locked), the inbound rows, then the writes and trend reads. A
    second message of a person already in the group is not taken: it needs the first's state."""
    db.flush()
    conn = db.connection()
    # Read (and row-locked on PostgreSQL) before the inbound row is written, as in the general
    # path: a second delivery of a message waits here, then finds its duplicate.
    with pipelined(conn):
        sent = [(people.send_contact_snapshot(conn, t.channel, t.address),
                 sessions.send_active_state_of_contact(conn, t.channel, t.address))
                for t in turns]
        found = [(snapshot(), state()) for snapshot, state in sent]
    taken: list[tuple[int, people.ContactSnapshot, tuple[int, str, dict[str, Any]]]] = []
    persons: set[int] = set()
    for index, (snap, active) in enumerate(found):
        if (snap is None or snap.role in STAFF_ROLES or snap.opted_out
                or needs_consent(snap) or active is None or active[1] not in flows
                or snap.person_id in persons):
            continue
        persons.add(snap.person_id)
        taken.append((index, snap, active))

    results: list[runner.InboundResult | None] = [None] * len(turns)
    with pipelined(conn):
        inserted = [messages.send_inbound(db, snap.channel, snap.address, turns[i].provider_id,
                                          turns[i].text, snap.person_id, now,
                                          session_id=active[0])
                    for i, snap, active in taken]
        ids = [inbound_id() for inbound_id in inserted]
    stepped: list[_Stepped] = []
    for (index, snap, active), inbound_id in zip(taken, ids, strict=True):
        if inbound_id is None:
            results[index] = runner.InboundResult("duplicate")
        else:
            stepped.append(_step(flows, index, snap, active, turns[index].text, now))

    # The turns' own writes and trend reads need none of one another's results: on
    # PostgreSQL they all go out together. The rare events below load ORM objects, so they
    # come after the pipeline.
    with pipelined(conn):
        for turn in stepped:
            _write(db, turn, now)
        drops = [[drop() if drop else None for drop in turn.drops] for turn in stepped]
    for turn, turn_drops in zip(stepped, drops, strict=True):
        results[turn.index] = _finish(db, turn, turn_drops, now, dashboard_url)
    return results


def _step(
    flows: dict[str, Flow], index: int, snap: people.ContactSnapshot,
    active: tuple[int, str, dict[str, Any]], text: str, now: datetime,
) -> _Stepped:
    session_id, flow_id, context = active
    result = step(flows[flow_id], SessionState.from_json(context), Reply(text), now)
    state, wait = result.state, result.wait
    ended = next((e for e in result.events if type(e) in runner.END_STATUS), None)
    values: dict[str, object] = {
        "context": state.to_json(), "current_state": state.current, "turn": state.turn,
        "updated_at": now,
        "nudge_at": runner.nudge_time(wait.nudge_at, snap.person_timezone or
                                      snap.program_timezone, snap.quiet_start,
                                      snap.quiet_end) if wait else None,
        "expire_at": wait.expire_at if wait else None,
    }
    if ended is not None:
        values.update(status=runner.END_STATUS[type(ended)], ended_at=now)
    answers = [e for e in result.events if isinstance(e, AnswerRecorded)]
    # An opt-out in this step changes which replies go out, and a crisis reply may be folded
    # into one sent minutes ago: those rows wait for that (only such rare turns read more).
    wait_for = (any(isinstance(e, OptOutRequested) for e in result.events)
                or any(m.kind == crisis_window.CRISIS_KIND for m in result.messages))
    rows = None if wait_for else (
        _outbound_rows(result.messages, opted_out=False))
    return _Stepped(index, snap, session_id, flow_id, result, values, answers, ended, rows)


def _write(db: Session, turn: _Stepped, now: datetime) -> None:
    """The turn's session update, answers and replies, with its trend reads sent."""
    snap, session_id = turn.snap, turn.session_id
    sessions.update_session(db, session_id, turn.values)
    for answer in turn.answers:
        sessions.insert_answer(db, session_id=session_id, person_id=snap.person_id,
                               key=answer.key, raw_text=answer.raw,
                               value=runner.answer_value(answer), status=answer.status, now=now)
    if turn.rows is not None:
        _queue(db, snap, session_id, turn.rows, now)
    turn.drops = [signals.send_sharp_drop(db, snap.person_id, session_id, answer.key,
                                          runner.answer_value(answer))
                  if answer.status == "answered" else None for answer in turn.answers]


def _finish(
    db: Session, turn: _Stepped, drops: list[signals.SharpDrop | None], now: datetime,
    dashboard_url: str | None,
) -> runner.InboundResult:
    """The rare events of the turn's step, in the step's order; its result."""
    snap, session_id, result, ended = turn.snap, turn.session_id, turn.result, turn.ended
    loaded = _Loaded(db, snap, session_id)
    if snap.unreachable:  # rare: read with the snapshot, so ordinary turns pay nothing for it
        runner.mark_reachable(db, loaded.contact(), now)
    opted_out = False
    # Anything but plain answers may queue an alert (escalation, watch): wake the urgent lane.
    urgent = any(drops) or any(
        not isinstance(e, AnswerRecorded) and e is not ended for e in result.events)
    answer_drops = iter(drops)
    for event in result.events:
        if isinstance(event, AnswerRecorded):
            drop = next(answer_drops)
            if drop is not None:  # raised in the order of the step's events, as alerts merge
                signals.raise_drop_watch(db, loaded.program(), loaded.person(), session_id,
                                         drop, now)
        elif isinstance(event, EscalationRaised | EscalationUpdated):
            runner.escalate_finding(db, loaded.program(), loaded.person(), session_id, event,
                                    now, dashboard_url=dashboard_url)
        elif isinstance(event, OptOutRequested):
            runner._opt_out(db, loaded.contact(), now)
            opted_out = True
        elif event is ended:
            status = runner.END_STATUS[type(event)]
            audit.record(db, actor="system", action=f"session_{status.value}",
                         subject_type="checkin_session", subject_id=session_id,
                         detail={"flow": turn.flow_id}, now=now)
            if status == SessionStatus.expired:  # the only end that can raise a watch
                urgent = True
                signals.after_session_ended(
                    db, loaded.program(), loaded.person(), loaded.session_row(), now,
                    default_n=get_settings().missed_checkins_for_watch,
                )

    rows = turn.rows
    if rows is None:
        outgoing = crisis_window.fold(db, snap.person_id, result.messages, now)
        rows = _outbound_rows(outgoing, opted_out=opted_out)
        _queue(db, snap, session_id, rows, now)
    urgent = urgent or any(lane == Lane.urgent for _, _, lane in rows)
    return runner.InboundResult("reply", session_id, len(rows), urgent=urgent)


def _outbound_rows(outgoing: Sequence[OutMessage], *, opted_out: bool) -> list[OutboundRow]:
    # The STOP confirmation is the one message a number that just opted out still gets.
    return [(msg.text, msg.kind, Lane.urgent if msg.urgent else Lane.routine)
            for msg in outgoing if not (opted_out and msg.kind != "stopped")]


def _queue(db: Session, snap: people.ContactSnapshot, session_id: int, rows: list[OutboundRow],
           now: datetime) -> None:
    messages.insert_outbound(db, rows, channel=snap.channel, address=snap.address,
                             person_id=snap.person_id, session_id=session_id, now=now)
