"""Outbound webhook events: what a program's case-management system is told, queued in the
transaction of the change it reports.

Five events: ``escalation.raised``, ``escalation.acknowledged``, ``escalation.resolved``,
``escalation.reopened`` (a resolved one opened again: its acknowledgement and resolution start
over) and ``checkin.missed`` (a check-in that expired with nothing answered). Each is one
outbox row on the routine lane of the ``webhook`` channel, addressed to the program (its id):
written with the escalation or the expiry it reports, sent after commit by the outbox sender
(`bot.channels.webhook.adapter` signs and POSTs it), retried and dead-lettered like any message.
A program without a webhook URL queues nothing.

What a payload carries: the event type and id (the receiver's idempotency key: a retry sends
the same id), the program's id and slug, the escalation's id, level, status, reasons (rubric
names, never words), outcome (a label from the program's list) and times in ISO 8601 UTC, and a
pseudonymous person reference. Never a name, a phone number, a chat id or anything anyone
wrote; the escalation's evidence and the resolution note only when the program turned on
``webhook_include_text``. The body is stored sealed like every message body.

Nothing here commits, and nothing here imports the rest of `bot/` but the slug helper: the
escalation lifecycle, the turn applier and the signals call in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bot.slugs import program_slug
from storage.models import (
    Answer,
    CheckinSession,
    Escalation,
    Lane,
    Person,
    Program,
    add_channel,
)
from storage.queries import messages

WEBHOOK_CHANNEL = add_channel("webhook")
KIND = "webhook"  # Message.kind of a webhook delivery
# In Program.settings:
URL_SETTING = "webhook_url"
INCLUDE_TEXT_SETTING = "webhook_include_text"
# A random value per program, made when the URL is first set: the person references are an
# HMAC of the person's id under it, so they are stable for the program and say nothing by
# themselves (unlike a bare id, a receiver cannot count through them).
REF_KEY_SETTING = "webhook_ref_key"

RAISED = "escalation.raised"
ACKNOWLEDGED = "escalation.acknowledged"
RESOLVED = "escalation.resolved"
REOPENED = "escalation.reopened"
MISSED = "checkin.missed"
EVENT_TYPES = (RAISED, ACKNOWLEDGED, RESOLVED, REOPENED, MISSED)


def webhook_url(program: Program) -> str | None:
    url = (program.settings or {}).get(URL_SETTING)
    return url if isinstance(url, str) and url else None


def includes_text(program: Program) -> bool:
    return (program.settings or {}).get(INCLUDE_TEXT_SETTING) is True


def person_ref(program: Program, person_id: int | None) -> str | None:
    """The person's pseudonym for this program's receiver (None: an unknown sender)."""
    if person_id is None:
        return None
    key = str((program.settings or {}).get(REF_KEY_SETTING) or "")
    digest = hmac.new(key.encode(), f"{program.id}:{person_id}".encode(), hashlib.sha256)
    return "psn_" + digest.hexdigest()[:24]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the second."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def escalation_event(
    db: Session, esc: Escalation, event_type: str, now: datetime, *,
    program: Program | None = None,
) -> bool:
    """Queue ``event_type`` about ``esc`` for its program's webhook; False when the program has
    none (nothing queued)."""
    program = program if program is not None else db.get(Program, esc.program_id)
    if program is None or webhook_url(program) is None:
        return False
    escalation: dict[str, Any] = {
        "id": esc.id,
        "level": esc.level,
        "status": str(esc.status),
        "reasons": list(esc.reasons or []),
        "raised_at": iso(esc.raised_at),
        "ack_due_at": iso(esc.due_at),
        "acknowledged_at": iso(esc.acknowledged_at),
        "resolved_at": iso(esc.resolved_at),
        "outcome": esc.outcome,
        "unknown_sender": esc.person_id is None,
        "reported_by_mentor": esc.reported_by is not None,
    }
    if includes_text(program):
        escalation["evidence"] = list(esc.evidence or [])
        escalation["resolution_note"] = esc.resolution_note
    payload = _envelope(program, event_type, now)
    payload["person_ref"] = person_ref(program, esc.person_id)
    payload["escalation"] = escalation
    _queue(db, program, payload, now)
    return True


def missed_checkin_event(
    db: Session, program: Program, person: Person, session_row: CheckinSession, now: datetime,
) -> bool:
    """Queue ``checkin.missed`` for a check-in that expired with no answer; False when the
    program has no webhook or something was answered (a partial check-in is not a missed one)."""
    if webhook_url(program) is None:
        return False
    answered = db.exec(select(func.count()).select_from(Answer).where(
        col(Answer.session_id) == session_row.id, col(Answer.status) == "answered")).one()
    if answered:
        return False
    payload = _envelope(program, MISSED, now)
    payload["person_ref"] = person_ref(program, person.id)
    payload["checkin"] = {
        "id": session_row.id,
        "flow": session_row.flow_id,
        "role": str(person.role),
        "started_at": iso(session_row.started_at),
        "expired_at": iso(session_row.ended_at or now),
    }
    _queue(db, program, payload, now)
    return True


def _envelope(program: Program, event_type: str, now: datetime) -> dict[str, Any]:
    return {
        "type": event_type,
        "id": f"evt_{uuid.uuid4().hex}",
        "created_at": iso(now),
        "program": {"id": program.id,
                    "slug": program_slug(program.name, fallback=f"program-{program.id}")},
    }


def _queue(db: Session, program: Program, payload: dict[str, Any], now: datetime) -> None:
    messages.enqueue_outbound(
        db, channel=WEBHOOK_CHANNEL, address=str(program.id),
        body=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
        kind=KIND, lane=Lane.routine, now=now, flush=False)
