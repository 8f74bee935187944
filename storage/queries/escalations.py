"""Escalations: at most one per (check-in session, level); repeats merge into it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import AlertStatus, Escalation, EscalationStatus


def _merged(existing: Iterable[str], new: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in (*existing, *new):
        if item not in out:
            out.append(item)
    return out


def _find(session: Session, session_id: int, level: str) -> Escalation | None:
    stmt = (
        select(Escalation)
        .where(Escalation.session_id == session_id, Escalation.level == level)
        .with_for_update()
    )
    return session.exec(stmt).first()


def _merge_into(
    esc: Escalation, reasons: Iterable[str], evidence: Iterable[str], now: datetime,
    about_mentor_id: int | None = None,
) -> Escalation:
    merged_reasons = _merged(esc.reasons, reasons)
    merged_evidence = _merged(esc.evidence, evidence)
    if about_mentor_id is not None and esc.about_mentor_id is None:
        # A later finding about the mentor joined this escalation: record who it is about.
        esc.about_mentor_id = about_mentor_id
        esc.updated_at = now
    if merged_reasons != list(esc.reasons) or merged_evidence != list(esc.evidence):
        esc.reasons = merged_reasons
        esc.evidence = merged_evidence
        esc.updated_at = now
    return esc


def add_or_merge_escalation(
    session: Session,
    *,
    program_id: int,
    person_id: int,
    session_id: int | None,
    level: str,
    reasons: Iterable[str],
    evidence: Iterable[str],
    now: datetime,
    due_at: datetime,
    about_mentor_id: int | None = None,
) -> tuple[Escalation, bool]:
    """Raise an escalation, or merge into the one this session already has at this level.

    Returns ``(escalation, created)``.  Reasons and evidence are merged without duplicates,
    keeping their order; status, due time and assignees of an existing escalation are left
    alone (deciding whether to re-open a resolved one is the caller's business).  Escalations
    without a session (``session_id=None``) are never merged.  Safe against a concurrent raise
    for the same session and level: the loser merges into the winner's row.
    """
    level = str(level)
    reasons = list(reasons)
    evidence = list(evidence)
    if session_id is not None:
        existing = _find(session, session_id, level)
        if existing is not None:
            return _merge_into(existing, reasons, evidence, now, about_mentor_id), False

    esc = Escalation(
        program_id=program_id,
        person_id=person_id,
        session_id=session_id,
        level=level,
        reasons=_merged([], reasons),
        evidence=_merged([], evidence),
        status=EscalationStatus.open,
        raised_at=now,
        due_at=due_at,
        about_mentor_id=about_mentor_id,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(esc)
    except IntegrityError:
        if session_id is None:
            raise
        existing = _find(session, session_id, level)
        if existing is None:
            raise
        return _merge_into(existing, reasons, evidence, now, about_mentor_id), False
    return esc, True


def set_alert_status(session: Session, esc_id: int, status: AlertStatus) -> None:
    """Record where the escalation's alerts stand (one UPDATE; rows loaded in ``session``
    follow)."""
    session.execute(
        update(Escalation).where(col(Escalation.id) == esc_id).values(alert_status=status)
    )
