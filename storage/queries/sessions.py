"""Check-in sessions and their answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage.models import Answer, Channel, CheckinSession, ContactPoint, SessionStatus
from storage.prepared import Prepared


def active_session_for(
    session: Session, person_id: int, *, lock: bool = False
) -> CheckinSession | None:
    """The person's newest active check-in session, if any.

    ``lock=True`` takes a row lock (``SELECT ... FOR UPDATE``) on PostgreSQL so concurrent turns
    for one person queue up; on SQLite the ``BEGIN IMMEDIATE`` transaction already serialises
    writers (the dialect renders no FOR UPDATE).
    """
    stmt = _ACTIVE_LOCKED if lock else _ACTIVE
    return session.exec(stmt, params={"person_id": person_id}).first()


# Built once: on the inbound hot path, building a statement costs more than running it.
_ACTIVE = (
    select(CheckinSession)
    .where(
        CheckinSession.person_id == bindparam("person_id"),
        CheckinSession.status == SessionStatus.active,
    )
    .order_by(col(CheckinSession.id).desc())
    .limit(1)
)
_ACTIVE_LOCKED = _ACTIVE.with_for_update()

_SESSION: Table = CheckinSession.__table__  # type: ignore[attr-defined]
_ANSWER: Table = Answer.__table__  # type: ignore[attr-defined]


def send_active_state_of_contact(
    conn: Connection, channel: Channel | str, address: str
) -> Callable[[], tuple[int, str, dict[str, Any]] | None]:
    """(id, flow_id, context) of the newest active session of the person behind the contact
    point (channel, address), row-locked on PostgreSQL (``active_session_for(lock=True)`` as
    plain values), as `Prepared.send`. It needs no id read first, so a reply turn sends it in
    the same round trip as the contact's own read."""
    fetch = _ACTIVE_STATE_OF_CONTACT.send(
        conn, {"channel": Channel(channel).value, "address": address})

    def state() -> tuple[int, str, dict[str, Any]] | None:
        rows = fetch()
        return (rows[0][0], rows[0][1], rows[0][2]) if rows else None

    return state


_CONTACT: Table = ContactPoint.__table__  # type: ignore[attr-defined]
# FOR UPDATE locks rows of the FROM list only: the session row, not the contact point the
# subquery reads.
_ACTIVE_STATE_OF_CONTACT = Prepared(
    core_select(_SESSION.c.id, _SESSION.c.flow_id, _SESSION.c.context)
    .where(
        _SESSION.c.person_id == core_select(_CONTACT.c.person_id).where(
            _CONTACT.c.channel == bindparam("channel"),
            _CONTACT.c.address == bindparam("address"),
        ).scalar_subquery(),
        _SESSION.c.status == SessionStatus.active,
    )
    .order_by(_SESSION.c.id.desc())
    .limit(1)
    .with_for_update()
)


def add_session(
    session: Session,
    *,
    person_id: int,
    flow_id: str,
    now: datetime,
    flow_version: int = 1,
    language: str = "en",
    current_state: str | None = None,
    context: dict[str, Any] | None = None,
    channel: str | None = None,
    address: str | None = None,
    nudge_at: datetime | None = None,
    expire_at: datetime | None = None,
) -> CheckinSession:
    """Start an active session (turn 0) for ``person_id``."""
    checkin = CheckinSession(
        person_id=person_id,
        flow_id=flow_id,
        flow_version=flow_version,
        current_state=current_state,
        context=dict(context or {}),
        status=SessionStatus.active,
        language=language,
        channel=channel,
        address=address,
        started_at=now,
        updated_at=now,
        nudge_at=nudge_at,
        expire_at=expire_at,
    )
    session.add(checkin)
    session.flush()
    return checkin


def numeric(value: object) -> float | None:
    """An answer's value as a number for trends (a yes/no is not a number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def add_answer(
    session: Session,
    *,
    session_id: int,
    person_id: int,
    key: str,
    now: datetime,
    raw_text: str | None = None,
    value: int | bool | str | None = None,
    value_num: float | None = None,
    status: str = "answered",
    flush: bool = True,
) -> Answer:
    """Record one answer.  ``value_num`` defaults to ``value`` when that is a number."""
    if value_num is None:
        value_num = numeric(value)
    answer = Answer(
        session_id=session_id,
        person_id=person_id,
        key=key,
        raw_text=raw_text,
        value=value,
        value_num=value_num,
        status=status,
        created_at=now,
    )
    session.add(answer)
    if flush:
        session.flush()
    return answer


def answers_for_session(session: Session, session_id: int) -> list[Answer]:
    stmt = select(Answer).where(Answer.session_id == session_id).order_by(col(Answer.id))
    return list(session.exec(stmt).all())
