"""Due follow-ups: an escalation whose owner set a follow-up time that has come is told to
that owner once (`bot.escalation.casework.tell_follow_up_due`), in the routine lane.

"Once" is the row's ``follow_up_alerted_at``: set when the owner is told, cleared when a new
follow-up time is set or the case changes hands. Rows are claimed ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL (SQLite serialises writers), so two instances never tell the same follow-up twice:
the second one skips the row while the first holds it, and finds it told once it commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.escalation import casework
from storage.db import is_postgres
from storage.models import Escalation, EscalationStatus


def claim_due(db: Session, now: datetime, limit: int) -> list[Escalation]:
    stmt = (
        select(Escalation)
        .where(
            col(Escalation.status).in_([EscalationStatus.open, EscalationStatus.acknowledged]),
            col(Escalation.follow_up_at).is_not(None),
            col(Escalation.follow_up_at) <= now,
            col(Escalation.follow_up_alerted_at).is_(None),
        )
        .order_by(col(Escalation.follow_up_at), col(Escalation.id))
        .limit(limit)
    )
    if is_postgres(db.get_bind()):  # type: ignore[arg-type]
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.exec(stmt).all())


def run_follow_ups(
    db: Session, now: datetime, *, dashboard_url: str | None, limit: int = 100
) -> int:
    """Tell the owners of due follow-ups (up to ``limit``); returns how many messages were
    queued."""
    queued = 0
    for esc in claim_due(db, now, limit):
        told = casework.tell_follow_up_due(db, esc, now, dashboard_url=dashboard_url)
        queued += len(told.message_ids)
    db.flush()
    return queued
