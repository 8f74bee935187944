"""The one place where a step's result is written: a batch of (who, session, StepResult).

A webhook reply is a batch of one, a group commit (`bot.inbound`) a batch of a few, a
scheduled fan-out (`bot.bulk_start`) a batch of thousands; the ORM turns of `bot.runner`
(timers, staff STOP/START during a check-in) are batches of one too. Like mailroom's
hooks, each turn's events add rows to hooks, and each hook writes the whole batch with one
call of its `storage.writes` function, in a fixed order:

1. the new sessions INSERTed (their ids come back: the rows below point at them);
2. the other sessions UPDATEd, answers, outbox rows and the audit rows of the sessions that
   ended, with the trend reads of scored answers sent alongside (on PostgreSQL these go out in
   one pipeline: one round trip for the batch);
3. the rare events, each turn's in its step's order: a sharp-drop watch, an escalation raised
   or merged (with its audit row and alerts), an opt-out (queued rows cancelled, audited), an
   expiry (it may raise a missed-check-ins watch);
4. the outbox rows of a turn that opted out or sent a crisis reply: they wait for step 3 (only
   the STOP confirmation reaches a number that just opted out; a crisis reply sent moments ago
   is folded into a short thanks, `bot.crisis_window`).

Nothing here commits. What a turn may send: nothing without a contact; to an opted-out or
unreachable contact only the STOP confirmation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlmodel import Session

from bot import crisis_window, request_ids, signals, webhook_events
from bot.turns import escalate as escalation
from bot.turns.contact_state import opt_out
from bot.turns.hooks import BatchWrites
from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    EscalationUpdated,
    FlowCompleted,
    OptOutRequested,
    OutMessage,
    SessionExpired,
    SessionStopped,
    StepResult,
)
from flows.quiet_hours import outside_quiet_hours
from storage import writes
from storage.models import (
    CheckinSession,
    ContactPoint,
    Lane,
    Person,
    Program,
    SessionStatus,
)
from storage.prepared import pipelined
from storage.queries import people

# How a session ends, by the engine event that ends it.
END_STATUS: dict[type, SessionStatus] = {
    FlowCompleted: SessionStatus.completed,
    SessionExpired: SessionStatus.expired,
    SessionStopped: SessionStatus.stopped,
}
STOPPED_KIND = "stopped"  # the STOP confirmation: the one message an opted-out number gets


class Who(NamedTuple):
    """What applying a turn reads of the person, their program and the contact the turn
    speaks on: plain values (a fan-out builds thousands of these: a tuple of strings and
    numbers costs the least to build and the garbage collector stops tracking it)."""

    person_id: int
    program_id: int
    timezone: str  # the person's, else the program's: where quiet hours are counted
    quiet_start: str
    quiet_end: str
    contact_id: int | None  # None: no contact, nothing is sent
    channel: str | None
    address: str | None
    opted_out: bool = False
    unreachable: bool = False

    @classmethod
    def of_snapshot(cls, snap: people.ContactSnapshot) -> Who:
        return cls(snap.person_id, snap.program_id, snap.person_timezone or snap.program_timezone,
                   snap.quiet_start, snap.quiet_end, snap.contact_id, snap.channel, snap.address,
                   snap.opted_out, snap.unreachable)

    @classmethod
    def of(cls, person: Person, program: Program, contact: ContactPoint | None) -> Who:
        assert person.id is not None and program.id is not None
        return cls(person.id, program.id, person.timezone or program.timezone,
                   program.quiet_start, program.quiet_end,
                   contact.id if contact else None, contact.channel if contact else None,
                   contact.address if contact else None,
                   bool(contact and contact.opted_out), bool(contact and contact.unreachable))


class NewSession(NamedTuple):
    """A session the turn starts (a `Start` step): inserted, its id handed back."""

    flow_version: int


class Turn(NamedTuple):
    who: Who
    session: int | NewSession  # an existing session's id, or one to create
    flow_id: str
    result: StepResult
    # The webhook request whose turn this is (`bot.request_ids`); None: the one bound now, if
    # any (a group of turns from several requests names each turn's own).
    request_id: str | None = None


class Applied(NamedTuple):
    session_id: int
    queued: int  # outgoing messages queued for the turn's contact
    # Whether the turn may have queued an alert or an urgent reply (wakes the urgent lane).
    urgent: bool


def answer_value(event: AnswerRecorded) -> bool | int | str | None:
    """What an answer stores: a number, yes/no or text; anything else (a choice list) none."""
    return event.value if isinstance(event.value, bool | int | str) else None


def nudge_time(
    nudge_at: datetime | None, timezone: str, quiet_start: str, quiet_end: str
) -> datetime | None:
    """A nudge is a routine send: one that would land in the person's quiet hours (their
    timezone, else the program's) waits for the morning."""
    if nudge_at is None:
        return None
    return outside_quiet_hours(nudge_at, timezone, quiet_start, quiet_end)


@dataclass(slots=True)
class _Shared:
    """What every turn with the same StepResult object shares (a fan-out computes one Start
    per flow and language and hands the same result to thousands of turns)."""

    ended: SessionStatus | None
    answers: tuple[AnswerRecorded, ...]
    # Events beyond answers and a plain end: escalations, an opt-out, an expiry (which may
    # raise a missed-check-ins watch). `_rare` walks the step for them.
    rare: bool
    waits: bool  # the outbox rows wait for the rare events (an opt-out, a crisis reply)
    messages: tuple[tuple[str, str, str, int], ...]  # (text, kind, lane, priority)
    stop_only: int  # how many of them still go to an opted-out or unreachable contact
    urgent: bool  # an urgent-lane message, or an event that may alert staff
    context: dict[str, Any]
    context_text: str | None = None  # JSON text, for new sessions


def _shared(result: StepResult) -> _Shared:
    ended = next((END_STATUS[type(e)] for e in result.events if type(e) in END_STATUS), None)
    answers = tuple(e for e in result.events if isinstance(e, AnswerRecorded))
    opts_out = any(isinstance(e, OptOutRequested) for e in result.events)
    alerting = any(not isinstance(e, AnswerRecorded) and type(e) not in END_STATUS
                   for e in result.events)
    waits = opts_out or any(m.kind == crisis_window.CRISIS_KIND for m in result.messages)
    messages = tuple((m.text, m.kind, lane.value, lane.priority) for m in result.messages
                     for lane in [Lane.urgent if m.urgent else Lane.routine])
    urgent = (alerting or ended == SessionStatus.expired
              or any(m.urgent for m in result.messages))
    return _Shared(ended, answers, alerting or ended == SessionStatus.expired, waits, messages,
                   sum(1 for m in messages if m[1] == STOPPED_KIND), urgent,
                   result.state.to_json())


def apply(
    db: Session, turns: Sequence[Turn], now: datetime, *, missed_checkins_for_watch: int,
    dashboard_url: str | None = None,
) -> list[Applied]:
    """Write every turn's result; one `Applied` per turn, in order. ``missed_checkins_for_watch``:
    the service's default N of the missed-check-ins watch (a program may set its own);
    ``dashboard_url``: the app's public address, for the link in the alerts of an escalation."""
    if not turns:
        return []
    db.flush()  # what the caller changed as ORM objects goes first (and not inside a pipeline)
    hooks = BatchWrites(now)
    # Per turn, in parallel lists (a fan-out's thousands of turns build no object each).
    shared: list[_Shared] = []
    session_ids: list[int] = []
    by_result: dict[int, _Shared] = {}
    nudges: dict[tuple[Any, ...], datetime | None] = {}
    # The new sessions' lists (`BatchWrites.new_sessions`) by what they share: the same
    # result, quiet hours, flow and version.
    new_groups: dict[tuple[Any, ...], tuple[list[int], list[tuple[int, str, str, str]]]] = {}
    for index, (who, session, flow_id, result, _) in enumerate(turns):
        one = by_result.get(id(result))
        if one is None:
            one = by_result[id(result)] = _shared(result)
        shared.append(one)
        if type(session) is NewSession:
            session_ids.append(0)  # known once the sessions are inserted
            key = (id(result), who.timezone, who.quiet_start, who.quiet_end, flow_id, session)
            group = new_groups.get(key)
            if group is None:
                if one.context_text is None:
                    one.context_text = json.dumps(one.context, separators=(",", ":"))
                group = new_groups[key] = hooks.new_sessions(_new_session_columns(
                    result, one, flow_id, session, _nudge(result, who, nudges), now))
            group[0].append(index)
            group[1].append((who.person_id, one.context_text or "", who.channel or "",
                             who.address or ""))
        else:
            assert isinstance(session, int)
            session_ids.append(session)
            state, wait = result.state, result.wait
            values: dict[str, Any] = {
                "_id": session, "context": one.context, "current_state": state.current,
                "turn": state.turn, "updated_at": now, "nudge_at": _nudge(result, who, nudges),
                "expire_at": wait.expire_at if wait else None,
            }
            if one.ended is not None:
                values.update(status=one.ended, ended_at=now)
            hooks.updates.append(values)

    hooks.insert_sessions(db, session_ids)  # their ids first: the rows below point at them
    answered: list[int] = []  # the turns with answers
    outbox = hooks.outbox
    bound_request = request_ids.current()
    for index, ((who, _, flow_id, _, request_id), one, session_id) in enumerate(
            zip(turns, shared, session_ids, strict=True)):
        if one.ended is not None:
            hooks.audit.append((f"session_{one.ended.value}", "checkin_session", session_id,
                                {"flow": flow_id}))
        if one.answers:
            answered.append(index)
            for answer in one.answers:
                hooks.answers.append((session_id, who.person_id, answer.key, answer.raw,
                                      answer_value(answer), answer.status))
        if one.waits or who.address is None:
            continue
        channel, address, person_id = who.channel or "", who.address, who.person_id
        blocked = who.opted_out or who.unreachable
        request_id = request_id or bound_request
        for text, kind, lane, priority in one.messages:
            if not blocked or kind == STOPPED_KIND:
                outbox.append((channel, address, person_id, session_id, text, kind, lane,
                               priority, request_id))

    drops: dict[int, list[signals.SharpDrop | None]] = {}
    with pipelined(db.connection()):  # PostgreSQL: the writes and trend reads, one round trip
        hooks.write_rows(db)
        reads = {index: [signals.send_sharp_drop(db, turns[index].who.person_id,
                                                 session_ids[index], answer.key,
                                                 answer_value(answer))
                         if answer.status == "answered" else None
                         for answer in shared[index].answers]
                 for index in answered}
        for index, turn_reads in reads.items():
            drops[index] = [read() if read else None for read in turn_reads]

    applied: list[Applied] = []
    waiting: list[writes.OutboxRow] = []
    for index, (turn, one, session_id) in enumerate(zip(turns, shared, session_ids,
                                                        strict=True)):
        turn_drops = drops.get(index, [])
        if one.rare or one.waits or any(turn_drops):
            # Its log lines and the rows it builds (alerts) carry its own request's id.
            with request_ids.bound(turn.request_id or bound_request):
                applied.append(_rare(db, turn, one, session_id, turn_drops, now,
                                     missed_checkins_for_watch, waiting, dashboard_url))
            continue
        applied.append(Applied(session_id, _queued_now(turn.who, one), one.urgent))
    writes.insert_outbox(db, waiting, now)
    return applied


def _queued_now(who: Who, one: _Shared) -> int:
    """How many of the step's messages the hooks queued for this contact: none without one,
    only the STOP confirmation to an opted-out or unreachable one."""
    if who.address is None:
        return 0
    return one.stop_only if who.opted_out or who.unreachable else len(one.messages)


def _nudge(
    result: StepResult, who: Who, nudges: dict[tuple[Any, ...], datetime | None]
) -> datetime | None:
    """When the step's nudge is due for this person (out of their quiet hours); computed
    once per batch for each time and quiet-hours setting."""
    wait = result.wait
    if wait is None or wait.nudge_at is None:
        return None
    quiet = (wait.nudge_at, who.timezone, who.quiet_start, who.quiet_end)
    if quiet not in nudges:
        nudges[quiet] = nudge_time(*quiet)
    return nudges[quiet]


def _new_session_columns(
    result: StepResult, one: _Shared, flow_id: str, session: NewSession,
    nudge_at: datetime | None, now: datetime,
) -> tuple[tuple[str, Any], ...]:
    """The columns a new session shares with the others of its kind in the batch (all but
    person_id, context, channel and address)."""
    state, wait = result.state, result.wait
    return (("flow_id", flow_id), ("flow_version", session.flow_version),
            ("current_state", state.current), ("turn", state.turn),
            ("status", one.ended or SessionStatus.active), ("language", state.language),
            ("started_at", now), ("updated_at", now), ("nudge_at", nudge_at),
            ("expire_at", wait.expire_at if wait else None),
            ("ended_at", now if one.ended else None))


class _Loaded:
    """The ORM objects of one turn, loaded only when a rare event needs them."""

    def __init__(self, db: Session, who: Who, session_id: int) -> None:
        self.db, self.who, self.session_id = db, who, session_id

    def program(self) -> Program:
        program = self.db.get(Program, self.who.program_id)
        assert program is not None
        return program

    def person(self) -> Person:
        person = self.db.get(Person, self.who.person_id)
        assert person is not None
        return person

    def contact(self) -> ContactPoint | None:
        if self.who.contact_id is None:
            return None
        return self.db.get(ContactPoint, self.who.contact_id)

    def session_row(self) -> CheckinSession:
        # Fresh from the row this batch wrote with Core, even if the caller loaded it before.
        row = self.db.get(CheckinSession, self.session_id, populate_existing=True)
        assert row is not None
        return row


def _rare(
    db: Session, turn: Turn, one: _Shared, session_id: int,
    drops: list[signals.SharpDrop | None], now: datetime, missed_checkins_for_watch: int,
    waiting: list[writes.OutboxRow], dashboard_url: str | None,
) -> Applied:
    """A turn's rare events, in its step's order, and its rows that waited for them (added to
    ``waiting``)."""
    who = turn.who
    queued = 0 if one.waits else _queued_now(who, one)
    loaded = _Loaded(db, who, session_id)
    opted_out = False
    answer_drops = iter(drops)
    for event in turn.result.events:
        if isinstance(event, AnswerRecorded):
            drop = next(answer_drops)
            if drop is not None:  # raised in the order of the step's events, as alerts merge
                signals.raise_drop_watch(db, loaded.program(), loaded.person(), session_id,
                                         drop, now)
        elif isinstance(event, EscalationRaised | EscalationUpdated):
            escalation.escalate_finding(db, loaded.program(), loaded.person(), session_id,
                                        event, now, dashboard_url=dashboard_url)
        elif isinstance(event, OptOutRequested):
            contact = loaded.contact()
            if contact is not None:
                opt_out(db, contact, now)
                opted_out = True
        elif type(event) in END_STATUS:  # its audit row is the hooks' (with the session's)
            if END_STATUS[type(event)] == SessionStatus.expired:  # may count towards a watch
                ended_row = loaded.session_row()
                # The program's webhook hears of the miss before the watch it may raise.
                webhook_events.missed_checkin_event(db, loaded.program(), loaded.person(),
                                                    ended_row, now)
                signals.after_session_ended(db, loaded.program(), loaded.person(), ended_row,
                                            now, default_n=missed_checkins_for_watch)
    rows: list[writes.OutboxRow] = []
    if one.waits and who.address is not None:
        blocked = who.opted_out or who.unreachable or opted_out
        outgoing = crisis_window.fold(db, who.person_id, turn.result.messages, now)
        request_id = request_ids.current()  # bound to this turn's by `apply`
        rows = [(who.channel or "", who.address, who.person_id, session_id, m.text, m.kind,
                 lane.value, lane.priority, request_id) for m in outgoing
                for lane in [Lane.urgent if m.urgent else Lane.routine]
                if not blocked or m.kind == STOPPED_KIND]
        waiting.extend(rows)
        queued = len(rows)
    urgent = one.urgent or any(drops) or any(row[6] == Lane.urgent.value for row in rows)
    return Applied(session_id, queued, urgent)


__all__ = ["END_STATUS", "Applied", "NewSession", "OutMessage", "Turn", "Who", "answer_value",
           "apply", "nudge_time"]
