"""A demo program for a first run, so the whole path can be tried without any provider account."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.scheduling.defaults import apply_default_schedule
from storage.models import Channel, Person, Program, Role
from storage.queries import people

DEMO_PROGRAM = "Demo Program"


def seed_demo(db: Session, now: datetime) -> bool:
    """Create the demo program when the database has no program at all; True if it did."""
    if db.exec(select(Program)).first() is not None:
        return False
    program = people.add_program(db, DEMO_PROGRAM, timezone="America/New_York", now=now)
    assert program.id is not None
    cast = [
        (Role.supervisor, "Sam Rivera", "en"),
        (Role.mentor, "Jordan Lee", "en"),
        (Role.mentor, "Lucía Gómez", "es"),
        (Role.mentee, "Ana Torres", "en"),
        (Role.mentee, "Marcus Hill", "en"),
        (Role.mentee, "Sofía Díaz", "es"),
        (Role.mentee, "Tyler Brooks", "en"),
    ]
    made: list[Person] = []
    for role, name, language in cast:
        person = people.add_person(db, program.id, role, name, language=language, now=now)
        assert person.id is not None
        people.add_contact(db, person.id, Channel.terminal, f"person-{person.id}", now=now)
        apply_default_schedule(db, person, program, now)
        made.append(person)
    _, mentor_a, mentor_b, *mentees = made
    for mentor, mentee in zip([mentor_a, mentor_a, mentor_b, mentor_b], mentees, strict=True):
        assert mentor.id is not None and mentee.id is not None
        people.add_pairing(db, mentor.id, mentee.id, now)
    return True


def demo_mentee(db: Session) -> Person | None:
    return db.exec(
        select(Person).where(Person.role == Role.mentee).order_by(Person.id)  # type: ignore[arg-type]
    ).first()
