"""The applier (`bot.turns.applier`): what each event writes, for a batch of 1 and of 1,000,
and that a batch leaves the database as the same turns applied one by one.

Like mailroom's per-event tests: each case is a StepResult holding one kind of event, applied
to the active sessions of fresh mentees, followed by assertions on the rows it must leave in
sessions, answers, outbox, escalations, contact points and audit.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.turns import applier
from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    Event,
    FlowCompleted,
    OptOutRequested,
    OutMessage,
    SessionExpired,
    SessionStopped,
    StepResult,
    Wait,
)
from flows.state import SessionState
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Escalation,
    Lane,
    Message,
    Person,
    Program,
    Role,
    SessionStatus,
)
from storage.queries import people
from tests.bot.helpers import NOW, database_for

FLOW = "mentee_checkin"
NUDGE = NOW + timedelta(hours=4)
EXPIRE = NOW + timedelta(hours=24)
BATCHES = [1, 1000]


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def _state(**changes: Any) -> SessionState:
    base = SessionState(flow_id=FLOW, flow_version=1, language="en", status="waiting",
                        current="comfort", turn=1, waiting_since=NOW)
    return replace(base, **changes)


def _result(events: tuple[Event, ...], messages: tuple[OutMessage, ...], *,
            ends: bool = False, **state: Any) -> StepResult:
    if ends:
        return StepResult(_state(status="ended", current=None, waiting_since=None, **state),
                          messages, events, None)
    return StepResult(_state(**state), messages, events, Wait(state.get("turn", 1), NUDGE, EXPIRE))


def _enrol(db: Session, n: int, tag: str) -> tuple[Program, list[applier.Who]]:
    """A program with `n` mentees, each with a Telegram contact and an active session
    (started through the applier: a batch of new sessions)."""
    program = people.add_program(db, f"Program {tag}", now=NOW)
    assert program.id is not None
    persons = [Person(program_id=program.id, role=Role.mentee, display_name=f"M{i}",
                      language="en", created_at=NOW) for i in range(n)]
    db.add_all(persons)
    db.flush()
    contacts = [ContactPoint(person_id=p.id, channel=Channel.telegram, address=f"{tag}-{i}",
                             created_at=NOW) for i, p in enumerate(persons)]
    db.add_all(contacts)
    db.flush()
    whos = [applier.Who.of(p, program, c) for p, c in zip(persons, contacts, strict=True)]
    start = _result((), (OutMessage("How comfortable are you?", "question"),), turn=0)
    applier.apply(db, [applier.Turn(w, applier.NewSession(1), FLOW, start) for w in whos], NOW,
                  missed_checkins_for_watch=2)
    return program, whos


def _sessions(db: Session, who: applier.Who) -> list[CheckinSession]:
    return list(db.exec(select(CheckinSession).where(CheckinSession.person_id == who.person_id)
                        .order_by(col(CheckinSession.id))).all())


def _turns(db: Session, whos: list[applier.Who], result: StepResult) -> list[applier.Turn]:
    """A turn of `result` for each person's newest session (one query for the batch)."""
    newest = dict(db.exec(select(CheckinSession.person_id, col(CheckinSession.id))
                          .where(col(CheckinSession.person_id).in_([w.person_id for w in whos]))
                          .order_by(col(CheckinSession.id))).all())
    return [applier.Turn(w, newest[w.person_id], FLOW, result) for w in whos]


def _rows(db: Session, whos: list[applier.Who]) -> dict[str, int]:
    """How many rows the batch's people have, per table (the start's question left out)."""
    ids = [w.person_id for w in whos]
    return {
        "answer": len(db.exec(select(Answer.id).where(col(Answer.person_id).in_(ids))).all()),
        "outbox": len(db.exec(select(Message.id).where(
            col(Message.person_id).in_(ids), Message.direction == Direction.outbound,
            Message.kind != "question")).all()),
        "escalation": len(db.exec(select(Escalation.id).where(
            col(Escalation.person_id).in_(ids))).all()),
    }


def _outbox(db: Session, who: applier.Who) -> list[Message]:
    return list(db.exec(select(Message).where(
        Message.direction == Direction.outbound, Message.person_id == who.person_id,
        Message.kind != "question",  # the start's first question
    ).order_by(col(Message.id))).all())


def _audit(db: Session, actions: set[str]) -> Counter[str]:
    rows = db.exec(select(AuditEvent.action).where(col(AuditEvent.action).in_(actions))).all()
    return Counter(rows)


@dataclass(frozen=True)
class Case:
    name: str
    result: StepResult
    # Checks the rows of one person after the batch; `n` is the batch's size.
    check: Callable[[Session, applier.Who, applier.Applied], None]
    audit: dict[str, int]  # audit rows per turn, by action
    rows: dict[str, int]  # rows per turn in answers, outbox (its own), escalations


def _check_answer(db: Session, who: applier.Who, done: applier.Applied) -> None:
    [row] = _sessions(db, who)
    assert (row.status, row.turn, row.current_state) == (SessionStatus.active, 2, "safety")
    assert row.nudge_at is not None and row.expire_at is not None
    from_db = db.exec(select(CheckinSession).where(CheckinSession.id == row.id)).one()
    assert from_db.context["answers"] == {"comfort": 4}
    answers = db.exec(select(col(Answer.key), col(Answer.raw_text), col(Answer.value),
                             col(Answer.value_num), col(Answer.status))
                      .where(Answer.session_id == row.id)).all()
    assert [tuple(a) for a in answers] == [("comfort", "4", 4, 4.0, "answered")]
    [msg] = db.exec(select(Message).where(Message.person_id == who.person_id,
                                          Message.body == "How safe are you?")).all()
    assert (msg.kind, msg.lane, msg.session_id, msg.status) == (
        "question", Lane.routine, row.id, "pending")
    assert done.queued == 1 and not done.urgent
    assert db.exec(select(Escalation).where(Escalation.person_id == who.person_id)).all() == []


def _check_escalation(db: Session, who: applier.Who, done: applier.Applied) -> None:
    [row] = _sessions(db, who)
    [esc] = db.exec(select(Escalation).where(Escalation.person_id == who.person_id)).all()
    assert (esc.level, esc.reasons, esc.session_id) == ("concern", ["hurt_by_someone"], row.id)
    assert esc.due_at is not None and esc.due_at > NOW
    [msg] = _outbox(db, who)
    assert msg.kind == "reprompt"
    assert done.urgent  # an escalation may have alerted staff


def _check_opt_out(db: Session, who: applier.Who, done: applier.Applied) -> None:
    [row] = _sessions(db, who)
    assert row.status == SessionStatus.stopped and row.ended_at is not None
    contact = db.get(ContactPoint, who.contact_id)
    assert contact is not None and contact.opted_out
    # Only the STOP confirmation goes out; the start's question still queued is cancelled.
    assert [m.kind for m in _outbox(db, who)] == ["stopped"]
    question = db.exec(select(Message).where(Message.person_id == who.person_id,
                                             Message.kind == "question")).one()
    assert question.status == "cancelled"
    assert done.queued == 1


def _check_completed(db: Session, who: applier.Who, done: applier.Applied) -> None:
    [row] = _sessions(db, who)
    assert (row.status, row.nudge_at, row.expire_at) == (SessionStatus.completed, None, None)
    assert row.ended_at is not None
    assert [m.kind for m in _outbox(db, who)] == ["closing"]
    assert done.queued == 1


def _check_expired(db: Session, who: applier.Who, done: applier.Applied) -> None:
    [row] = _sessions(db, who)
    assert row.status == SessionStatus.expired and row.ended_at is not None
    # With N = 1, this expiry is a missed-check-ins streak: one watch.
    [esc] = db.exec(select(Escalation).where(Escalation.person_id == who.person_id)).all()
    assert (esc.level, esc.reasons, esc.session_id) == ("watch", ["missed_checkins"], None)
    assert _outbox(db, who) == [] and done.queued == 0 and done.urgent


def _check_crisis(db: Session, who: applier.Who, done: applier.Applied) -> None:
    [msg] = _outbox(db, who)
    assert (msg.kind, msg.lane, msg.priority) == ("crisis", Lane.urgent, Lane.urgent.priority)
    assert done.queued == 1 and done.urgent


CASES = [
    Case("answer_recorded", _result(
        (AnswerRecorded("comfort", "comfort", "4", 4, "answered"),),
        (OutMessage("How safe are you?", "question"),), turn=2, current="safety",
        answers={"comfort": 4}), _check_answer, {},
        {"answer": 1, "outbox": 0, "escalation": 0}),
    Case("escalation_raised", _result(
        (EscalationRaised("concern", ("hurt_by_someone",), ("someone hurt me",),
                          finding_level="concern"),),
        (OutMessage("Thanks for telling us.", "reprompt"),), turn=2),
        _check_escalation, {"escalation_raised": 1},
        {"answer": 0, "outbox": 1, "escalation": 1}),
    Case("opt_out_requested", _result(
        (OptOutRequested(), SessionStopped()),
        (OutMessage("You will get no more messages.", "stopped"),
         OutMessage("never sent", "info")), ends=True), _check_opt_out,
        {"opted_out": 1, "session_stopped": 1}, {"answer": 0, "outbox": 1, "escalation": 0}),
    Case("flow_completed", _result(
        (FlowCompleted(),), (OutMessage("Thank you!", "closing"),), ends=True),
        _check_completed, {"session_completed": 1},
        {"answer": 0, "outbox": 1, "escalation": 0}),
    Case("session_expired", _result((SessionExpired(),), (), ends=True), _check_expired,
         {"session_expired": 1, "escalation_raised": 1},
         {"answer": 0, "outbox": 0, "escalation": 1}),
    Case("crisis_reply", _result(
        (), (OutMessage("Call 988 now.", "crisis", urgent=True, folded="Thanks."),), turn=2),
        _check_crisis, {}, {"answer": 0, "outbox": 1, "escalation": 0}),
]


@pytest.mark.parametrize("n", BATCHES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_event_writes_its_rows_for_every_turn_of_the_batch(
    database: Database, case: Case, n: int,
) -> None:
    with database.transaction() as db:
        _, whos = _enrol(db, n, f"{case.name}-{n}")
        before = _audit(db, set(case.audit))
        applied = applier.apply(db, _turns(db, whos, case.result), NOW,
                                missed_checkins_for_watch=1)
        assert len(applied) == n
        assert len({done.session_id for done in applied}) == n
        assert _rows(db, whos) == {table: count * n for table, count in case.rows.items()}
        # Every row counted above; each one's fields for a hundred turns of the batch at most.
        step = max(1, n // 100)
        for who, done in zip(whos[::step], applied[::step], strict=True):
            case.check(db, who, done)
        after = _audit(db, set(case.audit))
        assert {action: after[action] - before[action] for action in case.audit} == {
            action: count * n for action, count in case.audit.items()}


@pytest.mark.parametrize("n", BATCHES)
def test_new_sessions_are_inserted_with_their_first_messages_in_order(
    database: Database, n: int,
) -> None:
    with database.transaction() as db:
        _, whos = _enrol(db, n, f"new-{n}")
        for who in whos[:: max(1, n // 10)]:
            [row] = _sessions(db, who)
            assert (row.status, row.turn, row.flow_id, row.channel, row.address) == (
                SessionStatus.active, 0, FLOW, Channel.telegram, who.address)
            assert (row.nudge_at, row.expire_at) == (NUDGE, EXPIRE)
            question = db.exec(select(Message).where(Message.person_id == who.person_id)).one()
            assert (question.kind, question.session_id, question.status) == (
                "question", row.id, "pending")


def test_an_opted_out_or_unreachable_contact_gets_only_the_stop_confirmation(
    database: Database,
) -> None:
    with database.transaction() as db:
        _, whos = _enrol(db, 3, "blocked")
        blocked = [whos[0]._replace(opted_out=True), whos[1]._replace(unreachable=True),
                   whos[2]._replace(contact_id=None, channel=None, address=None)]
        result = _result((), (OutMessage("You will get no more messages.", "stopped"),
                              OutMessage("How safe are you?", "question")), turn=2)
        applied = applier.apply(db, _turns(db, blocked, result), NOW,
                                missed_checkins_for_watch=2)
        assert [done.queued for done in applied] == [1, 1, 0]
        assert [[m.kind for m in _outbox(db, w)] for w in whos] == [["stopped"], ["stopped"], []]


# ---- one by one, or as one batch: the same database ---------------------------------------

KINDS = [c.name for c in CASES]


def _snapshot(db: Session, whos: list[applier.Who]) -> list[Any]:
    """Everything the turns wrote for each person (in the people's order), without ids."""
    out: list[Any] = []
    for who in whos:
        rows = _sessions(db, who)
        contact = db.get(ContactPoint, who.contact_id)
        assert contact is not None
        session_ids = {r.id for r in rows}
        out.append((
            [(r.status, r.turn, r.current_state, r.nudge_at, r.expire_at, r.ended_at, r.context)
             for r in rows],
            [(a.key, a.raw_text, a.value, a.value_num, a.status) for a in db.exec(
                select(Answer).where(col(Answer.session_id).in_(session_ids))
                .order_by(col(Answer.id))).all()],
            [(m.kind, m.body, m.lane, m.status) for m in db.exec(
                select(Message).where(Message.person_id == who.person_id)
                .order_by(col(Message.id))).all()],
            [(e.level, e.reasons, e.evidence, e.status, e.session_id is None) for e in db.exec(
                select(Escalation).where(Escalation.person_id == who.person_id)
                .order_by(col(Escalation.id))).all()],
            (contact.opted_out, contact.unreachable),
        ))
    return out


def _audit_between(db: Session, after: int, upto: int) -> Counter[str]:
    """The audit rows in (after, upto]: what happened (they name rows by id: not compared)."""
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > after,
                                            col(AuditEvent.id) <= upto)).all()
    return Counter(f"{a.action} {sorted(a.detail or {})}" for a in rows)


def _last_audit_id(db: Session) -> int:
    return max(db.exec(select(col(AuditEvent.id))).all(), default=0) or 0


_EXAMPLE = itertools.count()


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
def test_a_batch_leaves_the_database_as_the_same_turns_one_by_one(
    database: Database, kinds: list[str],
) -> None:
    cases = {c.name: c for c in CASES}
    example = next(_EXAMPLE)
    with database.transaction() as db:
        _, one_by_one = _enrol(db, len(kinds), f"one-{example}")
        _, batched = _enrol(db, len(kinds), f"batch-{example}")
        start = _last_audit_id(db)
        for who, kind in zip(one_by_one, kinds, strict=True):
            applier.apply(db, _turns(db, [who], cases[kind].result), NOW,
                          missed_checkins_for_watch=1)
        middle = _last_audit_id(db)
        turns = [turn for who, kind in zip(batched, kinds, strict=True)
                 for turn in _turns(db, [who], cases[kind].result)]
        applier.apply(db, turns, NOW, missed_checkins_for_watch=1)
        assert _snapshot(db, one_by_one) == _snapshot(db, batched)
        singles = _audit_between(db, start, middle)
        assert singles == _audit_between(db, middle, _last_audit_id(db))
        assert bool(singles) == any(cases[k].audit for k in kinds)  # not vacuous


@pytest.mark.parametrize("n_for_watch,watches", [(1, 1), (2, 0)])
def test_the_missed_checkins_setting_comes_from_the_caller(
    database: Database, n_for_watch: int, watches: int,
) -> None:
    """No turn reads the settings itself: the N of the missed-check-ins watch is the caller's."""
    with database.transaction() as db:
        _, [who] = _enrol(db, 1, f"setting-{n_for_watch}")
        expired = _result((SessionExpired(),), (), ends=True)
        applier.apply(db, _turns(db, [who], expired), NOW,
                      missed_checkins_for_watch=n_for_watch)
        found = db.exec(select(Escalation).where(Escalation.person_id == who.person_id)).all()
        assert len(found) == watches
