"""Programs, people, contact points and mentor-mentee pairings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Table, bindparam, func, or_
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage.models import Channel, ContactPoint, Pairing, Person, Program, Role, StaffConversation
from storage.prepared import Prepared
from storage.queries import messages
from storage.types import ensure_aware


def add_program(
    session: Session,
    name: str,
    *,
    timezone: str = "America/New_York",
    help_text: str | None = None,
    now: datetime | None = None,
) -> Program:
    program = Program(
        name=name,
        timezone=timezone,
        help_text=help_text,
    )
    if now is not None:
        program.created_at = now
    session.add(program)
    session.flush()
    return program


def get_program_by_name(session: Session, name: str) -> Program | None:
    return session.exec(select(Program).where(Program.name == name)).first()


def programs_on_channel(session: Session, channel: Channel | str) -> list[Program]:
    """The programs with anyone reachable on ``channel``: those that share the service's one
    number (SMS) or bot (Telegram). Every program when none has (a message on that channel
    still reaches someone). By id."""
    uses = (
        select(ContactPoint.id)
        .join(Person, col(Person.id) == col(ContactPoint.person_id))
        .where(ContactPoint.channel == Channel(channel), Person.program_id == Program.id)
        .exists()
    )
    found = list(session.exec(select(Program).where(uses).order_by(col(Program.id))).all())
    return found or list(session.exec(select(Program).order_by(col(Program.id))).all())


def add_person(
    session: Session,
    program_id: int,
    role: Role | str,
    display_name: str,
    language: str = "en",
    timezone: str | None = None,
    *,
    now: datetime | None = None,
) -> Person:
    person = Person(
        program_id=program_id,
        role=Role(role),
        display_name=display_name,
        language=language,
        timezone=timezone,
    )
    if now is not None:
        person.created_at = now
    session.add(person)
    session.flush()
    return person


def add_contact(
    session: Session,
    person_id: int,
    channel: Channel | str,
    address: str,
    *,
    consent_at: datetime | None = None,
    now: datetime | None = None,
) -> ContactPoint:
    """Add a contact point; a (channel, address) already in use raises IntegrityError. An
    address that said STOP while it was enrolled nowhere starts opted out: enrolling a number
    does not undo its owner's STOP (only their START does)."""
    contact = ContactPoint(
        person_id=person_id,
        channel=Channel(channel),
        address=address,
        consent_at=consent_at,
    )
    opted_out_at = messages.unknown_sender_opted_out_at(session, channel, address)
    if opted_out_at is not None:
        contact.opted_out, contact.opted_out_at = True, ensure_aware(opted_out_at)
    if now is not None:
        contact.created_at = now
    session.add(contact)
    session.flush()
    return contact


def find_contact(session: Session, channel: Channel | str, address: str) -> ContactPoint | None:
    stmt = select(ContactPoint).where(
        ContactPoint.channel == Channel(channel), ContactPoint.address == address
    )
    return session.exec(stmt).first()


def find_contact_with_person(
    session: Session, channel: Channel | str, address: str
) -> tuple[ContactPoint, Person, Program] | None:
    """The contact point with its person and program, in one query (the inbound hot path)."""
    row = session.exec(
        _CONTACT_WITH_PERSON, params={"channel": Channel(channel), "address": address}
    ).first()
    return None if row is None else (row[0], row[1], row[2])


# Built once: building a statement costs more than running it.
_CONTACT_WITH_PERSON = (
    select(ContactPoint, Person, Program)
    .join(Person, col(Person.id) == col(ContactPoint.person_id))
    .join(Program, col(Program.id) == col(Person.program_id))
    .where(
        ContactPoint.channel == bindparam("channel"),
        ContactPoint.address == bindparam("address"),
    )
)


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    """What an inbound reply turn reads of a contact, its person and their program: plain
    values from one Core query (no ORM objects to build on the hot path)."""

    contact_id: int
    channel: str
    address: str
    opted_out: bool
    unreachable: bool
    consent_at: datetime | None
    person_id: int
    role: Role
    person_timezone: str | None
    program_id: int
    program_timezone: str
    quiet_start: str
    quiet_end: str
    # When the person's newest staff conversation not closed by hand ends (None: none ever
    # opened, or closed): while it is open their messages are not check-in answers.
    staff_conversation_until: datetime | None = None


def send_contact_snapshot(
    conn: Connection, channel: Channel | str, address: str
) -> Callable[[], ContactSnapshot | None]:
    """The contact point (channel, address) with its person and program, as plain values;
    as `Prepared.send`: in a pipeline, read with other statements."""
    fetch = _SNAPSHOT.send(conn, {"channel": Channel(channel).value, "address": address})

    def snapshot() -> ContactSnapshot | None:
        rows = fetch()
        return ContactSnapshot(*rows[0]) if rows else None

    return snapshot


_CP: Table = ContactPoint.__table__  # type: ignore[attr-defined]
_PE: Table = Person.__table__  # type: ignore[attr-defined]
_PR: Table = Program.__table__  # type: ignore[attr-defined]
_SC: Table = StaffConversation.__table__  # type: ignore[attr-defined]
# A few index rows at most (a person's staff conversations), read with the snapshot so the
# reply path needs no statement of its own to know whether a conversation is open.
_STAFF_CONVERSATION_UNTIL = (
    core_select(func.max(_SC.c.expires_at))
    .where(_SC.c.person_id == _PE.c.id, _SC.c.closed_at.is_(None))
    .scalar_subquery()
)
_SNAPSHOT = Prepared(
    core_select(
        _CP.c.id, _CP.c.channel, _CP.c.address, _CP.c.opted_out, _CP.c.unreachable,
        _CP.c.consent_at, _PE.c.id, _PE.c.role, _PE.c.timezone, _PR.c.id, _PR.c.timezone,
        _PR.c.quiet_start, _PR.c.quiet_end, _STAFF_CONVERSATION_UNTIL,
    )
    .join(_PE, _PE.c.id == _CP.c.person_id)
    .join(_PR, _PR.c.id == _PE.c.program_id)
    .where(_CP.c.channel == bindparam("channel"), _CP.c.address == bindparam("address"))
)


def contacts_for(session: Session, person_id: int) -> list[ContactPoint]:
    stmt = (
        select(ContactPoint)
        .where(ContactPoint.person_id == person_id)
        .order_by(col(ContactPoint.id))
    )
    return list(session.exec(stmt).all())


def list_people(
    session: Session, program_id: int | None = None, role: Role | str | None = None
) -> list[Person]:
    stmt = select(Person)
    if program_id is not None:
        stmt = stmt.where(Person.program_id == program_id)
    if role is not None:
        stmt = stmt.where(Person.role == Role(role))
    return list(session.exec(stmt.order_by(col(Person.id))).all())


def add_pairing(session: Session, mentor_id: int, mentee_id: int, now: datetime) -> Pairing:
    """Pair a mentor with a mentee, active from ``now``.

    Raises ValueError when either person is missing, has the wrong role, or the two belong to
    different programs.
    """
    ensure_aware(now)
    mentor = session.get(Person, mentor_id)
    mentee = session.get(Person, mentee_id)
    if mentor is None:
        raise ValueError(f"cannot pair: mentor person {mentor_id} does not exist")
    if mentee is None:
        raise ValueError(f"cannot pair: mentee person {mentee_id} does not exist")
    if mentor.role != Role.mentor:
        raise ValueError(
            f"cannot pair: person {mentor_id} ({mentor.display_name}) is a {mentor.role}, "
            "not a mentor"
        )
    if mentee.role != Role.mentee:
        raise ValueError(
            f"cannot pair: person {mentee_id} ({mentee.display_name}) is a {mentee.role}, "
            "not a mentee"
        )
    if mentor.program_id != mentee.program_id:
        raise ValueError(
            f"cannot pair: mentor {mentor_id} and mentee {mentee_id} are in different programs"
        )
    pairing = Pairing(
        program_id=mentee.program_id, mentor_id=mentor_id, mentee_id=mentee_id, active_from=now
    )
    session.add(pairing)
    session.flush()
    return pairing


def active_pairing(now: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The conditions of a pairing in force at ``now`` (the one definition of "active")."""
    return (
        col(Pairing.active_from) <= now,
        or_(col(Pairing.active_until).is_(None), col(Pairing.active_until) > now),
    )


def mentors_of(session: Session, mentee_id: int, now: datetime) -> list[Person]:
    """The mentors paired with ``mentee_id`` at ``now``."""
    stmt = (
        select(Person)
        .join(Pairing, col(Pairing.mentor_id) == col(Person.id))
        .where(Pairing.mentee_id == mentee_id, *active_pairing(now))
        .order_by(col(Person.id))
        .distinct()
    )
    return list(session.exec(stmt).all())


def mentees_of(session: Session, mentor_id: int, now: datetime) -> list[Person]:
    """The mentees paired with ``mentor_id`` at ``now``."""
    stmt = (
        select(Person)
        .join(Pairing, col(Pairing.mentee_id) == col(Person.id))
        .where(Pairing.mentor_id == mentor_id, *active_pairing(now))
        .order_by(col(Person.id))
        .distinct()
    )
    return list(session.exec(stmt).all())


def is_mentor_of(session: Session, mentor_id: int, mentee_id: int, now: datetime) -> bool:
    """True when ``mentor_id`` mentors ``mentee_id`` at ``now``."""
    return mentee_id in mentee_ids_of(session, mentor_id, now)


def mentee_ids_of(session: Session, mentor_id: int, now: datetime) -> set[int]:
    """The ids of the mentees paired with ``mentor_id`` at ``now`` (one query, no rows built)."""
    stmt = select(Pairing.mentee_id).where(Pairing.mentor_id == mentor_id, *active_pairing(now))
    return set(session.exec(stmt).all())
