"""The on-call rota: weekly shift lines per program (who is on the on-call or backup list when).

Reading a rota (which shifts cover a moment) is the runtime's business (``bot.escalation.routing``);
this module only stores and lists the lines.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import OnCallShift, RotaList
from storage.types import ensure_aware

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> int:
    """Minutes after midnight of an "HH:MM" (24 h) time; ValueError naming the bad value."""
    match = _HHMM.match(value or "")
    if match is None:
        raise ValueError(f"'{value}' is not a time of day: write HH:MM, 24-hour, e.g. 07:30")
    return int(match.group(1)) * 60 + int(match.group(2))


def add_shift(
    session: Session,
    *,
    program_id: int,
    person_id: int,
    list: RotaList | str = RotaList.oncall,  # the column's name
    weekday: int | None = None,
    start: str = "00:00",
    end: str = "00:00",
    now: datetime,
) -> OnCallShift:
    """Add a rota line. ``weekday`` 0 (Monday) … 6 (Sunday) or None (every day); ``start`` equal
    to ``end`` means the whole day; ``end`` before ``start`` runs through midnight into the next
    day. Raises ValueError for a bad list name, weekday or time."""
    rota_list = RotaList(list)
    if weekday is not None and (isinstance(weekday, bool) or weekday not in range(7)):
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday) or None, not {weekday!r}")
    parse_hhmm(start)
    parse_hhmm(end)
    shift = OnCallShift(
        program_id=program_id,
        person_id=person_id,
        list=rota_list,
        weekday=weekday,
        start=start,
        end=end,
        created_at=ensure_aware(now),
    )
    session.add(shift)
    session.flush()
    return shift


def shifts_for(session: Session, program_id: int) -> list[OnCallShift]:
    """Every rota line of the program (both lists), in the order they were added."""
    stmt = (
        select(OnCallShift)
        .where(OnCallShift.program_id == program_id)
        .order_by(col(OnCallShift.id))
    )
    return list(session.exec(stmt).all())
