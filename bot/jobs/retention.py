"""Retention: people's words are erased after N days; the records about them stay.

After ``retention_days`` (a program can override it in its settings) this erases
- ``Message.body`` of inbound and outbound messages (not of ones still waiting to be sent);
- ``Answer.raw_text`` of every answer, and the value of free-text answers (a text answer's value
  is the text itself); numbers and yes/no values stay, so scores and trends remain;
- free-text answers copied into the session's conversation state (``context["answers"]``);
- the evidence of an escalation (the verbatim words that raised it) once it has been resolved
  for N days: it becomes ``[]``; so do the texts of its staff notes (they often quote the
  mentee): they become None, the note's author and time stay.

Escalations (level, reasons, times, who acted), sessions, message metadata and the audit trail
stay.
Work is done in batches of ``batch_size`` rows, at most ``max_batches`` per kind and program per
run; a later run continues where this one stopped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, update
from sqlmodel import Session, col, select

from bot.signals import program_int
from storage.models import (
    Answer,
    CheckinSession,
    Escalation,
    EscalationNote,
    EscalationStatus,
    Message,
    MessageStatus,
    Person,
    Program,
)
from storage.queries import audit

SETTING = "retention_days"
# Outbound rows whose body the sender still needs.
_UNSENT = (MessageStatus.pending, MessageStatus.sending)


def erase_old_bodies(
    db: Session, now: datetime, *, default_days: int, batch_size: int = 500,
    max_batches: int = 100,
) -> dict[str, int]:
    """Erase message bodies and answer texts older than N days, and the evidence of escalations
    resolved more than N days ago; returns what was erased:
    ``{"messages": ..., "answers": ..., "sessions": ..., "evidence": ..., "notes": ...}``."""
    counts = {"messages": 0, "answers": 0, "sessions": 0, "evidence": 0, "notes": 0}
    for program in db.exec(select(Program).order_by(col(Program.id))).all():
        assert program.id is not None
        cutoff = now - timedelta(days=program_int(program, SETTING, default_days))
        counts["messages"] += _erase_messages(db, program.id, cutoff, now, batch_size, max_batches)
        answers, sessions = _erase_answers(db, program.id, cutoff, batch_size, max_batches)
        counts["answers"] += answers
        counts["sessions"] += sessions
        counts["evidence"] += _erase_evidence(db, program.id, cutoff, batch_size, max_batches)
        counts["notes"] += _erase_notes(db, program.id, cutoff, batch_size, max_batches)
    # Messages from or to no enrolled person follow the service default.
    cutoff = now - timedelta(days=default_days)
    counts["messages"] += _erase_messages(db, None, cutoff, now, batch_size, max_batches)
    if any(counts.values()):
        audit.record(db, actor="system", action="retention_erased", subject_type="retention",
                     detail=dict(counts, default_days=default_days), now=now)
    return counts


def _erase_messages(
    db: Session, program_id: int | None, cutoff: datetime, now: datetime, batch_size: int,
    max_batches: int,
) -> int:
    stmt = select(Message.id).where(
        col(Message.body).is_not(None),
        col(Message.created_at) < cutoff,
        col(Message.status).not_in(_UNSENT),
    )
    if program_id is None:
        stmt = stmt.where(col(Message.person_id).is_(None))
    else:
        people = select(Person.id).where(Person.program_id == program_id)
        stmt = stmt.where(col(Message.person_id).in_(people))
    stmt = stmt.order_by(col(Message.id)).limit(batch_size)
    return _in_batches(db, stmt, Message, {"body": None, "updated_at": now}, batch_size,
                       max_batches)


def _in_batches(
    db: Session, stmt: Any, model: Any, values: dict[str, Any], batch_size: int,
    max_batches: int,
) -> int:
    """Apply ``values`` to the rows whose ids ``stmt`` selects (``batch_size`` at a time, an
    update that takes them out of ``stmt``'s reach), until none are left or ``max_batches``;
    how many."""
    erased = 0
    for _ in range(max_batches):
        ids = list(db.exec(stmt).all())
        if not ids:
            break
        db.execute(
            update(model)
            .where(col(model.id).in_(ids))
            .values(**values)
            .execution_options(synchronize_session="evaluate")
        )
        erased += len(ids)
        if len(ids) < batch_size:
            break
    return erased


def _erase_evidence(
    db: Session, program_id: int, cutoff: datetime, batch_size: int, max_batches: int,
) -> int:
    # Erased evidence is a plain "[]" (storage/crypto.py stores empty lists unencrypted), so
    # the rows still to do are found in SQL, encrypted or not, and a later run skips done ones.
    stmt = (
        select(Escalation.id)
        .where(
            Escalation.program_id == program_id,
            col(Escalation.status) == EscalationStatus.resolved,
            col(Escalation.resolved_at) < cutoff,
            cast(col(Escalation.evidence), Text) != "[]",
        )
        .order_by(col(Escalation.id))
        .limit(batch_size)
    )
    return _in_batches(db, stmt, Escalation, {"evidence": []}, batch_size, max_batches)


def _erase_notes(
    db: Session, program_id: int, cutoff: datetime, batch_size: int, max_batches: int,
) -> int:
    stmt = (
        select(EscalationNote.id)
        .join(Escalation, col(Escalation.id) == col(EscalationNote.escalation_id))
        .where(
            Escalation.program_id == program_id,
            col(Escalation.status) == EscalationStatus.resolved,
            col(Escalation.resolved_at) < cutoff,
            col(EscalationNote.body).is_not(None),
        )
        .order_by(col(EscalationNote.id))
        .limit(batch_size)
    )
    return _in_batches(db, stmt, EscalationNote, {"body": None}, batch_size, max_batches)


def _erase_answers(
    db: Session, program_id: int, cutoff: datetime, batch_size: int, max_batches: int,
) -> tuple[int, int]:
    stmt = (
        select(Answer.id, Answer.session_id, Answer.value)
        .join(Person, col(Person.id) == col(Answer.person_id))
        .where(
            Person.program_id == program_id,
            col(Answer.raw_text).is_not(None),
            col(Answer.created_at) < cutoff,
        )
        .order_by(col(Answer.id))
        .limit(batch_size)
    )
    erased = 0
    session_ids: set[int] = set()
    for _ in range(max_batches):
        rows = list(db.exec(stmt).all())
        if not rows:
            break
        texts = [r[0] for r in rows if isinstance(r[2], str)]
        others = [r[0] for r in rows if not isinstance(r[2], str)]
        if texts:
            db.execute(
                update(Answer)
                .where(col(Answer.id).in_(texts))
                .values(raw_text=None, value=None)
                .execution_options(synchronize_session="evaluate")
            )
        if others:
            db.execute(
                update(Answer)
                .where(col(Answer.id).in_(others))
                .values(raw_text=None)
                .execution_options(synchronize_session="evaluate")
            )
        session_ids.update(r[1] for r in rows)
        erased += len(rows)
        if len(rows) < batch_size:
            break
    return erased, _scrub_sessions(db, session_ids)


def _scrub_sessions(db: Session, session_ids: set[int]) -> int:
    """Drop free-text answers from the stored conversation state of ended sessions."""
    scrubbed = 0
    ordered = sorted(session_ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        rows = db.exec(select(CheckinSession).where(col(CheckinSession.id).in_(chunk))).all()
        for row in rows:
            if row.status == "active":
                continue
            context: dict[str, Any] = dict(row.context or {})
            answers = context.get("answers")
            if not isinstance(answers, dict):
                continue
            if not any(isinstance(v, str) for v in answers.values()):
                continue
            context["answers"] = {k: None if isinstance(v, str) else v for k, v in answers.items()}
            row.context = context
            scrubbed += 1
    db.flush()
    return scrubbed
