"""Report queries (storage/queries/reports.py) on SQLite and PostgreSQL: UTC week buckets,
response counts, scores per check-in, the mentee list, time to acknowledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage.db import session_scope
from storage.models import EscalationStatus, Role, SessionStatus
from storage.queries import people, reports
from tests.dashboard.mentee_data import checkin, escalation, pair

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
Factory = sessionmaker[Session]


def _people(db: Session) -> tuple[int, int, int, int]:
    """(program id, mentee A, mentee B, a supervisor) in one program."""
    program = people.add_program(db, "Hope House", now=NOW)
    assert program.id is not None
    ids = [people.add_person(db, program.id, role, name, now=NOW).id
           for role, name in ((Role.mentee, "A"), (Role.mentee, "B"), (Role.supervisor, "S"))]
    assert all(i is not None for i in ids)
    return program.id, ids[0] or 0, ids[1] or 0, ids[2] or 0


def test_utc_weeks_start_on_monday_midnight_utc() -> None:
    assert reports.utc_week_start(NOW) == MONDAY
    assert reports.utc_week_start(MONDAY) == MONDAY
    assert reports.utc_week_start(MONDAY - timedelta(microseconds=1)) == MONDAY - reports.WEEK
    # An aware time in another zone is taken as the same instant in UTC.
    sunday_evening_ny = datetime(2026, 3, 1, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    assert reports.utc_week_start(sunday_evening_ny) == MONDAY  # 01:00 UTC Monday
    starts = reports.utc_week_starts(NOW, 3)
    assert starts == [MONDAY - timedelta(days=14), MONDAY - timedelta(days=7), MONDAY]


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([], 0.5, None),
    ([7.0], 0.9, 7.0),
    ([1.0, 3.0], 0.5, 2.0),
    ([4.0, 10.0, 20.0], 0.5, 10.0),
    ([4.0, 10.0, 20.0], 0.9, 18.0),
    ([5.0, 1.0, 3.0, 2.0, 4.0], 0.9, 4.6),
])
def test_percentile_interpolates_like_percentile_cont(
    values: list[float], q: float, expected: float | None,
) -> None:
    result = reports.percentile(values, q)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_weekly_figures_bucket_by_utc_week(session_factory: Factory) -> None:
    with session_scope(session_factory) as db:
        program_id, a, b, _ = _people(db)
        checkin(db, a, MONDAY - timedelta(microseconds=1), comfort=1, safety=1)  # last week
        checkin(db, b, MONDAY, comfort=5, safety=4)                              # this week
        checkin(db, a, NOW, SessionStatus.expired)
        checkin(db, b, MONDAY - timedelta(days=21), comfort=3, safety=3)         # before window
        escalation(db, program_id, a, "urgent", MONDAY + timedelta(hours=1))
        escalation(db, program_id, a, "watch", MONDAY - timedelta(seconds=1))
    with session_scope(session_factory) as db:
        weeks = reports.weekly_figures(db, program_id, reports.utc_week_starts(NOW, 2))
    last, this = weeks
    assert last.week_start == MONDAY - timedelta(days=7) and this.week_start == MONDAY
    assert (last.started, last.completed, last.expired) == (1, 1, 0)
    assert (last.avg_comfort, last.avg_safety) == (1.0, 1.0)
    assert last.escalations == {"urgent": 0, "concern": 0, "watch": 1}
    assert (this.started, this.completed, this.expired) == (2, 1, 1)
    assert this.response_rate == 0.5
    assert (this.avg_comfort, this.avg_safety) == (5.0, 4.0)
    assert this.escalations == {"urgent": 1, "concern": 0, "watch": 0}


def test_checkins_responses_and_misses_of_one_person(session_factory: Factory) -> None:
    with session_scope(session_factory) as db:
        _, a, b, _ = _people(db)
        for days, status, comfort, safety in ((40, SessionStatus.expired, None, None),
                                              (20, SessionStatus.completed, 2, 3),
                                              (10, SessionStatus.stopped, 4, None),
                                              (3, SessionStatus.expired, None, None),
                                              (1, SessionStatus.active, None, None)):
            checkin(db, a, NOW - timedelta(days=days), status, comfort, safety)
        checkin(db, b, NOW, comfort=5, safety=5)
    with session_scope(session_factory) as db:
        points = reports.mentee_checkins(db, a)
        assert [(p.status, p.comfort, p.safety) for p in points] == [
            ("expired", None, None), ("completed", 2.0, 3.0), ("stopped", 4.0, None),
            ("expired", None, None), ("active", None, None)]
        assert [p.started_at for p in reports.mentee_checkins(db, a, limit=2)] == [
            NOW - timedelta(days=3), NOW - timedelta(days=1)], "the latest, oldest first"
        counts = reports.response_counts(db, person_id=a)
        assert (counts.completed, counts.expired, counts.finished) == (1, 2, 3)
        assert counts.rate == pytest.approx(1 / 3)
        recent = reports.response_counts(db, person_id=a, since=NOW - timedelta(days=30))
        assert (recent.completed, recent.expired) == (1, 1)
        assert reports.response_counts(db, person_id=a, since=NOW).rate is None
        assert reports.missed_checkins(db, a) == [NOW - timedelta(days=3),
                                                  NOW - timedelta(days=40)]


def test_mentee_list_hides_a_mentors_own_mentees(session_factory: Factory) -> None:
    with session_scope(session_factory) as db:
        program_id, a, b, sup = _people(db)
        checkin(db, a, NOW - timedelta(days=2), SessionStatus.completed)
        checkin(db, a, NOW - timedelta(days=1), SessionStatus.expired)
        escalation(db, program_id, a, "concern", NOW)
        escalation(db, program_id, a, "urgent", NOW, status=EscalationStatus.resolved)
        escalation(db, program_id, a, "watch", NOW, about_mentor_id=sup)
        pair(db, program_id, sup, b, NOW - timedelta(days=30))
    with session_scope(session_factory) as db:
        everyone = reports.mentee_list(db, [program_id], NOW)
        assert [r.name for r in everyone] == ["A", "B"]
        first = everyone[0]
        assert first.last_checkin_at == NOW - timedelta(days=1)
        assert first.last_checkin_status == "expired" and first.open_escalations == 2
        assert everyone[1].last_checkin_at is None and everyone[1].open_escalations == 0
        seen_by_sup = reports.mentee_list(db, [program_id], NOW, hide_mentees_of=sup)
        assert [r.name for r in seen_by_sup] == ["A"]
        assert seen_by_sup[0].open_escalations == 1, "not the one about sup as a mentor"
        assert people.is_mentor_of(db, sup, b, NOW)
        assert not people.is_mentor_of(db, sup, a, NOW)
        assert not people.is_mentor_of(db, sup, b, NOW - timedelta(days=31))
        assert reports.mentee_list(db, [], NOW) == []


def test_time_to_acknowledge_and_counts_by_level(session_factory: Factory) -> None:
    with session_scope(session_factory) as db:
        program_id, a, _, _ = _people(db)
        for minutes in (30, 5, 10, 60):
            escalation(db, program_id, a, "concern", NOW - timedelta(days=1),
                       acknowledged_after=timedelta(minutes=minutes))
        escalation(db, program_id, a, "concern", NOW - timedelta(days=2))  # not acknowledged
        escalation(db, program_id, a, "urgent", NOW - timedelta(days=40),
                   acknowledged_after=timedelta(minutes=1))  # too old
    with session_scope(session_factory) as db:
        since = NOW - timedelta(days=30)
        stats = {s.level: s for s in reports.time_to_acknowledge(db, program_id, since)}
        assert stats["concern"].acknowledged == 4
        assert stats["concern"].median == timedelta(minutes=20)
        assert stats["concern"].p90 == timedelta(minutes=51)  # 30 + 0.7 * (60 - 30)
        assert stats["urgent"].acknowledged == 0 and stats["urgent"].median is None
        assert reports.escalations_by_level(db, program_id, since) == {
            "urgent": 0, "concern": 5, "watch": 0}
        assert reports.active_people(db, program_id) == {"mentee": 2, "mentor": 0}


def test_local_weeks_start_at_midnight_on_the_programs_clock_across_daylight_saving() -> None:
    # Tuesday 10 March 2026: New York moved to daylight time on Sunday 8 March.
    now = datetime(2026, 3, 10, 15, tzinfo=UTC)
    starts = reports.local_week_starts(now, "America/New_York", 2)
    assert [s.astimezone(UTC) for s in starts] == [datetime(2026, 3, 2, 5, tzinfo=UTC),
                                                   datetime(2026, 3, 9, 4, tzinfo=UTC)]
    assert reports.week_end(starts[0]) == starts[1]  # 167 hours, not 7 × 24
    # Late on Sunday there is still that Sunday's week.
    sunday_night = datetime(2026, 3, 9, 3, 30, tzinfo=UTC)  # 23:30 EDT on Sunday 8 March
    assert reports.local_week_starts(sunday_night, "America/New_York", 1) == starts[:1]
