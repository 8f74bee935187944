"""The one place where a step's result is written: a batch of (who, session, StepResult).

A webhook reply is a batch of one, a group commit (`bot.inbound`) a batch of a few, a
scheduled fan-out (`bot.turns.starts`) a batch of thousands; the ORM turns of `bot.runner`
(timers, staff STOP/START during a check-in) are batches of one too. Like mailroom's
hooks, each turn's events add rows to hooks, and each hook writes the whole batch with one
call of its `storage.writes` function, in a fixed order:

1. sessions: INSERT the new ones (their ids come back), UPDATE the others;
2. answers; 3. outbox rows; with the trend reads of scored answers sent alongside
   (on PostgreSQL, 1-3 go out in one pipeline: one round trip for the batch);
4. the rare events, each turn's in its step's order: a sharp-drop watch, an escalation raised
   or merged (with its audit row and alerts), an opt-out (queued rows cancelled, audited), the
   session's end (audited; an expiry may raise a missed-check-ins watch);
5. the outbox rows of a turn that opted out or sent a crisis reply: they wait for step 4 (only
   the STOP confirmation reaches a number that just opted out; a crisis reply sent moments ago
   is folded into a short thanks, `bot.crisis_window`).

Nothing here commits. What a turn may send: nothing without a contact; to an opted-out or
unreachable contact only the STOP confirmation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot import crisis_window, signals
from bot.turns import escalate as escalation
from bot.turns.contact_state import opt_out
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
from storage.queries import audit, people

# How a session ends, by the engine event that ends it.
END_STATUS: dict[type, SessionStatus] = {
    FlowCompleted: SessionStatus.completed,
    SessionExpired: SessionStatus.expired,
    SessionStopped: SessionStatus.stopped,
}
STOPPED_KIND = "stopped"  # the STOP confirmation: the one message an opted-out number gets


@dataclass(frozen=True, slots=True)
class Who:
    """What applying a turn reads of the person, their program and the contact the turn
    speaks on: plain values (a fan-out builds thousands of these, no ORM objects)."""

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


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session the turn starts (a `Start` step): inserted, its id handed back."""

    flow_version: int


@dataclass(frozen=True, slots=True)
class Turn:
    who: Who
    session: int | NewSession  # an existing session's id, or one to create
    flow_id: str
    result: StepResult


@dataclass(frozen=True, slots=True)
class Applied:
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
    rare: bool  # events beyond answers and the end: escalations, an opt-out
    opts_out: bool
    waits: bool  # the outbox rows wait for the rare events (an opt-out, a crisis reply)
    messages: tuple[tuple[str, str, str, int], ...]  # (text, kind, lane, priority)
    urgent: bool  # an urgent-lane message, or an event that may alert staff
    context: dict[str, Any]
    context_text: str | None = None  # JSON text, for new sessions


def _shared(result: StepResult) -> _Shared:
    ended = next((END_STATUS[type(e)] for e in result.events if type(e) in END_STATUS), None)
    answers = tuple(e for e in result.events if isinstance(e, AnswerRecorded))
    opts_out = any(isinstance(e, OptOutRequested) for e in result.events)
    rare = any(not isinstance(e, AnswerRecorded) and type(e) not in END_STATUS
               for e in result.events)
    waits = opts_out or any(m.kind == crisis_window.CRISIS_KIND for m in result.messages)
    messages = tuple((m.text, m.kind, lane.value, lane.priority) for m in result.messages
                     for lane in [Lane.urgent if m.urgent else Lane.routine])
    urgent = rare or ended == SessionStatus.expired or any(m.urgent for m in result.messages)
    return _Shared(ended, answers, rare, opts_out, waits, messages, urgent,
                   result.state.to_json())


@dataclass(slots=True)
class _Item:
    turn: Turn
    shared: _Shared
    session_id: int = 0
    drops: list[Callable[[], signals.SharpDrop | None] | None] = field(default_factory=list)


class _Hooks:
    """The batch's rows, by kind of write; each `run` is one write for the whole batch."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.updates: list[dict[str, Any]] = []
        # shared columns -> (item, person_id, context text, channel, address)
        self.inserts: dict[tuple[tuple[str, Any], ...], list[_Item]] = {}
        self.answers: list[writes.AnswerRow] = []
        self.outbox: list[writes.OutboxRow] = []

    def run_sessions(self, db: Session) -> None:
        for shared_columns, items in self.inserts.items():
            rows = [(i.turn.who.person_id, i.shared.context_text or "", i.turn.who.channel or "",
                     i.turn.who.address or "") for i in items]
            ids = writes.insert_sessions(db, rows, dict(shared_columns))
            for item in items:
                item.session_id = ids[item.turn.who.person_id]
        if self.updates:
            writes.update_sessions(db, self.updates)

    def run_rows(self, db: Session) -> None:
        writes.insert_answers(db, self.answers, self.now)
        writes.insert_outbox(db, self.outbox, self.now)


def apply(
    db: Session, turns: Sequence[Turn], now: datetime, *, missed_checkins_for_watch: int,
) -> list[Applied]:
    """Write every turn's result; one `Applied` per turn, in order. ``missed_checkins_for_watch``:
    the service's default N of the missed-check-ins watch (a program may set its own)."""
    if not turns:
        return []
    db.flush()  # what the caller changed as ORM objects goes first (and not inside a pipeline)
    hooks = _Hooks(now)
    shared: dict[int, _Shared] = {}
    nudges: dict[tuple[Any, ...], datetime | None] = {}
    items: list[_Item] = []
    for turn in turns:
        result = turn.result
        one = shared.get(id(result))
        if one is None:
            one = shared[id(result)] = _shared(result)
        item = _Item(turn, one)
        items.append(item)
        who, wait = turn.who, result.wait
        if wait is None or wait.nudge_at is None:
            nudge_at = None
        else:
            quiet = (wait.nudge_at, who.timezone, who.quiet_start, who.quiet_end)
            if quiet in nudges:
                nudge_at = nudges[quiet]
            else:
                nudge_at = nudges[quiet] = nudge_time(*quiet)
        state = result.state
        if isinstance(turn.session, NewSession):
            if one.context_text is None:
                one.context_text = json.dumps(one.context, separators=(",", ":"))
            columns = (("flow_id", turn.flow_id),
                       ("flow_version", turn.session.flow_version),
                       ("current_state", state.current), ("turn", state.turn),
                       ("status", one.ended or SessionStatus.active),
                       ("language", state.language), ("started_at", now), ("updated_at", now),
                       ("nudge_at", nudge_at), ("expire_at", wait.expire_at if wait else None),
                       ("ended_at", now if one.ended else None))
            hooks.inserts.setdefault(columns, []).append(item)
        else:
            item.session_id = turn.session
            values: dict[str, Any] = {
                "_id": turn.session, "context": one.context, "current_state": state.current,
                "turn": state.turn, "updated_at": now, "nudge_at": nudge_at,
                "expire_at": wait.expire_at if wait else None,
            }
            if one.ended is not None:
                values.update(status=one.ended, ended_at=now)
            hooks.updates.append(values)

    hooks.run_sessions(db)
    for item in items:
        who, one, session_id = item.turn.who, item.shared, item.session_id
        for answer in one.answers:
            hooks.answers.append((session_id, who.person_id, answer.key, answer.raw,
                                  answer_value(answer), answer.status))
        if not one.waits and who.channel is not None and who.address is not None:
            blocked = who.opted_out or who.unreachable
            hooks.outbox.extend(
                (who.channel, who.address, who.person_id, session_id, text, kind, lane, priority)
                for text, kind, lane, priority in one.messages
                if not blocked or kind == STOPPED_KIND)

    conn = db.connection()
    with pipelined(conn):  # PostgreSQL: the batch's writes and trend reads in one round trip
        hooks.run_rows(db)
        for item in items:
            if item.shared.answers:
                item.drops = [
                    signals.send_sharp_drop(db, item.turn.who.person_id, item.session_id,
                                            answer.key, answer_value(answer))
                    if answer.status == "answered" else None
                    for answer in item.shared.answers]
        drops = [[drop() if drop else None for drop in item.drops] for item in items]

    waiting: list[writes.OutboxRow] = []
    applied = [_rare(db, item, item_drops, now, missed_checkins_for_watch, waiting)
               for item, item_drops in zip(items, drops, strict=True)]
    writes.insert_outbox(db, waiting, now)
    return applied


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
    db: Session, item: _Item, drops: list[signals.SharpDrop | None], now: datetime,
    missed_checkins_for_watch: int, waiting: list[writes.OutboxRow],
) -> Applied:
    """A turn's rare events, in its step's order, and its rows that waited for them."""
    turn, one, session_id = item.turn, item.shared, item.session_id
    who = turn.who
    queued = 0 if one.waits or who.channel is None else sum(
        1 for m in one.messages
        if not (who.opted_out or who.unreachable) or m[1] == STOPPED_KIND)
    if not (one.rare or any(drops) or one.ended is not None or one.waits):
        return Applied(session_id, queued, one.urgent)
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
                                        event, now)
        elif isinstance(event, OptOutRequested):
            contact = loaded.contact()
            if contact is not None:
                opt_out(db, contact, now)
                opted_out = True
        elif type(event) in END_STATUS:
            status = END_STATUS[type(event)]
            audit.record(db, actor="system", action=f"session_{status.value}",
                         subject_type="checkin_session", subject_id=session_id,
                         detail={"flow": turn.flow_id}, now=now)
            if status == SessionStatus.expired:  # the only end that counts towards a watch
                signals.after_session_ended(db, loaded.program(), loaded.person(),
                                            loaded.session_row(), now,
                                            default_n=missed_checkins_for_watch)
    rows: list[writes.OutboxRow] = []
    if one.waits and who.channel is not None and who.address is not None:
        blocked = who.opted_out or who.unreachable or opted_out
        outgoing = crisis_window.fold(db, who.person_id, turn.result.messages, now)
        rows = [(who.channel, who.address, who.person_id, session_id, m.text, m.kind,
                 lane.value, lane.priority) for m in outgoing
                for lane in [Lane.urgent if m.urgent else Lane.routine]
                if not blocked or m.kind == STOPPED_KIND]
        waiting.extend(rows)
        queued = len(rows)
    urgent = one.urgent or any(drops) or any(row[6] == Lane.urgent.value for row in rows)
    return Applied(session_id, queued, urgent)


__all__ = ["END_STATUS", "Applied", "NewSession", "OutMessage", "Turn", "Who", "answer_value",
           "apply", "nudge_time"]
