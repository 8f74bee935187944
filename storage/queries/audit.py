"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from storage.models import AuditEvent


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime,
) -> AuditEvent:
    """Append one event. One Core INSERT (it runs in every completed check-in, and the ORM's
    unit of work for one row cost more than the row); the event returned is not attached to
    the session, it is a record of what was written."""
    session.flush()  # as before: what the caller changed is written first, in order
    event = AuditEvent(at=now, actor=actor, action=action, subject_type=subject_type,
                       subject_id=subject_id, detail=dict(detail or {}))
    values = {"at": now, "actor": actor, "action": action, "subject_type": subject_type,
              "subject_id": subject_id, "detail": event.detail}
    event.id = session.connection().execute(_INSERT_EVENT, values).scalar_one()
    return event


_INSERT_EVENT = insert(AuditEvent.__table__).returning(  # type: ignore[attr-defined]
    AuditEvent.__table__.c.id  # type: ignore[attr-defined]
)

