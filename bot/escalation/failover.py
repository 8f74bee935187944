"""Failover: an alert that did not arrive goes at once somewhere else (design invariant 3).

Called in the same transaction that records the failure: a Twilio status callback saying
undelivered/failed (``bot.delivery``), or the outbox giving up on an alert as undeliverable or
dead (``bot.outbox``). The alert then goes

1. to the same person's other usable channel that has not had this alert round (if another of
   their channels already has it on the way, they are still being reached: nothing more);
2. else to the next person on the list -- other on-call staff, then the backup list -- who has
   not had this round (and, when nothing of this round is on its way to anyone, every other
   active supervisor and admin as the last resort);
3. else nowhere, and the audit trail says so ("alert_undeliverable" when nobody at all is being
   reached).

A round is what ``alerts.run_round`` sent: the alerts of the escalation created since that
round's "alert_round" audit marker, plus any still queued. Each decision is audited as
"alert_failover" (ids and channels only, never texts).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot.escalation import alerts, routing
from storage.models import (
    AuditEvent,
    Channel,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    Person,
    Program,
)
from storage.queries import audit

log = logging.getLogger(__name__)

FAILOVER_ACTION = "alert_failover"
FAILED = (
    MessageStatus.undelivered,
    MessageStatus.failed,
    MessageStatus.dead,
    MessageStatus.cancelled,
)
IN_FLIGHT = (MessageStatus.pending, MessageStatus.sending)


@dataclass
class _Round:
    """Who this round has been tried on, and which addresses it is still alive on."""

    tried_people: set[int] = field(default_factory=set)
    tried: set[tuple[str, str]] = field(default_factory=set)
    alive: set[tuple[str, str]] = field(default_factory=set)


def _round_start(db: Session, esc_id: int, at: datetime) -> datetime | None:
    stmt = select(func.max(col(AuditEvent.at))).where(
        AuditEvent.subject_type == "escalation",
        AuditEvent.subject_id == esc_id,
        AuditEvent.action == alerts.ROUND_ACTION,
        col(AuditEvent.at) <= at,
    )
    return db.exec(stmt).one()


def _this_round(db: Session, esc_id: int, failed: Message) -> _Round:
    start = _round_start(db, esc_id, failed.created_at) or failed.created_at
    rows = db.exec(
        select(Message).where(
            Message.escalation_id == esc_id,
            Message.direction == Direction.outbound,
            Message.kind == alerts.KIND,
            or_(col(Message.created_at) >= start, col(Message.status).in_(IN_FLIGHT)),
        )
    ).all()
    found = _Round()
    for message in rows:
        key = (str(message.channel), message.address)
        found.tried.add(key)
        if message.person_id is not None:
            found.tried_people.add(message.person_id)
        if message.status not in FAILED:
            found.alive.add(key)
    return found


def _dashboard_url(message: Message, esc_id: int) -> str | None:
    """The dashboard address the failed alert carried (so the failover text links the same
    place); else the configured public address."""
    if message.body:
        match = re.search(rf"(\S+)/escalations/{esc_id}\b", message.body)
        if match:
            return match.group(1)
    from bot.settings import get_settings  # only when the body is gone: reads the environment

    try:
        return get_settings().public_base_url
    except SystemExit:  # unusable configuration: the alert goes out without the link
        return None


def on_alert_failed(db: Session, message: Message, now: datetime) -> int:
    """Route a failed alert elsewhere at once; returns how many alert messages were queued.
    Anything that is not an alert of a still-open escalation is ignored.

    Runs in a savepoint: a failure here is logged and rolled back on its own, and never costs
    the caller's transaction (the delivery report or send outcome it records)."""
    if message.kind != alerts.KIND or message.escalation_id is None:
        return 0
    try:
        with db.begin_nested():
            return _fail_over(db, message, now)
    except Exception as exc:  # logged without texts or addresses
        log.error("failover for alert message %s failed: %s", message.id, type(exc).__name__,
                  exc_info=False)
        return 0


def _fail_over(db: Session, message: Message, now: datetime) -> int:
    assert message.escalation_id is not None
    esc = db.get(Escalation, message.escalation_id)
    if esc is None or esc.status != EscalationStatus.open:
        return 0
    program = db.get(Program, esc.program_id)
    if program is None:
        return 0
    assert esc.id is not None
    failed_key = (str(message.channel), message.address)
    this_round = _this_round(db, esc.id, message)
    detail: dict[str, object] = {"message_id": message.id, "from_person_id": message.person_id,
                                 "from_channel": str(message.channel), "round": esc.alert_round}
    dashboard_url = _dashboard_url(message, esc.id)

    # 1. The same person's other channel.
    person = db.get(Person, message.person_id) if message.person_id is not None else None
    conflicted = routing.conflicted_ids(db, esc, now)
    if person is not None and person.id is not None and routing.may_receive(
        person, esc, conflicted
    ):
        others = [
            c for c in routing.usable_contacts(db, [person.id])[person.id]
            if (str(c.channel), c.address) != failed_key
        ]
        if any((str(c.channel), c.address) in this_round.alive for c in others):
            _audit(db, esc, now, detail, outcome="still_reaching_person")
            return 0
        untried = [c for c in others if (str(c.channel), c.address) not in this_round.tried]
        if untried:
            picked = routing.contacts_for_level(untried, esc.level)
            queued = alerts.queue_to(db, esc, program, person, picked, now,
                                     dashboard_url=dashboard_url)
            _audit(db, esc, now, detail, outcome="other_channel", to_person_id=person.id,
                   channels=[str(c.channel) for c in picked], message_ids=[m.id for m in queued])
            return len(queued)

    # 2. The next person on the list who has not had this round.
    oncall = routing.on_call(db, program, now, which="oncall")
    candidates = oncall + routing.on_call(db, program, now, which="backup")
    if not this_round.alive - {failed_key}:
        candidates += routing.all_staff(db, program)
    skip = this_round.tried_people | ({message.person_id} if message.person_id else set())
    targets = routing.eligible(db, esc, [p for p in candidates if p.id not in skip], now)
    if targets:
        nxt, contacts = targets[0]
        queued = alerts.queue_to(db, esc, program, nxt, contacts, now,
                                 dashboard_url=dashboard_url)
        if nxt.id not in {p.id for p in oncall} and esc.backup_alerted_at is None:
            esc.backup_alerted_at = now
        _audit(db, esc, now, detail, outcome="next_person", to_person_id=nxt.id,
               channels=[str(c.channel) for c in contacts], message_ids=[m.id for m in queued])
        return len(queued)

    # 3. Nobody left.
    _audit(db, esc, now, detail, outcome="no_one_left")
    if not this_round.alive - {failed_key}:
        audit.record(db, actor="system", action=alerts.UNDELIVERABLE_ACTION,
                     subject_type="escalation", subject_id=esc.id,
                     detail={"level": esc.level, "round": esc.alert_round,
                             "why": "every alert of this round failed; nobody else to try"},
                     now=now)
    return 0


def on_outbox_failure(db: Session, msg_id: int, now: datetime) -> int:
    """The outbox marked ``msg_id`` dead or undeliverable: fail over it, and every other alert
    that the same undeliverable verdict failed with it (queued to the same address)."""
    message = db.exec(
        select(Message).where(Message.id == msg_id).execution_options(populate_existing=True)
    ).first()
    if message is None:
        return 0
    queued = on_alert_failed(db, message, now) if message.kind == alerts.KIND else 0
    if message.status == MessageStatus.failed:
        swept = db.exec(
            select(Message)
            .where(
                Message.channel == Channel(message.channel),
                Message.address == message.address,
                Message.kind == alerts.KIND,
                Message.status == MessageStatus.failed,
                Message.updated_at == now,
                col(Message.id) != msg_id,
                col(Message.escalation_id).is_not(None),
                col(Message.last_error).startswith("address unreachable"),
            )
            .order_by(col(Message.id))
            .execution_options(populate_existing=True)
        ).all()
        for other in swept:
            queued += on_alert_failed(db, other, now)
    return queued


def _audit(
    db: Session, esc: Escalation, now: datetime, detail: dict[str, object], **more: object
) -> None:
    audit.record(db, actor="system", action=FAILOVER_ACTION, subject_type="escalation",
                 subject_id=esc.id, detail={**detail, **more}, now=now)
