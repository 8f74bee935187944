"""The outbox sender on SQLite and PostgreSQL, with a scripted channel and a hand-moved clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import texts
from bot.channels.base import RetryLater, Sent, Undeliverable
from bot.context import AppContext
from bot.database import Database
from bot.inbound import receive_sync
from bot.outbox import OutboxSender, backoff_seconds
from bot.redaction import mask_address, redact
from bot.settings import load_settings
from storage.db import make_engine
from storage.models import AuditEvent, Channel, ContactPoint, Lane, Message, MessageStatus, Role
from storage.queries import outbox as queue
from storage.queries.messages import enqueue_outbound
from tests.bot.helpers import NOW, database_for, enrol
from tests.bot.scripted_channel import ScriptedChannel

ANA = "+15550100001"
BEN = "+15550100002"


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def context(
    database: Database, channel: ScriptedChannel, clock: Clock, **settings: object
) -> AppContext:
    return AppContext(settings=load_settings(**settings), database=database, flows={},
                      clock=lambda: clock.now, channels={Channel.sms: channel})


def enqueue(
    database: Database, address: str, *bodies: str, lane: Lane = Lane.routine,
    now: datetime = NOW,
) -> list[int]:
    ids = []
    with database.transaction() as db:
        for body in bodies:
            row = enqueue_outbound(db, channel=Channel.sms, address=address, body=body,
                                   kind="question", lane=lane, now=now)
            assert row.id is not None
            ids.append(row.id)
    return ids


def message(database: Database, msg_id: int) -> Message:
    with database.transaction() as db:
        row = db.get(Message, msg_id)
        assert row is not None
        return row


def statuses(database: Database, ids: list[int]) -> list[MessageStatus]:
    return [message(database, i).status for i in ids]


async def wait_until(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Poll state the sender changes from its own tasks (there is no event to wait on)."""
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.005)


# --- urgent never waits ----------------------------------------------------------------------


async def test_urgent_message_is_sent_before_a_routine_backlog(
    database: Database, clock: Clock
) -> None:
    with database.transaction() as db:
        for n in range(500):
            enqueue_outbound(db, channel=Channel.sms, address=f"+1555020{n:04d}",
                             body=f"routine {n}", kind="question", lane=Lane.routine, now=NOW)
    enqueue(database, ANA, "URGENT", lane=Lane.urgent)
    channel = ScriptedChannel(Channel.sms, rate_per_second=500)
    sender = OutboxSender(context(database, channel, clock), routine_concurrency=4)
    await sender.start()
    try:
        await wait_until(lambda: "URGENT" in channel.bodies)
    finally:
        await sender.stop()
    # Routine sends in flight never exceed routine_concurrency (4), so at most 4 can be ahead
    # of an urgent one in the adapter's limiter. Here it is 0: start() creates the urgent loop
    # first and it closes the routine gate before its first await.
    assert channel.bodies.index("URGENT") <= 4
    assert len(channel.bodies) == len(set(channel.bodies))
    # The adapter is told which lane a send is from, so its limiter can let the alert go first.
    flags = dict(zip(channel.bodies, channel.urgent_flags, strict=True))
    assert flags["URGENT"] is True
    assert not any(flag for body, flag in flags.items() if body != "URGENT")


async def test_urgent_messages_overtake_a_routine_batch_in_flight(
    database: Database, clock: Clock
) -> None:
    with database.transaction() as db:
        for n in range(300):
            enqueue_outbound(db, channel=Channel.sms, address=f"+1555020{n:04d}",
                             body=f"routine {n}", kind="question", lane=Lane.routine, now=NOW)
    channel = ScriptedChannel(Channel.sms, rate_per_second=200)  # a shared limiter, FIFO
    # Long polls: only wake() can make the urgent loop look in time.
    sender = OutboxSender(context(database, channel, clock), routine_concurrency=4,
                          urgent_idle_seconds=30, routine_idle_seconds=30)
    await sender.start()
    seen_at_wake: list[int] = []
    alerts = ["alert 1", "alert 2", "alert 3"]

    def alerts_from_a_worker_thread() -> None:  # as a webhook turn does after its commit
        enqueue(database, ANA, *alerts, lane=Lane.urgent)
        seen_at_wake.append(len(channel.calls))
        sender.wake()

    try:
        await wait_until(lambda: len(channel.calls) >= 20)
        await asyncio.to_thread(alerts_from_a_worker_thread)
        await wait_until(lambda: set(alerts) <= set(channel.bodies), within=5)
    finally:
        await sender.stop()
    # wake() closes the routine gate as soon as its callback runs on the event loop. At that
    # moment at most routine_concurrency (4) routine sends are in flight, i.e. queued in the
    # limiter ahead of the first alert; +1 for a routine send whose slot came up between the
    # commit and that callback (its group may have started one more). The gate keeps new
    # routine sends out until the urgent batch is done, so the three alerts (one address, sent
    # one after another) follow each other: without the gate ~4 routine sends come between each.
    after_wake = channel.bodies[seen_at_wake[0] :]
    last_alert = max(after_wake.index(a) for a in alerts)
    assert after_wake[last_alert - 2 : last_alert + 1] == alerts
    assert last_alert - 2 <= 4 + 1
    with database.transaction() as db:
        left = db.exec(select(Message).where(Message.status == MessageStatus.sending)).all()
    assert left == []  # stop() gave back what it had claimed and not sent
    assert len(channel.bodies) == len(set(channel.bodies))


# --- order per address -----------------------------------------------------------------------


async def test_a_retry_holds_later_messages_to_that_address_but_not_urgent_ones(
    database: Database, clock: Clock
) -> None:
    first, second, third = enqueue(database, ANA, "q1", "q2", "q3")
    (alert,) = enqueue(database, ANA, "crisis reply", lane=Lane.urgent)
    (other,) = enqueue(database, BEN, "hello Ben")
    channel = ScriptedChannel(Channel.sms, by_address={ANA: [RetryLater("503")]})
    sender = OutboxSender(context(database, channel, clock, outbox_batch_size=2))

    assert await sender.run_once(Lane.routine) == 1  # q1 (retry); q2 released unattempted
    assert statuses(database, [first, second, third]) == [MessageStatus.pending] * 3
    assert [message(database, i).attempts for i in (first, second, third)] == [1, 0, 0]
    # The held rows must not fill the batch either: Ben's message goes next.
    assert await sender.run_once(Lane.routine) == 1
    assert message(database, other).status == MessageStatus.sent
    assert await sender.run_once(Lane.routine) == 0  # q2 must not overtake q1
    assert await sender.run_once(Lane.urgent) == 1  # urgent does not wait behind routine
    assert message(database, alert).status == MessageStatus.sent

    clock.advance(301)
    assert await sender.run_once(Lane.routine) == 2
    assert await sender.run_once(Lane.routine) == 1
    assert channel.bodies == ["q1", "hello Ben", "crisis reply", "q1", "q2", "q3"]
    assert statuses(database, [first, second, third]) == [MessageStatus.sent] * 3


@pytest.mark.postgresql
def test_a_row_locked_by_another_instance_still_holds_the_next_one(pg_db_url: str) -> None:
    engine = make_engine(pg_db_url)
    try:
        database = database_for(pg_db_url, engine)
        first, second = enqueue(database, ANA, "q1", "q2")
        (other,) = enqueue(database, BEN, "hello Ben")
        lease = timedelta(seconds=60)
        with database.transaction() as instance_a:  # mid-claim: q1 locked, not yet updated
            instance_a.exec(select(Message).where(Message.id == first).with_for_update()).one()
            with database.transaction() as instance_b:
                # Without SKIP LOCKED this would wait for instance A forever: fail instead.
                instance_b.execute(text("SET LOCAL lock_timeout = '2s'"))
                claimed = queue.claim_batch(instance_b, channels=["sms"], lane=Lane.routine,
                                            now=NOW, lease=lease, limit=10)
        # SKIP LOCKED passes over q1; q2 must not be taken in its place.
        assert [m.id for m in claimed] == [other]
        assert message(database, second).status == MessageStatus.pending
    finally:
        engine.dispose()


def test_claim_order_rules_between_lanes(database: Database) -> None:
    (routine_first,) = enqueue(database, ANA, "routine first")
    (urgent_later,) = enqueue(database, ANA, "urgent later", lane=Lane.urgent)
    (routine_last,) = enqueue(database, ANA, "routine last")
    lease = timedelta(seconds=60)
    with database.transaction() as db:
        urgent = queue.claim_batch(db, channels=["sms"], lane=Lane.urgent, now=NOW, lease=lease,
                                   limit=10)
        # The routine lane may take the older routine row, not the one behind the urgent row.
        routine = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=NOW,
                                    lease=lease, limit=10)
        telegram_only = queue.claim_batch(db, channels=["telegram"], lane=Lane.routine,
                                          now=NOW, lease=lease, limit=10)
    assert [m.id for m in urgent] == [urgent_later]
    assert [m.id for m in routine] == [routine_first]
    assert telegram_only == []
    assert message(database, routine_last).status == MessageStatus.pending


# --- retries ---------------------------------------------------------------------------------


async def test_retry_honours_the_providers_after_seconds(database: Database, clock: Clock) -> None:
    (msg,) = enqueue(database, ANA, "q1")
    channel = ScriptedChannel(Channel.sms, [RetryLater("429 too many requests", after_seconds=30)])
    sender = OutboxSender(context(database, channel, clock))

    assert await sender.run_once(Lane.routine) == 1
    assert message(database, msg).next_attempt_at == NOW + timedelta(seconds=30)
    clock.now = NOW + timedelta(seconds=29)
    assert await sender.run_once(Lane.routine) == 0
    clock.now = NOW + timedelta(seconds=31)
    assert await sender.run_once(Lane.routine) == 1
    assert message(database, msg).status == MessageStatus.sent


async def test_provider_down_for_a_while_delivers_exactly_once(
    database: Database, clock: Clock
) -> None:
    (msg,) = enqueue(database, ANA, "q1")
    channel = ScriptedChannel(Channel.sms, [RetryLater("503")] * 5)
    sender = OutboxSender(context(database, channel, clock))

    for attempt in range(1, 6):
        assert await sender.run_once(Lane.routine) == 1
        row = message(database, msg)
        assert (row.status, row.attempts, row.last_error) == (MessageStatus.pending, attempt, "503")
        assert row.next_attempt_at is not None
        wait = (row.next_attempt_at - clock.now).total_seconds()
        assert 0.8 * 2**attempt <= wait <= 1.2 * 2**attempt  # exponential, ±20% jitter
        assert await sender.run_once(Lane.routine) == 0  # not before it is due
        clock.now = row.next_attempt_at
    assert await sender.run_once(Lane.routine) == 1
    assert await sender.run_once(Lane.routine) == 0
    row = message(database, msg)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.sent, 6, None)
    assert row.provider_id is not None and row.sent_at == clock.now
    assert channel.sent_bodies() == ["q1"] and len(channel.calls) == 6


def test_backoff_is_capped_at_five_minutes() -> None:
    assert backoff_seconds(1, lambda lo, hi: 1.0) == 2
    assert backoff_seconds(20, lambda lo, hi: hi) == pytest.approx(360)  # 300 s + 20%


async def test_always_failing_message_goes_dead_after_max_attempts(
    database: Database, clock: Clock
) -> None:
    (msg,) = enqueue(database, ANA, "q1")
    (later,) = enqueue(database, ANA, "q2")
    channel = ScriptedChannel(Channel.sms, by_address={ANA: [RetryLater("503 busy")] * 3})
    sender = OutboxSender(context(database, channel, clock, outbox_max_attempts=3))

    for _round in range(6):
        await sender.run_once(Lane.routine)
        clock.advance(400)
    row = message(database, msg)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.dead, 3, "503 busy")
    assert channel.bodies == ["q1", "q1", "q1", "q2"]  # the next question goes on after it
    assert message(database, later).status == MessageStatus.sent
    assert sender.health()["dead"] == 1


async def test_adapter_exception_is_retried_and_logged_without_body_or_number(
    database: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    (msg,) = enqueue(database, ANA, "my secret answer")
    channel = ScriptedChannel(Channel.sms, [ValueError(f"bug: {ANA} my secret answer")])
    sender = OutboxSender(context(database, channel, clock))

    with caplog.at_level(logging.DEBUG, logger="bot.outbox"):
        assert await sender.run_once(Lane.routine) == 1
    row = message(database, msg)
    assert (row.status, row.attempts) == (MessageStatus.pending, 1)
    assert row.last_error == "adapter error: ValueError"
    assert "ValueError" in caplog.text
    assert "secret" not in caplog.text and ANA not in caplog.text
    assert "secret" not in str(sender.health())


def test_log_masks_keep_only_the_last_four_digits() -> None:
    assert mask_address(ANA) == "…0001"
    assert redact(f"The 'To' number {ANA} is not valid") == "The 'To' number …0001 is not valid"


# --- undeliverable ---------------------------------------------------------------------------


async def test_undeliverable_fails_everything_queued_to_the_address(
    database: Database, clock: Clock
) -> None:
    with database.transaction() as db:
        enrol(db, Role.mentee, "Ana Torres", channel=Channel.sms, address=ANA)
    first, second = enqueue(database, ANA, "q1", "q2")
    (alert,) = enqueue(database, ANA, "alert", lane=Lane.urgent)
    (other,) = enqueue(database, BEN, "hello Ben")
    channel = ScriptedChannel(Channel.sms, by_address={ANA: [Undeliverable("invalid number")]})
    sender = OutboxSender(context(database, channel, clock))

    assert await sender.run_once(Lane.routine) == 2
    assert await sender.run_once(Lane.urgent) == 0
    assert message(database, first).last_error == "invalid number"
    for msg in (first, second, alert):
        assert message(database, msg).status == MessageStatus.failed
    assert message(database, second).last_error == "address unreachable: invalid number"
    assert message(database, other).status == MessageStatus.sent
    assert channel.bodies == ["q1", "hello Ben"]
    with database.transaction() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == ANA)).one()
        assert (contact.unreachable, contact.unreachable_reason) == (True, "invalid number")
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "contact_unreachable")).one()
        assert (event.subject_type, event.subject_id) == ("contact_point", contact.id)
        assert event.detail["other_messages_failed"] == 2


# --- crashes, concurrency, shutdown ----------------------------------------------------------


async def test_rows_of_a_sender_that_died_after_claiming_are_sent_once_the_lease_ends(
    database: Database, clock: Clock
) -> None:
    (msg,) = enqueue(database, ANA, "q1")
    channel = ScriptedChannel(Channel.sms)
    sender = OutboxSender(context(database, channel, clock))
    with database.transaction() as db:  # claimed, then the process died
        claimed = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=NOW,
                                    lease=sender.lease, limit=10)
    assert [m.id for m in claimed] == [msg]

    clock.now = NOW + sender.lease - timedelta(seconds=1)
    assert await sender.run_once(Lane.routine) == 0
    clock.now = NOW + sender.lease + timedelta(seconds=1)
    assert await sender.run_once(Lane.routine) == 1
    assert await sender.run_once(Lane.routine) == 0
    assert channel.bodies == ["q1"]
    assert message(database, msg).status == MessageStatus.sent


def test_a_late_outcome_does_not_overwrite_the_new_claim(database: Database) -> None:
    (msg,) = enqueue(database, ANA, "q1")
    lease = timedelta(seconds=60)
    with database.transaction() as db:
        (old,) = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=NOW, lease=lease,
                                   limit=1)
    later = NOW + timedelta(seconds=61)
    with database.transaction() as db:
        (new,) = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=later,
                                   lease=lease, limit=1)
    with database.transaction() as db:
        assert not queue.mark_retry(db, msg, "late", later, later, lease_until=old.lease_until)
        assert queue.release(db, [msg], later, lease_until=old.lease_until) == 0
        assert queue.mark_sent(db, msg, "SM1", later, lease_until=new.lease_until)
    assert message(database, msg).status == MessageStatus.sent


@pytest.fixture
def second_database(db_url: str) -> Iterator[Database]:
    engine = make_engine(db_url)  # its own pool: a second instance of the service
    yield database_for(db_url, engine)
    engine.dispose()


async def test_two_senders_never_send_a_message_twice(
    database: Database, second_database: Database, clock: Clock
) -> None:
    addresses = [f"+1555030{n:04d}" for n in range(12)]
    for address in addresses:
        enqueue(database, address, *(f"{address} q{k}" for k in range(4)))
        enqueue(database, address, f"{address} alert", lane=Lane.urgent)
    channel = ScriptedChannel(Channel.sms, delay=0.001)
    senders = [
        OutboxSender(context(db, channel, clock, outbox_batch_size=5))
        for db in (database, second_database)
    ]
    for _round in range(40):
        done = await asyncio.gather(
            *(s.run_once(lane) for s in senders for lane in (Lane.urgent, Lane.routine))
        )
        if not any(done) and len(channel.calls) == 60:
            break
    assert sorted(channel.bodies) == sorted(
        [f"{a} q{k}" for a in addresses for k in range(4)] + [f"{a} alert" for a in addresses]
    )
    for address in addresses:  # and each person got the questions in order
        routine = [b for a, b in channel.calls if a == address and "alert" not in b]
        assert routine == [f"{address} q{k}" for k in range(4)]
    with database.transaction() as db:
        assert {m.status for m in db.exec(select(Message)).all()} == {MessageStatus.sent}


async def test_stop_finishes_the_send_in_flight_and_gives_back_the_rest(
    database: Database, clock: Clock
) -> None:
    ids = enqueue(database, ANA, "q1", "q2", "q3")
    channel = ScriptedChannel(Channel.sms, delay=[0.3])  # the first send takes a while
    sender = OutboxSender(context(database, channel, clock))
    await sender.start()
    await wait_until(lambda: channel.in_flight == 1)
    await sender.stop()
    await sender.stop()  # idempotent
    assert not sender.health()["running"]
    rows = [message(database, i) for i in ids]
    assert [r.status for r in rows] == [MessageStatus.sent, MessageStatus.pending,
                                        MessageStatus.pending]
    assert [(r.attempts, r.lease_until) for r in rows[1:]] == [(0, None), (0, None)]

    restarted = OutboxSender(context(database, channel, clock))  # e.g. the next deploy
    await restarted.start()
    try:
        await wait_until(lambda: statuses(database, ids) == [MessageStatus.sent] * 3)
    finally:
        await restarted.stop()
    assert channel.bodies == ["q1", "q2", "q3"]
    assert await sender.run_once(Lane.routine) == 0  # a stopped sender still works on demand


async def test_wake_from_a_worker_thread_sends_without_waiting_for_the_poll(
    database: Database, clock: Clock
) -> None:
    channel = ScriptedChannel(Channel.sms)
    sender = OutboxSender(context(database, channel, clock),
                          urgent_idle_seconds=60, routine_idle_seconds=60)
    sender.wake()  # before start: ignored, no error
    await sender.start()
    try:
        await asyncio.sleep(0.05)  # both loops found nothing and sleep for a minute

        def turn_committed() -> None:
            enqueue(database, ANA, "reply")
            sender.wake()

        await asyncio.to_thread(turn_committed)
        await wait_until(lambda: channel.bodies == ["reply"], within=3)
        assert sender.health()["running"]
    finally:
        await sender.stop()


async def test_wake_on_the_loop_takes_effect_before_it_returns(
    database: Database, clock: Clock
) -> None:
    """A webhook turn wakes the sender from the event loop itself: the lanes are woken at once,
    not by a callback sent through the loop's self-pipe (one more loop pass every turn), and
    the message goes out without waiting for the poll."""
    channel = ScriptedChannel(Channel.sms)
    sender = OutboxSender(context(database, channel, clock),
                          urgent_idle_seconds=60, routine_idle_seconds=60)
    await sender.start()
    try:
        await asyncio.sleep(0.05)  # both loops found nothing and sleep for a minute
        enqueue(database, ANA, "reply")
        sender.wake(urgent=False)
        # No await in between: nothing else on this loop ran.
        assert sender._wake[Lane.routine].is_set()
        assert not sender._wake[Lane.urgent].is_set()  # urgent=False keeps that lane asleep
        await wait_until(lambda: channel.bodies == ["reply"], within=3)
    finally:
        await sender.stop()


# --- health ----------------------------------------------------------------------------------


def test_backlog_counts_pending_by_lane_and_channel(database: Database) -> None:
    enqueue(database, ANA, "q1", "q2")
    (alert,) = enqueue(database, BEN, "alert", lane=Lane.urgent)
    with database.transaction() as db:
        (claimed,) = queue.claim_batch(db, channels=["sms"], lane=Lane.urgent, now=NOW,
                                       lease=timedelta(seconds=60), limit=5)
        queue.mark_dead(db, alert, "503", NOW, lease_until=claimed.lease_until)
        stats = queue.backlog(db, NOW + timedelta(seconds=90))
    assert stats["pending"] == {"urgent": {}, "routine": {"sms": 2}}
    assert (stats["sending"], stats["dead"], stats["failed"]) == (0, 1, 0)
    assert stats["oldest_pending_age_seconds"] == 90
    assert stats["oldest_pending_at"] == NOW.isoformat()
    with database.transaction() as db:
        assert db.exec(select(col(Message.attempts)).where(Message.id == alert)).one() == 1


async def test_a_repeated_provider_id_keeps_every_send_of_the_write(
    database: Database, clock: Clock
) -> None:
    """Outcomes of one write share a savepoint; a provider id the adapter repeats fails it, and
    then each outcome is written alone: both sends recorded, the repeat without its id."""
    from bot.channels.base import Sent

    ids = enqueue(database, ANA, "one") + enqueue(database, BEN, "two") + \
        enqueue(database, ANA, "three")
    channel = ScriptedChannel(Channel.sms, rate_per_second=500)
    channel.script(Sent("SMsame"), Sent("SMsame"), Sent("SMother"))
    sender = OutboxSender(context(database, channel, clock))
    assert await sender.run_once(Lane.routine) == 3
    rows = [message(database, i) for i in ids]
    assert [r.status for r in rows] == [MessageStatus.sent] * 3
    assert sorted(str(r.provider_id) for r in rows) == ["None", "SMother", "SMsame"]
    assert sender.counters["lost_lease"] == 0 and sender.counters["errors"] == 0


# --- the sender records its own outcomes ------------------------------------------------------


@pytest.mark.parametrize("lane", [Lane.urgent, Lane.routine])
async def test_outcomes_are_written_by_the_sender_never_through_the_turn_batches(
    database: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch, lane: Lane
) -> None:
    """Before: routine outcomes rode in the next batch of webhook turns. Now neither lane hands
    the turn batcher anything: a batch of turns that fails or waits cannot hold an outcome."""
    from bot import inbound

    batches: list[int] = []

    def refusing(ctx: AppContext, units: list) -> list:  # type: ignore[type-arg]
        batches.append(len(units))
        raise AssertionError("the sender wrote through the turn batches")

    monkeypatch.setattr(inbound, "run_batch", refusing)
    ids = enqueue(database, ANA, "one", lane=lane) + enqueue(database, BEN, "two", lane=lane)
    ctx = context(database, ScriptedChannel(Channel.sms, rate_per_second=500), clock)
    sender = OutboxSender(ctx)
    assert await sender.run_once(lane) == 2
    assert [message(database, i).status for i in ids] == [MessageStatus.sent] * 2
    assert batches == [] and ctx.turn_batcher is None
    assert sender.counters["errors"] == 0


async def test_an_outcome_write_that_fails_is_written_again(
    database: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database hiccup while recording (a lock time-out, a dropped connection) rolls the
    write back, and it is written again: the send is recorded once, not lost or repeated."""
    from sqlalchemy.exc import OperationalError

    from storage.queries import outbox as queue

    real_mark_sent = queue.mark_sent
    failures = [OperationalError("UPDATE", {}, Exception("database is locked"))]

    def flaky(*args: object, **kwargs: object) -> bool:
        if failures:
            raise failures.pop()
        return real_mark_sent(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(queue, "mark_sent", flaky)
    (msg_id,) = enqueue(database, ANA, "q1")
    channel = ScriptedChannel(Channel.sms, rate_per_second=500)
    sender = OutboxSender(context(database, channel, clock))
    assert await sender.run_once(Lane.routine) == 1
    assert failures == []  # the first write did fail
    row = message(database, msg_id)
    assert row.status == MessageStatus.sent and row.provider_id is not None
    assert len(channel.calls) == 1
    assert sender.counters["errors"] == 0 and sender.counters["sent"] == 1


async def test_routine_sends_are_recorded_without_a_savepoint(
    database: Database, clock: Clock
) -> None:
    """The common outcome (routine messages sent) is one UPDATE each and no SAVEPOINT, which
    would cost two more statements (two round trips on PostgreSQL) a write. A failure still
    loses nothing: see `test_a_repeated_provider_id_keeps_every_send_of_the_write`."""
    from sqlalchemy import event

    ids = enqueue(database, ANA, "one") + enqueue(database, BEN, "two")
    channel = ScriptedChannel(Channel.sms, rate_per_second=500)
    sender = OutboxSender(context(database, channel, clock))
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement.upper())

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        assert await sender.run_once(Lane.routine) == 2
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert [message(database, i).status for i in ids] == [MessageStatus.sent] * 2
    assert statements, "the listener saw the claim"
    assert not any("SAVEPOINT" in s for s in statements), statements


# --- a STOP during a send (issue 21) -----------------------------------------------------------


def ana_on_sms(database: Database) -> None:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres", channel=Channel.sms, address=ANA)
        contact = db.exec(select(ContactPoint).where(ContactPoint.person_id == person.id)).one()
        contact.consent_at = NOW


@pytest.mark.parametrize("provider", ["took it", "failed"])
async def test_a_message_in_flight_when_stop_arrives_keeps_its_true_outcome(
    database: Database, clock: Clock, provider: str
) -> None:
    """Before: the STOP's cancel took the claim away, so a message the provider had accepted
    was recorded as cancelled, without its provider id."""
    ana_on_sms(database)
    [question] = enqueue(database, ANA, "How are you?")
    first = Sent("SM-in-flight") if provider == "took it" else RetryLater("503")
    channel = ScriptedChannel(Channel.sms, [first], delay=[0.5])
    ctx = context(database, channel, clock)
    sender = OutboxSender(ctx)
    await sender.start()
    try:
        await wait_until(lambda: channel.in_flight == 1)
        stop = await asyncio.to_thread(receive_sync, ctx, Channel.sms.value, ANA, "STOP",
                                       "SM-stop")
        assert stop.outcome == "opted_out"
        await wait_until(lambda: message(database, question).lease_until is None
                         and len(channel.calls) == 2)
    finally:
        await sender.stop()
    row = message(database, question)
    if provider == "took it":
        assert (row.status, row.provider_id) == (MessageStatus.sent, "SM-in-flight")
    else:  # not delivered: cancelled, and never tried again
        assert (row.status, row.provider_id) == (MessageStatus.cancelled, None)
    # The confirmation of the STOP went out after it; nothing else did.
    assert channel.bodies == ["How are you?", texts.text("stopped", "en")]
