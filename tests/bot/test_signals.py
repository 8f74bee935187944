"""Watch signals from stored history: missed check-ins in a row, and falling scores."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.signals import after_answer, after_session_ended
from storage.models import (
    AuditEvent,
    CheckinSession,
    Escalation,
    EscalationStatus,
    Person,
    Program,
    Role,
    SessionStatus,
)
from storage.queries import sessions
from tests.bot.helpers import NOW, database_for, enrol

WEEK = timedelta(days=7)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def _new_person(database: Database, role: Role = Role.mentee, **settings: object) -> int:
    with database.transaction() as db:
        person = enrol(db, role, "Ana Torres")
        program = db.get(Program, person.program_id)
        assert program is not None and person.id is not None
        program.settings.update(settings)
        return person.id


def _context(db: Session, person_id: int) -> tuple[Person, Program]:
    person = db.get(Person, person_id)
    assert person is not None
    program = db.get(Program, person.program_id)
    assert program is not None
    return person, program


def _ended(
    db: Session, person_id: int, status: SessionStatus, at: datetime,
    flow: str = "mentee_checkin",
) -> CheckinSession:
    row = sessions.add_session(db, person_id=person_id, flow_id=flow, now=at)
    row.status = status
    row.ended_at = at + timedelta(hours=24)
    db.flush()
    return row


class Week:
    """One check-in per week, ended with the given status, the hook called at its end."""

    def __init__(self, database: Database, person_id: int) -> None:
        self.database, self.person_id, self.n = database, person_id, 0

    def end(self, status: SessionStatus, flow: str = "mentee_checkin") -> int | None:
        self.n += 1
        at = NOW + self.n * WEEK
        with self.database.transaction() as db:
            person, program = _context(db, self.person_id)
            row = _ended(db, self.person_id, status, at, flow)
            esc = after_session_ended(db, program, person, row, at + timedelta(hours=24),
                                      default_n=2)
            return esc.id if esc else None

    def miss(self) -> int | None:
        return self.end(SessionStatus.expired)


def _missed_watches(database: Database, person_id: int) -> list[Escalation]:
    with database.transaction() as db:
        rows = db.exec(
            select(Escalation).where(Escalation.person_id == person_id).order_by(
                col(Escalation.id))
        ).all()
        return [e for e in rows if "missed_checkins" in e.reasons]


def _set_status(database: Database, esc_id: int, status: EscalationStatus) -> None:
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        esc.status = status


# ---- missed check-ins ------------------------------------------------------------------------


def test_two_missed_in_a_row_raise_one_watch_and_a_third_no_duplicate(database: Database) -> None:
    person_id = _new_person(database)
    weeks = Week(database, person_id)
    assert weeks.miss() is None
    assert weeks.end(SessionStatus.stopped) is None  # stopped: counts neither way
    esc_id = weeks.miss()
    assert esc_id is not None
    assert weeks.miss() is None
    watches = _missed_watches(database, person_id)
    assert [w.id for w in watches] == [esc_id]
    esc = watches[0]
    assert esc.level == "watch" and esc.reasons == ["missed_checkins"]
    assert esc.evidence == ["2 check-ins in a row not answered"]
    assert esc.session_id is None and esc.person_id == person_id
    assert esc.status == EscalationStatus.open
    assert esc.due_at - esc.raised_at == timedelta(hours=72)
    with database.transaction() as db:
        audits = db.exec(select(AuditEvent).where(AuditEvent.subject_id == esc_id,
                                                  AuditEvent.subject_type == "escalation")).all()
        assert [a.action for a in audits] == ["escalation_raised"]
        assert audits[0].detail["reasons"] == ["missed_checkins"]


def test_completed_checkin_ends_the_streak(database: Database) -> None:
    person_id = _new_person(database)
    weeks = Week(database, person_id)
    assert weeks.miss() is None
    assert weeks.end(SessionStatus.completed) is None
    assert weeks.miss() is None
    assert _missed_watches(database, person_id) == []


def test_new_streak_raises_again_only_once_the_previous_watch_is_resolved(
    database: Database,
) -> None:
    person_id = _new_person(database)
    weeks = Week(database, person_id)
    weeks.miss()
    first = weeks.miss()
    assert first is not None
    weeks.end(SessionStatus.completed)
    assert weeks.miss() is None
    assert weeks.miss() is None  # a new streak, but the first watch is still open
    _set_status(database, first, EscalationStatus.acknowledged)
    assert weeks.miss() is None  # acknowledged is still being worked
    _set_status(database, first, EscalationStatus.resolved)
    second = weeks.miss()
    assert second is not None and second != first
    _set_status(database, second, EscalationStatus.resolved)
    assert weeks.miss() is None  # this streak already raised once
    assert [w.id for w in _missed_watches(database, person_id)] == [first, second]


def test_program_override_n(database: Database) -> None:
    person_id = _new_person(database, missed_checkins_for_watch=3)
    weeks = Week(database, person_id)
    assert weeks.miss() is None
    assert weeks.miss() is None
    assert weeks.miss() is not None
    assert _missed_watches(database, person_id)[0].evidence == [
        "3 check-ins in a row not answered"
    ]


def test_other_flows_and_non_expiries_do_not_count(database: Database) -> None:
    person_id = _new_person(database)
    weeks = Week(database, person_id)
    assert weeks.miss() is None
    assert weeks.end(SessionStatus.expired, flow="intake") is None  # another flow's streak of 1
    assert weeks.end(SessionStatus.completed, flow="intake") is None
    assert weeks.miss() is not None  # the intake check-in did not break this streak


def test_mentors_missing_checkins_raise_nothing(database: Database) -> None:
    person_id = _new_person(database, Role.mentor)
    weeks = Week(database, person_id)
    for _ in range(3):
        assert weeks.end(SessionStatus.expired, flow="mentor_checkin") is None


# ---- falling scores --------------------------------------------------------------------------


def _history(database: Database, person_id: int, key: str, values: list[int]) -> None:
    """One past session per value, oldest first."""
    with database.transaction() as db:
        for i, value in enumerate(values):
            at = NOW + i * WEEK
            row = _ended(db, person_id, SessionStatus.completed, at)
            assert row.id is not None
            sessions.add_answer(db, session_id=row.id, person_id=person_id, key=key,
                                raw_text=str(value), value=value, now=at)


def _answer(
    database: Database, person_id: int, key: str, value: object,
    same_session: list[int] | None = None,
) -> Escalation | None:
    """Answer ``value`` in a new session (after ``same_session`` answers in it) and call the hook."""
    at = NOW + 30 * WEEK
    with database.transaction() as db:
        person, program = _context(db, person_id)
        row = sessions.add_session(db, person_id=person_id, flow_id="mentee_checkin", now=at)
        assert row.id is not None
        for earlier in same_session or []:
            sessions.add_answer(db, session_id=row.id, person_id=person_id, key=key,
                                raw_text=str(earlier), value=earlier, now=at)
        stored = value if isinstance(value, bool | int | str) else None
        sessions.add_answer(db, session_id=row.id, person_id=person_id, key=key,
                            raw_text="my answer", value=stored, now=at + timedelta(minutes=1))
        return after_answer(db, program, person, row, key, value, at + timedelta(minutes=1))


def test_sharp_safety_drop_raises_watch(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "safety", [5, 5, 4, 5])
    esc = _answer(database, person_id, "safety", 2)
    assert esc is not None
    assert esc.level == "watch" and esc.reasons == ["falling_safety"]
    assert esc.evidence == ["safety: 2 (recent average 4.8)"]
    assert esc.session_id is not None and esc.person_id == person_id
    assert esc.due_at - esc.raised_at == timedelta(hours=72)
    with database.transaction() as db:
        audit = db.exec(select(AuditEvent).where(AuditEvent.subject_id == esc.id,
                                                 AuditEvent.subject_type == "escalation")).one()
        assert audit.detail == {"level": "watch", "reasons": ["falling_safety"]}


@pytest.mark.parametrize("value", [4, 3])
def test_small_drop_raises_nothing(database: Database, value: int) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "safety", [5, 5, 4, 5])
    assert _answer(database, person_id, "safety", value) is None


def test_drop_of_exactly_two_raises(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "comfort", [4, 4])
    esc = _answer(database, person_id, "comfort", 2)
    assert esc is not None and esc.reasons == ["falling_comfort"]
    assert esc.evidence == ["comfort: 2 (recent average 4)"]


def test_one_previous_value_is_not_enough(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "safety", [5])
    assert _answer(database, person_id, "safety", 1) is None
    person_id = _new_person(database)
    _history(database, person_id, "comfort", [5])
    assert _answer(database, person_id, "comfort", 1) is None


def test_only_the_latest_four_count(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "comfort", [1, 1, 1, 5, 5, 5, 5])
    assert _answer(database, person_id, "comfort", 3) is not None


def test_answers_from_the_same_session_are_excluded(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "safety", [2, 2])
    # With this session's own 5s the average would be 3.5 and 1 a sharp drop; without, it's 2.
    assert _answer(database, person_id, "safety", 1, same_session=[5, 5]) is None


def test_other_keys_booleans_and_texts_raise_nothing(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "going", [5, 5, 5])
    assert _answer(database, person_id, "going", 1) is None
    _history(database, person_id, "safety", [5, 5, 5])
    assert _answer(database, person_id, "safety", False) is None
    assert _answer(database, person_id, "safety", "1") is None


def test_comfort_and_safety_drops_in_one_session_merge(database: Database) -> None:
    person_id = _new_person(database)
    _history(database, person_id, "comfort", [5, 5])
    with database.transaction() as db:
        for i, value in enumerate([5, 5]):
            at = NOW + (10 + i) * WEEK
            row = _ended(db, person_id, SessionStatus.completed, at)
            assert row.id is not None
            sessions.add_answer(db, session_id=row.id, person_id=person_id, key="safety",
                                value=value, now=at)
    at = NOW + 30 * WEEK
    with database.transaction() as db:
        person, program = _context(db, person_id)
        row = sessions.add_session(db, person_id=person_id, flow_id="mentee_checkin", now=at)
        first = after_answer(db, program, person, row, "comfort", 1, at)
        second = after_answer(db, program, person, row, "safety", 2, at)
        assert first is not None and second is not None and first.id == second.id
        assert second.reasons == ["falling_comfort", "falling_safety"]
        assert second.evidence == ["comfort: 1 (recent average 5)",
                                   "safety: 2 (recent average 5)"]
        assert len(db.exec(select(Escalation)).all()) == 1
