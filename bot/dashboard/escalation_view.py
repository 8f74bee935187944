"""What the queue and the escalation page show, read into plain values inside one database
session (the templates never touch the ORM, so nothing loads lazily after the session closed).

Access is the caller's business (pages/queue.py checks the program and conflicts of interest);
nothing here writes. Reason codes and audit actions are turned into human words here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.dashboard.render import duration
from bot.dashboard.their_words import Words, question_text, readable
from bot.escalation import casework, lifecycle
from flows.model import Flow
from storage.models import (
    AlertStatus,
    Answer,
    AuditEvent,
    CheckinSession,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    Person,
    Program,
)

# The most rows the queue shows (urgent and oldest first, so the cut never hides the worst).
MAX_ROWS = 200
# The most messages a transcript shows (a check-in has a dozen or so).
MAX_TRANSCRIPT = 300
# An escalation raised outside a check-in (a text with no open session) has no session to show:
# its transcript is the person's session-less messages this long either side of it.
LOOSE_WINDOW = timedelta(hours=6)

LEVEL_WORDS = {"urgent": "Urgent", "concern": "Concern", "watch": "Watch"}
# Who an escalation about an unknown sender (no person: `storage.models.Escalation`) is about.
UNKNOWN_SENDER = "Unknown sender"
CHANNEL_WORDS = {"sms": "SMS", "telegram": "Telegram"}
STATUS_WORDS = {
    EscalationStatus.open: "Open",
    EscalationStatus.acknowledged: "Acknowledged",
    EscalationStatus.resolved: "Resolved",
}

# Reason codes (flow YAML `reason:`, risk screening categories, signals) in words staff read.
REASON_WORDS = {
    "low_comfort": "Low comfort in the program",
    "feels_unsafe": "Feels unsafe",
    "asked_for_staff_contact": "Asked for a staff member to reach out",
    "pressured": "Pressured by someone in the program",
    "mentor_reported_worry": "Mentor reported a worry",
    "no_active_mentee": "Raised by a mentor with no active mentee",
    "mentoring_struggling": "Mentor finds mentoring hard",
    "missed_checkins": "Missed several check-ins in a row",
    "falling_comfort": "Comfort dropped sharply",
    "falling_safety": "Safety dropped sharply",
    "suicide_self_harm": "Suicide or self-harm",
    "hurt_or_threatened": "Hurt or threatened",
    "abuse_at_home": "Abuse at home",
    "sexual_boundary": "Sexual boundary crossed",
    "coercion_exploitation": "Coercion or exploitation",
    "feeling_unsafe": "Says they feel unsafe",
    "substance_relapse": "Substance use or relapse",
    "hopelessness": "Hopelessness",
    "not_eating_sleeping": "Not eating or sleeping, or panic attacks",
    "bullying": "Bullied",
    "past_attempt": "Past suicide attempt",
    "asking_for_help": "Asks for help",
}
# A code we have no words for is shown only when it looks like a code (as alerts do).
_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

ACTION_WORDS = {
    "escalation_raised": "Raised",
    "escalation_merged": "More reasons added",
    "escalation_viewed": "Viewed",
    "escalation_acknowledged": "Acknowledged",
    "escalation_resolved": "Resolved",
    "escalation_reopened": "Reopened",
    "alert_round": "Alert round",
    "alert_queued": "Alert sent",
    "alert_undeliverable": "Alert could not be delivered",
    "alert_failover": "Alert failed over",
    "escalation_assigned": "Assigned",
    "escalation_note_added": "Note added",
    "escalation_follow_up_set": "Follow-up set",
    "escalation_follow_up_due": "Follow-up due",
    "staff_message_sent": "Message to them",
}
ACTOR_WORDS = {"system": "System", "cli": "Command line", "twilio": "Twilio"}


def reason_words(code: str) -> str:
    if code in REASON_WORDS:
        return REASON_WORDS[code]
    if _REASON_CODE.fullmatch(code or ""):
        return code.replace("_", " ").capitalize()
    return "Other reason"


@dataclass(frozen=True)
class Deadline:
    text: str
    overdue: bool


def deadline(esc: Escalation, now: datetime) -> Deadline:
    """The acknowledgement deadline in words: "14 min left", "overdue by 2 h" (red)."""
    if esc.acknowledged_at is not None:
        late = esc.acknowledged_at > esc.due_at
        return Deadline("Acknowledged late" if late else "Acknowledged in time", False)
    left = esc.due_at - now
    if left > timedelta(0):
        return Deadline(f"{duration(left)} left", False)
    return Deadline(f"overdue by {duration(left)}", True)


# ---- the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    id: int
    level: str
    level_word: str
    person_id: int | None  # None: an unknown sender
    person_name: str
    reasons: tuple[str, ...]
    raised_at: datetime
    status: str
    status_word: str
    deadline: Deadline
    program_name: str
    timezone: str
    not_alerted: bool = False  # open, and its latest alert round reached nobody
    owner_name: str | None = None
    follow_up_at: datetime | None = None
    # The viewer owns it and its follow-up time has come: at the top of their queue, marked.
    follow_up_due: bool = False


def _subject_name(esc: Escalation, names: dict[int, str]) -> str:
    if esc.person_id is None:
        return UNKNOWN_SENDER
    return names.get(esc.person_id, "(unknown)")


def _names(db: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = db.exec(select(Person.id, Person.display_name).where(col(Person.id).in_(wanted)))
    return {pid: name for pid, name in rows.all() if pid is not None}


def programs(db: Session, program_ids: Collection[int]) -> dict[int, Program]:
    if not program_ids:
        return {}
    found = db.exec(select(Program).where(col(Program.id).in_(list(program_ids)))
                    .order_by(col(Program.name))).all()
    return {p.id: p for p in found if p.id is not None}


def queue_rows(
    db: Session, *, viewer_person_id: int, program_ids: Collection[int], level: str | None,
    now: datetime,
) -> list[QueueRow]:
    """Open, then acknowledged escalations of ``program_ids`` (urgent first, oldest first in a
    level), without those the viewer has a conflict of interest with; the viewer's own cases
    whose follow-up is due come first of all."""
    shown: list[Escalation] = []
    conflicted = lifecycle.conflict_check(db, viewer_person_id, now)  # one query, not one a row

    def mine_due(esc: Escalation) -> bool:
        return esc.owner_id == viewer_person_id and casework.follow_up_due(esc, now)

    found = lifecycle.queue(db, program_ids=program_ids, now=now, limit=None)
    # A stable sort: the due ones keep their urgency order among themselves, as do the rest.
    for esc in sorted(found, key=lambda e: not mine_due(e)):
        if level is not None and esc.level != level:
            continue
        if conflicted(esc):
            continue
        shown.append(esc)
        if len(shown) >= MAX_ROWS:
            break
    names = _names(db, [*(esc.person_id for esc in shown), *(esc.owner_id for esc in shown)])
    progs = programs(db, {esc.program_id for esc in shown})
    rows = []
    for esc in shown:
        assert esc.id is not None
        program = progs.get(esc.program_id)
        rows.append(QueueRow(
            id=esc.id, level=esc.level, level_word=LEVEL_WORDS.get(esc.level, esc.level),
            person_id=esc.person_id, person_name=_subject_name(esc, names),
            reasons=tuple(reason_words(r) for r in esc.reasons or ()),
            raised_at=esc.raised_at, status=str(esc.status),
            status_word=STATUS_WORDS.get(esc.status, str(esc.status)),
            deadline=deadline(esc, now), program_name=program.name if program else "",
            timezone=program.timezone if program else "UTC",
            not_alerted=(esc.status == EscalationStatus.open
                         and esc.alert_status == AlertStatus.not_alerted),
            owner_name=None if esc.owner_id is None else names.get(esc.owner_id, "(unknown)"),
            follow_up_at=esc.follow_up_at, follow_up_due=mine_due(esc),
        ))
    return rows


# ---- one escalation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One message of the transcript."""

    inbound: bool
    at: datetime
    text: str
    erased: bool
    flagged: bool  # holds words that raised the escalation
    kind: str
    undelivered: bool


@dataclass(frozen=True)
class AnswerLine:
    key: str
    question: str  # the question as asked (the key when the flow no longer has it)
    value: str


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class NoteLine:
    at: datetime
    author: str
    text: str  # "(erased)" when retention erased it


@dataclass(frozen=True)
class Detail:
    id: int
    level: str
    level_word: str
    status: str
    status_word: str
    reasons: tuple[str, ...]
    evidence: tuple[str, ...]
    words: tuple[Words, ...]  # the evidence as staff read it (their_words.py)
    person_id: int | None  # None: an unknown sender
    person_name: str
    # An unknown sender's channel ("SMS"), and their number or chat id for admins only.
    sender_channel: str | None
    sender_address: str | None
    about_mentor_name: str | None
    reported_by_name: str | None
    program_name: str
    timezone: str
    raised_at: datetime
    due_at: datetime
    deadline: Deadline
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None
    reopened_at: datetime | None
    session_id: int | None
    session_started_at: datetime | None
    transcript: tuple[Line, ...]
    answers: tuple[AnswerLine, ...]
    history: tuple[Event, ...]
    owner_id: int | None = None
    owner_name: str | None = None
    follow_up_at: datetime | None = None
    follow_up_due: bool = False
    outcome: str | None = None
    notes: tuple[NoteLine, ...] = ()
    # Who it may be handed to (id, name), and the program's outcomes to resolve with.
    assignable: tuple[tuple[int, str], ...] = ()
    outcomes: tuple[str, ...] = ()

    @property
    def can_acknowledge(self) -> bool:
        return self.status == EscalationStatus.open

    @property
    def can_resolve(self) -> bool:
        return self.status in (EscalationStatus.open, EscalationStatus.acknowledged)

    @property
    def can_reopen(self) -> bool:
        return self.status == EscalationStatus.resolved


def _messages(db: Session, esc: Escalation) -> list[Message]:
    stmt = select(Message).where(col(Message.direction).in_([Direction.inbound,
                                                              Direction.outbound]))
    if esc.session_id is not None:
        stmt = stmt.where(Message.session_id == esc.session_id)
    elif esc.person_id is None:  # an unknown sender: what they wrote, what we answered
        stmt = stmt.where(
            col(Message.person_id).is_(None),
            Message.channel == esc.sender_channel,
            Message.address == esc.sender_address,
            col(Message.created_at) >= esc.raised_at - LOOSE_WINDOW,
            col(Message.created_at) <= esc.raised_at + LOOSE_WINDOW,
        )
    else:
        stmt = stmt.where(
            Message.person_id == esc.person_id,
            col(Message.session_id).is_(None),
            col(Message.created_at) >= esc.raised_at - LOOSE_WINDOW,
            col(Message.created_at) <= esc.raised_at + LOOSE_WINDOW,
        )
    newest = stmt.order_by(col(Message.id).desc()).limit(MAX_TRANSCRIPT)
    return sorted(db.exec(newest).all(), key=lambda m: m.id or 0)


def _line(message: Message, evidence: tuple[str, ...]) -> Line:
    inbound = message.direction == Direction.inbound
    body = message.body
    flagged = inbound and body is not None and any(
        len(e) >= 4 and e.casefold() in body.casefold() for e in evidence
    )
    return Line(
        inbound=inbound, at=message.created_at, text=body if body is not None else "(erased)",
        erased=body is None, flagged=flagged, kind=message.kind,
        undelivered=message.status in (MessageStatus.failed, MessageStatus.dead,
                                       MessageStatus.undelivered, MessageStatus.cancelled),
    )


def _value_text(answer: Answer) -> str:
    if answer.status != "answered":
        return f"({answer.status})"
    value: Any = answer.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "(erased)" if answer.raw_text is None else answer.raw_text
    return str(value)


def _event_detail(event: AuditEvent, names: dict[int, str]) -> str:
    """A short explanation from the event's detail (which never holds the mentee's words)."""
    detail = event.detail or {}
    action = event.action
    if action == "escalation_resolved" and (detail.get("note") or detail.get("outcome")):
        parts = [f"Outcome: {detail['outcome']}" if detail.get("outcome") else "",
                 f"Note: {detail['note']}" if detail.get("note") else ""]
        return ". ".join(p for p in parts if p)
    if action == "escalation_reopened" and detail.get("reason"):
        return f"Reason: {detail['reason']}"
    if action == "escalation_acknowledged" and detail.get("late"):
        return "After the deadline"
    if action in ("escalation_raised", "escalation_merged") and detail.get("reasons"):
        return ", ".join(reason_words(str(r)) for r in detail["reasons"])
    if action == "alert_round":
        people = detail.get("recipients")
        return f"Round {detail.get('round')}" + (f", {people} recipients"
                                                   if isinstance(people, int) else "")
    if action == "alert_queued":
        who = names.get(detail.get("person_id") or -1, "staff")
        channels = ", ".join(str(c) for c in detail.get("channels") or [])
        return f"To {who}" + (f" by {channels}" if channels else "")
    if action == "alert_undeliverable" and detail.get("why"):
        return str(detail["why"]).capitalize()
    if action == "escalation_assigned":
        who = names.get(detail.get("person_id") or -1, "staff")
        return f"To {who}" + (" (could not be told: no usable contact)"
                              if detail.get("not_told") else "")
    if action == "escalation_follow_up_due" and detail.get("not_told"):
        return "Nobody could be told"
    if action == "staff_message_sent" and detail.get("channel"):
        return f"By {CHANNEL_WORDS.get(str(detail['channel']), str(detail['channel']))}" + (
            ", urgent lane" if detail.get("lane") == "urgent" else "")
    if action == "alert_failover" and detail.get("outcome"):
        return str(detail["outcome"]).replace("_", " ").capitalize()
    return ""


def _actor_id(actor: str) -> int | None:
    kind, _, number = actor.partition(":")
    return int(number) if kind == "person" and number.isdigit() else None


def detail(db: Session, esc_id: int, now: datetime, *, show_sender: bool = False,
           flows: Mapping[str, Flow] | None = None) -> Detail:
    """``flows``: the running flows, for the questions behind answer keys. ``show_sender``:
    include an unknown sender's number or chat id (admins only: staff find
    out who it is; supervisors see that it is an unknown sender and on which channel)."""
    esc = lifecycle.get(db, esc_id)
    assert esc.id is not None
    program = db.get(Program, esc.program_id)
    events = lifecycle.history(db, esc.id)
    notes = casework.notes(db, esc.id)
    people_ids: list[int | None] = [esc.person_id, esc.about_mentor_id, esc.reported_by,
                                    esc.acknowledged_by, esc.resolved_by, esc.owner_id]
    people_ids += [n.author_id for n in notes]
    people_ids += [_actor_id(e.actor) for e in events]
    people_ids += [(e.detail or {}).get("person_id") for e in events
                   if e.action in ("alert_queued", "escalation_assigned")]
    names = _names(db, people_ids)
    evidence = tuple(esc.evidence or ())
    session_row = db.get(CheckinSession, esc.session_id) if esc.session_id else None
    answers: list[Answer] = []
    if esc.session_id is not None:
        answers = list(db.exec(select(Answer).where(Answer.session_id == esc.session_id)
                               .order_by(col(Answer.id))).all())

    flows = flows or {}
    flow_id = session_row.flow_id if session_row else None
    transcript = tuple(_line(m, evidence) for m in _messages(db, esc))
    inbound = [line.text for line in reversed(transcript) if line.inbound and not line.erased]

    def asked(key: str) -> str:
        return question_text(flows, key, flow_id) or key

    def actor_name(actor: str) -> str:
        pid = _actor_id(actor)
        if pid is not None:
            return names.get(pid, actor)
        return ACTOR_WORDS.get(actor, actor)

    def name_of(pid: int | None) -> str | None:
        return None if pid is None else names.get(pid, "(unknown)")

    return Detail(
        id=esc.id, level=esc.level, level_word=LEVEL_WORDS.get(esc.level, esc.level),
        status=str(esc.status), status_word=STATUS_WORDS.get(esc.status, str(esc.status)),
        reasons=tuple(reason_words(r) for r in esc.reasons or ()), evidence=evidence,
        words=readable(evidence, flows, flow_id, inbound), person_id=esc.person_id,
        person_name=_subject_name(esc, names),
        sender_channel=(CHANNEL_WORDS.get(esc.sender_channel, esc.sender_channel)
                        if esc.sender_channel else None),
        sender_address=esc.sender_address if show_sender else None,
        about_mentor_name=name_of(esc.about_mentor_id),
        reported_by_name=name_of(esc.reported_by),
        program_name=program.name if program else "",
        timezone=program.timezone if program else "UTC",
        raised_at=esc.raised_at, due_at=esc.due_at, deadline=deadline(esc, now),
        acknowledged_at=esc.acknowledged_at, acknowledged_by=name_of(esc.acknowledged_by),
        resolved_at=esc.resolved_at, resolved_by=name_of(esc.resolved_by),
        resolution_note=esc.resolution_note, reopened_at=esc.reopened_at,
        session_id=esc.session_id,
        session_started_at=session_row.started_at if session_row else None,
        transcript=transcript,
        answers=tuple(AnswerLine(a.key, asked(a.key), _value_text(a)) for a in answers),
        history=tuple(
            Event(at=e.at, actor=actor_name(e.actor),
                  action=ACTION_WORDS.get(e.action, e.action.replace("_", " ").capitalize()),
                  detail=_event_detail(e, names))
            for e in events
        ),
        owner_id=esc.owner_id, owner_name=name_of(esc.owner_id),
        follow_up_at=esc.follow_up_at, follow_up_due=casework.follow_up_due(esc, now),
        outcome=esc.outcome,
        notes=tuple(NoteLine(at=n.created_at, author=names.get(n.author_id, "(unknown)"),
                             text=n.body if n.body is not None else "(erased)")
                    for n in notes),
        assignable=tuple((p.id, p.display_name) for p in casework.assignable(db, esc, now)
                         if p.id is not None),
        outcomes=casework.outcomes(program),
    )
