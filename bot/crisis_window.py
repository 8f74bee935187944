"""When a crisis reply may be folded into the one sent minutes ago.

Every urgent finding gets the crisis reply, whatever the state of the person's escalations and
in whichever session (flows/engine.py). Someone who writes three messages in a row about wanting
to die should not get the same block of phone numbers three times, so a repeat within
``FOLD_WINDOW`` of the last crisis reply to that person is folded: they get the flow's short
thanks ("Thank you for telling us. Staff will see this.") instead. Nothing longer silences it:
the window is counted from the last crisis reply actually sent (a folded one does not extend
it), and a staff member acknowledging or resolving any escalation of that person (or one they
reported) closes it, since after a human acted the next disclosure is new news.

The engine is pure and has no memory across sessions, so the runtime decides, and only for a
turn that carries a crisis reply: an ordinary reply costs no query here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from flows.events import OutMessage
from storage.models import Direction, Escalation, Message
from storage.queries import audit

FOLD_WINDOW = timedelta(minutes=10)
CRISIS_KIND = "crisis"


def recently_sent(db: Session, person_id: int, now: datetime) -> datetime | None:
    """When the last crisis reply went to this person, if it is recent enough to fold a new
    one into (less than FOLD_WINDOW ago, and no staff action on their escalations since)."""
    last = db.exec(
        select(func.max(Message.created_at)).where(
            Message.person_id == person_id, Message.direction == Direction.outbound,
            Message.kind == CRISIS_KIND,
        )
    ).one()
    if last is None or now - last >= FOLD_WINDOW:
        return None
    acted = db.exec(
        select(func.max(Escalation.acknowledged_at), func.max(Escalation.resolved_at)).where(
            or_(col(Escalation.person_id) == person_id, col(Escalation.reported_by) == person_id)
        )
    ).one()
    if any(at is not None and at >= last for at in acted):
        return None
    return last


def fold(
    db: Session, person_id: int, messages: Sequence[OutMessage], now: datetime
) -> tuple[OutMessage, ...]:
    """``messages`` with a crisis reply replaced by its folded thanks when one was sent to
    this person moments ago (see the module docstring); unchanged otherwise."""
    crisis = [m for m in messages if m.kind == CRISIS_KIND]
    if not crisis:
        return tuple(messages)
    last = recently_sent(db, person_id, now)
    if last is None:
        return tuple(messages)
    audit.record(db, actor="system", action="crisis_reply_folded", subject_type="person",
                 subject_id=person_id, detail={"last_crisis_reply_at": last.isoformat()},
                 now=now)
    return tuple(
        OutMessage(m.folded, "thanks", urgent=True) if m.kind == CRISIS_KIND and m.folded
        else m
        for m in messages
    )
