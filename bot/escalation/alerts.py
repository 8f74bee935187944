"""Escalation alerts: queueing one alert round in the urgent lane, and the first round of a new
escalation.

An alert round goes to the people ``routing`` names, falling back when nobody there can be
reached: the on-call list, then the backup list, then (last resort: an alert to someone off
shift beats an alert to nobody) every active supervisor and admin of the program. When even
that finds nobody, an ``alert_undeliverable`` audit event says so (the dashboard shows it);
an alert never fails silently. Audit events name people, channels and message ids, never
texts. The alert's own text (discreet: no evidence, answers or free text) and its queueing to
one person are `bot.escalation.alert_messages`; an alert queued behind a failing one at the same
address fails over at once (`bot.escalation.failover`).

Every function takes an open session and never commits: the caller's transaction (the turn that
raised the escalation, or the re-alert job) writes the alerts with everything else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from bot.escalation import failover, reachability, routing
from bot.escalation.alert_messages import (
    QUEUED_ACTION,
    ROUND_ACTION,
    UNDELIVERABLE_ACTION,
    queue_to,
    subject_of,
)
from bot.escalation.routing import Target
from storage.models import AlertStatus, Escalation, EscalationStatus, Message, Program
from storage.queries import audit

URGENT_REALERT = timedelta(minutes=5)
Tier = Literal["oncall", "oncall+backup", "backup", "all_staff"]


# ---- one round ------------------------------------------------------------------------------


def _targets_with_fallback(
    db: Session, escalation: Escalation, program: Program, now: datetime, *, include_backup: bool
) -> tuple[list[Target], Tier | None]:
    targets = routing.alert_targets(db, escalation, program, now, include_backup=include_backup)
    if targets:
        return targets, "oncall+backup" if include_backup else "oncall"
    if not include_backup:
        backup = routing.on_call(db, program, now, which="backup")
        targets = routing.eligible(db, escalation, backup, now)
        if targets:
            return targets, "backup"
    targets = routing.eligible(db, escalation, routing.all_staff(db, program), now)
    if targets:
        return targets, "all_staff"
    return [], None


def run_round(
    db: Session,
    escalation: Escalation,
    program: Program,
    now: datetime,
    *,
    dashboard_url: str | None,
    include_backup: bool,
    trigger: str,
) -> int:
    """Send the next alert round (``alert_round`` + 1) to the routed people, with fallback;
    returns how many alert messages were queued. Does not touch ``next_alert_at``."""
    assert escalation.id is not None
    round_no = escalation.alert_round + 1
    escalation.alert_round = round_no
    escalation.updated_at = now
    targets, tier = _targets_with_fallback(db, escalation, program, now,
                                           include_backup=include_backup)
    if tier in ("oncall+backup", "backup", "all_staff") and escalation.backup_alerted_at is None:
        escalation.backup_alerted_at = now
    sent = 0
    queued_all: list[Message] = []
    person_about = subject_of(db, escalation)
    audit.record(db, actor="system", action=ROUND_ACTION, subject_type="escalation",
                 subject_id=escalation.id,
                 detail={"level": escalation.level, "round": round_no, "trigger": trigger,
                         "tier": tier, "recipients": len(targets)}, now=now)
    for person, contacts in targets:
        queued = queue_to(db, escalation, program, person, contacts, now,
                          dashboard_url=dashboard_url, person_about=person_about)
        sent += len(queued)
        queued_all += queued
        audit.record(db, actor="system", action=QUEUED_ACTION, subject_type="escalation",
                     subject_id=escalation.id,
                     detail={"round": round_no, "person_id": person.id,
                             "channels": [str(c.channel) for c in contacts],
                             "message_ids": [m.id for m in queued]}, now=now)
    if queued_all:
        # An alert to an address whose earlier alert is failing would wait behind its retries.
        sent += failover.fail_over_blocked(db, queued_all, now, dashboard_url=dashboard_url)
    if not targets:
        # Loud, not only audited: the queue row says "Not alerted", and the banners, /healthz
        # and `checkin doctor` say who cannot be reached and why (the same words as here).
        escalation.alert_status = AlertStatus.not_alerted
        why = reachability.check_program(db, program, now).problems
        audit.record(db, actor="system", action=UNDELIVERABLE_ACTION, subject_type="escalation",
                     subject_id=escalation.id,
                     detail={"level": escalation.level, "round": round_no,
                             "why": "no staff member with a usable contact",
                             "problems": [{"code": p.code, "person_id": p.person_id}
                                          for p in why]}, now=now)
    return sent


def alert_new_escalation(
    db: Session,
    escalation: Escalation,
    program: Program,
    now: datetime,
    *,
    dashboard_url: str | None,
    trigger: str = "raised",
) -> int:
    """The first alert round of a newly raised escalation, in the caller's transaction; returns
    how many alert messages were queued.

    urgent: every on-call person on every usable channel, re-alert due in 5 minutes.
    concern: every on-call person on one channel each, next look at its ``due_at``.
    watch: nothing now (the daily digest covers it).
    An escalation already alerted (``alert_round`` > 0) or no longer open gets nothing.
    """
    if escalation.status != EscalationStatus.open or escalation.alert_round > 0:
        return 0
    if escalation.level == "watch":
        escalation.next_alert_at = None
        return 0
    queued = run_round(db, escalation, program, now, dashboard_url=dashboard_url,
                       include_backup=False, trigger=trigger)
    if escalation.level == routing.URGENT:
        escalation.next_alert_at = now + URGENT_REALERT
    else:
        escalation.next_alert_at = escalation.due_at
    db.flush()
    return queued
