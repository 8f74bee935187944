"""Read-only rows for the de-identified export (`bot.export`): one program's check-in sessions
with their scale and yes/no answers, and its escalations with their times.

These rows still carry person ids: turning them into pseudonymous keys, rounding times and
choosing columns is the export's job (bot/export/), not persistence's. What never leaves this
module is anything a person wrote: free-text answers are not even selected (only the answer
keys the caller names as a scale or yes/no question are), and of an escalation only its codes
and times are read, never its evidence or notes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select types
from sqlmodel import Session, col

from storage.models import Answer, CheckinSession, Escalation, Person


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    person_id: int
    role: str
    flow_id: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    # answer key -> a number (scale questions) or a bool (yes/no questions); unanswered and
    # skipped questions are absent.
    answers: dict[str, float | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class EscalationRow:
    escalation_id: int
    person_id: int | None  # None: an unknown sender
    role: str | None
    level: str
    reasons: tuple[str, ...]
    status: str
    outcome: str | None
    raised_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    reported_by_mentor: bool


def checkin_sessions(
    db: Session, program_id: int, start: datetime, end: datetime, *,
    scale_keys: Collection[tuple[str, str]], yes_no_keys: Collection[tuple[str, str]],
) -> list[SessionRow]:
    """The program's people's check-in sessions started in [start, end), oldest first, each
    with its answered (flow id, key) pairs from ``scale_keys`` (the number) and ``yes_no_keys``
    (the yes/no, read from the sealed value and kept only when it is a bool)."""
    stmt = (
        wide_select(col(CheckinSession.id), col(CheckinSession.person_id), col(Person.role),
                    col(CheckinSession.flow_id), col(CheckinSession.status),
                    col(CheckinSession.started_at), col(CheckinSession.ended_at))
        .join(Person, col(Person.id) == col(CheckinSession.person_id))
        .where(col(Person.program_id) == program_id,
               col(CheckinSession.started_at) >= start, col(CheckinSession.started_at) < end)
        .order_by(col(CheckinSession.started_at), col(CheckinSession.id))
    )
    rows = [SessionRow(session_id=int(sid), person_id=int(pid), role=str(role),
                       flow_id=str(flow), status=str(status), started_at=started,
                       ended_at=ended)
            for sid, pid, role, flow, status, started, ended in db.execute(stmt).all()]
    if not rows:
        return rows
    by_id = {row.session_id: row for row in rows}
    wanted = [and_(col(CheckinSession.flow_id) == flow, col(Answer.key) == key)
              for flow, key in {*scale_keys, *yes_no_keys}]
    if not wanted:
        return rows
    answers = (
        wide_select(col(Answer.session_id), col(CheckinSession.flow_id), col(Answer.key),
                    col(Answer.value_num), col(Answer.value))
        .join(CheckinSession, col(CheckinSession.id) == col(Answer.session_id))
        .join(Person, col(Person.id) == col(CheckinSession.person_id))
        .where(col(Person.program_id) == program_id,
               col(CheckinSession.started_at) >= start, col(CheckinSession.started_at) < end,
               col(Answer.status) == "answered", or_(*wanted))
        .order_by(col(Answer.id))
    )
    scales, yes_nos = set(scale_keys), set(yes_no_keys)
    for session_id, flow, key, number, value in db.execute(answers).all():
        row = by_id.get(int(session_id))
        if row is None:
            continue
        # A later answer to the same question (asked again) replaces the earlier one.
        if (flow, key) in scales and number is not None:
            row.answers[key] = float(number)
        elif (flow, key) in yes_nos and isinstance(value, bool):
            row.answers[key] = value
    return rows


def escalations(db: Session, program_id: int, start: datetime,
                end: datetime) -> list[EscalationRow]:
    """The program's escalations raised in [start, end), oldest first: codes and times only."""
    stmt = (
        wide_select(col(Escalation.id), col(Escalation.person_id), col(Person.role),
                    col(Escalation.level), col(Escalation.reasons), col(Escalation.status),
                    col(Escalation.outcome), col(Escalation.raised_at),
                    col(Escalation.acknowledged_at), col(Escalation.resolved_at),
                    col(Escalation.reported_by))
        .outerjoin(Person, col(Person.id) == col(Escalation.person_id))
        .where(col(Escalation.program_id) == program_id,
               col(Escalation.raised_at) >= start, col(Escalation.raised_at) < end)
        .order_by(col(Escalation.raised_at), col(Escalation.id))
    )
    return [
        EscalationRow(escalation_id=int(eid), person_id=None if pid is None else int(pid),
                      role=None if role is None else str(role), level=str(level),
                      reasons=tuple(str(r) for r in reasons or ()), status=str(status),
                      outcome=outcome, raised_at=raised, acknowledged_at=acked,
                      resolved_at=resolved, reported_by_mentor=reporter is not None)
        for eid, pid, role, level, reasons, status, outcome, raised, acked, resolved, reporter
        in db.execute(stmt).all()
    ]
