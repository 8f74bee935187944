"""Check-in history built straight into the database, for the mentee and overview page tests.

Sessions and answers go in through storage.queries.sessions (as the runner writes them: answer
keys `comfort` and `safety`, numeric `value_num`); escalations as rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from storage.models import Escalation, EscalationStatus, Pairing, SessionStatus
from storage.queries import sessions


def checkin(
    db: Session, person_id: int | None, at: datetime,
    status: SessionStatus = SessionStatus.completed,
    comfort: int | None = None, safety: int | None = None, flow: str = "mentee_checkin",
) -> int:
    """One check-in session started at `at`, ended (unless active) with `status`, with the
    given comfort/safety answers."""
    assert person_id is not None
    row = sessions.add_session(db, person_id=person_id, flow_id=flow, now=at)
    assert row.id is not None
    for offset, (key, value) in enumerate((("comfort", comfort), ("safety", safety))):
        if value is not None:
            sessions.add_answer(db, session_id=row.id, person_id=person_id, key=key,
                                raw_text=str(value), value=value,
                                now=at + timedelta(minutes=offset + 1))
    # Free text answers are part of a real check-in; pages must never show them.
    if comfort is not None:
        sessions.add_answer(db, session_id=row.id, person_id=person_id, key="anything_else",
                            raw_text="SECRET-WORDS my mentor asked for money",
                            value="SECRET-WORDS my mentor asked for money", now=at)
    if status != SessionStatus.active:
        row.status = status
        row.ended_at = at + timedelta(hours=1 if status == SessionStatus.completed else 24)
    db.flush()
    return row.id


def escalation(
    db: Session, program_id: int, person_id: int | None, level: str, raised_at: datetime, *,
    acknowledged_after: timedelta | None = None,
    status: EscalationStatus = EscalationStatus.open, about_mentor_id: int | None = None,
) -> int:
    assert person_id is not None
    esc = Escalation(
        program_id=program_id, person_id=person_id, session_id=None, level=level,
        reasons=["low_comfort"], evidence=["SECRET-WORDS evidence"], status=status,
        raised_at=raised_at, due_at=raised_at + timedelta(hours=24),
        acknowledged_at=raised_at + acknowledged_after if acknowledged_after else None,
        about_mentor_id=about_mentor_id, updated_at=raised_at,
    )
    if acknowledged_after is not None and status == EscalationStatus.open:
        esc.status = EscalationStatus.acknowledged
    db.add(esc)
    db.flush()
    assert esc.id is not None
    return esc.id


def pair(db: Session, program_id: int, mentor_id: int | None, mentee_id: int | None,
         at: datetime) -> None:
    """An active pairing row (written directly: a supervisor who also mentors someone)."""
    assert mentor_id is not None and mentee_id is not None
    db.add(Pairing(program_id=program_id, mentor_id=mentor_id, mentee_id=mentee_id,
                   active_from=at))
    db.flush()
