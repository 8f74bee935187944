"""Escalations: findings merge into an escalation only while nobody has acted on it.

One check-in session has at most one OPEN escalation per (person it is about, level), and a
new finding of the same session merges into it (reasons and evidence added, no new alert). Once
a staff member has acknowledged or resolved it, a new finding is new news: it raises a NEW
escalation at the finding's own level, which is alerted like any new one. We chose a new row
over reopening the old one because each row then has one story for alerting (its rounds, its
deadline, its acknowledgement) and for the audit trail (what staff knew when they acted stays
exactly what they saw); the old one stays in the person's history.

The database enforces "one open row" with a partial unique index over open rows
(``uq_escalation_open_session_person_level``, storage/models.py), so two concurrent raises for
the same (session, person, level) cannot both create one: the loser's INSERT fails, and it
merges into the winner's row. A staff action racing a merge is serialised by the row lock
(``SELECT … FOR UPDATE``): after an ACK commits, the merge's re-checked ``status = 'open'`` no
longer matches, and the finding raises a new escalation instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Escalation, EscalationStatus


def _merged(existing: Iterable[str], new: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in (*existing, *new):
        if item not in out:
            out.append(item)
    return out


def find_open(
    session: Session, session_id: int, person_id: int, level: str, *, lock: bool = True
) -> Escalation | None:
    """The open (not yet acknowledged or resolved) escalation of this session, person and
    level, row-locked on PostgreSQL."""
    stmt = select(Escalation).where(
        Escalation.session_id == session_id, Escalation.person_id == person_id,
        Escalation.level == level, Escalation.status == EscalationStatus.open,
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
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
    reported_by: int | None = None,
    joins: str | None = None,
) -> tuple[Escalation, bool]:
    """Raise an escalation at ``level``, or merge into an open one of this session.

    ``joins``: a higher level this finding would join (the flow engine folds a lower finding
    into the highest level raised in its session). The finding merges into the open escalation
    at ``joins``, else into the open one at ``level``; when neither is open (none yet, or staff
    acknowledged or resolved it) a new escalation is raised at ``level``.

    Returns ``(escalation, created)``.  Reasons and evidence are merged without duplicates,
    keeping their order; status, due time and assignees of an existing escalation are left
    alone.  Escalations without a session (``session_id=None``) are never merged.  Safe
    against a concurrent raise for the same session, person and level: the loser merges into
    the winner's row.
    """
    level = str(level)
    reasons = list(reasons)
    evidence = list(evidence)
    if session_id is not None:
        for candidate in dict.fromkeys(str(lv) for lv in (joins, level) if lv):
            existing = find_open(session, session_id, person_id, candidate)
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
        reported_by=reported_by,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(esc)
    except IntegrityError:
        if session_id is None:
            raise
        existing = find_open(session, session_id, person_id, level)
        if existing is None:
            raise
        return _merge_into(existing, reasons, evidence, now, about_mentor_id), False
    return esc, True


def add_or_merge_sender_escalation(
    session: Session,
    *,
    program_id: int,
    channel: str,
    address: str,
    level: str,
    reasons: Iterable[str],
    evidence: Iterable[str],
    now: datetime,
    due_at: datetime,
) -> tuple[Escalation, bool]:
    """An escalation about an unknown sender (no person: see `Escalation`), or a merge into
    the one this program already has for that sender at this level while nobody has acted on
    it (open, not acknowledged). Once staff acknowledged or resolved it, a new finding is new
    news: a new escalation. Returns ``(escalation, created)``."""
    existing = session.exec(
        select(Escalation)
        .where(
            Escalation.program_id == program_id,
            col(Escalation.person_id).is_(None),
            Escalation.sender_channel == channel,
            Escalation.sender_address == address,
            Escalation.level == str(level),
            Escalation.status == EscalationStatus.open,
            col(Escalation.acknowledged_at).is_(None),
        )
        .order_by(col(Escalation.id).desc())
        .with_for_update()
    ).first()
    if existing is not None:
        return _merge_into(existing, reasons, evidence, now), False
    esc = Escalation(
        program_id=program_id, person_id=None, sender_channel=channel, sender_address=address,
        session_id=None, level=str(level), reasons=_merged([], reasons),
        evidence=_merged([], evidence), status=EscalationStatus.open, raised_at=now,
        due_at=due_at, updated_at=now,
    )
    session.add(esc)
    session.flush()
    return esc, True
