"""Read-only figures for the dashboard's mentee and overview pages: check-in outcomes, scores,
escalation counts and acknowledgement times.

Every function takes an open session, never writes or commits, and returns plain data (frozen
dataclasses, numbers, datetimes), never ORM rows. Aggregation is done in SQL; the SQL is
portable (no dialect-specific date functions): weekly figures group on a CASE over week
boundaries computed here, so SQLite and PostgreSQL give the same answer.

Definitions the pages show:
- a *check-in* is a check-in session; *finished* means completed or expired (stopped and still
  active sessions count neither way); *response rate* = completed / finished;
- a *missed* check-in is an expired session (no answer before it expired);
- *weeks* run from Monday 00:00 to the next Monday 00:00 on the program's clock (its time zone,
  so a check-in at 23:30 on a Sunday evening there belongs to that Sunday's week; a week across
  a daylight-saving change is an hour shorter or longer); a session belongs to the week it
  started in, an answer to the week of its session, an escalation to the week it was raised.
  ``utc_week_starts`` gives UTC weeks, for figures that belong to no program;
- *time to acknowledge* is ``acknowledged_at - raised_at`` of escalations that have been
  acknowledged (median and 90th percentile by linear interpolation between closest ranks).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select types
from sqlmodel import Session, col, select

from storage.models import (
    Answer,
    CheckinSession,
    Escalation,
    EscalationStatus,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
    SessionStatus,
)
from storage.queries.people import active_pairing

SCORE_KEYS = ("comfort", "safety")  # the mentee check-in's 1..5 scale answers
LEVELS = ("urgent", "concern", "watch")
WEEK = timedelta(days=7)
FINISHED = (SessionStatus.completed, SessionStatus.expired)


# ---- shapes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramInfo:
    id: int
    name: str
    timezone: str


@dataclass(frozen=True)
class MenteeRow:
    """One line of the mentee list: no answers, no scores."""

    person_id: int
    name: str
    program_id: int
    program_name: str
    timezone: str
    status: str
    last_checkin_at: datetime | None
    last_checkin_status: str | None
    open_escalations: int


@dataclass(frozen=True)
class ResponseCounts:
    completed: int = 0
    expired: int = 0

    @property
    def finished(self) -> int:
        return self.completed + self.expired

    @property
    def rate(self) -> float | None:
        """completed / (completed + expired); None when nothing finished yet."""
        return self.completed / self.finished if self.finished else None


@dataclass(frozen=True)
class CheckinPoint:
    """One check-in session with its comfort and safety scores (None when not answered)."""

    session_id: int
    started_at: datetime
    status: str
    comfort: float | None
    safety: float | None


@dataclass(frozen=True)
class EscalationSummary:
    id: int
    level: str
    status: str
    raised_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    about_mentor_id: int | None


@dataclass(frozen=True)
class WeekFigures:
    week_start: datetime  # Monday 00:00 on the program's clock (aware)
    started: int = 0
    completed: int = 0
    expired: int = 0
    avg_comfort: float | None = None
    avg_safety: float | None = None
    escalations: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        finished = self.completed + self.expired
        return self.completed / finished if finished else None


@dataclass(frozen=True)
class AckStats:
    level: str
    acknowledged: int  # how many were acknowledged (the sample size)
    median: timedelta | None
    p90: timedelta | None


# ---- helpers --------------------------------------------------------------------------------


def utc_week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the week ``now`` falls in."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def utc_week_starts(now: datetime, weeks: int = 12) -> list[datetime]:
    """The starts of the last ``weeks`` UTC weeks, oldest first, the current week last."""
    current = utc_week_start(now)
    return [current - WEEK * i for i in range(weeks - 1, -1, -1)]


def local_week_starts(now: datetime, timezone: str, weeks: int = 12) -> list[datetime]:
    """The starts (Monday 00:00 in ``timezone``, as aware local times) of the last ``weeks``
    weeks on that clock, oldest first, the week ``now`` falls in last."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return [datetime.combine(monday - WEEK * i, time(0), tzinfo=zone)
            for i in range(weeks - 1, -1, -1)]


def week_end(start: datetime) -> datetime:
    """The next Monday 00:00 on the clock of ``start`` (not always 7 × 24 h: daylight saving)."""
    return datetime.combine(start.date() + WEEK, time(0), tzinfo=start.tzinfo)


def _week_index(column: Any, starts: Sequence[datetime]) -> ColumnElement[int]:
    """CASE giving the index into ``starts`` of the week ``column`` falls in (rows must be
    filtered with ``_in_weeks``)."""
    whens = [(col(column) >= start.astimezone(UTC), index)
             for index, start in reversed(list(enumerate(starts)))]
    return case(*whens, else_=-1)


def _in_weeks(column: Any, starts: Sequence[datetime]) -> list[ColumnElement[bool]]:
    return [col(column) >= starts[0].astimezone(UTC),
            col(column) < week_end(starts[-1]).astimezone(UTC)]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th quantile (0..1) of ``values`` by linear interpolation between closest ranks
    (as PostgreSQL's percentile_cont); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mentee_sessions(program_id: int) -> list[ColumnElement[bool]]:
    return [
        col(CheckinSession.person_id) == col(Person.id),
        col(Person.program_id) == program_id,
        col(Person.role) == Role.mentee,
    ]


# ---- programs and people --------------------------------------------------------------------


def programs(db: Session, program_ids: Iterable[int]) -> list[ProgramInfo]:
    ids = list(program_ids)
    if not ids:
        return []
    stmt = (
        select(Program.id, Program.name, Program.timezone)
        .where(col(Program.id).in_(ids))
        .order_by(col(Program.name))
    )
    return [ProgramInfo(int(pid), name, tz) for pid, name, tz in db.exec(stmt).all()
            if pid is not None]


def mentee_list(
    db: Session, program_ids: Iterable[int], now: datetime, *, hide_mentees_of: int | None = None,
) -> list[MenteeRow]:
    """The mentees of these programs by name, with their latest check-in (time and outcome)
    and how many escalations about them are not resolved yet. Mentees that ``hide_mentees_of``
    mentors now are left out, as are escalations about that person as a mentor."""
    ids = list(program_ids)
    if not ids:
        return []
    last_started = (
        select(func.max(CheckinSession.started_at))
        .where(CheckinSession.person_id == Person.id)
        .scalar_subquery()
    )
    last_status = (
        select(CheckinSession.status)
        .where(CheckinSession.person_id == Person.id)
        .order_by(col(CheckinSession.started_at).desc(), col(CheckinSession.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    open_filter: list[ColumnElement[bool]] = [
        col(Escalation.person_id) == col(Person.id),
        col(Escalation.status) != EscalationStatus.resolved,
    ]
    if hide_mentees_of is not None:
        open_filter.append(or_(col(Escalation.about_mentor_id).is_(None),
                               col(Escalation.about_mentor_id) != hide_mentees_of))
    open_count = (
        select(func.count(col(Escalation.id))).where(*open_filter).scalar_subquery()
    )
    stmt = (
        wide_select(col(Person.id), col(Person.display_name), col(Person.program_id),
                    col(Program.name), col(Program.timezone), col(Person.status),
                    last_started, last_status, open_count)
        .join(Program, col(Program.id) == col(Person.program_id))
        .where(col(Person.program_id).in_(ids), col(Person.role) == Role.mentee)
        .order_by(col(Person.display_name), col(Person.id))
    )
    if hide_mentees_of is not None:
        mentored = select(Pairing.mentee_id).where(
            Pairing.mentor_id == hide_mentees_of, *active_pairing(now))
        stmt = stmt.where(col(Person.id).not_in(mentored))
    rows = []
    for pid, name, program_id, program_name, tz, status, started, last, count in \
            db.execute(stmt).all():
        rows.append(MenteeRow(
            person_id=int(pid), name=name, program_id=program_id, program_name=program_name,
            timezone=tz, status=str(status), last_checkin_at=_utc(started),
            last_checkin_status=str(last) if last is not None else None,
            open_escalations=int(count or 0),
        ))
    return rows


def _utc(value: Any) -> datetime | None:
    """A timestamp from an aggregate (max()) loses the column type: SQLite hands back text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def active_people(db: Session, program_id: int) -> dict[str, int]:
    """How many active mentees and mentors the program has: {"mentee": n, "mentor": m}."""
    stmt = (
        select(Person.role, func.count(col(Person.id)))
        .where(Person.program_id == program_id, Person.status == PersonStatus.active,
               col(Person.role).in_([Role.mentee, Role.mentor]))
        .group_by(Person.role)
    )
    counts = {"mentee": 0, "mentor": 0}
    for role, n in db.exec(stmt).all():
        counts[str(role)] = int(n)
    return counts


# ---- one mentee -----------------------------------------------------------------------------


def mentee_checkins(db: Session, person_id: int, *, limit: int = 52) -> list[CheckinPoint]:
    """The person's latest ``limit`` check-in sessions, oldest first, each with its comfort
    and safety score (answered numeric values; None when not answered)."""
    def score(key: str) -> ColumnElement[Any]:
        return func.max(case((col(Answer.key) == key, col(Answer.value_num)), else_=None))

    stmt = (
        wide_select(col(CheckinSession.id), col(CheckinSession.started_at),
                    col(CheckinSession.status), score("comfort"), score("safety"))
        .outerjoin(Answer, and_(
            col(Answer.session_id) == col(CheckinSession.id),
            col(Answer.status) == "answered",
            col(Answer.key).in_(SCORE_KEYS),
        ))
        .where(col(CheckinSession.person_id) == person_id)
        .group_by(col(CheckinSession.id), col(CheckinSession.started_at),
                  col(CheckinSession.status))
        .order_by(col(CheckinSession.started_at).desc(), col(CheckinSession.id).desc())
        .limit(limit)
    )
    points = [
        CheckinPoint(session_id=int(sid), started_at=started, status=str(status),
                     comfort=None if comfort is None else float(comfort),
                     safety=None if safety is None else float(safety))
        for sid, started, status, comfort, safety in db.execute(stmt).all()
    ]
    points.reverse()
    return points


def response_counts(
    db: Session, *, person_id: int | None = None, program_id: int | None = None,
    since: datetime | None = None,
) -> ResponseCounts:
    """Completed and expired check-ins of one person, or of a program's mentees; only those
    started at or after ``since`` when given."""
    stmt = select(
        func.count(case((col(CheckinSession.status) == SessionStatus.completed, 1))),
        func.count(case((col(CheckinSession.status) == SessionStatus.expired, 1))),
    ).where(col(CheckinSession.status).in_(FINISHED))
    if person_id is not None:
        stmt = stmt.where(CheckinSession.person_id == person_id)
    if program_id is not None:
        stmt = stmt.where(*_mentee_sessions(program_id))
    if since is not None:
        stmt = stmt.where(col(CheckinSession.started_at) >= since)
    row = db.exec(stmt).one()
    return ResponseCounts(completed=int(row[0] or 0), expired=int(row[1] or 0))


def missed_checkins(db: Session, person_id: int, *, limit: int = 52) -> list[datetime]:
    """When the person's missed (expired) check-ins started, newest first."""
    stmt = (
        select(CheckinSession.started_at)
        .where(CheckinSession.person_id == person_id,
               CheckinSession.status == SessionStatus.expired)
        .order_by(col(CheckinSession.started_at).desc(), col(CheckinSession.id).desc())
        .limit(limit)
    )
    return list(db.exec(stmt).all())


def escalations_about(db: Session, person_id: int) -> list[EscalationSummary]:
    """Every escalation about the person, newest first (no reasons or evidence)."""
    stmt = (
        wide_select(col(Escalation.id), col(Escalation.level), col(Escalation.status),
                    col(Escalation.raised_at), col(Escalation.acknowledged_at),
                    col(Escalation.resolved_at), col(Escalation.about_mentor_id))
        .where(col(Escalation.person_id) == person_id)
        .order_by(col(Escalation.raised_at).desc(), col(Escalation.id).desc())
    )
    return [
        EscalationSummary(id=int(eid), level=level, status=str(status), raised_at=raised,
                          acknowledged_at=acked, resolved_at=resolved, about_mentor_id=mentor)
        for eid, level, status, raised, acked, resolved, mentor in db.execute(stmt).all()
    ]


# ---- a program ------------------------------------------------------------------------------


def weekly_figures(db: Session, program_id: int, starts: Sequence[datetime]) -> list[WeekFigures]:
    """Per week in ``starts`` (``local_week_starts`` on the program's clock, or
    ``utc_week_starts``): the program's mentee check-ins
    started, completed and expired, their average comfort and safety, and escalations raised
    by level. Weeks without data are there with zeros and None averages."""
    if not starts:
        return []
    n = len(starts)
    started = [0] * n
    completed = [0] * n
    expired = [0] * n
    comfort: list[float | None] = [None] * n
    safety: list[float | None] = [None] * n
    escalated: list[dict[str, int]] = [dict.fromkeys(LEVELS, 0) for _ in range(n)]

    # Check-ins per week: one row per week.
    inner = (
        select(_week_index(CheckinSession.started_at, starts).label("week"),
               col(CheckinSession.status).label("status"))
        .where(*_mentee_sessions(program_id), *_in_weeks(CheckinSession.started_at, starts))
        .subquery()
    )
    stmt = (
        select(inner.c.week, func.count(),
               func.count(case((inner.c.status == SessionStatus.completed.value, 1))),
               func.count(case((inner.c.status == SessionStatus.expired.value, 1))))
        .group_by(inner.c.week)
    )
    for week, total, done, missed in db.exec(stmt).all():
        if 0 <= week < n:
            started[week], completed[week], expired[week] = int(total), int(done), int(missed)

    # Average scores per week and key, by the week the session started.
    answers = (
        select(_week_index(CheckinSession.started_at, starts).label("week"),
               col(Answer.key).label("key"), col(Answer.value_num).label("value"))
        .join(CheckinSession, col(CheckinSession.id) == col(Answer.session_id))
        .where(*_mentee_sessions(program_id), *_in_weeks(CheckinSession.started_at, starts),
               col(Answer.key).in_(SCORE_KEYS), col(Answer.status) == "answered",
               col(Answer.value_num).is_not(None))
        .subquery()
    )
    stmt2 = (
        select(answers.c.week, answers.c.key, func.avg(answers.c.value))
        .group_by(answers.c.week, answers.c.key)
    )
    for week, key, average in db.exec(stmt2).all():
        if 0 <= week < n and average is not None:
            (comfort if key == "comfort" else safety)[week] = float(average)

    # Escalations raised per week and level.
    raised = (
        select(_week_index(Escalation.raised_at, starts).label("week"),
               col(Escalation.level).label("level"))
        .where(Escalation.program_id == program_id, *_in_weeks(Escalation.raised_at, starts))
        .subquery()
    )
    stmt3 = (
        select(raised.c.week, raised.c.level, func.count())
        .group_by(raised.c.week, raised.c.level)
    )
    for week, level, count in db.exec(stmt3).all():
        if 0 <= week < n:
            escalated[week][str(level)] = int(count)

    return [
        WeekFigures(week_start=starts[i], started=started[i], completed=completed[i],
                    expired=expired[i], avg_comfort=comfort[i], avg_safety=safety[i],
                    escalations=escalated[i])
        for i in range(n)
    ]


def escalations_by_level(db: Session, program_id: int, since: datetime) -> dict[str, int]:
    """Escalations of the program raised at or after ``since``, counted by level."""
    stmt = (
        select(Escalation.level, func.count(col(Escalation.id)))
        .where(Escalation.program_id == program_id, col(Escalation.raised_at) >= since)
        .group_by(Escalation.level)
    )
    counts = dict.fromkeys(LEVELS, 0)
    for level, n in db.exec(stmt).all():
        counts[str(level)] = int(n)
    return counts


def outcome_counts(db: Session, program_id: int, since: datetime) -> dict[str | None, int]:
    """Escalations of the program resolved at or after ``since``, counted by outcome (None: resolved
    without one, as phone and command-line RESOLVE do)."""
    stmt = (
        select(Escalation.outcome, func.count(col(Escalation.id)))
        .where(Escalation.program_id == program_id,
               Escalation.status == EscalationStatus.resolved,
               col(Escalation.resolved_at) >= since)
        .group_by(col(Escalation.outcome))
    )
    return {outcome: int(n) for outcome, n in db.exec(stmt).all()}


def time_to_acknowledge(db: Session, program_id: int, since: datetime) -> list[AckStats]:
    """Median and 90th percentile of acknowledged_at - raised_at per level, over the program's
    escalations raised at or after ``since`` that have been acknowledged. The pairs come from
    SQL; the percentiles are computed here (SQLite has no percentile function)."""
    stmt = (
        select(Escalation.level, Escalation.raised_at, Escalation.acknowledged_at)
        .where(Escalation.program_id == program_id, col(Escalation.raised_at) >= since,
               col(Escalation.acknowledged_at).is_not(None))
    )
    seconds: dict[str, list[float]] = {level: [] for level in LEVELS}
    for level, raised, acked in db.exec(stmt).all():
        if acked is not None:
            seconds.setdefault(str(level), []).append((acked - raised).total_seconds())
    out = []
    for level, values in seconds.items():
        median, p90 = percentile(values, 0.5), percentile(values, 0.9)
        out.append(AckStats(
            level=level, acknowledged=len(values),
            median=None if median is None else timedelta(seconds=median),
            p90=None if p90 is None else timedelta(seconds=p90),
        ))
    return out
