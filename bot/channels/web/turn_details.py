"""What the service did with each message typed in the simulator: the screening's level and
categories, the escalation raised or merged, who was (or would have been) alerted, and the
messages queued in reply.

Everything is read back from what the turn wrote, never from a separate log: one turn is one
transaction with one clock reading, so the audit events of its escalations and alerts and the
outbox rows of its replies carry the inbound message's own timestamp. The screening is run
again on the words (pure and deterministic: it is what `checkin risk` shows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, or_, select

from bot.dashboard.escalation_view import LEVEL_WORDS, reason_words
from bot.escalation import routing
from bot.escalation.alert_messages import QUEUED_ACTION, UNDELIVERABLE_ACTION
from flows.risk import assess
from storage.models import AuditEvent, Direction, Escalation, Message, Person, Program

RAISED, MERGED = "escalation_raised", "escalation_merged"
CHANNEL_WORDS = {"sms": "SMS", "telegram": "Telegram", "web": "web", "terminal": "terminal"}
# `bot.escalation.reachability`'s problem codes, as the audit event keeps them; an earlier
# round that reached nobody says nothing new about this one.
PROBLEM_WORDS = {
    "no_phone_or_telegram": "no phone or Telegram",
    "no_alert_channel": "no channel the service can send on",
    "nobody_on_call": "nobody is on call",
    "opted_out": "opted out of texts",
    "sms_not_agreed": "has not replied YES to texts",
    "unreachable": "their phone or chat is unreachable",
    "sms_not_set_up": "SMS is not set up",
    "telegram_not_set_up": "Telegram is not set up",
}


@dataclass(frozen=True)
class EscalationNote:
    id: int
    level: str
    merged: bool  # joined an open escalation rather than raising a new one
    reasons: tuple[str, ...]  # in words
    on_call: tuple[str, ...]  # who the program's rota had on call then (names)
    alerted: tuple[str, ...]  # "Sam Rivera (SMS)"
    not_alerted: tuple[str, ...]  # why nobody was: "Sam Rivera: no phone or telegram"

    @property
    def level_words(self) -> str:
        return LEVEL_WORDS.get(self.level, self.level)


@dataclass
class TurnDetails:
    screening: str  # "none", "watch", "concern", "urgent"
    categories: tuple[str, ...]
    escalations: list[EscalationNote] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)  # kinds of the replies, "crisis (urgent)"


def _names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {p.id: p.display_name for p in db.exec(select(Person).where(col(Person.id).in_(ids)))
            if p.id is not None}


def _name(names: dict[int, str], person_id: object, otherwise: str) -> str:
    return names.get(person_id, otherwise) if isinstance(person_id, int) else otherwise


def _problem(names: dict[int, str], problem: dict[str, object]) -> str:
    words = PROBLEM_WORDS[str(problem.get("code"))]
    person_id = problem.get("person_id")
    return f"{_name(names, person_id, '')}: {words}" if isinstance(person_id, int) else words


def turn_details(
    db: Session, person: Person, rows: Sequence[Message]
) -> dict[int, TurnDetails]:
    """Per inbound message id among ``rows`` (the person's simulator messages, oldest first)."""
    inbound = [m for m in rows if m.direction == Direction.inbound and m.id is not None]
    if not inbound:
        return {}
    assert person.id is not None
    times = {m.created_at for m in inbound}
    replies: dict[datetime, list[str]] = defaultdict(list)
    for m in rows:
        if m.direction == Direction.outbound and m.created_at in times:
            replies[m.created_at].append(f"{m.kind} (urgent)" if m.lane == "urgent" else m.kind)

    # The escalations about this person (or raised by them as a mentor) and their audit events
    # from the turns shown.
    escalations = {e.id: e for e in db.exec(select(Escalation).where(or_(
        Escalation.person_id == person.id, Escalation.reported_by == person.id)))}
    events = [e for e in db.exec(select(AuditEvent).where(
        AuditEvent.subject_type == "escalation", col(AuditEvent.at) >= min(times),
        col(AuditEvent.subject_id).in_(list(escalations)),
        col(AuditEvent.action).in_([RAISED, MERGED, QUEUED_ACTION, UNDELIVERABLE_ACTION]),
    ).order_by(col(AuditEvent.id))) if e.at in times]
    people_ids = {int(pid) for e in events for pid in
                  [e.detail.get("person_id"), *[p.get("person_id") for p in
                                                e.detail.get("problems", [])]]
                  if isinstance(pid, int)}
    names = _names(db, people_ids)
    program = db.get(Program, person.program_id)
    on_call_at: dict[datetime, tuple[str, ...]] = {}

    notes: dict[datetime, list[EscalationNote]] = defaultdict(list)
    for event in events:
        if event.action not in (RAISED, MERGED):
            continue
        esc = escalations[event.subject_id]
        if event.at not in on_call_at and program is not None:
            on_call_at[event.at] = tuple(p.display_name for p in routing.on_call(
                db, program, event.at, which="oncall"))
        same = [e for e in events if e.subject_id == esc.id and e.at == event.at]
        alerted = tuple(f"{_name(names, e.detail.get('person_id'), 'someone')} ("
                        + ", ".join(CHANNEL_WORDS.get(c, c) for c in e.detail.get("channels", []))
                        + ")" for e in same if e.action == QUEUED_ACTION)
        why = tuple(_problem(names, p) for e in same if e.action == UNDELIVERABLE_ACTION
                    for p in e.detail.get("problems", []) if p.get("code") in PROBLEM_WORDS)
        reasons = tuple(reason_words(str(r)) for r in event.detail.get("reasons", []))
        assert esc.id is not None
        notes[event.at].append(EscalationNote(
            esc.id, str(event.detail.get("level", esc.level)), event.action == MERGED, reasons,
            on_call_at.get(event.at, ()), alerted, why))

    found: dict[int, TurnDetails] = {}
    seen: set[datetime] = set()
    for m in inbound:
        assert m.id is not None
        screened = assess(m.body or "", person.language)
        details = TurnDetails(str(screened.level.value), screened.categories)
        if m.created_at not in seen:  # a turn's writes belong to its (first) message
            seen.add(m.created_at)
            details.escalations = notes.get(m.created_at, [])
            details.queued = replies.get(m.created_at, [])
        found[m.id] = details
    return found
