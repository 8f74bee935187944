"""The reply box on the escalation and mentee pages: what it shows, read into plain values
inside one database session, and who may use it.

Only a supervisor or admin of the mentee's program who may read the mentee's messages may see
or use it: not their mentor (an active pairing), not a staff member an escalation about this
mentee names as their mentor (the mentee page hides their messages from them for the same
reason). Mentors have no dashboard account at all; nothing here ever reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from sqlmodel import Session

from bot import staff_messages
from bot.dashboard.access import Viewer
from storage.models import Direction, MessageStatus, Person, Program, Role
from storage.queries import conversation, people

# The notices after a POST (`?reply=...`): (sentence, whether it went well).
NOTICES: dict[str, tuple[str, bool]] = {
    "sent": ("Sent. Their replies show below and are not read as check-in answers until you "
             "close the conversation (or 24 hours after your last message).", True),
    "closed": ("Conversation closed: their next messages go back to their check-ins.", True),
    "not_open": ("There was no open conversation to close.", True),
    "empty": ("Write a message first.", False),
    "too_long": (f"The message is too long: at most {staff_messages.MAX_CHARS} characters.",
                 False),
}
REFUSALS = frozenset(get_args(staff_messages.Refusal))
UNDELIVERED = (MessageStatus.failed, MessageStatus.dead, MessageStatus.undelivered,
               MessageStatus.cancelled)


@dataclass(frozen=True)
class ThreadLine:
    id: int
    inbound: bool
    at: datetime
    text: str | None  # None: erased by retention
    by: str  # the mentee's name, or the staff member's
    undelivered: bool


@dataclass(frozen=True)
class ReplyBox:
    person_id: int
    person_name: str
    post_url: str
    close_url: str
    channel: str | None  # how it would go ("by SMS from the program's number"); None: nowhere
    blocked: str | None  # why nothing can be sent now, in words (opted out, no consent, ...)
    urgent: bool  # it would go on the urgent lane
    signoff: str
    open_until: datetime | None  # the open conversation's end; None: none open
    thread: tuple[ThreadLine, ...]
    max_chars: int = staff_messages.MAX_CHARS


def may_talk(db: Session, viewer: Viewer, person: Person, now: datetime) -> bool:
    """Whether ``viewer`` may see and use the reply box for ``person``."""
    assert person.id is not None
    return (person.role == Role.mentee and viewer.sees(person.program_id)
            and not people.is_mentor_of(db, viewer.person_id, person.id, now)
            and person.id not in conversation.mentees_reported_on_by(db, viewer.person_id))


def box(
    db: Session, viewer: Viewer, person_id: int | None, now: datetime, *, post_url: str,
    close_url: str,
) -> ReplyBox | None:
    """The box for ``person_id``, or None when the viewer may not use it (or there is no
    person: an unknown sender)."""
    person = db.get(Person, person_id) if person_id is not None else None
    if person is None or person.id is None or not may_talk(db, viewer, person, now):
        return None
    program = db.get(Program, person.program_id)
    staff = db.get(Person, viewer.person_id)
    assert program is not None and staff is not None
    contact = staff_messages.target_contact(db, person)
    refusal = staff_messages.refusal_of(contact)
    names = {person.id: person.display_name}
    lines = []
    for message, sender in staff_messages.thread(db, person):
        assert message.id is not None
        inbound = message.direction == Direction.inbound
        if sender is not None and sender not in names:
            who = db.get(Person, sender)
            names[sender] = who.display_name if who else "Staff"
        by = person.display_name if inbound else names.get(sender or -1, "Staff")
        lines.append(ThreadLine(message.id, inbound, message.created_at, message.body, by,
                                message.status in UNDELIVERED and not inbound))
    return ReplyBox(
        person_id=person.id, person_name=person.display_name, post_url=post_url,
        close_url=close_url,
        channel=(staff_messages.CHANNEL_VIA.get(str(contact.channel), f"by {contact.channel}")
                 if contact else None),
        blocked=(staff_messages.refusal_words(refusal, person, contact)
                 if refusal is not None else None),
        urgent=staff_messages.has_urgent_escalation(db, person.id),
        signoff=staff_messages.signoff(program, staff),
        open_until=staff_messages.conversation_until(db, person.id, now),
        thread=tuple(lines),
    )




def page_values(box: ReplyBox | None, code: str | None, *, show_thread: bool) -> dict[str, Any]:
    """What a page passes to the `reply_box.html` partial: the box, and the notice of the
    POST that led here (``?reply=...``; a refusal shows why, in the box's own words)."""
    notice: tuple[str, bool] | None = None
    if box is not None and code:
        if code in NOTICES:
            notice = NOTICES[code]
        elif code in REFUSALS:
            notice = (box.blocked or "Not sent.", False)
    return {"reply_box": box, "reply_notice": notice, "reply_thread": show_thread}
