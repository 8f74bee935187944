"""Staff conversations (a supervisor's replies to a mentee from the dashboard): which one is
open, opening or extending one, closing it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from storage.models import StaffConversation
from storage.queries.sql import one_of


def _open_at(now: datetime) -> ColumnElement[bool]:
    """What "open" means, once: not closed by staff, not past its end."""
    return and_(col(StaffConversation.closed_at).is_(None),
                col(StaffConversation.expires_at) > now)


def open_for(session: Session, person_id: int, now: datetime) -> StaffConversation | None:
    """The person's open staff conversation: not closed by staff, not past its end."""
    stmt = (
        select(StaffConversation)
        .where(StaffConversation.person_id == person_id, _open_at(now))
        .order_by(col(StaffConversation.id).desc())
    )
    return session.exec(stmt).first()


def people_in_conversation(
    session: Session, person_ids: Collection[int], now: datetime
) -> set[int]:
    """Which of these people have an open staff conversation (one query for a batch)."""
    if not person_ids:
        return set()
    table = StaffConversation.__table__.c  # type: ignore[attr-defined]
    stmt = select(StaffConversation.person_id).where(
        one_of(session, table.person_id, person_ids), _open_at(now))
    return set(session.exec(stmt).all())


def opened_or_extended(
    session: Session, *, person_id: int, program_id: int, staff_id: int, now: datetime,
    until: datetime,
) -> StaffConversation:
    """A staff message was sent: the open conversation runs on until ``until``, or a new one
    opens (by ``staff_id``)."""
    conversation = open_for(session, person_id, now)
    if conversation is None:
        conversation = StaffConversation(person_id=person_id, program_id=program_id,
                                         opened_by=staff_id, opened_at=now)
        session.add(conversation)
    conversation.last_staff_message_at = now
    conversation.expires_at = until
    session.flush()
    return conversation


def close(session: Session, person_id: int, *, by: int, now: datetime) -> StaffConversation | None:
    """Close the person's open conversation; the one closed, or None when none was open."""
    conversation = open_for(session, person_id, now)
    if conversation is not None:
        conversation.closed_at = now
        conversation.closed_by = by
        session.flush()
    return conversation
