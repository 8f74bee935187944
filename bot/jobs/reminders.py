"""Mentor reminders: a nudge to meet, for mentors who have not reported a meeting in a while.

A mentor with an active pairing older than N days (``mentor_reminder_after_days``, a program
can override it in its settings) who has not answered YES to "did you meet your mentee?" in the
last N days, and got no reminder in the last N days, gets one routine reminder. Never during
their quiet hours: a later run sends it.

Privacy (design invariant 4): the reminder is built from the mentor's own name and the program
name only. Nothing about any mentee -- not their answers, escalations, or even their name (the
mentor's phone may be shared) -- is read here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, or_
from sqlmodel import Session, col, select

from bot.contacts import choose_contact
from bot.signals import program_int
from flows.quiet_hours import quiet_until
from storage.db import is_postgres
from storage.models import (
    Answer,
    Direction,
    Lane,
    Message,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
)
from storage.queries import audit, messages

KIND = "mentor_reminder"
SETTING = "mentor_reminder_after_days"
MET_KEY = "met"

REMINDER_TEXT: dict[str, str] = {
    "en": (
        "Hi {name}, a reminder from {program}: when did you last meet your mentee? "
        "Your next check-in will ask. Reply HELP to reach staff."
    ),
    "es": (
        "Hola {name}, un recordatorio de {program}: ¿cuándo te reuniste por última vez con tu "
        "mentee? Tu próximo chequeo te lo preguntará. Responde AYUDA para hablar con el personal."
    ),
}


def reminder_text(language: str, *, name: str, program: str) -> str:
    template = (
        REMINDER_TEXT.get(language)
        or REMINDER_TEXT.get(language.split("-")[0])
        or REMINDER_TEXT["en"]
    )
    return template.replace("{name}", name).replace("{program}", program)


def _met_since(db: Session, mentor_id: int, since: datetime) -> bool:
    """Did the mentor answer YES to "did you meet your mentee?" after ``since``?"""
    values = db.exec(
        select(Answer.value).where(
            Answer.person_id == mentor_id,
            Answer.key == MET_KEY,
            Answer.status == "answered",
            col(Answer.created_at) > since,
        )
    ).all()
    return any(v is True for v in values)


def _candidates(
    db: Session, program_id: int, cutoff: datetime, now: datetime, after_id: int, limit: int
) -> list[Person]:
    """Active mentors of the program with an active pairing begun on or before ``cutoff`` and no
    reminder queued since ``cutoff``, by id, after ``after_id``."""
    paired = exists().where(
        col(Pairing.mentor_id) == col(Person.id),
        col(Pairing.active_from) <= cutoff,
        or_(col(Pairing.active_until).is_(None), col(Pairing.active_until) > now),
    )
    reminded = exists().where(
        col(Message.person_id) == col(Person.id),
        col(Message.direction) == Direction.outbound,
        col(Message.kind) == KIND,
        col(Message.created_at) > cutoff,
    )
    stmt = (
        select(Person)
        .where(
            Person.program_id == program_id,
            Person.role == Role.mentor,
            Person.status == PersonStatus.active,
            col(Person.id) > after_id,
            paired,
            ~reminded,
        )
        .order_by(col(Person.id))
        .limit(limit)
    )
    if is_postgres(db.get_bind()):  # type: ignore[arg-type]
        # Two instances running this job never remind the same mentor twice.
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.exec(stmt).all())


def run_mentor_reminders(
    db: Session, now: datetime, *, default_days: int, limit: int = 200, page: int = 100
) -> int:
    """Queue due mentor reminders (at most ``limit`` this run); returns how many were queued."""
    queued = 0
    for program in db.exec(select(Program).order_by(col(Program.id))).all():
        assert program.id is not None
        days = program_int(program, SETTING, default_days)
        cutoff = now - timedelta(days=days)
        after_id = 0
        while queued < limit:
            batch = _candidates(db, program.id, cutoff, now, after_id, page)
            for mentor in batch:
                if queued >= limit:
                    break
                queued += _remind(db, program, mentor, cutoff, now)
            if len(batch) < page:
                break
            assert batch[-1].id is not None
            after_id = batch[-1].id
        if queued >= limit:
            break
    return queued


def _remind(db: Session, program: Program, mentor: Person, cutoff: datetime, now: datetime) -> int:
    assert mentor.id is not None
    if _met_since(db, mentor.id, cutoff):
        return 0
    timezone = mentor.timezone or program.timezone
    if quiet_until(now, timezone, program.quiet_start, program.quiet_end) is not None:
        return 0  # a later run, outside quiet hours, sends it
    assert mentor.id is not None
    # A reminder is content: an SMS number that has not said YES gets none.
    contact = choose_contact(db, mentor.id, require_consent=True)
    if contact is None:
        return 0
    name = mentor.display_name.split()[0] if mentor.display_name else ""
    body = reminder_text(mentor.language, name=name, program=program.name)
    message = messages.enqueue_outbound(db, channel=contact.channel, address=contact.address,
                                        body=body, kind=KIND, lane=Lane.routine, now=now,
                                        person_id=mentor.id)
    audit.record(db, actor="system", action="mentor_reminder_queued", subject_type="message",
                 subject_id=message.id, detail={"person_id": mentor.id, "channel": contact.channel},
                 now=now)
    return 1
