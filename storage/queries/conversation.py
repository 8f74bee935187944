"""A person's whole conversation for staff (every message in and out, inside and outside
check-ins), and which of their messages outside check-ins staff have not read yet.

"Read" is per person, not per staff member: a message has been read once any supervisor or
admin of the program opened the person's page after it arrived (`Person.staff_seen_message_id`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from storage.models import Direction, Escalation, Message, Person, Role


@dataclass(frozen=True)
class HistoryPage:
    messages: list[Message]  # oldest first
    older: bool  # there are older messages than these


def history(
    session: Session, person_id: int, *, limit: int, before_id: int | None = None
) -> HistoryPage:
    """The newest `limit` messages to and from the person (older than `before_id` when given),
    oldest first."""
    stmt = select(Message).where(Message.person_id == person_id,
                                 col(Message.direction).in_([Direction.inbound,
                                                             Direction.outbound]))
    if before_id is not None:
        stmt = stmt.where(col(Message.id) < before_id)
    newest = list(session.exec(stmt.order_by(col(Message.id).desc()).limit(limit + 1)).all())
    return HistoryPage(list(reversed(newest[:limit])), older=len(newest) > limit)


def newest_inbound_id(session: Session, person_id: int) -> int | None:
    stmt = select(func.max(Message.id)).where(Message.person_id == person_id,
                                               Message.direction == Direction.inbound)
    return session.exec(stmt).one()


def mark_seen(session: Session, person_id: int, message_id: int) -> None:
    """Staff have seen the person's messages up to `message_id` (the marker never goes back)."""
    session.execute(
        update(Person)
        .where(col(Person.id) == person_id,
               or_(col(Person.staff_seen_message_id).is_(None),
                   col(Person.staff_seen_message_id) < message_id))
        .values(staff_seen_message_id=message_id)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Unread:
    program_id: int
    person_id: int
    name: str
    count: int


def unread_outside_checkins(
    session: Session, program_ids: Collection[int], *, hide: Collection[int] = ()
) -> list[Unread]:
    """Per mentee of `program_ids` (but those in `hide`): how many of their text messages that
    arrived outside a check-in staff have not seen yet. Mentees with none are left out."""
    if not program_ids:
        return []
    seen = func.coalesce(Person.staff_seen_message_id, 0)
    stmt = (
        select(Person.program_id, Person.id, Person.display_name, func.count(col(Message.id)))
        .join(Message, col(Message.person_id) == col(Person.id))
        .where(col(Person.program_id).in_(list(program_ids)),
               Person.role == Role.mentee,
               Message.direction == Direction.inbound,
               col(Message.session_id).is_(None),
               col(Message.body).is_not(None),  # nothing to read (an invite code, erased)
               col(Message.id) > seen)
        .group_by(col(Person.program_id), col(Person.id), col(Person.display_name))
        .order_by(col(Person.display_name), col(Person.id))
    )
    if hide:
        stmt = stmt.where(col(Person.id).not_in(list(hide)))
    return [Unread(program_id, person_id, name, int(count))
            for program_id, person_id, name, count in session.exec(stmt).all()
            if person_id is not None]


def mentees_reported_on_by(session: Session, person_id: int) -> set[int]:
    """Mentees with an escalation about `person_id` as their mentor: that person must not read
    those mentees' words (what they said about them)."""
    stmt = select(Escalation.person_id).where(Escalation.about_mentor_id == person_id).distinct()
    # An escalation from an unknown sender has no person (migration 0005): nothing to hide.
    return {mentee for mentee in session.exec(stmt).all() if mentee is not None}
