"""Query helpers, the UTC datetime type and transaction behaviour, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, text
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, col, select

from storage.db import is_postgres, is_sqlite, make_engine, make_session_factory, session_scope
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    ContactPoint,
    Escalation,
    Lane,
    Message,
    MessageStatus,
    Pairing,
    Person,
    Program,
    Role,
    SessionStatus,
)
from storage.queries import audit, escalations, messages, people, sessions
from storage.types import UTCDateTime, ensure_aware

NOW = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
Factory = sessionmaker[Session]
T = TypeVar("T")


@dataclass
class World:
    program_id: int
    mentee_id: int
    mentor_id: int
    supervisor_id: int


@pytest.fixture
def world(session_factory: Factory) -> World:
    with session_scope(session_factory) as s:
        program = people.add_program(s, "Harbor House", now=NOW)
        assert program.id is not None
        mentee = people.add_person(s, program.id, Role.mentee, "Ana", language="es")
        mentor = people.add_person(s, program.id, Role.mentor, "Ben")
        supervisor = people.add_person(s, program.id, Role.supervisor, "Cleo")
        assert mentee.id and mentor.id and supervisor.id
        return World(program.id, mentee.id, mentor.id, supervisor.id)


def count(s: Session, model: type[SQLModel]) -> int:
    return int(s.exec(select(func.count()).select_from(model)).one())


def run_threads(n: int, work: Callable[[int], T]) -> tuple[list[T], list[BaseException]]:
    """Run ``work(i)`` in ``n`` threads released together; return results and exceptions."""
    barrier = threading.Barrier(n)
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        barrier.wait()
        try:
            result = work(i)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(result)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


# --- UTC datetimes ---------------------------------------------------------------------------


def test_aware_datetimes_round_trip_as_utc(session_factory: Factory, world: World) -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    started = datetime(2025, 6, 1, 9, 15, 30, 654321, tzinfo=india)
    with session_scope(session_factory) as s:
        checkin = sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=started)
        checkin_id = checkin.id
    with session_scope(session_factory) as s:
        loaded = s.get(CheckinSession, checkin_id)
        assert loaded is not None
        assert loaded.started_at == started
        assert loaded.started_at.utcoffset() == timedelta(0)
        assert loaded.started_at.tzinfo == UTC
        assert loaded.started_at.hour == 3 and loaded.started_at.minute == 45
        # Comparisons in SQL use UTC too.
        later = datetime(2025, 6, 1, 3, 46, tzinfo=UTC)
        found = s.exec(select(CheckinSession).where(col(CheckinSession.started_at) < later)).all()
        assert [c.id for c in found] == [checkin_id]


def test_naive_datetimes_are_refused(session_factory: Factory, world: World) -> None:
    naive = datetime(2025, 1, 1, 12, 0)
    with pytest.raises(ValueError, match="naive"):
        ensure_aware(naive)
    with session_factory() as s:
        with pytest.raises(StatementError) as info:
            sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=naive)
        assert isinstance(info.value.orig, ValueError)
        s.rollback()
        with pytest.raises(StatementError) as info:
            s.exec(select(Message).where(col(Message.next_attempt_at) <= naive)).all()
        assert isinstance(info.value.orig, ValueError)
    with pytest.raises(ValueError, match="naive"):
        with session_factory() as s:
            people.add_pairing(s, world.mentor_id, world.mentee_id, naive)


def test_utc_type_refuses_naive_directly() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2025, 1, 1), make_engine("sqlite://").dialect)


def test_created_at_defaults_to_the_database_clock(session_factory: Factory) -> None:
    with session_scope(session_factory) as s:
        program = people.add_program(s, "Clockless")
    # Loaded at INSERT: readable after the session closed.
    assert program.created_at is not None
    assert program.created_at.tzinfo == UTC
    assert abs(program.created_at - datetime.now(UTC)) < timedelta(minutes=5)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    moment=st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
    offset_minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_any_aware_datetime_round_trips(
    session_factory: Factory, moment: datetime, offset_minutes: int
) -> None:
    local = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    with session_scope(session_factory) as s:
        event_id = audit.record(s, actor="test", action="tick", subject_type="t", now=local)
    with session_scope(session_factory) as s:
        loaded = s.get(AuditEvent, event_id)
        assert loaded is not None
        assert loaded.at == moment
        assert loaded.at.tzinfo == UTC


# --- people ----------------------------------------------------------------------------------


def test_programs_people_and_contacts(session_factory: Factory, world: World) -> None:
    with session_scope(session_factory) as s:
        program = people.get_program_by_name(s, "Harbor House")
        assert program is not None and program.id == world.program_id
        assert program.timezone == "America/New_York"
        assert program.quiet_start == "21:00" and program.quiet_end == "08:00"
        assert program.settings == {}
        assert people.get_program_by_name(s, "Nope") is None

        people.add_contact(s, world.mentee_id, Channel.sms, "+15551230001")
        people.add_contact(s, world.mentee_id, "telegram", "4242")
        found = people.find_contact(s, Channel.sms, "+15551230001")
        assert found is not None and found.person_id == world.mentee_id
        assert found.channel is Channel.sms
        assert found.opted_out is False and found.unreachable is False
        assert people.find_contact(s, "sms", "+15550000000") is None
        assert [c.channel for c in people.contacts_for(s, world.mentee_id)] == [
            Channel.sms,
            Channel.telegram,
        ]

        mentee = s.get(Person, world.mentee_id)
        assert mentee is not None
        assert mentee.role is Role.mentee and mentee.language == "es" and mentee.timezone is None
        assert [p.display_name for p in people.list_people(s)] == ["Ana", "Ben", "Cleo"]
        assert [p.id for p in people.list_people(s, role=Role.mentor)] == [world.mentor_id]
        assert people.list_people(s, program_id=world.program_id + 1000) == []


def test_json_settings_track_in_place_changes(session_factory: Factory, world: World) -> None:
    with session_scope(session_factory) as s:
        program = s.get(Program, world.program_id)
        assert program is not None
        program.settings["quiet_hours"] = False
    with session_scope(session_factory) as s:
        program = s.get(Program, world.program_id)
        assert program is not None and program.settings == {"quiet_hours": False}


def test_contact_point_is_unique_per_channel_and_address(
    session_factory: Factory, world: World
) -> None:
    with session_scope(session_factory) as s:
        people.add_contact(s, world.mentee_id, Channel.sms, "+15551230001")
        people.add_contact(s, world.mentor_id, Channel.telegram, "+15551230001")  # other channel
    with pytest.raises(IntegrityError):
        with session_scope(session_factory) as s:
            people.add_contact(s, world.mentor_id, Channel.sms, "+15551230001")
    with session_scope(session_factory) as s:
        assert count(s, ContactPoint) == 2


def test_unknown_enum_values_are_refused(session_factory: Factory, world: World) -> None:
    with pytest.raises(ValueError):
        with session_factory() as s:
            people.add_contact(s, world.mentee_id, "carrier-pigeon", "coop 4")


def test_pairing_checks_roles(session_factory: Factory, world: World) -> None:
    with session_factory() as s:
        with pytest.raises(ValueError, match="is a mentee, not a mentor"):
            people.add_pairing(s, world.mentee_id, world.mentor_id, NOW)
        with pytest.raises(ValueError, match="is a supervisor, not a mentor"):
            people.add_pairing(s, world.supervisor_id, world.mentee_id, NOW)
        with pytest.raises(ValueError, match="is a mentor, not a mentee"):
            people.add_pairing(s, world.mentor_id, world.mentor_id, NOW)
        with pytest.raises(ValueError, match="does not exist"):
            people.add_pairing(s, world.mentor_id, 999_999, NOW)
        assert count(s, Pairing) == 0


def test_pairing_across_programs_is_refused(session_factory: Factory, world: World) -> None:
    with session_factory() as s:
        other = people.add_program(s, "Elsewhere")
        assert other.id is not None
        stranger = people.add_person(s, other.id, Role.mentee, "Dee")
        assert stranger.id is not None
        with pytest.raises(ValueError, match="different programs"):
            people.add_pairing(s, world.mentor_id, stranger.id, NOW)


def test_mentors_of_respects_the_active_window(session_factory: Factory, world: World) -> None:
    with session_scope(session_factory) as s:
        pairing = people.add_pairing(s, world.mentor_id, world.mentee_id, NOW)
        assert pairing.program_id == world.program_id
        second = people.add_person(s, world.program_id, Role.mentor, "Eli")
        assert second.id is not None
        old = people.add_pairing(s, second.id, world.mentee_id, NOW - timedelta(days=30))
        old.active_until = NOW - timedelta(days=1)
    with session_scope(session_factory) as s:
        assert [p.id for p in people.mentors_of(s, world.mentee_id, NOW)] == [world.mentor_id]
        assert people.mentors_of(s, world.mentee_id, NOW - timedelta(days=60)) == []
        assert len(people.mentors_of(s, world.mentee_id, NOW - timedelta(days=2))) == 1
        assert [p.id for p in people.mentees_of(s, world.mentor_id, NOW)] == [world.mentee_id]


# --- sessions and answers --------------------------------------------------------------------


@pytest.mark.parametrize("lock", [False, True], ids=["plain", "locked"])
def test_active_session_for(session_factory: Factory, world: World, lock: bool) -> None:
    with session_scope(session_factory) as s:
        assert sessions.active_session_for(s, world.mentee_id, lock=lock) is None
        done = sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=NOW)
        done.status = SessionStatus.completed
        live = sessions.add_session(
            s,
            person_id=world.mentee_id,
            flow_id="mentee_checkin",
            flow_version=3,
            now=NOW,
            language="es",
            current_state="comfort",
            context={"vars": {"name": "Ana"}},
            channel="sms",
            address="+15551230001",
            nudge_at=NOW + timedelta(hours=4),
            expire_at=NOW + timedelta(hours=24),
        )
    with session_scope(session_factory) as s:
        found = sessions.active_session_for(s, world.mentee_id, lock=lock)
        assert found is not None and found.id == live.id
        assert found.status is SessionStatus.active and found.turn == 0
        assert found.context == {"vars": {"name": "Ana"}}
        assert found.expire_at == NOW + timedelta(hours=24)
        assert sessions.active_session_for(s, world.mentor_id, lock=lock) is None


def test_active_session_lock_serialises_turns(session_factory: Factory, world: World) -> None:
    """Two concurrent turns that read-modify-write the same session never lose an update."""
    with session_scope(session_factory) as s:
        sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=NOW)

    def turn(_: int) -> None:
        with session_scope(session_factory) as s:
            checkin = sessions.active_session_for(s, world.mentee_id, lock=True)
            assert checkin is not None
            seen = checkin.turn
            threading.Event().wait(0.05)
            checkin.turn = seen + 1

    _, errors = run_threads(4, turn)
    assert errors == []
    with session_scope(session_factory) as s:
        checkin = sessions.active_session_for(s, world.mentee_id)
        assert checkin is not None and checkin.turn == 4


def test_answers(session_factory: Factory, world: World, engine: Engine) -> None:
    with session_scope(session_factory) as s:
        checkin = sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=NOW)
        assert checkin.id is not None
        kw: dict[str, Any] = {"session_id": checkin.id, "person_id": world.mentee_id, "now": NOW}
        sessions.add_answer(s, key="comfort", raw_text="four", value=4, **kw)
        sessions.add_answer(s, key="ok", raw_text="yes", value=True, **kw)
        sessions.add_answer(s, key="note", raw_text="fine", value="fine", **kw)
        sessions.add_answer(s, key="safety", value=None, status="unanswered", **kw)
        checkin_id = checkin.id
    with session_scope(session_factory) as s:
        answers = sessions.answers_for_session(s, checkin_id)
        assert [(a.key, a.value, a.value_num, a.status) for a in answers] == [
            ("comfort", 4, 4.0, "answered"),
            ("ok", True, None, "answered"),
            ("note", "fine", None, "answered"),
            ("safety", None, None, "unanswered"),
        ]
        assert answers[0].created_at == NOW
        nulls = s.exec(select(func.count()).where(text("value IS NULL")).select_from(Answer))
        assert nulls.one() == 1  # an absent value is SQL NULL, not JSON null


# --- messages --------------------------------------------------------------------------------


def test_record_inbound_dedupes_and_keeps_the_transaction(
    session_factory: Factory, world: World
) -> None:
    with session_scope(session_factory) as s:
        first = messages.record_inbound(
            s, Channel.sms, "+15551230001", "SM1", "4", world.mentee_id, NOW
        )
        assert first is not None and first.id is not None
        assert first.status is MessageStatus.received and first.direction == "inbound"
        again = messages.record_inbound(
            s, Channel.sms, "+15551230001", "SM1", "4", world.mentee_id, NOW
        )
        assert again is None
        # The outer transaction goes on after the duplicate.
        audit.record(s, actor="system", action="dup", subject_type="message", now=NOW)
        # Same provider id on another channel is another message; None ids never collide.
        assert messages.record_inbound(s, Channel.telegram, "42", "SM1", "x", None, NOW)
        assert messages.record_inbound(s, Channel.web, "1", None, "a", None, NOW)
        assert messages.record_inbound(s, Channel.web, "1", None, "b", None, NOW)
    with session_scope(session_factory) as s:
        assert count(s, Message) == 4
        assert count(s, AuditEvent) == 1
    with session_scope(session_factory) as s:  # a later transaction sees the duplicate too
        assert messages.record_inbound(s, "sms", "+15551230001", "SM1", "4", None, NOW) is None


def test_record_inbound_concurrent_duplicates(session_factory: Factory, world: World) -> None:
    def deliver(i: int) -> int | None:
        with session_scope(session_factory) as s:
            msg = messages.record_inbound(
                s, Channel.telegram, "4242", "update-77", f"copy {i}", world.mentee_id, NOW
            )
            return None if msg is None else msg.id

    results, errors = run_threads(6, deliver)
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert results.count(None) == 5
    with session_scope(session_factory) as s:
        assert count(s, Message) == 1


def test_enqueue_outbound_lanes_and_order(session_factory: Factory, world: World) -> None:
    with session_scope(session_factory) as s:
        routine = messages.enqueue_outbound(
            s,
            channel=Channel.sms,
            address="+15551230001",
            body="How are you?",
            kind="question",
            lane=Lane.routine,
            person_id=world.mentee_id,
            now=NOW,
        )
        urgent = messages.enqueue_outbound(
            s,
            channel="sms",
            address="+15551230009",
            body="ACK?",
            kind="alert",
            lane="urgent",
            now=NOW + timedelta(seconds=5),
        )
        assert (routine.priority, urgent.priority) == (1, 0)
        assert routine.status is MessageStatus.pending and routine.attempts == 0
        assert routine.next_attempt_at == NOW
        # Priority always follows the lane, even when set by hand.
        urgent.priority = 1
    with session_scope(session_factory) as s:
        due = s.exec(
            select(Message)
            .where(Message.status == MessageStatus.pending)
            .order_by(col(Message.priority), col(Message.next_attempt_at))
        ).all()
        assert [m.kind for m in due] == ["alert", "question"]
        assert due[0].lane is Lane.urgent and due[0].priority == 0


def test_cancel_pending_to(session_factory: Factory, world: World) -> None:
    addr = "+15551230001"
    with session_scope(session_factory) as s:
        ids: dict[str, int] = {}
        for name, lane, status, address in [
            ("pending", Lane.routine, MessageStatus.pending, addr),
            ("urgent", Lane.urgent, MessageStatus.pending, addr),
            ("sending", Lane.routine, MessageStatus.sending, addr),
            ("sent", Lane.routine, MessageStatus.sent, addr),
            ("other", Lane.routine, MessageStatus.pending, "+15559999999"),
        ]:
            m = messages.enqueue_outbound(
                s, channel="sms", address=address, body=name, kind="info", lane=lane, now=NOW
            )
            m.status = status
            s.flush()
            assert m.id is not None
            ids[name] = m.id
        inbound = messages.record_inbound(s, "sms", addr, "SMin", "STOP", None, NOW)
        assert inbound is not None

        later = NOW + timedelta(minutes=1)
        assert messages.cancel_pending_to(s, Channel.sms, addr, later) == 3
        # The identity map reflects the update without a reload.
        loaded = s.get(Message, ids["pending"])
        assert loaded is not None and loaded.status is MessageStatus.cancelled
        assert messages.pending_to(s, "sms", addr) == []
    with session_scope(session_factory) as s:
        statuses = {name: s.get(Message, i).status for name, i in ids.items()}  # type: ignore[union-attr]
        assert statuses == {
            "pending": MessageStatus.cancelled,
            "urgent": MessageStatus.cancelled,
            "sending": MessageStatus.cancelled,
            "sent": MessageStatus.sent,
            "other": MessageStatus.pending,
        }
        cancelled = s.get(Message, ids["urgent"])
        assert cancelled is not None and cancelled.updated_at == NOW + timedelta(minutes=1)
        assert s.get(Message, inbound.id).status is MessageStatus.received  # type: ignore[union-attr]
        assert messages.cancel_pending_to(s, "sms", addr, NOW) == 0


# --- escalations -----------------------------------------------------------------------------


def _raise(s: Session, world: World, session_id: int | None, level: str, reasons: list[str],
           evidence: list[str]) -> tuple[Escalation, bool]:  # fmt: skip
    return escalations.add_or_merge_escalation(
        s,
        program_id=world.program_id,
        person_id=world.mentee_id,
        session_id=session_id,
        level=level,
        reasons=reasons,
        evidence=evidence,
        now=NOW,
        due_at=NOW + timedelta(hours=24),
        about_mentor_id=world.mentor_id,
    )


def test_escalations_merge_per_session_and_level(session_factory: Factory, world: World) -> None:
    with session_scope(session_factory) as s:
        checkin = sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=NOW)
        sid = checkin.id
        esc, created = _raise(s, world, sid, "concern", ["low_comfort"], ["comfort=2"])
        assert created and esc.reasons == ["low_comfort"] and esc.status == "open"
        assert esc.about_mentor_id == world.mentor_id
        same, created = _raise(
            s, world, sid, "concern", ["feels_unsafe", "low_comfort"], ["comfort=2", "safety=2"]
        )
        assert not created and same.id == esc.id
        assert same.reasons == ["low_comfort", "feels_unsafe"]
        assert same.evidence == ["comfort=2", "safety=2"]
        urgent, created = _raise(s, world, sid, "urgent", ["feels_unsafe"], ["safety=1"])
        assert created and urgent.id != esc.id
        # Without a session, nothing merges.
        assert _raise(s, world, None, "watch", ["missed"], [])[1]
        assert _raise(s, world, None, "watch", ["missed"], [])[1]
    with session_scope(session_factory) as s:
        rows = s.exec(select(Escalation).order_by(col(Escalation.id))).all()
        assert [(e.session_id, e.level) for e in rows] == [
            (sid, "concern"),
            (sid, "urgent"),
            (None, "watch"),
            (None, "watch"),
        ]
        assert rows[0].reasons == ["low_comfort", "feels_unsafe"]
    with pytest.raises(IntegrityError):  # the database enforces it, too
        with session_scope(session_factory) as s:
            s.add(Escalation(program_id=world.program_id, person_id=world.mentee_id,
                             session_id=sid, level="concern", raised_at=NOW, due_at=NOW,
                             updated_at=NOW))  # fmt: skip


def test_concurrent_escalations_end_up_in_one_row(session_factory: Factory, world: World) -> None:
    with session_scope(session_factory) as s:
        sid = sessions.add_session(s, person_id=world.mentee_id, flow_id="f", now=NOW).id

    def raise_one(i: int) -> bool:
        with session_scope(session_factory) as s:
            return _raise(s, world, sid, "urgent", [f"reason{i}"], [f"text{i}"])[1]

    results, errors = run_threads(5, raise_one)
    assert errors == []
    assert sorted(results) == [False, False, False, False, True]
    with session_scope(session_factory) as s:
        rows = s.exec(select(Escalation)).all()
        assert len(rows) == 1
        assert sorted(rows[0].reasons) == [f"reason{i}" for i in range(5)]


# --- audit and transactions ------------------------------------------------------------------


def test_audit_record(session_factory: Factory) -> None:
    with session_scope(session_factory) as s:
        event_id = audit.record(
            s,
            actor="person:5",
            action="escalation.ack",
            subject_type="escalation",
            subject_id=7,
            detail={"via": "sms", "n": 1},
            now=NOW,
        )
    with session_scope(session_factory) as s:
        loaded = s.get(AuditEvent, event_id)
        assert loaded is not None
        assert (loaded.actor, loaded.subject_id, loaded.detail) == (
            "person:5",
            7,
            {"via": "sms", "n": 1},
        )
        assert loaded.at == NOW


def test_helpers_never_commit(session_factory: Factory, world: World) -> None:
    with session_factory() as s:
        people.add_program(s, "Ghost program")
        person = people.add_person(s, world.program_id, Role.mentee, "Ghost")
        assert person.id is not None
        people.add_contact(s, person.id, Channel.sms, "+15550000001")
        people.add_pairing(s, world.mentor_id, person.id, NOW)
        checkin = sessions.add_session(s, person_id=person.id, flow_id="f", now=NOW)
        assert checkin.id is not None
        sessions.add_answer(s, session_id=checkin.id, person_id=person.id, key="k", now=NOW)
        messages.record_inbound(s, Channel.sms, "+15550000001", "SMg", "hi", person.id, NOW)
        messages.enqueue_outbound(
            s, channel="sms", address="+15550000001", body="b", kind="info", lane="routine",
            now=NOW,
        )  # fmt: skip
        messages.cancel_pending_to(s, "sms", "+15550000001", NOW)
        _raise(s, world, checkin.id, "concern", ["r"], ["e"])
        audit.record(s, actor="cli", action="x", subject_type="y", now=NOW)
        s.rollback()
    with session_scope(session_factory) as s:
        assert count(s, Program) == 1
        assert count(s, Person) == 3
        for model in (ContactPoint, Pairing, CheckinSession, Answer, Message, Escalation):
            assert count(s, model) == 0, model.__name__
        assert count(s, AuditEvent) == 0


def test_session_scope_commits_or_rolls_back(session_factory: Factory) -> None:
    with session_scope(session_factory) as s:
        people.add_program(s, "Kept")
    with pytest.raises(RuntimeError):
        with session_scope(session_factory) as s:
            people.add_program(s, "Dropped")
            raise RuntimeError("boom")
    with session_scope(session_factory) as s:
        assert people.get_program_by_name(s, "Kept") is not None
        assert people.get_program_by_name(s, "Dropped") is None


def test_engine_kind_helpers(engine: Engine, db_url: str) -> None:
    assert is_sqlite(engine) == db_url.startswith("sqlite")
    assert is_postgres(engine) == db_url.startswith("postgresql")


# --- SQLite transaction mode -----------------------------------------------------------------


def _read_modify_write(
    factory: Factory, threads: int, *, all_read_first: bool = False
) -> list[BaseException]:
    """Each thread: in one transaction, read the counter, pause, write it back plus one."""
    after_read = threading.Barrier(threads, timeout=10)

    def work(_: int) -> None:
        with session_scope(factory) as s:
            value = s.execute(text("SELECT n FROM counter")).scalar_one()
            if all_read_first:
                after_read.wait()  # every thread holds a read snapshot before anyone writes
            else:
                threading.Event().wait(0.05)  # widen the race window
            s.execute(text("UPDATE counter SET n = :n"), {"n": value + 1})

    return run_threads(threads, work)[1]


def test_sqlite_begin_immediate_serialises_writers(sqlite_db_url: str) -> None:
    engine = make_engine(sqlite_db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE counter (n INTEGER NOT NULL)")
            conn.exec_driver_sql("INSERT INTO counter VALUES (0)")
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        errors = _read_modify_write(make_session_factory(engine), threads=4)
        assert errors == []
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT n FROM counter").scalar() == 4
    finally:
        engine.dispose()


def test_sqlite_deferred_transactions_would_fail(sqlite_db_url: str) -> None:
    """The control experiment: without BEGIN IMMEDIATE the same workload hits SQLITE_BUSY."""
    engine = make_engine(sqlite_db_url, sqlite_begin="DEFERRED")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE counter (n INTEGER NOT NULL)")
            conn.exec_driver_sql("INSERT INTO counter VALUES (0)")
        errors = _read_modify_write(make_session_factory(engine), threads=2, all_read_first=True)
        assert errors and all(isinstance(e, OperationalError) for e in errors)
        assert "locked" in str(errors[0])
    finally:
        engine.dispose()


def test_sqlite_foreign_keys_are_enforced(sqlite_db_url: str) -> None:
    engine = make_engine(sqlite_db_url)
    try:
        with pytest.raises(IntegrityError):
            with session_scope(make_session_factory(engine)) as s:
                people.add_person(s, 12345, Role.mentee, "Orphan")
    finally:
        engine.dispose()
