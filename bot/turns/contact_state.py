"""What a turn changes on the contact point itself: an opt-out, a contact proven reachable."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import ContactPoint
from storage.queries import audit, messages


def opt_out(db: Session, contact: ContactPoint, now: datetime) -> None:
    """STOP: no more messages to this contact, the queued ones cancelled, audited."""
    contact.opted_out = True
    contact.opted_out_at = now
    cancelled = messages.cancel_pending_to(db, contact.channel, contact.address, now)
    audit.record(db, actor=f"person:{contact.person_id}", action="opted_out",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"channel": contact.channel, "cancelled": cancelled}, now=now)


def mark_reachable(db: Session, contact: ContactPoint, now: datetime) -> None:
    """A message from a contact marked unreachable proves it reachable again: clear the mark
    (audited, as the dashboard's "mark reachable" is), so this turn's reply, a crisis message,
    a staff confirmation and later alerts go out. The mark came from one failed delivery (a
    phone switched off: Twilio 30003; a Telegram block since lifted); this is fresher news.
    Callers check ``contact.unreachable`` first, on the row the turn already loaded."""
    reason = contact.unreachable_reason
    contact.unreachable = False
    contact.unreachable_reason = None
    audit.record(db, actor=f"person:{contact.person_id}", action="contact_reachable",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"person_id": contact.person_id, "channel": str(contact.channel),
                         "previous_reason": reason or "", "by": "inbound_message"}, now=now)
