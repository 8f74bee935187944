"""Check-in schedules: one row per (person, flow) with its rule, timezone and next due time."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

# Pure recurrence arithmetic lives in flows/ (no I/O), which storage may import.
from flows.recurrence import check_timezone, next_occurrence, normalize_rule
from storage.models import Person, Schedule
from storage.types import ensure_aware


def _next_due(rule: str, timezone: str, now: datetime) -> datetime:
    due = next_occurrence(rule, timezone, now)
    if due is None:
        raise ValueError(
            f"the rule '{rule}' has no occurrence after {now:%Y-%m-%d %H:%M} UTC "
            "(its UNTIL or COUNT has run out); give a rule that still repeats"
        )
    return due


def get_schedule(session: Session, person_id: int, flow_id: str) -> Schedule | None:
    stmt = (
        select(Schedule)
        .where(Schedule.person_id == person_id, Schedule.flow_id == flow_id)
        .order_by(col(Schedule.id))
        .limit(1)
        .with_for_update()
    )
    return session.exec(stmt).first()


def set_schedule(
    session: Session,
    *,
    person_id: int,
    flow_id: str,
    rule: str,
    timezone: str,
    now: datetime,
) -> Schedule:
    """Create or replace the person's schedule for `flow_id`, due at the rule's next occurrence
    after `now`. A paused schedule stays paused. Raises ValueError (RuleError for a bad rule or
    timezone) with a message fit for an admin; nothing is changed then."""
    now = ensure_aware(now)
    text = normalize_rule(rule)
    check_timezone(timezone)
    due = _next_due(text, timezone, now)
    if session.get(Person, person_id) is None:
        raise ValueError(f"no person with id {person_id}")
    schedule = get_schedule(session, person_id, flow_id)
    if schedule is None:
        schedule = Schedule(person_id=person_id, flow_id=flow_id, rule=text, timezone=timezone,
                            next_due_at=due, created_at=now)
        session.add(schedule)
    else:
        schedule.rule, schedule.timezone, schedule.next_due_at = text, timezone, due
    session.flush()
    return schedule


def pause_schedules(
    session: Session, person_id: int, *, flow_id: str | None = None, paused: bool, now: datetime
) -> int:
    """Pause or resume the person's schedules (one flow, or all); returns how many changed.

    Resuming computes the next due time from `now`, so occurrences missed while paused are
    skipped rather than sent in a burst. A schedule whose rule has ended stays paused."""
    now = ensure_aware(now)
    changed = 0
    for schedule in schedules_for(session, person_id, lock=True):
        if (flow_id is not None and schedule.flow_id != flow_id) or schedule.paused == paused:
            continue
        if not paused:
            due = next_occurrence(schedule.rule, schedule.timezone, now)
            if due is None:
                continue
            schedule.next_due_at = due
        schedule.paused = paused
        changed += 1
    session.flush()
    return changed


def follow_timezone(
    session: Session, *, old_timezone: str, new_timezone: str, now: datetime,
    person_id: int | None = None, program_id: int | None = None,
) -> int:
    """Schedules that followed `old_timezone` now follow `new_timezone`: same rule, next due
    time worked out again in the new zone ("every day at 18:00" stays 18:00 local). Either one
    person's, or those of everyone in `program_id` who has no timezone of their own. A schedule
    set to another timezone on purpose is left alone. Returns how many moved."""
    if old_timezone == new_timezone:
        return 0
    check_timezone(new_timezone)
    now = ensure_aware(now)
    stmt = (
        select(Schedule)
        .join(Person, col(Person.id) == col(Schedule.person_id))
        .where(Schedule.timezone == old_timezone)
        .order_by(col(Schedule.id))
        .with_for_update(of=Schedule)
    )
    if person_id is not None:
        stmt = stmt.where(Schedule.person_id == person_id)
    if program_id is not None:
        stmt = stmt.where(Person.program_id == program_id,
                          (col(Person.timezone).is_(None)) | (Person.timezone == ""))
    moved = 0
    for schedule in session.exec(stmt).all():
        schedule.timezone = new_timezone
        due = next_occurrence(schedule.rule, new_timezone, now)
        if due is not None:  # a rule that has run out keeps its last due time
            schedule.next_due_at = due
        moved += 1
    session.flush()
    return moved


def schedules_for(session: Session, person_id: int, *, lock: bool = False) -> list[Schedule]:
    stmt = (
        select(Schedule)
        .where(Schedule.person_id == person_id)
        .order_by(col(Schedule.flow_id), col(Schedule.id))
    )
    if lock:
        stmt = stmt.with_for_update()
    return list(session.exec(stmt).all())


def list_schedules(
    session: Session, *, program_id: int | None = None, person_id: int | None = None
) -> list[tuple[Schedule, Person]]:
    """Schedules with their people, by person then flow."""
    stmt = select(Schedule, Person).join(Person, col(Person.id) == col(Schedule.person_id))
    if program_id is not None:
        stmt = stmt.where(Person.program_id == program_id)
    if person_id is not None:
        stmt = stmt.where(Schedule.person_id == person_id)
    stmt = stmt.order_by(col(Person.id), col(Schedule.flow_id), col(Schedule.id))
    return [(schedule, person) for schedule, person in session.exec(stmt).all()]
