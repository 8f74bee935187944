"""Erasing a demo person's check-ins, answers and simulator messages (the web simulator's
"Reset"), so a demo can be shown again from a clean slate.

What is kept: the person, their contacts and schedule, every escalation about them (its link
to a deleted check-in is cleared; the escalation keeps its reasons and evidence), alerts sent to
staff, and the audit trail. The caller decides who may do this and records it; nothing here
commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, or_, update
from sqlmodel import Session, col, select

from storage.models import (
    Answer,
    Channel,
    CheckinSession,
    Escalation,
    EscalationStatus,
    Message,
)


@dataclass(frozen=True)
class Erased:
    sessions: int
    answers: int
    messages: int


def open_escalation_ids(session: Session, person_id: int) -> list[int]:
    """Escalations about the person nobody has resolved yet (a reset waits for them)."""
    return [i for i in session.exec(select(Escalation.id).where(
        Escalation.person_id == person_id,
        col(Escalation.status) != EscalationStatus.resolved,
    ).order_by(col(Escalation.id))).all() if i is not None]


def erase_person_history(
    session: Session, person_id: int, web_addresses: Collection[str]
) -> Erased:
    """Delete the person's check-in sessions and answers, and every message on their web
    simulator addresses or belonging to one of those sessions."""
    session.flush()
    session_ids = select(CheckinSession.id).where(CheckinSession.person_id == person_id)
    answers = session.exec(delete(Answer).where(  # type: ignore[call-overload]
        or_(col(Answer.person_id) == person_id, col(Answer.session_id).in_(session_ids))))
    theirs: ColumnElement[bool] = col(Message.session_id).in_(session_ids)
    if web_addresses:
        theirs = or_(theirs, and_(col(Message.channel) == Channel.web,
                                  col(Message.address).in_(list(web_addresses))))
    messages = session.exec(delete(Message).where(theirs))  # type: ignore[call-overload]
    session.exec(update(Escalation)  # type: ignore[call-overload]
                 .where(col(Escalation.session_id).in_(session_ids))
                 .values(session_id=None))
    sessions = session.exec(delete(CheckinSession).where(  # type: ignore[call-overload]
        col(CheckinSession.person_id) == person_id))
    session.expire_all()
    return Erased(sessions.rowcount, answers.rowcount, messages.rowcount)
