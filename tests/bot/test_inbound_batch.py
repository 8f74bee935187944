"""Group commit: concurrent turns share a transaction, each turn stays atomic and in order."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot import inbound, reply_turn
from bot.context import AppContext
from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.runner import start_checkin
from bot.settings import load_settings
from storage import writes
from storage.models import (
    Answer,
    Channel,
    CheckinSession,
    Direction,
    Escalation,
    Message,
    Role,
    SessionStatus,
)
from storage.queries import people, staff_conversations
from tests.bot.helpers import NOW, database_for, enrol

FLOWS = load_configured_flows(load_settings())


@pytest.fixture
def ctx(db_url: str, engine: Engine) -> AppContext:
    return AppContext(settings=load_settings(database_url=db_url),
                      database=database_for(db_url, engine), flows=FLOWS,
                      clock=lambda: NOW + timedelta(minutes=5))


def start(database: Database, name: str) -> tuple[str, int]:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, name)
        assert person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
        assert row is not None and row.id is not None
        return contact.address, row.id


def turn(address: str, text: str, provider_id: str) -> Any:
    return inbound._Turn(Channel.terminal.value, address, text, provider_id)


def inbound_ids(database: Database) -> list[str | None]:
    with database.transaction() as db:
        rows = db.exec(select(Message.provider_id).where(
            Message.direction == Direction.inbound).order_by(col(Message.id))).all()
        return list(rows)


def test_a_failing_turn_rolls_back_alone_and_the_others_commit(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ana_session = start(ctx.database, "Ana Torres")
    ben, ben_session = start(ctx.database, "Ben Ruiz")
    real_step = reply_turn.step

    def step(flow: Any, state: Any, event: Any, now: Any, **kwargs: Any) -> Any:
        if getattr(event, "text", "") == "boom":  # after the inbound row was written
            raise RuntimeError("flow bug")
        return real_step(flow, state, event, now, **kwargs)

    monkeypatch.setattr(reply_turn, "step", step)
    results = inbound.run_batch(ctx, [turn(ana, "4", "a1"), turn(ben, "boom", "b1"),
                                      turn(ana, "5", "a2")])
    assert [getattr(r, "outcome", type(r).__name__) for r in results] == [
        "reply", "RuntimeError", "reply"]
    assert inbound_ids(ctx.database) == ["a1", "a2"]  # nothing of the failed turn is stored
    with ctx.database.transaction() as db:
        ana_keys = db.exec(select(Answer.key).where(Answer.session_id == ana_session)).all()
        assert list(ana_keys) == ["comfort", "safety"]
        ben_row = db.get(CheckinSession, ben_session)
        assert ben_row is not None and ben_row.turn == 1  # still waiting on its first question
    # The provider delivers the failed message again: it is a new turn, not a duplicate.
    monkeypatch.setattr(reply_turn, "step", real_step)
    [again] = inbound.run_batch(ctx, [turn(ben, "3", "b1")])
    assert not isinstance(again, Exception) and again.outcome == "reply"


def test_a_turn_whose_write_fails_in_the_database_rolls_back_alone(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses one turn's write. On PostgreSQL that write is pipelined, so the
    error arrives later than the statement: it must still fail that turn alone."""
    ana, ana_session = start(ctx.database, "Ana Torres")
    ben, ben_session = start(ctx.database, "Ben Ruiz")
    real_insert = writes.insert_answers

    def insert_answers(db: Any, rows: Any, now: Any) -> None:
        # NOT NULL: refused by the database, not by Python
        real_insert(db, [(*row[:2], None, *row[3:]) if row[3] == "3" else row for row in rows],
                    now)

    monkeypatch.setattr(writes, "insert_answers", insert_answers)
    results = inbound.run_batch(ctx, [turn(ana, "4", "a1"), turn(ben, "3", "b1"),
                                      turn(ana, "5", "a2")])
    assert [getattr(r, "outcome", type(r).__name__) for r in results] == [
        "reply", "IntegrityError", "reply"]
    assert isinstance(results[1], IntegrityError)  # SQLAlchemy's type, as callers expect
    assert inbound_ids(ctx.database) == ["a1", "a2"]
    with ctx.database.transaction() as db:
        ana_keys = db.exec(select(Answer.key).where(Answer.session_id == ana_session)).all()
        assert list(ana_keys) == ["comfort", "safety"]
        ben_row = db.get(CheckinSession, ben_session)
        assert ben_row is not None and ben_row.turn == 1
        assert db.exec(select(Answer).where(Answer.session_id == ben_session)).all() == []
    monkeypatch.setattr(writes, "insert_answers", real_insert)
    [again] = inbound.run_batch(ctx, [turn(ben, "3", "b1")])  # redelivered: a new turn
    assert not isinstance(again, Exception) and again.outcome == "reply"


def test_a_repeat_in_the_same_batch_is_a_duplicate(ctx: AppContext) -> None:
    ana, _ = start(ctx.database, "Ana Torres")
    results = inbound.run_batch(ctx, [turn(ana, "4", "a1"), turn(ana, "4", "a1")])
    assert [getattr(r, "outcome", r) for r in results] == ["reply", "duplicate"]
    assert inbound_ids(ctx.database) == ["a1"]


async def test_concurrent_receives_keep_each_persons_order(ctx: AppContext) -> None:
    people_ = [start(ctx.database, f"Mentee {i}") for i in range(6)]
    replies = ["4", "5", "no", "no"]

    async def person(address: str, n: int) -> list[str]:
        outcomes = []
        for k, text in enumerate(replies):
            result = await inbound.receive(ctx, Channel.terminal.value, address, text,
                                           f"p{n}-{k}")
            outcomes.append(result.outcome)
        return outcomes

    # All of them at once, and each person's second copy of the first reply racing the first.
    tasks = [person(address, n) for n, (address, _) in enumerate(people_)]
    repeats = [inbound.receive(ctx, Channel.terminal.value, address, "4", f"p{n}-0")
               for n, (address, _) in enumerate(people_)]
    outcomes = await asyncio.gather(*tasks, *repeats)
    assert outcomes[: len(people_)] == [["reply"] * 4] * len(people_)
    assert sorted(r.outcome for r in outcomes[len(people_):]) == ["duplicate"] * len(people_)
    with ctx.database.transaction() as db:
        for _, session_id in people_:
            row = db.get(CheckinSession, session_id)
            assert row is not None and row.status == SessionStatus.completed
            answers = db.exec(select(Answer).where(Answer.session_id == session_id)
                              .order_by(col(Answer.id))).all()
            assert [(a.key, a.value) for a in answers] == [
                ("comfort", 4), ("safety", 5), ("pressure", False), ("anything_else", None)]


@pytest.mark.parametrize("texts", [
    ["4"], ["4", "5"], ["4", "5", "no"], ["1"], ["4", "1"], ["4", "5", "yes"],
    ["i want to kill myself"], ["4", "nobody is safe here i will hurt myself"], ["STOP"],
    ["banana"], ["4", "5", "no", "no"],
])
def test_a_turn_that_queues_anything_urgent_says_so(ctx: AppContext, texts: list[str]) -> None:
    """The urgent lane skips its claim after a turn that says it queued nothing urgent, so a
    turn that queued an alert or a crisis reply must never say that."""
    address, _ = start(ctx.database, "Ana Torres")
    for n, text in enumerate(texts):
        with ctx.database.transaction() as db:
            before = db.exec(select(Message.id).where(Message.lane == "urgent")).all()
        [result] = inbound.run_batch(ctx, [turn(address, text, f"u{n}")])
        assert not isinstance(result, Exception)
        with ctx.database.transaction() as db:
            after = db.exec(select(Message.id).where(Message.lane == "urgent")).all()
        if len(after) > len(before):
            assert result.urgent, f"{text!r} queued an urgent message but said it did not"
    if texts in (["4"], ["4", "5"]):  # plain answers: the urgent lane is left to its poll
        assert result.urgent is False


def test_a_batch_without_failures_uses_no_savepoints(ctx: AppContext) -> None:
    """The common batch is written without a SAVEPOINT per turn (two statements each, two round
    trips on PostgreSQL); savepoints are only for a batch in which a turn failed."""
    from sqlalchemy import event

    ana, _ = start(ctx.database, "Ana Torres")
    ben, _ = start(ctx.database, "Ben Ruiz")
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(ctx.database.engine, "before_cursor_execute", seen)
    try:
        results = inbound.run_batch(ctx, [turn(ana, "4", "a1"), turn(ben, "3", "b1")])
        plain = list(statements)
        # The same listener does see savepoints when a batch is written with them.
        inbound._write_batch(ctx, [turn(ana, "5", "a2"), turn(ben, "4", "b2")], savepoints=True)
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", seen)
    assert [getattr(r, "outcome", r) for r in results] == ["reply", "reply"]
    assert not any("SAVEPOINT" in s.upper() for s in plain)
    assert any("SAVEPOINT" in s.upper() for s in statements[len(plain):])


def _mixed_group(ctx: AppContext, program: str) -> tuple[list[Any], dict[str, list[str]]]:
    """People of `program` in every case a reply turn meets, and one message from each:
    (the units, each person's addresses by name)."""
    database = ctx.database

    def person(name: str, role: Role = Role.mentee, *, checkin: bool = True) -> str:
        with database.transaction() as db:
            row = enrol(db, role, name, program_name=program)
            assert row.id is not None
            contact = people.contacts_for(db, row.id)[0]
            if checkin:
                start_checkin(db, FLOWS, row, "mentee_checkin", contact, NOW)
            return contact.address

    def say(address: str, *texts: str) -> None:
        for text in texts:
            [result] = inbound.run_batch(ctx, [turn(address, text, None)])
            assert not isinstance(result, Exception)

    addresses: dict[str, list[str]] = {}
    for name in ("plain", "crisis", "stop", "banana", "repeat", "idle", "drop", "safety"):
        addresses[name] = [person(name, checkin=name != "idle")]
    addresses["staff"] = [person("staff", Role.supervisor, checkin=False)]
    addresses["two"] = [person("two")]
    with database.transaction() as db:
        two = people.find_contact_with_person(db, Channel.terminal, addresses["two"][0])
        assert two is not None and two[1].id is not None
        second = f"{addresses['two'][0]}-second"
        people.add_contact(db, two[1].id, Channel.terminal, second, now=NOW)
        addresses["two"].append(second)
    say(addresses["safety"][0], "4")
    say(addresses["repeat"][0])
    [first] = inbound.run_batch(ctx, [turn(addresses["repeat"][0], "4", f"{program}-seen")])
    assert not isinstance(first, Exception) and first.outcome == "reply"
    for _ in range(2):  # two earlier check-ins at comfort 5: a 2 now is a sharp drop
        say(addresses["drop"][0], "5", "5", "no", "no")
        with database.transaction() as db:
            found = people.find_contact_with_person(db, Channel.terminal, addresses["drop"][0])
            assert found is not None
            start_checkin(db, FLOWS, found[1], "mentee_checkin", found[0], NOW)
    addresses["stranger"] = [f"{program}-stranger"]
    # (who, which of their addresses, what they send, its provider id)
    messages = [
        ("plain", 0, "4", "1"), ("crisis", 0, "i want to kill myself", "2"),
        ("two", 0, "4", "3"), ("stop", 0, "STOP", "4"), ("stranger", 0, "hello", "5"),
        ("banana", 0, "banana", "6"), ("repeat", 0, "4", "seen"), ("idle", 0, "hi", "7"),
        ("two", 1, "5", "9"), ("drop", 0, "2", "10"), ("safety", 0, "1", "11"),
        # Last: its answer lists the queue, so it must come after the turns that fill it.
        ("staff", 0, "QUEUE", "8"),
    ]
    units = [turn(addresses[name][which], text, f"{program}-{pid}")
             for name, which, text, pid in messages]
    return units, addresses


def _what_each_has(database: Database, addresses: dict[str, list[str]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    with database.transaction() as db:
        for name, addrs in addresses.items():
            found = people.find_contact_with_person(db, Channel.terminal, addrs[0])
            out = db.exec(select(Message).where(
                Message.direction == Direction.outbound, col(Message.address).in_(addrs))
                .order_by(col(Message.id))).all()
            # Alerts and the queue name escalations by id, which differ between the programs.
            mail = [(m.kind, m.lane, re.sub(r"#\d+", "#N", m.body or "")) for m in out]
            if found is None:
                seen[name] = mail
                continue
            person_id = found[1].id
            seen[name] = {
                "out": mail,
                "opted_out": found[0].opted_out,
                "answers": [(a.key, a.value, a.status) for a in db.exec(
                    select(Answer).where(Answer.person_id == person_id)
                    .order_by(col(Answer.id))).all()],
                "sessions": [(s.status, s.current_state) for s in db.exec(
                    select(CheckinSession).where(CheckinSession.person_id == person_id)
                    .order_by(col(CheckinSession.id))).all()],
                "escalations": [(e.level, e.reasons, e.evidence) for e in db.exec(
                    select(Escalation).where(Escalation.person_id == person_id)
                    .order_by(col(Escalation.id))).all()],
            }
    return seen


def test_a_group_of_turns_ends_as_the_same_turns_one_by_one(ctx: AppContext) -> None:
    """The optimistic batch writes its replies inside open check-ins as one group (a few round
    trips on PostgreSQL for all of them). Whatever the mix, every person ends exactly as if
    the same messages had been handled one at a time: the same outcomes, answers, session
    states, replies, alerts and escalations."""
    together, together_at = _mixed_group(ctx, "Group A")
    apart, apart_at = _mixed_group(ctx, "Group B")
    grouped = inbound.run_batch(ctx, together)
    alone = [inbound.run_batch(ctx, [unit])[0] for unit in apart]
    assert [getattr(r, "outcome", r) for r in grouped] == [
        "reply", "reply", "reply", "reply", "unknown_sender", "reply", "duplicate",
        "no_session", "reply", "reply", "reply", "staff"]
    assert [getattr(r, "outcome", r) for r in grouped] == [getattr(r, "outcome", r)
                                                          for r in alone]
    assert [getattr(r, "queued", r) for r in grouped] == [getattr(r, "queued", r)
                                                         for r in alone]
    assert [getattr(r, "urgent", r) for r in grouped] == [getattr(r, "urgent", r)
                                                         for r in alone]
    mine, theirs = _what_each_has(ctx.database, together_at), _what_each_has(ctx.database,
                                                                              apart_at)
    assert mine == theirs
    # The case list does what it names: these would pass vacuously otherwise.
    assert mine["two"]["answers"] == [("comfort", 4, "answered"), ("safety", 5, "answered")]
    assert [e[0] for e in mine["drop"]["escalations"]] == ["watch", "concern"]
    assert [e[0] for e in mine["crisis"]["escalations"]] == ["urgent"]
    assert [e[0] for e in mine["safety"]["escalations"]] == ["urgent"]
    assert mine["stop"]["opted_out"] is True


def test_in_a_group_a_reply_during_a_staff_conversation_is_not_an_answer(
    ctx: AppContext,
) -> None:
    """The group path (`reply_turn.try_replies`) leaves a mentee who is talking with staff to
    the general path: screened, not an answer; the others of the group answer as usual."""
    ana, ana_session = start(ctx.database, "Ana")
    ben, ben_session = start(ctx.database, "Ben")
    now = ctx.clock()
    with ctx.database.transaction() as db:
        person = people.find_contact(db, Channel.terminal, ana)
        assert person is not None
        staff = enrol(db, Role.supervisor, "Sam")
        assert staff.id is not None
        staff_conversations.opened_or_extended(
            db, person_id=person.person_id, program_id=staff.program_id, staff_id=staff.id,
            now=now, until=now + timedelta(hours=24))

    results = inbound.run_batch(ctx, [turn(ana, "4", "a1"), turn(ben, "4", "b1")])

    assert [getattr(r, "outcome", r) for r in results] == ["staff_conversation", "reply"]
    with ctx.database.transaction() as db:
        ana_row, ben_row = db.get(CheckinSession, ana_session), db.get(CheckinSession, ben_session)
        assert ana_row is not None and ben_row is not None
        assert ana_row.current_state == "comfort" and ben_row.current_state != "comfort"
        assert db.exec(select(Answer.session_id)).all() == [ben_session]
