"""Every export is in the audit trail: who took which program's data, for which days, in which
format, and how much of it (counts only)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.export.files import Format
from bot.export.tables import ExportTables
from storage.queries import audit

EXPORTED = "data_exported"


def record_export(db: Session, *, actor: str, program_id: int, export: ExportTables,
                  fmt: Format, via: str, now: datetime) -> int:
    """One `data_exported` event on the program (``via``: "cli" or "dashboard")."""
    return audit.record(
        db, actor=actor, action=EXPORTED, subject_type="program", subject_id=program_id,
        detail={"from": export.first_day.isoformat(), "to": export.last_day.isoformat(),
                "format": fmt, "via": via, "checkins": len(export.checkins.rows),
                "escalations": len(export.escalations.rows), "people": export.people,
                "small": export.small},
        now=now)
