"""Which of a person's contact points a message to them goes to: one rule, for one person or
for the 100,000 of a fan-out (two queries either way)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Table, func, select, type_coerce
from sqlmodel import Session

from bot.policy import needs_consent
from storage.models import Channel, CheckinSession, ContactPoint
from storage.queries.sql import one_of

# Telegram first: free, private, no carrier consent step. SMS reaches any phone.
CHANNEL_PREFERENCE = (Channel.telegram, Channel.sms, Channel.web, Channel.terminal)

_CONTACT_TABLE: Table = ContactPoint.__table__  # type: ignore[attr-defined]
_SESSION_TABLE: Table = CheckinSession.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ContactRow:
    """A contact point's columns, without an ORM object (building 100,000 of those costs more
    than the whole fan-out). Satisfies `bulk_start.ContactLike`."""

    id: int
    person_id: int
    channel: str
    address: str
    opted_out: bool
    unreachable: bool
    consent_at: datetime | None


def usable(contact: ContactPoint | ContactRow, *, require_consent: bool = False) -> bool:
    """Not opted out, not unreachable; with `require_consent`, an SMS number must have said YES
    (a reminder is content; a check-in start on such a number asks for consent itself)."""
    if contact.opted_out or contact.unreachable:
        return False
    return not (require_consent and needs_consent(contact))


def choose_contact_rows(
    db: Session, person_ids: Sequence[int], *, require_consent: bool = False
) -> dict[int, ContactRow]:
    """Person id -> the contact a new message goes to; people with none usable are absent.
    The contact their most recent check-in used comes first (the conversation continues where
    they answered last); otherwise by CHANNEL_PREFERENCE; within a channel the newest."""
    c = _CONTACT_TABLE.c
    rows = db.execute(
        # The channel as its plain string: a fan-out reads 100,000 of them, and turning each
        # into a Channel member costs more than the query.
        select(c.id, c.person_id, type_coerce(c.channel, String), c.address, c.opted_out,
               c.unreachable, c.consent_at)
        .where(one_of(db, c.person_id, person_ids))
        .order_by(c.id)
    ).all()
    # Most people have one usable contact: nothing to choose between, so no need to ask what
    # they last used. Only people with several go through the rule below.
    chosen: dict[int, ContactRow] = {}
    several: dict[int, list[ContactRow]] = {}
    for row in rows:
        contact = ContactRow(*row)
        if not usable(contact, require_consent=require_consent):
            continue
        person_id = contact.person_id
        first = chosen.setdefault(person_id, contact)
        if first is not contact:
            several.setdefault(person_id, [first]).append(contact)
    if not several:
        return chosen
    last_used = _last_used_contacts(db, list(several))
    rank = {channel.value: n for n, channel in enumerate(CHANNEL_PREFERENCE)}
    for person_id, contacts in several.items():
        used = last_used.get(person_id)
        match = next((ct for ct in contacts if used == (ct.channel, ct.address)), None)
        chosen[person_id] = match or min(
            contacts, key=lambda ct: (rank.get(ct.channel, len(rank)), -ct.id)
        )
    return chosen


def _last_used_contacts(db: Session, person_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Person id -> (channel, address) of their most recent check-in that had one."""
    s = _SESSION_TABLE.c
    newest = func.row_number().over(
        partition_by=s.person_id, order_by=(s.started_at.desc(), s.id.desc())
    ).label("newest")
    ranked = (
        select(s.person_id, s.channel, s.address, newest)
        .where(one_of(db, s.person_id, person_ids), s.channel.is_not(None))
        .subquery()
    )
    last = select(ranked.c.person_id, ranked.c.channel, ranked.c.address).where(
        ranked.c.newest == 1
    )
    return {person_id: (channel, address) for person_id, channel, address in
            db.execute(last).all()}


def choose_contacts(
    db: Session, person_ids: Sequence[int], *, require_consent: bool = False
) -> dict[int, ContactPoint]:
    """`choose_contact_rows` as ORM contact points (for callers that change them)."""
    chosen = choose_contact_rows(db, person_ids, require_consent=require_consent)
    if not chosen:
        return {}
    ids = [contact.id for contact in chosen.values()]
    found = db.execute(select(ContactPoint).where(one_of(db, _CONTACT_TABLE.c.id, ids)))
    by_id = {contact.id: contact for contact in found.scalars()}
    return {person_id: by_id[c.id] for person_id, c in chosen.items()}


def choose_contact(
    db: Session, person_id: int, *, require_consent: bool = False
) -> ContactPoint | None:
    return choose_contacts(db, [person_id], require_consent=require_consent).get(person_id)
