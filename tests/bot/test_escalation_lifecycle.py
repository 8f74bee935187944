"""Escalation lifecycle: ACK / RESOLVE / reopen / view, the audit trail, and the queue order."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.escalation import lifecycle
from bot.escalation.lifecycle import EscalationError
from bot.policy import ack_deadline
from storage.models import (
    AuditEvent,
    Escalation,
    EscalationStatus,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
)
from storage.queries import escalations
from tests.bot.helpers import NOW, database_for, enrol

EVIDENCE = "he said he would hurt me if I told"
LATER = NOW + timedelta(minutes=7)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def raise_escalation(
    db: Session, person: Person, level: str = "urgent", *, at: datetime = NOW,
    evidence: tuple[str, ...] = (EVIDENCE,), about_mentor_id: int | None = None,
) -> Escalation:
    program = db.get(Program, person.program_id)
    assert program is not None and program.id is not None and person.id is not None
    esc, created = escalations.add_or_merge_escalation(
        db, program_id=program.id, person_id=person.id, session_id=None, level=level,
        reasons=["feels_unsafe"], evidence=evidence, now=at,
        due_at=ack_deadline(program, level, at), about_mentor_id=about_mentor_id,
    )
    assert created
    esc.next_alert_at = at
    db.flush()
    return esc


def audit_trail(db: Session, esc_id: int | None) -> list[AuditEvent]:
    return list(db.exec(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "escalation", AuditEvent.subject_id == esc_id)
        .order_by(col(AuditEvent.id))
    ).all())


@pytest.fixture
def setup(database: Database) -> tuple[int, int, int]:
    """(escalation id, supervisor id, mentee id): an open urgent escalation about Ana."""
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        sam = enrol(db, Role.supervisor, "Sam Rivera")
        esc = raise_escalation(db, ana)
        assert esc.id is not None and sam.id is not None and ana.id is not None
        return esc.id, sam.id, ana.id


def bring_to(db: Session, esc_id: int, state: str, sam: int) -> None:
    if state in ("acknowledged", "resolved"):
        lifecycle.acknowledge(db, esc_id, actor=f"person:{sam}", by_person_id=sam, now=NOW)
    if state == "resolved":
        lifecycle.resolve(db, esc_id, actor=f"person:{sam}", by_person_id=sam, note="called",
                          now=NOW)


def act(db: Session, esc_id: int, action: str, sam: int) -> Escalation:
    who = {"actor": f"person:{sam}", "by_person_id": sam, "now": LATER}
    if action == "ack":
        return lifecycle.acknowledge(db, esc_id, **who)  # type: ignore[arg-type]
    if action == "resolve":
        return lifecycle.resolve(db, esc_id, note="spoke with her", **who)  # type: ignore[arg-type]
    return lifecycle.reopen(db, esc_id, reason="new information", **who)  # type: ignore[arg-type]


# state before, action, state after (or the error message).
TRANSITIONS = [
    ("open", "ack", "acknowledged"),
    ("open", "resolve", "resolved"),
    ("open", "reopen", "#{id} is not resolved, so it cannot be reopened."),
    ("acknowledged", "ack", "acknowledged"),
    ("acknowledged", "resolve", "resolved"),
    ("acknowledged", "reopen", "#{id} is not resolved, so it cannot be reopened."),
    ("resolved", "ack", "#{id} is already resolved."),
    ("resolved", "resolve", "#{id} is already resolved."),
    ("resolved", "reopen", "open"),
]


@pytest.mark.parametrize(("before", "action", "after"), TRANSITIONS)
def test_transitions(
    database: Database, setup: tuple[int, int, int], before: str, action: str, after: str
) -> None:
    esc_id, sam, _ = setup
    with database.transaction() as db:
        bring_to(db, esc_id, before, sam)
    with database.transaction() as db:
        n_events = len(audit_trail(db, esc_id))
        if after.startswith("#"):
            with pytest.raises(EscalationError) as info:
                act(db, esc_id, action, sam)
            assert str(info.value) == after.format(id=esc_id)
        else:
            assert act(db, esc_id, action, sam).status == after
        events = audit_trail(db, esc_id)
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        if after.startswith("#") or before == after:
            assert esc.status == before  # refused or a no-op: nothing changed, nothing audited
            assert len(events) == n_events
        else:
            assert esc.status == after
            [event] = events[n_events:]
            assert event.actor == f"person:{sam}" and event.at == LATER
            assert event.action == {"ack": "escalation_acknowledged",
                                    "resolve": "escalation_resolved",
                                    "reopen": "escalation_reopened"}[action]


def test_acknowledge_stops_realerts_and_records_who(
    database: Database, setup: tuple[int, int, int]
) -> None:
    esc_id, sam, _ = setup
    with database.transaction() as db:
        acked = lifecycle.acknowledge(db, esc_id, actor=f"person:{sam}", by_person_id=sam,
                                      now=LATER)
        assert acked.next_alert_at is None
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        assert (esc.status, esc.acknowledged_by, esc.acknowledged_at, esc.next_alert_at) == (
            EscalationStatus.acknowledged, sam, LATER, None)
        [event] = audit_trail(db, esc_id)
        assert (event.action, event.actor, event.at) == ("escalation_acknowledged",
                                                        f"person:{sam}", LATER)
        assert event.detail == {"level": "urgent", "by_person_id": sam, "late": False}


def test_second_ack_is_a_no_op(database: Database, setup: tuple[int, int, int]) -> None:
    esc_id, sam, _ = setup
    with database.transaction() as db:
        kim = enrol(db, Role.supervisor, "Kim Lee")
        lifecycle.acknowledge(db, esc_id, actor=f"person:{sam}", by_person_id=sam, now=NOW)
        again = lifecycle.acknowledge(db, esc_id, actor=f"person:{kim.id}", by_person_id=kim.id,
                                      now=LATER)
        assert (again.acknowledged_by, again.acknowledged_at) == (sam, NOW)
        assert [e.action for e in audit_trail(db, esc_id)].count("escalation_acknowledged") == 1


def test_simultaneous_acks_serialise(database: Database, setup: tuple[int, int, int]) -> None:
    """Two supervisors tap ACK at once: the second waits for the first and changes nothing."""
    esc_id, sam, _ = setup
    with database.transaction() as db:
        kim_id = enrol(db, Role.supervisor, "Kim Lee").id
    second: list[Escalation | BaseException] = []

    def kim_acks() -> None:
        try:
            with database.factory() as db2, db2.begin():
                esc = lifecycle.acknowledge(db2, esc_id, actor=f"person:{kim_id}",
                                            by_person_id=kim_id, now=LATER)
                second.append(esc)
                assert esc.acknowledged_by == sam
        except BaseException as exc:
            second.append(exc)

    # Bypass Database.transaction's in-process lock so both really meet in the database.
    with database.factory() as db1, db1.begin():
        lifecycle.acknowledge(db1, esc_id, actor=f"person:{sam}", by_person_id=sam, now=NOW)
        thread = threading.Thread(target=kim_acks)
        thread.start()
        time.sleep(0.3)
        assert not second, "the second ACK must wait for the first transaction"
    thread.join(10)
    assert len(second) == 1 and isinstance(second[0], Escalation), second
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None and esc.acknowledged_by == sam
        assert [e.action for e in audit_trail(db, esc_id)].count("escalation_acknowledged") == 1


@pytest.mark.parametrize("note", ["", "   ", "\n"])
def test_resolve_requires_a_note(
    database: Database, setup: tuple[int, int, int], note: str
) -> None:
    esc_id, _, _ = setup
    with database.transaction() as db, pytest.raises(EscalationError, match="note is required"):
        lifecycle.resolve(db, esc_id, actor="cli", by_person_id=None, note=note, now=LATER)
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None and esc.status == EscalationStatus.open


def test_resolve_unacknowledged_counts_as_acknowledged_and_trims_the_note(
    database: Database, setup: tuple[int, int, int]
) -> None:
    esc_id, sam, _ = setup
    with database.transaction() as db:
        lifecycle.resolve(db, esc_id, actor=f"person:{sam}", by_person_id=sam,
                          note="  " + "x" * 1500, now=LATER)
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        assert esc.resolution_note == "x" * 1000
        assert (esc.acknowledged_by, esc.acknowledged_at) == (sam, LATER)
        assert (esc.resolved_by, esc.resolved_at, esc.next_alert_at) == (sam, LATER, None)


def test_reopen_sets_a_new_deadline_and_alerts_again(
    database: Database, setup: tuple[int, int, int]
) -> None:
    esc_id, sam, _ = setup
    reopened_at = NOW + timedelta(days=2)
    with database.transaction() as db:
        bring_to(db, esc_id, "resolved", sam)
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        esc.alert_round = 3
        lifecycle.reopen(db, esc_id, actor="cli", by_person_id=None, now=reopened_at,
                         reason="mentor called about her again")
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        assert esc.status == EscalationStatus.open
        assert esc.reopened_at == reopened_at
        assert esc.next_alert_at == reopened_at
        assert esc.due_at == reopened_at + timedelta(minutes=15)
        assert esc.alert_round == 0
        assert (esc.resolved_by, esc.resolved_at, esc.resolution_note) == (None, None, None)
        assert (esc.acknowledged_by, esc.acknowledged_at) == (None, None)
        last = audit_trail(db, esc_id)[-1]
        assert (last.action, last.actor, last.at) == ("escalation_reopened", "cli", reopened_at)
        assert last.detail["reason"] == "mentor called about her again"


def test_every_view_is_audited(database: Database, setup: tuple[int, int, int]) -> None:
    esc_id, _, _ = setup
    with database.transaction() as db:
        lifecycle.record_view(db, esc_id, actor="cli", now=LATER)
        lifecycle.record_view(db, esc_id, actor="person:9", now=LATER)
        views = [e for e in audit_trail(db, esc_id) if e.action == "escalation_viewed"]
        assert [(e.actor, e.at) for e in views] == [("cli", LATER), ("person:9", LATER)]
        with pytest.raises(EscalationError, match=r"^No escalation #999\.$"):
            lifecycle.record_view(db, 999, actor="cli", now=LATER)


def test_the_audit_trail_never_holds_the_mentees_words(
    database: Database, setup: tuple[int, int, int]
) -> None:
    esc_id, sam, _ = setup
    with database.transaction() as db:
        bring_to(db, esc_id, "resolved", sam)
        lifecycle.reopen(db, esc_id, actor="cli", by_person_id=None, now=LATER, reason=None)
        lifecycle.record_view(db, esc_id, actor="cli", now=LATER)
        lifecycle.acknowledge(db, esc_id, actor="cli", by_person_id=None, now=LATER)
        trail = audit_trail(db, esc_id)
        assert [e.action.removeprefix("escalation_") for e in trail] == [
            "acknowledged", "resolved", "reopened", "viewed", "acknowledged"]
        assert all(EVIDENCE not in repr(e.detail) for e in trail)


def test_queue_order_urgent_then_concern_then_watch_then_oldest(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        bo = enrol(db, Role.mentee, "Bo Chen")
        other = enrol(db, Role.mentee, "Cy Diaz", program_name="Elm Street")
        hours = lambda n: NOW - timedelta(hours=n)  # noqa: E731
        watch_old = raise_escalation(db, ana, "watch", at=hours(50))
        concern_new = raise_escalation(db, ana, "concern", at=hours(1))
        urgent_new = raise_escalation(db, ana, "urgent", at=hours(2))
        concern_old = raise_escalation(db, bo, "concern", at=hours(30))
        urgent_old = raise_escalation(db, bo, "urgent", at=hours(3))
        acked = raise_escalation(db, bo, "urgent", at=hours(10))
        resolved = raise_escalation(db, bo, "urgent", at=hours(20))
        elsewhere = raise_escalation(db, other, "urgent", at=hours(9))
        assert acked.id and resolved.id
        lifecycle.acknowledge(db, acked.id, actor="cli", by_person_id=None, now=NOW)
        lifecycle.resolve(db, resolved.id, actor="cli", by_person_id=None, note="ok", now=NOW)
        order = [urgent_old, urgent_new, concern_old, concern_new, watch_old]

        mine = lifecycle.queue(db, program_ids=[ana.program_id], now=NOW)
        assert [e.id for e in mine] == [e.id for e in [*order, acked]]
        assert [e.id for e in lifecycle.queue(db, program_ids=[ana.program_id], now=NOW,
                                              include_acknowledged=False)] == [e.id for e in order]
        everything = lifecycle.queue(db, program_ids=None, now=NOW, include_resolved=True)
        assert [e.id for e in everything] == [
            e.id for e in [elsewhere, urgent_old, urgent_new, *order[2:], acked, resolved]
        ]
        assert len(lifecycle.queue(db, program_ids=None, now=NOW, limit=2)) == 2
        assert lifecycle.queue(db, program_ids=[], now=NOW) == []


def test_programs_for_active_staff_only(database: Database) -> None:
    with database.transaction() as db:
        sam = enrol(db, Role.supervisor, "Sam Rivera")
        admin = enrol(db, Role.admin, "Ada Admin")
        mentee = enrol(db, Role.mentee, "Ana Torres")
        mentor = enrol(db, Role.mentor, "Max Mentor")
        assert lifecycle.programs_for(db, sam) == [sam.program_id]
        assert lifecycle.programs_for(db, admin) == [admin.program_id]
        assert lifecycle.programs_for(db, mentee) == []
        assert lifecycle.programs_for(db, mentor) == []
        sam.status = PersonStatus.exited
        assert lifecycle.programs_for(db, sam) == []


def test_conflict_of_interest(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        sam = enrol(db, Role.supervisor, "Sam Rivera")
        kim = enrol(db, Role.supervisor, "Kim Lee")
        assert ana.id and sam.id and kim.id
        esc = raise_escalation(db, ana, about_mentor_id=kim.id)
        assert not lifecycle.has_conflict(db, sam.id, esc, NOW)
        assert lifecycle.has_conflict(db, kim.id, esc, NOW)  # it is about Kim
        assert lifecycle.has_conflict(db, ana.id, esc, NOW)  # it is about Ana herself
        db.add(Pairing(program_id=ana.program_id, mentor_id=sam.id, mentee_id=ana.id,
                       active_from=NOW - timedelta(days=1), active_until=NOW + timedelta(days=1)))
        db.flush()
        assert lifecycle.has_conflict(db, sam.id, esc, NOW)  # Sam mentors Ana
        assert not lifecycle.has_conflict(db, sam.id, esc, NOW + timedelta(days=2))  # ended
