"""Which of a person's contact points a check-in goes to."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Channel, CheckinSession, ContactPoint
from storage.queries import people

# Telegram first: free, private, no carrier consent step. SMS reaches any phone.
CHANNEL_PREFERENCE = (Channel.telegram, Channel.sms, Channel.web, Channel.terminal)


def usable(contact: ContactPoint) -> bool:
    return not (contact.opted_out or contact.unreachable)


def choose_contact(db: Session, person_id: int) -> ContactPoint | None:
    """The contact point a new check-in for the person goes to, or None if none can be used.

    Opted-out and unreachable contacts are skipped. The one their most recent check-in used
    comes first (the conversation continues where they answered last); otherwise Telegram,
    then SMS, web, terminal; within one channel the newest contact point."""
    contacts = [c for c in people.contacts_for(db, person_id) if usable(c)]
    if not contacts:
        return None
    last = db.exec(
        select(CheckinSession)
        .where(CheckinSession.person_id == person_id, col(CheckinSession.channel).is_not(None))
        .order_by(col(CheckinSession.started_at).desc(), col(CheckinSession.id).desc())
        .limit(1)
    ).first()
    if last is not None:
        for contact in contacts:
            if contact.channel == last.channel and contact.address == last.address:
                return contact
    rank = {channel: n for n, channel in enumerate(CHANNEL_PREFERENCE)}
    return min(contacts, key=lambda c: (rank.get(Channel(c.channel), len(rank)), -(c.id or 0)))
