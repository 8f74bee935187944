"""The daily watch digest: one discreet line to each on-call person about open watch items.

Watch escalations (a sharp drop, missed check-ins) are reviewed within 72 h and never alerted one
by one. Once a day, at the program's digest hour (``program.settings["digest_hour"]``, default
9, program-local time), every on-call person with a usable contact gets "N watch items to review"
and the queue link on their preferred channel, in the routine lane. Nothing is sent when no watch
item is open, and nobody gets two digests on one local day (their last "digest" message says).
The text names no person and no reason, so it is safe on any screen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.escalation import routing
from storage.db import is_postgres
from storage.models import (
    Direction,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    Program,
    Role,
)
from storage.queries import audit, messages

KIND = "digest"
HOUR_SETTING = "digest_hour"
DEFAULT_HOUR = 9
WATCH = "watch"

_TEXT: dict[str, dict[str, str]] = {
    "en": {"one": "{program}: 1 watch item to review",
           "many": "{program}: {n} watch items to review"},
    "es": {"one": "{program}: 1 caso en seguimiento por revisar",
           "many": "{program}: {n} casos en seguimiento por revisar"},
}


def digest_hour(program: Program) -> int:
    raw = (program.settings or {}).get(HOUR_SETTING, DEFAULT_HOUR)
    if isinstance(raw, bool):
        return DEFAULT_HOUR
    try:
        hour = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_HOUR
    return hour if 0 <= hour <= 23 else DEFAULT_HOUR


def digest_text(program: Program, count: int, *, dashboard_url: str | None, language: str) -> str:
    lang = (language or "en").split("-")[0].lower()
    words = _TEXT.get(lang, _TEXT["en"])
    name = " ".join(program.name.split())[:60]
    text = (words["one"] if count == 1 else words["many"]).format(program=name, n=count)
    if dashboard_url:
        text += f": {dashboard_url.rstrip('/')}/queue?level=watch"
    return text


def _open_watch_counts(db: Session) -> dict[int, int]:
    rows = db.exec(
        select(Escalation.program_id, func.count())
        .where(Escalation.level == WATCH, Escalation.status == EscalationStatus.open)
        .group_by(col(Escalation.program_id))
    ).all()
    return {int(program_id): int(n) for program_id, n in rows}


def _sent_today(db: Session, person_id: int, program: Program, now: datetime) -> bool:
    last = db.exec(
        select(Message.created_at)
        .where(
            Message.person_id == person_id,
            Message.direction == Direction.outbound,
            Message.kind == KIND,
        )
        .order_by(col(Message.id).desc())
        .limit(1)
    ).first()
    if last is None:
        return False
    return routing.local_time(program, last).date() == routing.local_time(program, now).date()


def _lock_program(db: Session, program_id: int) -> Program | None:
    """The program row; on PostgreSQL locked (skipped when another instance holds it), so two
    instances never send the same digest."""
    stmt = select(Program).where(Program.id == program_id)
    if is_postgres(db.get_bind()):  # type: ignore[arg-type]
        stmt = stmt.with_for_update(skip_locked=True)
    return db.exec(stmt).first()


def run_watch_digest(db: Session, now: datetime, *, dashboard_url: str | None) -> int:
    """Queue today's watch digests for programs at their digest hour; returns how many."""
    queued = 0
    for program_id, count in sorted(_open_watch_counts(db).items()):
        program = _lock_program(db, program_id)
        if program is None or routing.local_time(program, now).hour != digest_hour(program):
            continue
        queued += _send(db, program, count, now, dashboard_url)
    return queued


def _send(
    db: Session, program: Program, count: int, now: datetime, dashboard_url: str | None
) -> int:
    people = routing.on_call(db, program, now, which="oncall")
    if not people:  # nobody on shift at that hour: the supervisors (else admins) still hear
        staff = routing.all_staff(db, program)
        people = [p for p in staff if p.role == Role.supervisor] or staff
    contacts = routing.usable_contacts(db, [p.id for p in people if p.id is not None])
    queued = 0
    for person in people:
        assert person.id is not None
        if not contacts[person.id] or _sent_today(db, person.id, program, now):
            continue
        contact = contacts[person.id][0]
        body = digest_text(program, count, dashboard_url=dashboard_url, language=person.language)
        message = messages.enqueue_outbound(
            db, channel=contact.channel, address=contact.address, body=body, kind=KIND,
            lane=Lane.routine, now=now, person_id=person.id,
        )
        audit.record(db, actor="system", action="watch_digest_queued", subject_type="message",
                     subject_id=message.id,
                     detail={"program_id": program.id, "person_id": person.id, "items": count,
                             "channel": str(contact.channel)}, now=now)
        queued += 1
    return queued

