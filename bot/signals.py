"""Watch-level signals read from a person's stored history (design: Escalation levels, watch).

Two signals, both called by the runner inside the turn's transaction, neither committing:
- several check-ins in a row not answered (``after_session_ended``);
- a sharp drop of a comfort/safety score against the person's own recent answers
  (``after_answer``).

Evidence holds numbers and counts only; the audit trail holds levels and reasons, never what
anyone wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot import webhook_events
from bot.escalation import log_lines
from bot.policy import ack_deadline
from storage.models import (
    Answer,
    CheckinSession,
    Escalation,
    EscalationStatus,
    Person,
    Program,
    Role,
    SessionStatus,
)
from storage.prepared import Prepared
from storage.queries import audit, escalations

WATCH = "watch"
MISSED_REASON = "missed_checkins"
# Scored answers watched for a drop, and the reason each drop is raised with.
TREND_KEYS: dict[str, str] = {"comfort": "falling_comfort", "safety": "falling_safety"}
TREND_WINDOW = 4  # how many previous answers make "recent"
TREND_MIN_PREVIOUS = 2  # fewer previous answers than this: nothing to compare against
TREND_DROP = 2.0  # a value this far (or further) below the recent average is a sharp drop


def program_int(program: Program, name: str, default: int) -> int:
    """A positive whole-number override from ``program.settings[name]``, else ``default``."""
    raw: Any = (program.settings or {}).get(name)
    if isinstance(raw, bool):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if value >= 1 else default


def _watch_due(program: Program, now: datetime) -> datetime:
    return ack_deadline(program, WATCH, now)


# ---- missed check-ins -----------------------------------------------------------------------


def missed_in_a_row(db: Session, person_id: int, flow_id: str) -> tuple[int, int | None]:
    """(expired sessions of ``flow_id`` since the newest completed one, that session's id).

    Stopped and active sessions count neither way.
    """
    last_completed = db.exec(
        select(func.max(CheckinSession.id)).where(
            CheckinSession.person_id == person_id,
            CheckinSession.flow_id == flow_id,
            CheckinSession.status == SessionStatus.completed,
        )
    ).one()
    stmt = select(func.count()).select_from(CheckinSession).where(
        CheckinSession.person_id == person_id,
        CheckinSession.flow_id == flow_id,
        CheckinSession.status == SessionStatus.expired,
    )
    if last_completed is not None:
        stmt = stmt.where(col(CheckinSession.id) > last_completed)
    return int(db.exec(stmt).one()), last_completed


def _missed_watch_blocks(
    db: Session, person_id: int, streak_since: datetime | None
) -> bool:
    """True when a missed-check-ins watch is still open/acknowledged, or was already raised
    during the current streak (after ``streak_since``; None: the streak is the whole history)."""
    stmt = select(Escalation).where(
        Escalation.person_id == person_id,
        Escalation.level == WATCH,
        col(Escalation.session_id).is_(None),
    )
    for esc in db.exec(stmt).all():
        if MISSED_REASON not in (esc.reasons or []):
            continue
        if esc.status in (EscalationStatus.open, EscalationStatus.acknowledged):
            return True
        if streak_since is None or esc.raised_at >= streak_since:
            return True
    return False


def after_session_ended(
    db: Session,
    program: Program,
    person: Person,
    session_row: CheckinSession,
    now: datetime,
    *,
    default_n: int,
) -> Escalation | None:
    """After a session ended: raise one watch when a mentee missed N check-ins in a row.

    N is ``program.settings["missed_checkins_for_watch"]`` or ``default_n``.  A streak raises
    once; a completed check-in ends it, and a later streak can raise again once no earlier
    missed-check-ins watch for the person is still open or acknowledged.
    """
    if session_row.status != SessionStatus.expired or person.role != Role.mentee:
        return None
    assert program.id is not None and person.id is not None
    n = program_int(program, "missed_checkins_for_watch", default_n)
    count, last_completed_id = missed_in_a_row(db, person.id, session_row.flow_id)
    if count < n:
        return None
    streak_since: datetime | None = None
    if last_completed_id is not None:
        completed = db.get(CheckinSession, last_completed_id)
        if completed is not None:
            streak_since = completed.ended_at or completed.started_at
    if _missed_watch_blocks(db, person.id, streak_since):
        return None
    esc, created = escalations.add_or_merge_escalation(
        db,
        program_id=program.id,
        person_id=person.id,
        session_id=None,
        level=WATCH,
        reasons=[MISSED_REASON],
        evidence=[f"{count} check-ins in a row not answered"],
        now=now,
        due_at=_watch_due(program, now),
    )
    audit.record(db, actor="system", action="escalation_raised", subject_type="escalation",
                 subject_id=esc.id,
                 detail={"level": WATCH, "reasons": [MISSED_REASON], "missed": count,
                         "flow": session_row.flow_id},
                 now=now)
    if created:
        webhook_events.escalation_event(db, esc, webhook_events.RAISED, now, program=program)
    log_lines.raised(esc, created=created, reasons=[MISSED_REASON])
    return esc


# ---- falling scores -------------------------------------------------------------------------


def send_recent_values(
    db: Session, person_id: int, key: str, exclude_session_id: int | None,
    limit: int = TREND_WINDOW,
) -> Callable[[], list[float]]:
    """The person's latest answered numeric values for ``key``, newest first, from sessions
    other than ``exclude_session_id``; as `Prepared.send`."""
    db.flush()  # as Session.execute would: answers this turn added as ORM objects count
    stmt = _RECENT if exclude_session_id is not None else _RECENT_ALL
    params = {"person_id": person_id, "key": key, "exclude": exclude_session_id, "limit": limit}
    fetch = stmt.send(db.connection(), params)  # a parameter the statement lacks is ignored
    return lambda: [float(v) for (v,) in fetch() if v is not None]


# Built once: this runs on every scored answer, and building a statement costs more than
# running it.
_ANSWER: Table = Answer.__table__  # type: ignore[attr-defined]
_RECENT_ALL = Prepared(
    core_select(_ANSWER.c.value_num)
    .where(
        _ANSWER.c.person_id == bindparam("person_id"),
        _ANSWER.c.key == bindparam("key"),
        _ANSWER.c.status == "answered",
        _ANSWER.c.value_num.is_not(None),
    )
    .order_by(_ANSWER.c.created_at.desc(), _ANSWER.c.id.desc())
    .limit(bindparam("limit"))
)
_RECENT = Prepared(_RECENT_ALL.stmt.where(_ANSWER.c.session_id != bindparam("exclude")))


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _show(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.1f}"


@dataclass(frozen=True)
class SharpDrop:
    key: str
    reason: str
    value: float
    average: float


def sharp_drop(
    db: Session, person_id: int, session_id: int, key: str, value: object
) -> SharpDrop | None:
    """A comfort/safety score ``TREND_DROP`` or more below the average of the person's previous
    ``TREND_WINDOW`` answers of other sessions (at least ``TREND_MIN_PREVIOUS`` of them are
    needed); None otherwise. Reads only: ``raise_drop_watch`` raises it."""
    return send_sharp_drop(db, person_id, session_id, key, value)()


def send_sharp_drop(
    db: Session, person_id: int, session_id: int, key: str, value: object
) -> Callable[[], SharpDrop | None]:
    """`sharp_drop` with its read as `Prepared.send`: in a pipeline, read with other
    statements."""
    reason = TREND_KEYS.get(key)
    number = _number(value)
    if reason is None or number is None:
        return lambda: None
    fetch = send_recent_values(db, person_id, key, session_id)

    def drop() -> SharpDrop | None:
        previous = fetch()
        if len(previous) < TREND_MIN_PREVIOUS:
            return None
        average = sum(previous) / len(previous)
        if number > average - TREND_DROP:
            return None
        return SharpDrop(key, reason, number, average)

    return drop


def raise_drop_watch(
    db: Session, program: Program, person: Person, session_id: int, drop: SharpDrop,
    now: datetime,
) -> Escalation:
    assert program.id is not None and person.id is not None
    esc, created = escalations.add_or_merge_escalation(
        db,
        program_id=program.id,
        person_id=person.id,
        session_id=session_id,
        level=WATCH,
        reasons=[drop.reason],
        evidence=[f"{drop.key}: {_show(drop.value)} "
                  f"(recent average {_show(round(drop.average, 1))})"],
        now=now,
        due_at=_watch_due(program, now),
    )
    audit.record(db, actor="system", action="escalation_raised" if created else "escalation_merged",
                 subject_type="escalation", subject_id=esc.id,
                 detail={"level": WATCH, "reasons": [drop.reason]}, now=now)
    if created:
        webhook_events.escalation_event(db, esc, webhook_events.RAISED, now, program=program)
    log_lines.raised(esc, created=created, reasons=[drop.reason])
    return esc


def after_answer(
    db: Session,
    program: Program,
    person: Person,
    session_row: CheckinSession,
    key: str,
    value: object,
    now: datetime,
) -> Escalation | None:
    """After an answer was stored: raise a watch when a comfort/safety score is a sharp drop
    (see ``sharp_drop``)."""
    assert person.id is not None and session_row.id is not None
    drop = sharp_drop(db, person.id, session_row.id, key, value)
    if drop is None:
        return None
    return raise_drop_watch(db, program, person, session_row.id, drop, now)
