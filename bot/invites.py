"""Invite codes: how a Telegram chat gets bound to an enrolled person.

Staff create a code for a person (`checkin people invite ID`) and hand over the deep link
``https://t.me/<bot>?start=<code>``; pressing Start sends ``/start <code>`` from the person's chat,
and `redeem_invite` binds that chat id to the person. A code works once, for a limited time.
Like the rest of `storage.queries`, these functions take an open session and never commit.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import Channel, ContactPoint, InviteCode, Person, PersonStatus
from storage.queries import audit, people

# Telegram deep-link payloads allow up to 64 characters of A-Z, a-z, 0-9, _ and -;
# token_urlsafe uses exactly that alphabet. 12 random bytes -> 16 characters (96 bits).
CODE_BYTES = 12
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def create_invite(
    db: Session, person_id: int, now: datetime, valid_for: timedelta, *, actor: str = "system"
) -> InviteCode:
    """A fresh single-use code for `person_id`, valid from `now` for `valid_for`."""
    if db.get(Person, person_id) is None:
        raise ValueError(f"no person with id {person_id}")
    invite = InviteCode(person_id=person_id, code=new_code(), expires_at=now + valid_for,
                        created_at=now)
    db.add(invite)
    db.flush()
    # The code is a credential: the audit trail records that one was made, never the code.
    audit.record(db, actor=actor, action="invite_created", subject_type="person",
                 subject_id=person_id, detail={"invite_id": invite.id,
                                               "expires_at": invite.expires_at.isoformat()},
                 now=now)
    return invite


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


def redeem_invite(db: Session, code: str, chat_id: str, now: datetime) -> Person | None:
    """Bind Telegram `chat_id` to the person `code` was made for; None when the code is unknown,
    expired or used, the person has left the program, or the chat already belongs to someone else.

    On None nothing has been written. Single use holds under concurrency: the code is claimed by
    a conditional UPDATE, and only the transaction that changed the row goes on.
    """
    if not CODE_PATTERN.fullmatch(code):
        return None
    invite = db.exec(select(InviteCode).where(InviteCode.code == code)).first()
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    person = db.get(Person, invite.person_id)
    if person is None or person.id is None or person.status == PersonStatus.exited:
        return None
    bound = people.find_contact(db, Channel.telegram, chat_id)
    if bound is not None and bound.person_id != person.id:
        return None
    claimed = db.execute(
        update(InviteCode)
        .where(col(InviteCode.id) == invite.id, col(InviteCode.used_at).is_(None),
               col(InviteCode.expires_at) > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.refresh(invite)
    contact, previous = _bind_chat(db, person.id, chat_id, now)
    audit.record(db, actor=f"person:{person.id}", action="telegram_bound",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"invite_id": invite.id, "repointed": previous is not None}, now=now)
    return person


def _bind_chat(
    db: Session, person_id: int, chat_id: str, now: datetime
) -> tuple[ContactPoint, str | None]:
    """Create the person's Telegram contact point, or re-point the existing one to `chat_id`.
    Returns it and the chat id it had before (None if new or unchanged)."""
    existing = next((c for c in people.contacts_for(db, person_id)
                     if c.channel == Channel.telegram), None)
    if existing is None:
        contact = people.add_contact(db, person_id, Channel.telegram, chat_id, consent_at=now,
                                     now=now)
        return contact, None
    previous = existing.address if existing.address != chat_id else None
    existing.address = chat_id
    # Pressing Start on an invite is an explicit request for messages on this chat.
    existing.consent_at = now
    existing.opted_out = False
    existing.opted_out_at = None
    existing.unreachable = False
    existing.unreachable_reason = None
    db.add(existing)
    db.flush()
    return existing, previous
