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

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot import runner, signals
from bot.settings import get_settings
from flows.engine import step
from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    EscalationUpdated,
    OptOutRequested,
    OutMessage,
    Reply,
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


def try_reply(
    db: Session,
    flows: dict[str, Flow],
    *,
    channel: str,
    address: str,
    text: str,
    provider_id: str | None,
    now: datetime,
) -> runner.InboundResult | None:
    """The turn of a reply inside an open check-in; None (nothing written) for any other case."""
    snap = people.contact_snapshot(db, channel, address)
    if (snap is None or snap.role in runner.STAFF_ROLES or snap.opted_out
            or runner.needs_consent(snap)):
        return None
    # Read (and row-locked on PostgreSQL) before the inbound row is written, as in the general
    # path: a second delivery of this message waits here, then finds its duplicate.
    active = sessions.active_session_state(db, snap.person_id, lock=True)
    if active is None or active[1] not in flows:
        return None
    session_id, flow_id, context = active
    if messages.insert_inbound(db, channel, address, provider_id, text, snap.person_id, now,
                               session_id=session_id) is None:
        return runner.InboundResult("duplicate")
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
    # An opt-out in this step changes which replies go out: those rows wait for it below.
    rows = None if any(isinstance(e, OptOutRequested) for e in result.events) else (
        _outbound_rows(result.messages, opted_out=False, unreachable=snap.unreachable))
    # The turn's own writes and the trend reads need none of one another's results: on
    # PostgreSQL they go out together, one round trip where there were four or five. The rare
    # events below load ORM objects, so they come after the pipeline.
    with pipelined(db.connection()):
        sessions.update_session(db, session_id, values)
        for answer in answers:
            sessions.insert_answer(db, session_id=session_id, person_id=snap.person_id,
                                   key=answer.key, raw_text=answer.raw,
                                   value=runner.answer_value(answer), status=answer.status,
                                   now=now)
        if rows is not None:
            _queue(db, snap, session_id, rows, now)
        drops = [signals.sharp_drop(db, snap.person_id, session_id, answer.key,
                                    runner.answer_value(answer))
                 if answer.status == "answered" else None for answer in answers]

    loaded = _Loaded(db, snap, session_id)
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
            runner._escalate(db, loaded.program(), loaded.person(), session_id, event.level,
                             event.reasons, event.evidence, event.about_mentor, now)
        elif isinstance(event, OptOutRequested):
            runner._opt_out(db, loaded.contact(), now)
            opted_out = True
        elif event is ended:
            status = runner.END_STATUS[type(event)]
            audit.record(db, actor="system", action=f"session_{status.value}",
                               subject_type="checkin_session", subject_id=session_id,
                               detail={"flow": flow_id}, now=now)
            if status == SessionStatus.expired:  # the only end that can raise a watch
                urgent = True
                signals.after_session_ended(
                    db, loaded.program(), loaded.person(), loaded.session_row(), now,
                    default_n=get_settings().missed_checkins_for_watch,
                )

    if rows is None:
        rows = _outbound_rows(result.messages, opted_out=opted_out, unreachable=snap.unreachable)
        _queue(db, snap, session_id, rows, now)
    urgent = urgent or any(lane == Lane.urgent for _, _, lane in rows)
    return runner.InboundResult("reply", session_id, len(rows), urgent=urgent)


def _outbound_rows(
    outgoing: Sequence[OutMessage], *, opted_out: bool, unreachable: bool
) -> list[OutboundRow]:
    # The STOP confirmation is the one message a number that just opted out still gets.
    return [(msg.text, msg.kind, Lane.urgent if msg.urgent else Lane.routine)
            for msg in outgoing if not ((opted_out or unreachable) and msg.kind != "stopped")]


def _queue(db: Session, snap: people.ContactSnapshot, session_id: int, rows: list[OutboundRow],
           now: datetime) -> None:
    messages.insert_outbound(db, rows, channel=snap.channel, address=snap.address,
                             person_id=snap.person_id, session_id=session_id, now=now)
