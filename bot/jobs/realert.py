"""Re-alerts: open escalations whose ``next_alert_at`` has passed (design: escalation levels).

- urgent: every on-call person again on every channel, every 5 minutes until someone acts.
  After three re-sends without an ACK (from the fifth round on: raised +0, re-sends at +5, +10,
  +15, then +20 with the backup list) the backup list is included in every round.
- concern: at its ``due_at`` without an ACK, the on-call and backup lists once; then nothing
  more (it stays at the top of the dashboard queue).
- watch: never alerted one by one (the daily digest covers it).
- An escalation with ``alert_round`` 0 (reopened, or raised without its first round) gets its
  first round now.

Acknowledged and resolved escalations never re-alert: the claim reads open rows only (and the
lifecycle clears ``next_alert_at`` on ACK). Rows are claimed ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two instances never alert the same round twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.escalation import alerts
from bot.escalation.routing import URGENT
from storage.db import is_postgres
from storage.models import Escalation, EscalationStatus, Program

# Re-sends that go to the on-call list alone before the backup list is brought in.
BACKUP_AFTER_RESENDS = 3


def claim_due(db: Session, now: datetime, limit: int) -> list[Escalation]:
    stmt = (
        select(Escalation)
        .where(
            Escalation.status == EscalationStatus.open,
            col(Escalation.next_alert_at).is_not(None),
            col(Escalation.next_alert_at) <= now,
        )
        .order_by(col(Escalation.next_alert_at), col(Escalation.id))
        .limit(limit)
    )
    if is_postgres(db.get_bind()):  # type: ignore[arg-type]
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.exec(stmt).all())


def run_realerts(
    db: Session, now: datetime, *, dashboard_url: str | None, limit: int = 100
) -> int:
    """Send every due re-alert (up to ``limit`` escalations); returns how many alert messages
    were queued."""
    queued = 0
    programs: dict[int, Program | None] = {}
    for esc in claim_due(db, now, limit):
        if esc.program_id not in programs:
            programs[esc.program_id] = db.get(Program, esc.program_id)
        program = programs[esc.program_id]
        if program is None:
            esc.next_alert_at = None
            continue
        queued += _realert(db, esc, program, now, dashboard_url)
    db.flush()
    return queued


def _realert(
    db: Session, esc: Escalation, program: Program, now: datetime, dashboard_url: str | None
) -> int:
    if esc.level == "watch":
        esc.next_alert_at = None
        return 0
    if esc.alert_round == 0:
        trigger = "reopened" if esc.reopened_at is not None else "raised"
        return alerts.alert_new_escalation(db, esc, program, now, dashboard_url=dashboard_url,
                                           trigger=trigger)
    if esc.level == URGENT:
        include_backup = (
            esc.alert_round >= 1 + BACKUP_AFTER_RESENDS or esc.backup_alerted_at is not None
        )
        sent = alerts.run_round(db, esc, program, now, dashboard_url=dashboard_url,
                                include_backup=include_backup, trigger="no_ack")
        esc.next_alert_at = now + alerts.URGENT_REALERT
        return sent
    # concern (and any other level): once, when the acknowledgement deadline has passed.
    if now < esc.due_at:
        esc.next_alert_at = esc.due_at
        return 0
    esc.next_alert_at = None
    return alerts.run_round(db, esc, program, now, dashboard_url=dashboard_url,
                            include_backup=True, trigger="overdue")
