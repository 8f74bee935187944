"""Scheduled check-ins: claiming due schedules, bulk starts, quiet hours, coalescing, restarts.

The clock is a parameter everywhere: no test sleeps. NOW (tests.bot.helpers) is Monday
2026-03-02 17:00 UTC, 12:00 in New York (the programs' timezone), outside quiet hours.
"""

from __future__ import annotations

import gc
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.bulk_start import StartRequest, start_many
from bot.contacts import choose_contact, choose_contacts
from bot.context import AppContext
from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.jobs import dispatch as dispatch_module
from bot.jobs.dispatch import (
    claim_due_schedules,
    dispatch_due_checkins,
    run_dispatch,
)
from bot.jobs.timers import fire_due_timers
from bot.runner import start_checkin
from bot.settings import load_settings
from flows.model import Expect, Flow, Goto, StateDef
from storage import writes
from storage.db import make_engine
from storage.models import (
    AuditEvent,
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Message,
    Person,
    PersonStatus,
    Program,
    Role,
    Schedule,
    SessionStatus,
)
from storage.queries import people, staff_conversations
from tests.bot.helpers import NOW, database_for, outbox

FLOWS = load_configured_flows(load_settings())
WEEKLY_NOON = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0"  # NOW is one of its occurrences
NEXT_WEEK = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)  # 12:00 EDT: DST began on March 8
NY = "America/New_York"


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def mentee(
    db: Session, name: str, *, channel: Channel = Channel.telegram, address: str | None = None,
    consent: bool = True, due: datetime | None = NOW, rule: str = WEEKLY_NOON,
    timezone: str | None = None, status: PersonStatus = PersonStatus.active,
    contact: bool = True,
) -> Person:
    """A mentee of 'Hope House' (New York, quiet 21:00-08:00) with one contact and a schedule
    of `mentee_checkin` due at `due` (none when `due` is None)."""
    program = people.get_program_by_name(db, "Hope House") or people.add_program(
        db, "Hope House", timezone=NY, now=NOW - timedelta(days=30)
    )
    assert program.id is not None
    person = people.add_person(db, program.id, Role.mentee, name, timezone=timezone,
                               now=NOW - timedelta(days=30))
    person.status = status
    assert person.id is not None
    if contact:
        people.add_contact(db, person.id, channel, address or _address(channel, person.id),
                           consent_at=NOW - timedelta(days=30) if consent else None,
                           now=NOW - timedelta(days=30))
    if due is not None:
        db.add(Schedule(person_id=person.id, flow_id="mentee_checkin", rule=rule,
                        timezone=timezone or program.timezone, next_due_at=due,
                        created_at=NOW - timedelta(days=30)))
    db.flush()
    return person


def _address(channel: Channel, person_id: int) -> str:
    return f"+1555000{person_id:04d}" if channel == Channel.sms else str(7_000_000 + person_id)


def dispatch(database: Database, now: datetime, limit: int = 1000) -> Any:
    with database.transaction() as db:
        return dispatch_due_checkins(db, FLOWS, now, limit)


def sessions_of(db: Session, person_id: int) -> list[CheckinSession]:
    stmt = select(CheckinSession).where(CheckinSession.person_id == person_id)
    return list(db.exec(stmt.order_by(col(CheckinSession.id))).all())


def schedule_of(db: Session, person_id: int) -> Schedule:
    return db.exec(select(Schedule).where(Schedule.person_id == person_id)).one()


def contact_of(db: Session, person_id: int) -> ContactPoint:
    return people.contacts_for(db, person_id)[0]


# --- dispatch ------------------------------------------------------------------------------


def test_due_schedules_start_once_and_advance(database: Database) -> None:
    with database.transaction() as db:
        ids = [mentee(db, "Ana Torres").id, mentee(db, "Bo Lin", channel=Channel.sms).id,
               mentee(db, "Cy Ruiz", due=NOW - timedelta(days=2)).id]
        later = mentee(db, "Di Park", due=NOW + timedelta(hours=1)).id
    report = dispatch(database, NOW)
    assert (report.claimed, report.started, report.skipped_by_reason) == (3, 3, {})
    assert dispatch(database, NOW).claimed == 0  # advanced: nothing due any more
    with database.transaction() as db:
        for pid in ids:
            assert pid is not None
            [row] = sessions_of(db, pid)
            assert row.status == SessionStatus.active and row.current_state == "comfort"
            assert (row.turn, row.nudge_at, row.expire_at) == (
                1, NOW + timedelta(hours=4), NOW + timedelta(hours=24))
            [question] = outbox(db, contact_of(db, pid).address)
            assert question.kind == "question" and question.session_id == row.id
            assert (question.body or "").startswith("Hi ")
            schedule = schedule_of(db, pid)
            assert (schedule.next_due_at, schedule.last_started_at) == (NEXT_WEEK, NOW)
        assert later is not None and sessions_of(db, later) == []
        assert schedule_of(db, later).next_due_at == NOW + timedelta(hours=1)
        [batch] = db.exec(select(AuditEvent).where(AuditEvent.action == "checkins_started")).all()
        assert batch.detail == {"count": 3, "flows": {"mentee_checkin": 3}}
        assert db.exec(select(AuditEvent).where(AuditEvent.action == "session_started")).all() == []


def test_skipped_people_are_advanced_without_a_start(database: Database) -> None:
    with database.transaction() as db:
        paused = mentee(db, "Pat Paused", status=PersonStatus.paused)
        exited = mentee(db, "Ex Ited", status=PersonStatus.exited)
        opted_out = mentee(db, "Oz Out")
        unreachable = mentee(db, "Una Reach")
        no_contact = mentee(db, "Nia None", contact=False)
        busy = mentee(db, "Bea Busy")
        assert opted_out.id and unreachable.id and busy.id
        contact_of(db, opted_out.id).opted_out = True
        contact_of(db, unreachable.id).unreachable = True
        assert start_checkin(db, FLOWS, busy, "mentee_checkin", contact_of(db, busy.id),
                             NOW - timedelta(hours=1)) is not None
        everyone = [paused, exited, opted_out, unreachable, no_contact, busy]
    report = dispatch(database, NOW)
    assert (report.claimed, report.started) == (6, 0)
    # choose_contact offers no contact that is opted out or unreachable.
    assert report.skipped_by_reason == {
        "person_paused": 1, "person_exited": 1, "no_contact": 3, "active_session": 1,
    }
    with database.transaction() as db:
        for person in everyone:
            assert person.id is not None
            schedule = schedule_of(db, person.id)
            assert (schedule.next_due_at, schedule.last_started_at) == (NEXT_WEEK, None)
            assert len(sessions_of(db, person.id)) == (1 if person is busy else 0)
        assert len(db.exec(select(Message)).all()) == 1  # the busy mentee's earlier question


def test_quiet_hours_defer_to_the_morning(database: Database) -> None:
    late = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # 22:00 in New York, 19:00 in Los Angeles
    morning = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)  # 08:00 in New York
    with database.transaction() as db:
        ny = mentee(db, "Nova York", due=late, rule="FREQ=DAILY;BYHOUR=22;BYMINUTE=0")
        la = mentee(db, "Lee Angel", due=late, rule="FREQ=DAILY;BYHOUR=19;BYMINUTE=0",
                    timezone="America/Los_Angeles")
        assert ny.id and la.id
    report = dispatch(database, late)
    assert (report.claimed, report.started, report.deferred_quiet) == (2, 1, 1)
    with database.transaction() as db:
        assert sessions_of(db, ny.id) == [] and outbox(db, contact_of(db, ny.id).address) == []
        assert schedule_of(db, ny.id).next_due_at == morning
        assert len(sessions_of(db, la.id)) == 1  # the person's own timezone decides
    assert dispatch(database, morning - timedelta(minutes=1)).claimed == 0
    report = dispatch(database, morning + timedelta(minutes=2))
    assert (report.claimed, report.started) == (1, 1)
    with database.transaction() as db:
        [row] = sessions_of(db, ny.id)
        assert row.started_at == morning + timedelta(minutes=2)
        schedule = schedule_of(db, ny.id)
        assert schedule.next_due_at == datetime(2026, 3, 4, 3, 0, tzinfo=UTC)  # 22:00 again
        assert schedule.last_started_at == morning + timedelta(minutes=2)


def test_sms_without_consent_gets_a_consent_request_and_no_checkin(database: Database) -> None:
    with database.transaction() as db:
        person = mentee(db, "Sam Sms", channel=Channel.sms, consent=False,
                        rule="FREQ=DAILY;BYHOUR=12;BYMINUTE=0")
        assert person.id is not None
        address = contact_of(db, person.id).address
    report = dispatch(database, NOW)
    assert report.skipped_by_reason == {"consent_requested": 1} and report.started == 0
    report = dispatch(database, NOW + timedelta(days=1))  # asked yesterday: not again
    assert report.skipped_by_reason == {"consent_pending": 1}
    with database.transaction() as db:
        assert sessions_of(db, person.id) == []
        [ask] = outbox(db, address)
        assert ask.kind == "consent_request" and ask.session_id is None
        assert "Sam" in (ask.body or "") and "Hope House" in (ask.body or "")
        schedule = schedule_of(db, person.id)
        assert schedule.next_due_at == datetime(2026, 3, 4, 17, 0, tzinfo=UTC)
        assert schedule.last_started_at is None
    report = dispatch(database, NOW + timedelta(days=7))  # a week without an answer: ask again
    assert report.skipped_by_reason == {"consent_requested": 1}


def test_a_long_outage_starts_one_checkin_not_one_per_missed_occurrence(
    database: Database,
) -> None:
    back = NOW + timedelta(days=21, hours=3)
    with database.transaction() as db:
        person = mentee(db, "Olu Tage")
        assert person.id is not None
    report = dispatch(database, back)
    assert (report.claimed, report.started) == (1, 1)
    assert dispatch(database, back).claimed == 0
    with database.transaction() as db:
        assert len(sessions_of(db, person.id)) == 1
        schedule = schedule_of(db, person.id)
        assert back < schedule.next_due_at <= back + timedelta(days=7)
        assert schedule.next_due_at == datetime(2026, 3, 30, 16, 0, tzinfo=UTC)


def test_a_rule_with_no_more_occurrences_pauses_its_schedule(database: Database) -> None:
    with database.transaction() as db:
        person = mentee(db, "Ugo Until",
                        rule="FREQ=DAILY;BYHOUR=12;BYMINUTE=0;UNTIL=20260302T235959")
        assert person.id is not None
    assert dispatch(database, NOW).started == 1
    with database.transaction() as db:
        schedule = schedule_of(db, person.id)
        assert schedule.paused and schedule.next_due_at == NOW
    assert dispatch(database, NOW + timedelta(days=30)).claimed == 0


def test_batches_claim_oldest_due_first(database: Database) -> None:
    with database.transaction() as db:
        newer = mentee(db, "New Er", due=NOW - timedelta(hours=1))
        older = mentee(db, "Old Er", due=NOW - timedelta(hours=2))
        mentee(db, "Not Yet", due=NOW + timedelta(seconds=1))
    with database.transaction() as db:
        claimed = claim_due_schedules(db, NOW, limit=5)
        assert [s.person_id for s in claimed] == [older.id, newer.id]
    report = dispatch(database, NOW, limit=1)
    assert report.claimed == 1
    with database.transaction() as db:
        assert older.id is not None and len(sessions_of(db, older.id)) == 1


# --- start_many ----------------------------------------------------------------------------


def _columns(row: Any, skip: set[str]) -> dict[str, Any]:
    return {k: v for k, v in row.model_dump().items() if k not in skip}


EVENING = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 18:30 in New York: the nudge is at 22:30


@pytest.mark.parametrize("channel,consent,at", [
    (Channel.telegram, True, NOW), (Channel.sms, True, EVENING), (Channel.sms, False, NOW),
], ids=["telegram", "sms-nudge-in-quiet-hours", "sms-without-consent"])
def test_start_many_of_one_leaves_the_rows_start_checkin_leaves(
    database: Database, channel: Channel, consent: bool, at: datetime,
) -> None:
    with database.transaction() as db:
        one = mentee(db, "Ana Torres", channel=channel, consent=consent, due=None)
        other = mentee(db, "Ana Torres", channel=channel, consent=consent, due=None)
        assert one.id and other.id
        program = db.get(Program, one.program_id)
        assert program is not None
        row = start_checkin(db, FLOWS, one, "mentee_checkin", contact_of(db, one.id), at)
        [outcome] = start_many(
            db, FLOWS, [StartRequest(other, program, contact_of(db, other.id), "mentee_checkin")],
            at)
        assert (row is None) == (outcome.session_id is None) == (not consent)
        assert outcome.skipped == (None if consent else "consent_requested")
        sessions_one, sessions_other = sessions_of(db, one.id), sessions_of(db, other.id)
        assert len(sessions_one) == len(sessions_other) == (1 if consent else 0)
        for a, b in zip(sessions_one, sessions_other, strict=True):
            assert _columns(a, {"id", "person_id", "address"}) == _columns(
                b, {"id", "person_id", "address"})
            if at == EVENING:  # moved out of quiet hours, as the runner moves it
                assert b.nudge_at == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
        msgs_one = outbox(db, contact_of(db, one.id).address)
        msgs_other = outbox(db, contact_of(db, other.id).address)
        assert len(msgs_one) == len(msgs_other) == 1
        skip = {"id", "person_id", "session_id", "address"}
        assert _columns(msgs_one[0], skip) == _columns(msgs_other[0], skip)


def _flow_with_a_greeting() -> Flow:
    """mentee_checkin with a 'say' state first: its Start queues two messages."""
    flow = FLOWS["mentee_checkin"]
    hello = StateDef(name="hello", line=0, key="hello", expect=Expect("none"),
                     ask={"en": "Welcome to check-ins!", "es": "¡Bienvenido/a!"},
                     next=(Goto("comfort"),))
    return replace(flow, id="greeting_checkin", start="hello",
                   states={**flow.states, "hello": hello})


def test_start_many_queues_each_sessions_messages_in_the_engines_order(
    database: Database,
) -> None:
    flows = {**FLOWS, "greeting_checkin": _flow_with_a_greeting()}
    with database.transaction() as db:
        people_ = [mentee(db, f"P{n} Q", due=None) for n in range(4)]
        program = db.get(Program, people_[0].program_id)
        assert program is not None
        requests = [
            StartRequest(p, program, contact_of(db, p.id or 0),
                         "greeting_checkin" if n % 2 == 0 else "mentee_checkin")
            for n, p in enumerate(people_)
        ]
        assert all(o.started for o in start_many(db, flows, requests, NOW))
        for n, p in enumerate(people_):
            kinds = [m.kind for m in outbox(db, contact_of(db, p.id or 0).address)]
            assert kinds == (["info", "question"] if n % 2 == 0 else ["question"])


def test_start_many_rows_split_over_several_inserts_stay_in_order(
    database: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite inserts a batch's rows a few hundred per statement: across statement boundaries
    each session still gets its own messages, in the engine's order."""
    monkeypatch.setattr(writes, "SQLITE_ROWS_PER_INSERT", 3)
    flows = {**FLOWS, "greeting_checkin": _flow_with_a_greeting()}
    with database.transaction() as db:
        people_ = [mentee(db, f"P{n} Q", due=None) for n in range(7)]
        program = db.get(Program, people_[0].program_id)
        assert program is not None
        requests = [StartRequest(p, program, contact_of(db, p.id or 0), "greeting_checkin")
                    for p in people_]
        outcomes = start_many(db, flows, requests, NOW)
        for p, outcome in zip(people_, outcomes, strict=True):
            assert p.id is not None and outcome.session_id is not None
            first_name = p.display_name.split()[0]
            [row] = sessions_of(db, p.id)
            assert row.id == outcome.session_id and row.context["values"]["name"] == first_name
            sent = outbox(db, contact_of(db, p.id).address)
            assert [(m.kind, m.session_id, m.person_id) for m in sent] == [
                ("info", row.id, p.id), ("question", row.id, p.id)]
            assert (sent[1].body or "").startswith(f"Hi {first_name},")


def test_start_many_handles_repeats_and_bad_requests_within_one_batch(
    database: Database,
) -> None:
    with database.transaction() as db:
        twice = mentee(db, "Tw Ice", due=None)
        sms = mentee(db, "Sm Sms", channel=Channel.sms, consent=False, due=None)
        assert twice.id and sms.id
        program = db.get(Program, twice.program_id)
        assert program is not None
        tw, sm = contact_of(db, twice.id), contact_of(db, sms.id)
        outcomes = start_many(db, FLOWS, [
            StartRequest(twice, program, tw, "mentee_checkin"),
            StartRequest(twice, program, tw, "mentee_checkin"),
            StartRequest(sms, program, sm, "mentee_checkin"),
            StartRequest(sms, program, sm, "mentee_checkin"),
            StartRequest(twice, program, tw, "no_such_flow"),
            StartRequest(sms, program, None, "mentee_checkin"),
        ], NOW)
        assert [o.skipped for o in outcomes] == [
            None, "active_session", "consent_requested", "consent_pending", "unknown_flow",
            "no_contact",
        ]
        assert outcomes[0].started and len(sessions_of(db, twice.id)) == 1
        assert [m.kind for m in outbox(db, sm.address)] == ["consent_request"]
        assert start_many(db, FLOWS, [], NOW) == []


def test_bulk_contact_choice_matches_choose_contact(database: Database) -> None:
    with database.transaction() as db:
        both = mentee(db, "Bo Th", channel=Channel.sms, due=None)
        used_sms = mentee(db, "Us Ed", channel=Channel.sms, due=None)
        out = mentee(db, "Ou T", due=None)
        none = mentee(db, "No Ne", contact=False, due=None)
        assert both.id and used_sms.id and out.id and none.id
        for person in (both, used_sms):
            assert person.id is not None
            people.add_contact(db, person.id, Channel.telegram, str(9_000_000 + person.id),
                               now=NOW)
        contact_of(db, out.id).opted_out = True
        # used_sms answered their last check-in by SMS: the next one goes there too.
        sms_contact = contact_of(db, used_sms.id)
        start_checkin(db, FLOWS, used_sms, "mentee_checkin", sms_contact, NOW - timedelta(days=7))
        ids = [both.id, used_sms.id, out.id, none.id]
        bulk = choose_contacts(db, ids)
        for pid in ids:
            single = choose_contact(db, pid)
            assert (bulk.get(pid).id if pid in bulk else None) == (  # type: ignore[union-attr]
                single.id if single else None)
        assert bulk[used_sms.id].channel == Channel.sms
        assert bulk[both.id].channel == Channel.telegram


def test_run_dispatch_works_through_every_batch_and_wakes_the_sender(
    db_url: str, database: Database,
) -> None:
    with database.transaction() as db:
        for n in range(7):
            mentee(db, f"Mentee {n}", due=NOW - timedelta(minutes=n))
    woken: list[bool] = []
    ctx = AppContext(settings=load_settings(database_url=db_url), database=database,
                     flows=FLOWS, clock=lambda: NOW)
    ctx.sender = SimpleNamespace(wake=lambda: woken.append(True))  # type: ignore[assignment]
    assert run_dispatch(ctx, limit=3) == 7  # batches of 3, 3 and 1
    assert len(woken) == 3
    assert run_dispatch(ctx, limit=3) == 0
    with database.transaction() as db:
        assert len(db.exec(select(CheckinSession)).all()) == 7
        # On PostgreSQL two workers claim batches side by side, so the short batch may commit
        # before the second full one: the batches are what matters, not their order.
        assert sorted(a.detail["count"] for a in db.exec(select(AuditEvent).where(
            AuditEvent.action == "checkins_started"))) == [1, 3, 3]


@pytest.mark.postgresql
def test_two_transactions_starting_one_person_start_one_checkin(pg_db_url: str) -> None:
    """Two of a person's schedules claimed by two instances at once: the person row lock makes
    the second transaction wait for the first and then see its session."""
    engine = make_engine(pg_db_url)
    database = database_for(pg_db_url, engine)
    try:
        with database.transaction() as db:
            person = mentee(db, "Two Flows")
            assert person.id is not None
            db.add(Schedule(person_id=person.id, flow_id="mentor_checkin", rule=WEEKLY_NOON,
                            timezone=NY, next_due_at=NOW, created_at=NOW))
        first = database.factory()
        second = database.factory()
        try:
            a = dispatch_due_checkins(first, FLOWS, NOW, limit=1)
            with ThreadPoolExecutor(1) as pool:
                waiting = pool.submit(dispatch_due_checkins, second, FLOWS, NOW, 1)
                time.sleep(0.3)  # the second batch is now blocked on the person row
                assert not waiting.done()
                first.commit()
                b = waiting.result(timeout=10)
            second.commit()
        finally:
            first.close()
            second.close()
        assert (a.claimed, b.claimed) == (1, 1)
        assert (a.started, b.skipped_by_reason) == (1, {"active_session": 1})
        with database.transaction() as db:
            assert len(sessions_of(db, person.id)) == 1
    finally:
        engine.dispose()


# --- restarts ------------------------------------------------------------------------------


def test_restart_after_an_outage_coalesces_starts_and_keeps_every_timer(
    db_url: str, engine: Engine,
) -> None:
    """Run, stop, start again later (a new engine: nothing survives in memory): the schedule
    rows start one check-in each, and the session rows still get their nudge and expiry."""
    database = database_for(db_url, engine)
    with database.transaction() as db:
        due = [mentee(db, f"Due {n}") for n in range(2)]
        waiting = [mentee(db, f"Wait {n}", due=None) for n in range(2)]
        for person in waiting:
            assert person.id is not None
            start_checkin(db, FLOWS, person, "mentee_checkin", contact_of(db, person.id),
                          NOW - timedelta(hours=1))
    due_ids = [p.id for p in due if p.id is not None]
    waiting_ids = [p.id for p in waiting if p.id is not None]

    def run(at: datetime) -> tuple[int, int]:
        """One tick of the service after a restart: a fresh engine and session factory."""
        fresh = Database.open(db_url)
        try:
            with fresh.transaction() as db:
                timers = fire_due_timers(db, FLOWS, at)
            with fresh.transaction() as db:
                started = dispatch_due_checkins(db, FLOWS, at).started
            return timers, started
        finally:
            fresh.engine.dispose()

    assert run(NOW) == (0, 2)
    assert run(NOW + timedelta(hours=3, minutes=30)) == (2, 0)  # the waiting ones' nudges
    back = NOW + timedelta(days=20)  # down across two more Monday occurrences
    assert run(back) == (4, 2)  # every session expires; each schedule starts once
    assert run(back) == (0, 0)
    with database.transaction() as db:
        for pid in waiting_ids:
            [row] = sessions_of(db, pid)
            assert row.status == SessionStatus.expired
            kinds = [m.kind for m in outbox(db, contact_of(db, pid).address)]
            assert kinds == ["question", "nudge"]
        for pid in due_ids:
            first, second = sessions_of(db, pid)
            assert first.status == SessionStatus.expired and first.started_at == NOW
            assert second.status == SessionStatus.active and second.started_at == back
            schedule = schedule_of(db, pid)
            assert schedule.next_due_at == datetime(2026, 3, 23, 16, 0, tzinfo=UTC)
            assert schedule.last_started_at == back
        outbound = db.exec(select(Message).where(Message.direction == Direction.outbound)).all()
        assert sorted(m.kind for m in outbound) == ["nudge"] * 2 + ["question"] * 6


def test_a_batch_runs_without_the_cyclic_collector_which_is_back_on_afterwards(
    db_url: str, database: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with database.transaction() as db:
        for n in range(3):
            mentee(db, f"Mentee {n}", due=NOW - timedelta(minutes=n))
    seen: list[bool] = []
    real = dispatch_module.dispatch_due_checkins

    def batch(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(dispatch_module, "dispatch_due_checkins", batch)
    ctx = AppContext(settings=load_settings(database_url=db_url), database=database,
                     flows=FLOWS, clock=lambda: NOW)
    assert gc.isenabled()
    assert run_dispatch(ctx, limit=2, workers=1) == 3
    assert seen == [False, False]
    assert gc.isenabled()


def test_no_check_in_starts_while_staff_are_talking_with_the_mentee(database: Database) -> None:
    """A supervisor's conversation from the dashboard holds the mentee's replies; a check-in
    started then would sit unanswered and count as missed. The occurrence is skipped, and the
    next one starts once the conversation has closed."""
    with database.transaction() as db:
        ana = mentee(db, "Ana Torres")
        bo = mentee(db, "Bo Lee")
        assert ana.id is not None and bo.id is not None
        staff = people.add_person(db, ana.program_id, Role.supervisor, "Sam Rivera",
                                  now=NOW - timedelta(days=30))
        assert staff.id is not None
        staff_conversations.opened_or_extended(
            db, person_id=ana.id, program_id=ana.program_id, staff_id=staff.id,
            now=NOW - timedelta(hours=1), until=NOW + timedelta(hours=23))
    report = dispatch(database, NOW)
    assert (report.started, report.skipped_by_reason) == (1, {"staff_conversation": 1})
    with database.transaction() as db:
        assert sessions_of(db, ana.id) == [] and len(sessions_of(db, bo.id)) == 1
        assert schedule_of(db, ana.id).next_due_at == NEXT_WEEK
        staff_conversations.close(db, ana.id, by=staff.id, now=NOW + timedelta(hours=2))
    # (Bo's first check-in is still running: no timers ran in between.)
    assert dispatch(database, NEXT_WEEK).skipped_by_reason == {"active_session": 1}
    with database.transaction() as db:
        assert len(sessions_of(db, ana.id)) == 1
