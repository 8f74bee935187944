"""Failover: an alert that did not arrive goes at once somewhere else (design invariant 3).

Called in the same transaction that records the failure: a Twilio status callback saying
undelivered/failed (``twilio_sms.status``), the outbox giving up on an alert as undeliverable or
dead, or the outbox retrying an urgent-lane alert after a provider 5xx, a time-out or a setup
error (``bot.outbox``: the retries go on, but the alert does not wait for them). The alert then
goes

1. to the same person's other usable channel that has not had this alert round (if another of
   their channels already has it on the way, they are still being reached: nothing more);
2. else to the next person on the list -- other on-call staff, then the backup list -- who has
   not had this round (and, when nothing of this round is on its way to anyone, every other
   active supervisor and admin as the last resort);
3. else nowhere, and the audit trail says so ("alert_undeliverable" when nobody at all is being
   reached).

The text is the failed alert's own, built again from the escalation and the dashboard address
the caller passes (the app's ``Settings.dashboard_url``), so the link is the same.

A round is what ``alerts.run_round`` sent: the alerts of the escalation created since that
round's "alert_round" audit marker, plus any still queued. Each decision is audited as
"alert_failover" (ids and channels only, never texts), and that event is also what makes
failover idempotent: one decision per alert message, however many times it fails afterwards
(a retried alert fails again, then dies, then Twilio reports it undelivered). An alert that has
had its failover counts as failing, not as "on its way", for later decisions of its round.
When a round ends with nobody reached, the escalation's ``alert_status`` says "not_alerted".

One address is one queue (the outbox sends an address's urgent messages in order), so while an
alert to an address is being retried after a failure, every other alert to that address waits
behind it: those count as failed too, and fail over at once (``fail_over_blocked``), whether
they were queued before the failure or after it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot.escalation import alert_messages, routing
from storage.models import (
    AlertStatus,
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
ATTEMPT_FAILED_ACTION = "alert_attempt_failed"  # audited by the outbox, once per failed attempt
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
        AuditEvent.action == alert_messages.ROUND_ACTION,
        col(AuditEvent.at) <= at,
    )
    return db.exec(stmt).one()


def _message_ids(db: Session, esc_id: int, action: str) -> set[int]:
    """The alert messages named by this escalation's ``action`` audit events."""
    details = db.exec(
        select(AuditEvent.detail).where(
            AuditEvent.subject_type == "escalation",
            AuditEvent.subject_id == esc_id,
            AuditEvent.action == action,
        )
    ).all()
    return {int(d["message_id"]) for d in details
            if isinstance(d, dict) and isinstance(d.get("message_id"), int)}


def failed_over_ids(db: Session, esc_id: int) -> set[int]:
    """Alert messages of this escalation that already had their failover decision."""
    return _message_ids(db, esc_id, FAILOVER_ACTION)


def _this_round(db: Session, esc_id: int, failed: Message, failing: set[int]) -> _Round:
    start = _round_start(db, esc_id, failed.created_at) or failed.created_at
    rows = db.exec(
        select(Message).where(
            Message.escalation_id == esc_id,
            Message.direction == Direction.outbound,
            Message.kind == alert_messages.KIND,
            or_(col(Message.created_at) >= start, col(Message.status).in_(IN_FLIGHT)),
        )
    ).all()
    found = _Round()
    for message in rows:
        key = (str(message.channel), message.address)
        found.tried.add(key)
        if message.person_id is not None:
            found.tried_people.add(message.person_id)
        # Still being retried after a failed attempt that already failed over: failing.
        if message.status not in FAILED and message.id not in failing:
            found.alive.add(key)
    return found


def on_alert_failed(
    db: Session, message: Message, now: datetime, *, blocked_behind: int | None = None,
    dashboard_url: str | None,
) -> int:
    """Route a failed alert elsewhere at once; returns how many alert messages were queued.
    Anything that is not an alert of a still-open (unacknowledged) escalation is ignored, and
    so is an alert that already had its failover.

    Runs in a savepoint: a failure here is logged and rolled back on its own, and never costs
    the caller's transaction (the delivery report or send outcome it records)."""
    if message.kind != alert_messages.KIND or message.escalation_id is None:
        return 0
    try:
        with db.begin_nested():
            return _fail_over(db, message, now, blocked_behind, dashboard_url)
    except Exception as exc:  # logged without texts or addresses
        log.error("failover for alert message %s failed: %s", message.id, type(exc).__name__,
                  exc_info=False)
        return 0


def _fail_over(
    db: Session, message: Message, now: datetime, blocked_behind: int | None,
    link: str | None,
) -> int:
    assert message.escalation_id is not None
    esc = db.get(Escalation, message.escalation_id)
    if esc is None or esc.status != EscalationStatus.open:
        return 0
    program = db.get(Program, esc.program_id)
    if program is None:
        return 0
    assert esc.id is not None
    failing = failed_over_ids(db, esc.id)
    if message.id in failing:
        return 0  # one failover per alert message
    failed_key = (str(message.channel), message.address)
    this_round = _this_round(db, esc.id, message, failing)
    detail: dict[str, object] = {"message_id": message.id, "from_person_id": message.person_id,
                                 "from_channel": str(message.channel), "round": esc.alert_round}
    if blocked_behind is not None:
        detail["blocked_behind"] = blocked_behind

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
            queued = alert_messages.queue_to(db, esc, program, person, picked, now,
                                             dashboard_url=link)
            _audit(db, esc, now, detail, outcome="other_channel", to_person_id=person.id,
                   channels=[str(c.channel) for c in picked], message_ids=[m.id for m in queued])
            return len(queued) + fail_over_blocked(db, queued, now, dashboard_url=link)

    # 2. The next person on the list who has not had this round.
    oncall = routing.on_call(db, program, now, which="oncall")
    candidates = oncall + routing.on_call(db, program, now, which="backup")
    if not this_round.alive - {failed_key}:
        candidates += routing.all_staff(db, program)
    skip = this_round.tried_people | ({message.person_id} if message.person_id else set())
    targets = routing.eligible(db, esc, [p for p in candidates if p.id not in skip], now)
    if targets:
        nxt, contacts = targets[0]
        queued = alert_messages.queue_to(db, esc, program, nxt, contacts, now, dashboard_url=link)
        if nxt.id not in {p.id for p in oncall} and esc.backup_alerted_at is None:
            esc.backup_alerted_at = now
        _audit(db, esc, now, detail, outcome="next_person", to_person_id=nxt.id,
               channels=[str(c.channel) for c in contacts], message_ids=[m.id for m in queued])
        return len(queued) + fail_over_blocked(db, queued, now, dashboard_url=link)

    # 3. Nobody left.
    _audit(db, esc, now, detail, outcome="no_one_left")
    if not this_round.alive - {failed_key}:
        esc.alert_status = AlertStatus.not_alerted
        audit.record(db, actor="system", action=alert_messages.UNDELIVERABLE_ACTION,
                     subject_type="escalation", subject_id=esc.id,
                     detail={"level": esc.level, "round": esc.alert_round,
                             "why": "every alert of this round failed; nobody else to try"},
                     now=now)
    return 0


def failing_addresses(
    db: Session, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Those of ``keys`` (channel, address) where an alert is being retried after a failed
    attempt (the outbox audited "alert_attempt_failed"), each with that alert's id: whatever
    else is queued there waits behind it."""
    if not keys:
        return {}
    rows = db.exec(
        # Channel, address and status are ix_message_channel_address_status. Without the
        # channel (or with "direction = outbound", which steers SQLite to the unique index
        # on direction and channel) the query walked every outbound message: 16 ms on each
        # urgent turn behind a 50,000-message routine backlog. Alerts are always outbound.
        select(Message.id, Message.channel, Message.address, Message.escalation_id).where(
            Message.kind == alert_messages.KIND,
            col(Message.status).in_(IN_FLIGHT),
            col(Message.attempts) > 0,
            col(Message.channel).in_(sorted({channel for channel, _a in keys})),
            col(Message.address).in_(sorted({address for _c, address in keys})),
            col(Message.escalation_id).is_not(None),
        ).order_by(col(Message.id))
    ).all()
    found: dict[tuple[str, str], int] = {}
    handled: dict[int, set[int]] = {}
    for msg_id, channel, address, esc_id in rows:
        key = (str(channel), address)
        if key not in keys or key in found or msg_id is None or esc_id is None:
            continue
        if esc_id not in handled:
            handled[esc_id] = _message_ids(db, esc_id, ATTEMPT_FAILED_ACTION)
        if msg_id in handled[esc_id]:
            found[key] = msg_id
    return found


def fail_over_blocked(
    db: Session, queued: Sequence[Message], now: datetime, *, dashboard_url: str | None
) -> int:
    """Alerts just queued to an address where an earlier alert is failing (``failing_addresses``)
    would wait behind its retries: fail them over now. Returns how many alerts that queued."""
    failing = failing_addresses(db, {(str(m.channel), m.address) for m in queued})
    moved = 0
    for message in queued:
        behind = failing.get((str(message.channel), message.address))
        if behind is not None and behind != message.id:
            moved += on_alert_failed(db, message, now, blocked_behind=behind,
                                     dashboard_url=dashboard_url)
    return moved


def on_outbox_failure(
    db: Session, msg_id: int, now: datetime, *, dashboard_url: str | None
) -> int:
    """The outbox gave up on ``msg_id`` (dead, undeliverable) or retries it after a failed
    attempt: fail over it, and every other alert that now waits in vain at the same address
    (failed with it by an undeliverable verdict, or queued behind its retries)."""
    message = db.exec(
        select(Message).where(Message.id == msg_id).execution_options(populate_existing=True)
    ).first()
    if message is None:
        return 0
    queued = (on_alert_failed(db, message, now, dashboard_url=dashboard_url)
              if message.kind == alert_messages.KIND else 0)
    if message.kind == alert_messages.KIND and message.status in IN_FLIGHT:
        waiting = db.exec(
            select(Message)
            .where(
                Message.direction == Direction.outbound,
                Message.channel == Channel(message.channel),
                Message.address == message.address,
                Message.kind == alert_messages.KIND,
                col(Message.status).in_(IN_FLIGHT),
                col(Message.id) != msg_id,
                col(Message.escalation_id).is_not(None),
            )
            .order_by(col(Message.id))
        ).all()
        for other in waiting:  # queued behind this one's retries
            queued += on_alert_failed(db, other, now, blocked_behind=msg_id,
                                      dashboard_url=dashboard_url)
    if message.status == MessageStatus.failed:
        swept = db.exec(
            select(Message)
            .where(
                Message.channel == Channel(message.channel),
                Message.address == message.address,
                Message.kind == alert_messages.KIND,
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
            queued += on_alert_failed(db, other, now, dashboard_url=dashboard_url)
    return queued


def _audit(
    db: Session, esc: Escalation, now: datetime, detail: dict[str, object], **more: object
) -> None:
    audit.record(db, actor="system", action=FAILOVER_ACTION, subject_type="escalation",
                 subject_id=esc.id, detail={**detail, **more}, now=now)
