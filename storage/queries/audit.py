"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from storage.models import AuditEvent
from storage.prepared import Prepared


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime,
) -> int:
    """Append one event and return its id. One INSERT and no ORM object: it runs in every
    completed check-in, and building the object cost more than writing the row."""
    session.flush()  # as before: what the caller changed is written first, in order
    detail = dict(detail or {})
    values = {"at": now, "actor": actor, "action": action, "subject_type": subject_type,
              "subject_id": subject_id, "detail": detail}
    row = _INSERT_EVENT.first(session.connection(), values)
    assert row is not None
    return int(row[0])


_INSERT_EVENT = Prepared(insert(AuditEvent.__table__).returning(  # type: ignore[attr-defined]
    AuditEvent.__table__.c.id  # type: ignore[attr-defined]
))


def staff_message_senders(session: Session, person_id: int) -> dict[int, int]:
    """Who sent each staff message to ``person_id``: {message id: staff person id}, from the
    `staff_message_sent` events (the message row itself does not name its author)."""
    stmt = select(AuditEvent.actor, AuditEvent.detail).where(
        AuditEvent.subject_type == "person", AuditEvent.subject_id == person_id,
        AuditEvent.action == "staff_message_sent")
    found: dict[int, int] = {}
    for actor, detail in session.exec(stmt).all():
        kind, _, number = actor.partition(":")
        message_id = (detail or {}).get("message_id")
        if kind == "person" and number.isdigit() and isinstance(message_id, int):
            found[message_id] = int(number)
    return found
