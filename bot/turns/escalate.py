"""Raising (or merging) an escalation with its audit row and its alerts, for a turn's finding
and for the findings made after a turn (the semantic second reader)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot import webhook_events
from bot.escalation import log_lines
from bot.escalation.alerts import alert_new_escalation
from bot.policy import ack_deadline
from flows.events import EscalationRaised, EscalationUpdated
from storage.models import Person, Program, Role
from storage.queries import audit, escalations, people

NO_ACTIVE_MENTEE = "no_active_mentee"


def escalate_finding(
    db: Session, program: Program, person: Person, session_id: int | None,
    event: EscalationRaised | EscalationUpdated, now: datetime, *, dashboard_url: str | None,
) -> None:
    """An engine finding: raised at its own level, merged into the open escalation of the
    level it joins (see storage/queries/escalations.py)."""
    escalate(db, program, person, session_id, event.finding_level or event.level,
             event.reasons, event.evidence, event.about_mentor, now, joins=event.level,
             about_mentee=event.about_mentee, dashboard_url=dashboard_url)


def escalate(
    db: Session, program: Program, person: Person, session_id: int | None, level: str,
    reasons: tuple[str, ...], evidence: tuple[str, ...], about_mentor: bool, now: datetime,
    *, joins: str | None = None, about_mentee: bool = False,
    audit_extra: dict[str, object] | None = None, dashboard_url: str | None = None,
) -> int:
    """Raise (or merge) an escalation about `person`; a mentor's worry (`about_mentee`) is
    about each of their active mentees instead, with the mentor as the reporter. A mentor with
    no active mentee keeps it, and the reasons say so. ``audit_extra``: more for the audit
    detail (never words); ``dashboard_url``: the app's public address, for the alerts' link.
    Returns the alerts queued."""
    assert program.id is not None and person.id is not None
    subjects: list[tuple[Person, int | None]] = [(person, None)]
    if about_mentee and person.role == Role.mentor:
        mentees = people.mentees_of(db, person.id, now)
        if mentees:
            subjects = [(mentee, person.id) for mentee in mentees]
        else:
            reasons = (*reasons, NO_ACTIVE_MENTEE)
    alerts = 0
    for subject, reported_by in subjects:
        assert subject.id is not None
        about_mentor_id = None
        if about_mentor and subject.role == Role.mentee:
            mentors = people.mentors_of(db, subject.id, now)
            about_mentor_id = mentors[0].id if mentors else None
        esc, created = escalations.add_or_merge_escalation(
            db, program_id=program.id, person_id=subject.id, session_id=session_id,
            level=level, joins=joins, reasons=reasons, evidence=evidence, now=now,
            due_at=ack_deadline(program, level, now), about_mentor_id=about_mentor_id,
            reported_by=reported_by,
        )
        # The audit trail records what happened, never the person's words.
        detail: dict[str, object] = {"level": esc.level, "reasons": list(reasons)}
        if reported_by is not None:
            detail["reported_by"] = reported_by
        detail.update(audit_extra or {})
        audit.record(db, actor="system",
                     action="escalation_raised" if created else "escalation_merged",
                     subject_type="escalation", subject_id=esc.id, detail=detail, now=now)
        queued = 0
        if created:
            # Same transaction: the escalation and its alerts (urgent lane) exist together or
            # not at all, so an escalation can never sit unannounced.
            queued = alert_new_escalation(db, esc, program, now, dashboard_url=dashboard_url)
            alerts += queued
            webhook_events.escalation_event(db, esc, webhook_events.RAISED, now,
                                            program=program)
        log_lines.raised(esc, created=created, reasons=reasons, alerts_queued=queued)
    return alerts


def escalate_second_reading(
    db: Session, program: Program, person: Person, session_id: int | None, level: str,
    reasons: tuple[str, ...], evidence: tuple[str, ...], now: datetime, *,
    about_mentee: bool, audit_extra: dict[str, object], dashboard_url: str | None,
) -> int:
    """A finding made after the turn committed (the semantic reader, ``bot.jobs.semantic``),
    routed as a turn's finding is: same merge, audit and alerts, a mentor's worry about their
    mentees. Returns the alerts queued."""
    return escalate(db, program, person, session_id, level, reasons, evidence, False, now,
                    about_mentee=about_mentee, audit_extra=audit_extra,
                    dashboard_url=dashboard_url)
