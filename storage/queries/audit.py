"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    event = AuditEvent(
        at=now,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=dict(detail or {}),
    )
    session.add(event)
    session.flush()
    return event

