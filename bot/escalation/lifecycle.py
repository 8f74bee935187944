"""What staff do to an escalation: acknowledge, resolve, reopen, view; and the queue they work.

open ──ACK──► acknowledged ──RESOLVE──► resolved ──reopen──► open
  └───────────────RESOLVE───────────────────┘

Every function takes an open database session and never commits (the caller's transaction
does). Every change, and every read of an escalation's details, writes an audit event with the
actor ("person:5", "cli", "system") and the time. Audit details hold levels, statuses, ids and
staff-written notes; never the mentee's words (evidence, answers).

Rows are read with ``SELECT … FOR UPDATE`` (a no-op on SQLite, where the whole transaction
already holds the write lock), so two supervisors tapping ACK at the same moment serialise:
the second one finds it acknowledged and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, select

from bot import webhook_events
from bot.escalation import log_lines
from bot.policy import STAFF_ROLES, ack_deadline
from storage.models import (
    AuditEvent,
    Escalation,
    EscalationStatus,
    Person,
    PersonStatus,
    Program,
)
from storage.queries import audit, escalations, people

NOTE_MAX_CHARS = 1000
REASON_MAX_CHARS = 300

# Queue order: the most pressing level first.
LEVEL_ORDER = ("urgent", "concern", "watch")


class EscalationError(ValueError):
    """A transition that is not allowed; the message is short and fit to show a human."""


def _label(esc_id: int) -> str:
    return f"#{esc_id}"


def _get(db: Session, esc_id: int, *, lock: bool) -> Escalation:
    stmt = select(Escalation).where(Escalation.id == esc_id)
    if lock:
        # populate_existing: an instance already in this session is refreshed from the locked
        # row, so a decision is never taken on a stale status.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    esc = db.exec(stmt).first()
    if esc is None:
        raise EscalationError(f"No escalation {_label(esc_id)}.")
    return esc


def get(db: Session, esc_id: int) -> Escalation:
    """The escalation, or EscalationError("No escalation #99.")."""
    return _get(db, esc_id, lock=False)


def _audit(
    db: Session, esc: Escalation, action: str, *, actor: str, now: datetime,
    **detail: Any,
) -> None:
    audit.record(db, actor=actor, action=action, subject_type="escalation", subject_id=esc.id,
                 detail={"level": esc.level, **detail}, now=now)
    if action in _LOGGED:  # ids only: the actor is a username or an address
        log_lines.acted(esc, action, by_person_id=detail.get("by_person_id"))


_LOGGED = {"escalation_acknowledged", "escalation_resolved", "escalation_reopened"}


def acknowledge(
    db: Session, esc_id: int, *, actor: str, by_person_id: int | None, now: datetime
) -> Escalation:
    """open → acknowledged; re-alerts stop; the one who acknowledges owns it
    (`bot.escalation.casework`). Already acknowledged: returned unchanged."""
    esc = _get(db, esc_id, lock=True)
    if esc.status == EscalationStatus.acknowledged:
        return esc
    if esc.status == EscalationStatus.resolved:
        raise EscalationError(f"{_label(esc_id)} is already resolved.")
    esc.status = EscalationStatus.acknowledged
    esc.acknowledged_by = by_person_id
    esc.acknowledged_at = now
    if by_person_id is not None:
        esc.owner_id = by_person_id
    esc.next_alert_at = None
    esc.updated_at = now
    _audit(db, esc, "escalation_acknowledged", actor=actor, now=now, by_person_id=by_person_id,
           late=now > esc.due_at)
    webhook_events.escalation_event(db, esc, webhook_events.ACKNOWLEDGED, now)
    db.flush()
    return esc


def resolve(
    db: Session, esc_id: int, *, actor: str, by_person_id: int | None, note: str,
    now: datetime, outcome: str | None = None,
) -> Escalation:
    """open or acknowledged → resolved, with a required note (trimmed to 1000 characters) and
    the program's outcome (`casework.check_outcome`: the dashboard requires one; phone and
    command-line RESOLVE have no list to pick from and leave it empty)."""
    note = (note or "").strip()[:NOTE_MAX_CHARS].strip()
    if not note:
        raise EscalationError("A short resolution note is required.")
    esc = _get(db, esc_id, lock=True)
    if esc.status == EscalationStatus.resolved:
        raise EscalationError(f"{_label(esc_id)} is already resolved.")
    previous = esc.status
    if esc.acknowledged_at is None:
        # Resolving is acting on it: it counts as acknowledged by the same person.
        esc.acknowledged_by = by_person_id
        esc.acknowledged_at = now
    if esc.owner_id is None:
        esc.owner_id = by_person_id
    esc.status = EscalationStatus.resolved
    esc.resolved_by = by_person_id
    esc.resolved_at = now
    esc.resolution_note = note
    esc.outcome = outcome
    esc.follow_up_at = None  # nothing left to follow up (the audit trail keeps when it was)
    esc.next_alert_at = None
    esc.updated_at = now
    _audit(db, esc, "escalation_resolved", actor=actor, now=now, by_person_id=by_person_id,
           previous=str(previous), note=note, outcome=outcome)
    webhook_events.escalation_event(db, esc, webhook_events.RESOLVED, now)
    db.flush()
    return esc


def reopen(
    db: Session, esc_id: int, *, actor: str, by_person_id: int | None, now: datetime,
    reason: str | None = None,
) -> Escalation:
    """resolved → open, with a new acknowledgement deadline; alerts go out again at once."""
    esc = _get(db, esc_id, lock=True)
    if esc.status != EscalationStatus.resolved:
        raise EscalationError(f"{_label(esc_id)} is not resolved, so it cannot be reopened.")
    if esc.session_id is not None and esc.person_id is not None:
        # A finding after the resolve already raised a newer open escalation of this check-in
        # and level (one open row each: storage/queries/escalations.py): work that one.
        newer = escalations.find_open(db, esc.session_id, esc.person_id, esc.level)
        if newer is not None and newer.id != esc.id:
            raise EscalationError(
                f"{_label(esc_id)} cannot be reopened: {_label(newer.id or 0)} is open for the "
                "same check-in and level.")
    program = db.get(Program, esc.program_id)
    assert program is not None
    esc.status = EscalationStatus.open
    esc.reopened_at = now
    esc.acknowledged_by = None
    esc.acknowledged_at = None
    esc.resolved_by = None
    esc.resolved_at = None
    esc.resolution_note = None  # kept in the audit trail (escalation_resolved)
    esc.outcome = None  # likewise
    esc.follow_up_at = None  # a past follow-up would be "due" at once
    esc.follow_up_alerted_at = None
    esc.due_at = ack_deadline(program, esc.level, now)
    esc.alert_round = 0
    esc.backup_alerted_at = None
    esc.next_alert_at = now
    esc.updated_at = now
    detail: dict[str, Any] = {"by_person_id": by_person_id}
    if reason and reason.strip():
        detail["reason"] = reason.strip()[:REASON_MAX_CHARS]
    _audit(db, esc, "escalation_reopened", actor=actor, now=now, **detail)
    webhook_events.escalation_event(db, esc, webhook_events.REOPENED, now, program=program)
    db.flush()
    return esc


def record_view(db: Session, esc_id: int, *, actor: str, now: datetime) -> Escalation:
    """Write "escalation_viewed" for a read of an escalation's details (CLI show, dashboard)."""
    esc = _get(db, esc_id, lock=False)
    _audit(db, esc, "escalation_viewed", actor=actor, now=now)
    return esc


def queue(
    db: Session,
    *,
    program_ids: Collection[int] | None,
    now: datetime,
    include_acknowledged: bool = True,
    include_resolved: bool = False,
    limit: int | None = 50,
) -> list[Escalation]:
    """Open (then acknowledged, then resolved) escalations of ``program_ids`` (None: every
    program), each group by level (urgent, concern, watch) and then oldest first.

    ``now`` is accepted for symmetry with the other calls (and for "overdue first" later).
    """
    del now
    statuses = [EscalationStatus.open]
    if include_acknowledged:
        statuses.append(EscalationStatus.acknowledged)
    if include_resolved:
        statuses.append(EscalationStatus.resolved)
    status_rank = case(
        {str(s): i for i, s in enumerate(EscalationStatus)}, value=col(Escalation.status),
        else_=len(EscalationStatus),
    )
    level_rank = case(
        {level: i for i, level in enumerate(LEVEL_ORDER)}, value=col(Escalation.level),
        else_=len(LEVEL_ORDER),
    )
    stmt = select(Escalation).where(col(Escalation.status).in_(statuses))
    if program_ids is not None:
        ids = list(program_ids)
        if not ids:
            return []
        stmt = stmt.where(col(Escalation.program_id).in_(ids))
    stmt = stmt.order_by(status_rank, level_rank, col(Escalation.raised_at), col(Escalation.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.exec(stmt).all())


def programs_for(db: Session, person: Person) -> list[int]:
    """The programs whose escalations this active supervisor or admin works (none for anyone
    else: mentees, mentors, paused or exited staff).

    Today a person belongs to one program; this is the one place to change when staff can
    cover several.
    """
    del db
    if person.role not in STAFF_ROLES or person.status != PersonStatus.active:
        return []
    return [person.program_id]


def conflict_check(db: Session, person_id: int, now: datetime) -> Callable[[Escalation], bool]:
    """A test for many escalations with one query: True when this person must not see or act
    on one — it is about them, about them as a mentor (``about_mentor_id``), reported by them
    (a mentor's worry), or about a mentee they mentor (active pairing)."""
    mentored = people.mentee_ids_of(db, person_id, now)

    def conflicted(esc: Escalation) -> bool:
        return (person_id in (esc.person_id, esc.about_mentor_id, esc.reported_by)
                or esc.person_id in mentored)

    return conflicted


def has_conflict(db: Session, person_id: int, esc: Escalation, now: datetime) -> bool:
    """`conflict_check` for one escalation."""
    return conflict_check(db, person_id, now)(esc)


def history(db: Session, esc_id: int) -> list[AuditEvent]:
    """The audit events about this escalation, oldest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.subject_type == "escalation", AuditEvent.subject_id == esc_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    return list(db.exec(stmt).all())
