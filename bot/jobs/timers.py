"""Nudges and expiries: session rows whose `nudge_at` / `expire_at` has passed.

Timers are rows, not in-memory jobs, so a restart loses none; each carries the turn it was set
for, and the engine ignores a stale one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.runner import handle_timer
from bot.turns.outcome import DEFAULT_MISSED_CHECKINS_FOR_WATCH
from flows.model import Flow
from storage.db import is_postgres
from storage.models import CheckinSession, SessionStatus


def claim_due_timers(db: Session, now: datetime, limit: int) -> list[CheckinSession]:
    stmt = (
        select(CheckinSession)
        .where(
            CheckinSession.status == SessionStatus.active,
            or_(col(CheckinSession.nudge_at) <= now, col(CheckinSession.expire_at) <= now),
        )
        .order_by(col(CheckinSession.id))
        .limit(limit)
    )
    bind = db.get_bind()
    if is_postgres(bind):  # type: ignore[arg-type]
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.exec(stmt).all())


def fire_due_timers(
    db: Session, flows: dict[str, Flow], now: datetime, limit: int = 200, *,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
    dashboard_url: str | None = None,
) -> int:
    """Fire every due nudge or expiry in one batch; returns how many sessions were touched.
    ``missed_checkins_for_watch``: the service's setting of that name; ``dashboard_url``: the
    app's public address, for the link of any alert a timer raises."""
    rows = claim_due_timers(db, now, limit)
    for row in rows:
        if row.expire_at is not None and row.expire_at <= now:
            handle_timer(db, flows, row, "expire", row.turn, now,
                         missed_checkins_for_watch=missed_checkins_for_watch,
                         dashboard_url=dashboard_url)
        elif row.nudge_at is not None and row.nudge_at <= now:
            handle_timer(db, flows, row, "nudge", row.turn, now,
                         missed_checkins_for_watch=missed_checkins_for_watch,
                         dashboard_url=dashboard_url)
    return len(rows)
