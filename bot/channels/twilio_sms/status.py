"""Twilio's delivery reports (status callbacks) applied to the outbox row they are about.

`apply_status_callback` is what the Twilio status webhook runs inside its one transaction. It only
ever moves a message forward (sent -> delivered/undelivered/failed, never delivered -> sent,
since callbacks can arrive out of order), records an audit event without any body, and marks the
contact point unreachable when the error code says the number itself cannot get SMS. Failover
(resend an undelivered alert on another channel) hooks in where `undelivered`/`failed` is applied.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.channels.twilio_sms.adapter import PERMANENT_ADDRESS_CODES
from bot.escalation import failover
from storage.models import Channel, Direction, Message, MessageStatus
from storage.queries import audit, people

# Twilio MessageStatus -> ours. Statuses before "sent" (accepted, queued, scheduled, sending)
# say nothing the outbox does not already know; "read" (WhatsApp/RCS) counts as delivered.
TWILIO_STATUS: dict[str, MessageStatus] = {
    "sent": MessageStatus.sent,
    "delivered": MessageStatus.delivered,
    "read": MessageStatus.delivered,
    "undelivered": MessageStatus.undelivered,
    "failed": MessageStatus.failed,
}

# How far along a message is; a report only applies if it moves the message further.
_RANK: dict[MessageStatus, int] = {
    MessageStatus.pending: 0,
    MessageStatus.sending: 0,
    MessageStatus.sent: 1,
    MessageStatus.delivered: 2,
    MessageStatus.undelivered: 2,
    MessageStatus.failed: 2,
    MessageStatus.dead: 2,
    MessageStatus.cancelled: 2,
    MessageStatus.received: 2,
}

FAILED = (MessageStatus.undelivered, MessageStatus.failed)


def parse_error_code(raw: str | int | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def apply_status_callback(
    db: Session, sid: str, status: str, error_code: str | int | None, now: datetime, *,
    dashboard_url: str | None = None,
) -> Message | None:
    """Apply a Twilio status report for outbound SMS `sid`. Returns the message when the report
    changed it; None when the message is unknown or the report is unknown/stale.
    ``dashboard_url``: the app's public address, for the link of an alert sent elsewhere."""
    new = TWILIO_STATUS.get((status or "").strip().lower())
    if new is None or not sid:
        return None
    message = db.exec(
        select(Message)
        .where(
            Message.direction == Direction.outbound,
            Message.channel == Channel.sms,
            Message.provider_id == sid,
        )
        .with_for_update()
    ).first()
    if message is None or _RANK[MessageStatus(message.status)] >= _RANK[new]:
        return None
    code = parse_error_code(error_code)
    message.status = new
    message.updated_at = now
    if new is MessageStatus.sent and message.sent_at is None:
        message.sent_at = now
    if new in FAILED:
        message.last_error = f"twilio {code if code is not None else error_code or 'unknown'}"
    detail: dict[str, object] = {"status": new.value, "provider_status": status}
    if code is not None:
        detail["error_code"] = code
    if new in FAILED and code in PERMANENT_ADDRESS_CODES:
        contact = people.find_contact(db, Channel.sms, message.address)
        if contact is not None and not contact.unreachable:
            contact.unreachable = True
            contact.unreachable_reason = f"twilio {code}: {PERMANENT_ADDRESS_CODES[code]}"
            detail["contact_unreachable"] = True
            audit.record(db, actor="twilio", action="contact_unreachable",
                         subject_type="contact_point", subject_id=contact.id,
                         detail={"channel": Channel.sms.value, "error_code": code,
                                 "message_id": message.id}, now=now)
    audit.record(db, actor="twilio", action="delivery_status", subject_type="message",
                 subject_id=message.id, detail=detail, now=now)
    if new in FAILED:
        # An alert that did not arrive goes elsewhere, with the same link.
        failover.on_alert_failed(db, message, now, dashboard_url=dashboard_url)
    return message
