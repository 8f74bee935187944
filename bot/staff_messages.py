"""A staff member's message to a mentee from the dashboard, and the conversation it opens.

The message goes out on the channel the mentee last wrote from (their newest inbound message's
contact point; with none, their first contact point), from the program's number or bot, through
the outbox like every other message: queued in the caller's transaction, sent after commit, on
the urgent lane while the mentee has an urgent escalation that is not resolved. It is signed
with the staff member's first name ("— Sam"), or with the program's own sign-off
(``Program.settings["staff_signoff"]``, e.g. "— the Hope House team").

What stops it, said in plain words to the supervisor and audited (never the text: audit rows
are not sealed, the message row is): the contact opted out (STOP: nothing, not even this, goes
to them), an SMS number that has not said YES to texts yet (`bot.policy.needs_consent`), or a
contact marked unreachable.

Sending opens a staff conversation (`storage.models.StaffConversation`) or keeps the open one
going: while it is open the mentee's replies are part of it, screened, never read as a check-in
answer (`bot.turns.staff_conversation`). It ends when staff close it, or
`CONVERSATION_OPEN_FOR` after the last staff message (a conversation nobody closed must not
keep the mentee's check-ins deaf for days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session, col, select

from bot.policy import needs_consent
from bot.program_settings import SIGNOFF_SETTING
from bot.turns.staff_conversation import REPLY_KIND, STAFF_MESSAGE_KIND
from storage.models import (
    ContactPoint,
    Direction,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    Person,
    Program,
)
from storage.queries import audit, messages, people, staff_conversations

CONVERSATION_OPEN_FOR = timedelta(hours=24)
MAX_CHARS = 1000  # about six SMS segments: a message, not a letter
CHANNEL_WORDS = {"sms": "SMS", "telegram": "Telegram", "web": "the web simulator",
                 "terminal": "the terminal"}
# How a message goes, for the box's hint ("Goes by SMS").
CHANNEL_VIA = {"sms": "by SMS from the program's number", "telegram": "on Telegram from the "
               "program's bot", "web": "to the web simulator (a demo person)",
               "terminal": "to the terminal (a demo person)"}

Refusal = Literal["no_contact", "opted_out", "no_consent", "unreachable"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one staff message: sent (queued) or refused, with the sentence the
    supervisor reads."""

    sent: bool
    words: str
    refusal: Refusal | None = None
    message_id: int | None = None
    lane: Lane | None = None


def signoff(program: Program, staff: Person) -> str:
    """The program's own sign-off, else "— " and the staff member's first name."""
    own = (program.settings or {}).get(SIGNOFF_SETTING)
    if isinstance(own, str) and own.strip():
        return own.strip()
    first = (staff.display_name or "").split()
    return f"— {first[0]}" if first else "— Staff"


def signed(text: str, program: Program, staff: Person) -> str:
    return f"{text.strip()}\n{signoff(program, staff)}"


def target_contact(db: Session, mentee: Person) -> ContactPoint | None:
    """The contact point the mentee last wrote from; with no message from any, their first."""
    assert mentee.id is not None
    contacts = people.contacts_for(db, mentee.id)
    if not contacts:
        return None
    last = db.exec(
        select(Message.channel, Message.address)
        .where(Message.person_id == mentee.id, Message.direction == Direction.inbound)
        .order_by(col(Message.id).desc()).limit(1)
    ).first()
    if last is not None:
        for contact in contacts:
            if (contact.channel, contact.address) == (last[0], last[1]):
                return contact
    return contacts[0]


def has_urgent_escalation(db: Session, mentee_id: int) -> bool:
    """An urgent escalation about the mentee that nobody has resolved yet (open or
    acknowledged: someone may be on the way, and this message may be the one that helps)."""
    stmt = select(Escalation.id).where(
        Escalation.person_id == mentee_id, Escalation.level == "urgent",
        col(Escalation.status).in_([EscalationStatus.open, EscalationStatus.acknowledged]))
    return db.exec(stmt.limit(1)).first() is not None


def refusal_of(contact: ContactPoint | None) -> Refusal | None:
    if contact is None:
        return "no_contact"
    if contact.opted_out:
        return "opted_out"
    if needs_consent(contact):
        return "no_consent"
    if contact.unreachable:
        return "unreachable"
    return None


def refusal_words(refusal: Refusal, mentee: Person, contact: ContactPoint | None) -> str:
    name = mentee.display_name
    channel = CHANNEL_WORDS.get(str(contact.channel), str(contact.channel)) if contact else ""
    if refusal == "opted_out":
        return (f"Not sent: {name} opted out of messages (STOP) on {channel}. Nothing is sent "
                f"to them until they text START; reach them another way.")
    if refusal == "no_consent":
        return (f"Not sent: {name} has not agreed to texts yet (they have not replied YES on "
                f"{channel}). Reach them another way.")
    if refusal == "unreachable":
        return (f"Not sent: {name}'s {channel} contact is marked unreachable (the last message "
                f"could not be delivered). Check the number on their person page, or reach "
                f"them another way.")
    return f"Not sent: {name} has no phone number or chat to send to."


def send(
    db: Session, program: Program, mentee: Person, staff: Person, text: str, now: datetime, *,
    actor: str, escalation_id: int | None = None,
) -> Outcome:
    """Queue ``text`` (signed) to the mentee, open or extend the staff conversation, audit it.
    Nothing is committed here; the outbox sends after the caller's commit."""
    assert mentee.id is not None and program.id is not None and staff.id is not None
    contact = target_contact(db, mentee)
    refusal = refusal_of(contact)
    detail: dict[str, object] = {"person_id": mentee.id, "chars": len(text.strip())}
    if escalation_id is not None:
        detail["escalation_id"] = escalation_id
    if contact is not None:
        detail["channel"] = str(contact.channel)
    if refusal is not None:
        audit.record(db, actor=actor, action="staff_message_not_sent", subject_type="person",
                     subject_id=mentee.id, detail={**detail, "why": refusal}, now=now)
        return Outcome(False, refusal_words(refusal, mentee, contact), refusal)
    assert contact is not None
    lane = Lane.urgent if has_urgent_escalation(db, mentee.id) else Lane.routine
    message = messages.enqueue_outbound(
        db, channel=contact.channel, address=contact.address, body=signed(text, program, staff),
        kind=STAFF_MESSAGE_KIND, lane=lane, now=now, person_id=mentee.id)
    conversation = staff_conversations.opened_or_extended(
        db, person_id=mentee.id, program_id=program.id, staff_id=staff.id, now=now,
        until=now + CONVERSATION_OPEN_FOR)
    # Who, when, to whom and how; the words stay in the (sealed) message row only.
    audit.record(db, actor=actor, action="staff_message_sent", subject_type="person",
                 subject_id=mentee.id, now=now,
                 detail={**detail, "message_id": message.id, "lane": lane.value,
                         "conversation_id": conversation.id})
    if escalation_id is not None:  # and in the escalation's own trail, where staff read it
        audit.record(db, actor=actor, action="staff_message_sent", subject_type="escalation",
                     subject_id=escalation_id, now=now,
                     detail={"person_id": mentee.id, "message_id": message.id,
                             "channel": str(contact.channel), "lane": lane.value})
    channel = CHANNEL_WORDS.get(str(contact.channel), str(contact.channel))
    return Outcome(True, f"Sent to {mentee.display_name} by {channel}. Their replies show here "
                         f"and are not read as check-in answers until you close the "
                         f"conversation.", message_id=message.id, lane=lane)


def close(db: Session, mentee: Person, staff: Person, now: datetime, *, actor: str) -> bool:
    """Close the mentee's open staff conversation (audited); False when none was open."""
    assert mentee.id is not None and staff.id is not None
    closed = staff_conversations.close(db, mentee.id, by=staff.id, now=now)
    if closed is None:
        return False
    audit.record(db, actor=actor, action="staff_conversation_closed", subject_type="person",
                 subject_id=mentee.id, detail={"person_id": mentee.id,
                                               "conversation_id": closed.id}, now=now)
    return True


def thread(db: Session, mentee: Person, *, limit: int = 50) -> list[tuple[Message, int | None]]:
    """The newest staff messages to the mentee and their replies in staff conversations,
    oldest first, each with the person id of the staff member who sent it (from the audit
    trail; None for the mentee's replies)."""
    assert mentee.id is not None
    rows = list(db.exec(
        select(Message).where(Message.person_id == mentee.id,
                              col(Message.kind).in_([STAFF_MESSAGE_KIND, REPLY_KIND]))
        .order_by(col(Message.id).desc()).limit(limit)).all())
    senders = audit.staff_message_senders(db, mentee.id)
    return [(m, senders.get(m.id or 0)) for m in reversed(rows)]


def conversation_until(db: Session, mentee_id: int, now: datetime) -> datetime | None:
    """When the mentee's open staff conversation ends by itself; None when none is open."""
    conversation = staff_conversations.open_for(db, mentee_id, now)
    return conversation.expires_at if conversation is not None else None
