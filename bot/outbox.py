"""The outbox sender: claims due outbound rows and hands them to the channel adapters.

Two loops, one per lane (invariant 3). The urgent loop claims and sends its own batches; the
routine loop checks a gate before every send and waits while the urgent loop is claiming or
sending, so a routine batch never queues ahead of an urgent message in an adapter's shared rate
limiter by more than the routine sends already in flight (at most ``routine_concurrency``).

A batch: claim in a worker thread (one transaction), group by (channel, address) in id order,
run groups concurrently and each group's messages one after another. A RetryLater or
Undeliverable stops its group; the rest of the group goes back to pending unattempted, so a
check-in's questions never arrive out of order. Each outcome is written as soon as it is known,
in a short transaction of the sender's own (outcomes that arrive while a write is running share
the next one), so a crash after a provider accepted a message re-sends as little as possible
(invariant 1 and 2). The sender never writes through the webhooks' turn batches: a failing or
slow turn batch cannot hold an outcome back, and a failing outcome cannot fail a turn.

A row taken over from a sender whose lease ran out (it died between its claim and writing the
outcome) may already be with the provider. Where the provider can be asked (Twilio's Messages
list: `AcceptedLookup`), it is looked up first and, if found, recorded sent without a second
send; Telegram cannot be asked, so there the few milliseconds between accept and commit remain a
duplicate window (measured by `bench/crash_window.py`, see the README).

Logs carry message ids and masked addresses, never bodies, full addresses or exception texts
(an HTTP error can carry a bot token in its URL).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from bot import request_ids
from bot.channels.base import (
    AcceptedLookup,
    LookupFailed,
    RetryLater,
    SendOutcome,
    Sent,
    Undeliverable,
)
from bot.context import AppContext
from bot.escalation import failover
from bot.redaction import mask_address, redact
from storage.models import Channel, Lane, Message
from storage.queries import outbox as queue

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
JITTER = 0.2
# An urgent alert whose attempt failed fails over at once (the retries of it go on); only a
# rate limit the retry waits out within this many seconds is not a failure.
FAILOVER_WITHIN_SECONDS = 30.0
# How far before a dead sender's claim a provider's "accepted at" may lie and still be that
# sender's send: the provider's clock is not ours. An older identical message is not mistaken
# for it either way: a provider id already stored on another row never matches.
RECLAIM_CLOCK_SLACK = timedelta(minutes=2)


def backoff_seconds(attempts: int, rand: Callable[[float, float], float] = random.uniform) -> float:
    """2**attempts seconds, capped at 5 minutes, ±20% jitter so retries do not stampede."""
    base = min(2.0 ** attempts, MAX_BACKOFF_SECONDS)
    return base * rand(1 - JITTER, 1 + JITTER)


@dataclass(frozen=True)
class _Claimed:
    """What the async side needs of a claimed row (no ORM object crosses the thread)."""

    id: int
    channel: Channel
    address: str
    body: str | None
    attempts: int
    lease_until: datetime
    alert: bool = False  # an escalation alert: its outcome goes to the audit trail
    # Taken over from a sender that died mid-send: the provider may have accepted it at or
    # after this moment (that sender's claim), without our record of it.
    reclaimed_after: datetime | None = None
    request_id: str | None = None  # the webhook request whose turn queued it

    @classmethod
    def of(cls, message: Message, reclaimed_after: datetime | None = None) -> _Claimed:
        assert message.id is not None and message.lease_until is not None
        return cls(message.id, Channel(message.channel), message.address, message.body,
                   message.attempts, message.lease_until, message.kind == "alert",
                   reclaimed_after, message.request_id)


@dataclass(frozen=True)
class _Result:
    """One write-back: kind is sent / retry / dead / undeliverable / release."""

    kind: str
    ids: tuple[int, ...]
    lease_until: datetime
    now: datetime
    reason: str = ""
    provider_id: str | None = None
    next_attempt_at: datetime | None = None
    alert: bool = True  # False: known not to be an alert, no audit lookup when it is sent
    fail_over: bool = False  # a retry of an urgent alert that fails over now (see _retry_or_dead)
    request_id: str | None = None  # of the failed row: an alert failed over to carries it on


class _ResultWriter:
    """Writes outcomes in arrival order; those that queue up during a write share the next."""

    def __init__(self, sender: OutboxSender) -> None:
        self._sender = sender
        self._queue: list[_Result] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, result: _Result) -> None:
        self._queue.append(result)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._queue:
            items, self._queue = self._queue, []
            try:
                await self._sender._record(items)
            except Exception as exc:
                # The rows stay `sending` and are claimed again when the lease runs out.
                self._sender._error(f"writing {len(items)} outcomes failed", exc)

    async def close(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


class OutboxSender:
    def __init__(
        self,
        ctx: AppContext,
        *,
        urgent_idle_seconds: float = 0.5,
        routine_idle_seconds: float = 1.0,
        urgent_concurrency: int = 16,
        routine_concurrency: int = 4,
    ) -> None:
        settings = ctx.settings
        self._ctx = ctx
        self.batch_size = settings.outbox_batch_size
        self.lease = timedelta(seconds=settings.outbox_lease_seconds)
        self.max_attempts = settings.outbox_max_attempts
        self.reclaim_lookup = settings.outbox_reclaim_lookup
        # Stop starting sends this long before the lease ends, so another instance never
        # re-claims a row we are still about to send.
        self.lease_margin = self.lease / 4
        self._idle = {Lane.urgent: urgent_idle_seconds, Lane.routine: routine_idle_seconds}
        self._concurrency = {Lane.urgent: urgent_concurrency, Lane.routine: routine_concurrency}
        self._wake: dict[Lane, asyncio.Event] = {}
        self._urgent_clear: asyncio.Event | None = None
        self._urgent_active = 0
        self._urgent_wanted = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self.counters: dict[str, int] = dict.fromkeys(
            ("sent", "retried", "dead", "undeliverable", "released", "lost_lease", "errors",
             # re-claimed rows the provider had already accepted (not sent again), and
             # look-ups that failed (sent again: maybe a duplicate)
             "recovered", "lookup_failed"), 0
        )
        self.last_batch_at: datetime | None = None
        self.last_error: str | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not self._stopping

    async def start(self) -> None:
        if self._tasks:
            return
        self._stopping = False
        self._bind_loop()
        # The urgent loop is created first (and is self._tasks[0]): its first claim runs before
        # any routine send.
        self._tasks = [
            asyncio.create_task(self._run_lane(lane), name=f"outbox-{lane}")
            for lane in (Lane.urgent, Lane.routine)
        ]

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 (lifespan API)
        """Finish the sends in flight, give back claimed rows not yet sent, return."""
        if not self._tasks:
            return
        self._stopping = True
        self._urgent_wanted = False
        for event in self._wake.values():
            event.set()
        if self._urgent_clear is not None:
            self._urgent_clear.set()  # routine sends waiting on the gate see `stopping`
        tasks, self._tasks = self._tasks, []
        _done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:  # a send hanging past the timeout: its row is re-claimed later
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._stopping = False  # stopped; run_once and start work again

    def wake(self, *, urgent: bool = True) -> None:
        """New rows were committed: look now instead of at the next poll. Thread-safe.
        ``urgent=False`` promises that none of them is urgent: the urgent lane then keeps to its
        poll instead of claiming (one transaction) after every conversation turn."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:  # called from another thread
            running = None
        if running is loop:  # the webhook path: set the events now, no self-pipe round trip
            self._set_wake(urgent)
            return
        try:
            loop.call_soon_threadsafe(self._set_wake, urgent)
        except RuntimeError:  # the loop closed between the check and the call
            pass

    def health(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "last_batch_at": self.last_batch_at.isoformat() if self.last_batch_at else None,
            **self.counters,
            "last_error": self.last_error,
        }

    # --- loops -------------------------------------------------------------------------------

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._wake = {lane: asyncio.Event() for lane in Lane}
            self._urgent_clear = asyncio.Event()
            self._urgent_clear.set()

    def _set_wake(self, urgent: bool = True) -> None:
        self._wake[Lane.routine].set()
        if not urgent:
            return
        self._wake[Lane.urgent].set()
        # The new rows may be urgent: close the routine gate now rather than when the urgent
        # loop gets to run, a few loop iterations later; its claim opens it again.
        if self._tasks and not self._tasks[0].done() and not self._stopping:
            self._urgent_wanted = True
            self._update_gate()

    async def _run_lane(self, lane: Lane) -> None:
        wake = self._wake[lane]
        failures = 0
        while not self._stopping:
            wake.clear()
            try:
                claimed, _sends = await self._run_batch(lane)
                failures = 0
            except Exception as exc:
                self._error(f"{lane} batch failed", exc)
                claimed, failures = 0, failures + 1
            if claimed or self._stopping:
                continue  # more may be due right away
            # Idle (or failing: back off up to 30 s) until the poll interval or a wake-up.
            delay = min(self._idle[lane] * 2**failures, 30.0) if failures else self._idle[lane]
            if not wake.is_set():
                try:
                    await asyncio.wait_for(wake.wait(), delay)
                except TimeoutError:
                    pass

    async def run_once(self, lane: Lane) -> int:
        """Claim and process one batch of ``lane`` now; returns how many sends were made."""
        self._bind_loop()
        _claimed, sends = await self._run_batch(lane)
        return sends

    async def _run_batch(self, lane: Lane) -> tuple[int, int]:
        """Returns (rows claimed, sends made)."""
        lane = Lane(lane)
        if lane == Lane.urgent:
            self._urgent_busy(+1)  # routine sends pause from the claim on
        try:
            batch = await asyncio.to_thread(self._claim, lane)
            if not batch:
                return 0, 0
            log.debug("claimed %d %s messages", len(batch), lane.value,
                      extra={"event": "outbox_claim", "lane": lane.value,
                             "message_ids": [m.id for m in batch]})
            self.last_batch_at = self._ctx.clock()
            return len(batch), await self._send_batch(lane, batch)
        finally:
            if lane == Lane.urgent:
                self._urgent_busy(-1)

    def _urgent_busy(self, delta: int) -> None:
        self._urgent_active += delta
        if delta > 0:
            self._urgent_wanted = False  # this claim sees every row committed before wake()
        self._update_gate()

    def _update_gate(self) -> None:
        assert self._urgent_clear is not None
        if self._urgent_active > 0 or self._urgent_wanted:
            self._urgent_clear.clear()
        else:
            self._urgent_clear.set()

    # --- one batch ---------------------------------------------------------------------------

    def _claim(self, lane: Lane) -> list[_Claimed]:
        channels = [str(c) for c in self._ctx.channels]
        if not channels:
            return []
        reclaimed: dict[int, datetime] = {}
        with self._ctx.database.transaction() as session:
            rows = queue.claim_batch(session, channels=channels, lane=lane, now=self._ctx.clock(),
                                     lease=self.lease, limit=self.batch_size,
                                     reclaimed=reclaimed)
            # The dead sender's claim began one lease before its lease_until (all instances
            # share the setting).
            return [_Claimed.of(m, reclaimed[m.id] - self.lease if m.id in reclaimed else None)
                    for m in rows]

    async def _send_batch(self, lane: Lane, batch: list[_Claimed]) -> int:
        """Send one claimed batch; returns how many sends were made."""
        groups: dict[tuple[Channel, str], list[_Claimed]] = {}
        matched: set[str] = set()  # provider ids already given to a re-claimed row of this batch
        for message in batch:  # already in id order
            groups.setdefault((message.channel, message.address), []).append(message)
        writer = _ResultWriter(self)
        limit = asyncio.Semaphore(self._concurrency[lane])

        async def bounded(group: list[_Claimed]) -> int:
            async with limit:
                return await self._send_group(lane, group, writer, matched)

        try:
            results = await asyncio.gather(
                *(bounded(g) for g in groups.values()), return_exceptions=True
            )
            sends = 0
            for result in results:
                if isinstance(result, int):
                    sends += result
                elif not isinstance(result, asyncio.CancelledError):
                    self._error(f"{lane} send group failed", result)
        finally:
            await writer.close()
        return sends

    async def _send_group(
        self, lane: Lane, group: list[_Claimed], writer: _ResultWriter, matched: set[str],
    ) -> int:
        """Send a group's messages in order; returns how many were attempted."""
        for index, message in enumerate(group):
            if lane == Lane.routine:
                await self._urgent_gate()
            if self._stopping or self._ctx.clock() >= message.lease_until - self.lease_margin:
                self._release(group[index:], writer)
                return index
            # This send's lines (and the adapter's) carry the id of the request that queued it;
            # the group is a task of its own, so the binding stays with it.
            with request_ids.bound(message.request_id):
                outcome = await self._attempt(message, lane, matched)
                _log_send(message, lane, outcome)
            now = self._ctx.clock()
            if isinstance(outcome, Sent):
                self.counters["sent"] += 1
                writer.add(_Result("sent", (message.id,), message.lease_until, now,
                                   provider_id=outcome.provider_id, alert=message.alert))
                continue
            if isinstance(outcome, Undeliverable):
                self.counters["undeliverable"] += 1
                log.info("message %d undeliverable to %s: %s", message.id,
                         mask_address(message.address), redact(outcome.reason))
                # Also fails the rest of this group (and all else queued to the address).
                writer.add(_Result("undeliverable", (message.id,), message.lease_until, now,
                                   reason=outcome.reason, request_id=message.request_id))
                return index + 1
            self._retry_or_dead(message, outcome, now, writer, lane)
            self._release(group[index + 1 :], writer)  # they wait behind this one
            return index + 1
        return len(group)

    async def _urgent_gate(self) -> None:
        gate = self._urgent_clear
        assert gate is not None
        # Re-check after waking: the urgent loop may have started its next claim already.
        while not gate.is_set() and not self._stopping:
            await gate.wait()

    async def _attempt(self, message: _Claimed, lane: Lane, matched: set[str]) -> SendOutcome:
        if message.body is None:  # erased by retention before it could be sent
            return RetryLater("message body erased")
        adapter = self._ctx.channels[message.channel]
        # Only rows of a dead sender pay for a look-up; the normal path sends straight away.
        if (message.reclaimed_after is not None and self.reclaim_lookup
                and isinstance(adapter, AcceptedLookup)):
            found = await self._accepted_before(message, adapter, matched)
            if found is not None:
                return Sent(provider_id=found)
        started = time.perf_counter()
        outcome: SendOutcome
        try:
            outcome = await adapter.send(message.address, message.body,
                                         urgent=lane == Lane.urgent)
        except Exception as exc:  # an adapter bug: keep the row, try again later
            name = type(exc).__name__
            self._error(f"{message.channel} adapter raised on message {message.id}", exc)
            outcome = RetryLater(f"adapter error: {name}")
        if self._ctx.metrics is not None:
            self._ctx.metrics.send(str(message.channel), _outcome_label(outcome),
                                   time.perf_counter() - started)
        return outcome

    async def _accepted_before(
        self, message: _Claimed, adapter: AcceptedLookup, matched: set[str],
    ) -> str | None:
        """The provider id of this message if the dead sender's send of it was accepted, else
        None (send it). The key is what the provider keeps and lets us filter on: recipient,
        our sender, the exact body and the time since the dead claim; an accepted message that
        is already stored on another row (an earlier identical re-ask) is not this one."""
        assert message.reclaimed_after is not None and message.body is not None
        try:
            candidates = await adapter.accepted_since(
                message.address, message.body, message.reclaimed_after - RECLAIM_CLOCK_SLACK)
        except LookupFailed as exc:
            # Send anyway: a person getting a question or an alert twice is better than a
            # crisis message never sent because the provider's history could not be read.
            self.counters["lookup_failed"] += 1
            log.warning("message %d: could not ask %s whether it was already sent (%s); "
                        "sending it again", message.id, message.channel, redact(str(exc)))
            return None
        candidates = [c for c in candidates if c not in matched]
        if not candidates:
            return None
        try:
            known = await asyncio.to_thread(self._known_ids, message.channel, candidates)
        except Exception as exc:
            self.counters["lookup_failed"] += 1
            self._error(f"provider id look-up for message {message.id} failed", exc)
            return None
        for candidate in candidates:
            if candidate not in known:
                matched.add(candidate)
                self.counters["recovered"] += 1
                log.info("message %d to %s was already accepted by %s before a crash: "
                         "recorded, not sent again", message.id, mask_address(message.address),
                         message.channel)
                return candidate
        return None

    def _known_ids(self, channel: Channel, ids: list[str]) -> set[str]:
        with self._ctx.database.transaction() as session:
            return queue.known_provider_ids(session, channel, ids)

    def _retry_or_dead(
        self, message: _Claimed, outcome: RetryLater, now: datetime, writer: _ResultWriter,
        lane: Lane = Lane.routine,
    ) -> None:
        attempts = message.attempts + 1
        metrics = self._ctx.metrics
        if attempts >= self.max_attempts or message.body is None:
            self.counters["dead"] += 1
            if metrics is not None:
                metrics.dead(str(message.channel))
            log.warning("message %d to %s dead after %d attempts: %s", message.id,
                        mask_address(message.address), attempts, redact(outcome.reason))
            writer.add(_Result("dead", (message.id,), message.lease_until, now,
                               reason=outcome.reason, request_id=message.request_id))
            return
        delay = max(outcome.after_seconds or 0.0, backoff_seconds(attempts))
        self.counters["retried"] += 1
        if metrics is not None:
            metrics.retry(str(message.channel))
        log.info("message %d to %s: retry in %.0f s (%s)", message.id,
                 mask_address(message.address), delay, redact(outcome.reason))
        # A provider 5xx, a time-out or our own setup failing an urgent alert: waiting for the
        # retries to die (minutes) would leave the alert unheard, so the next channel or person
        # gets it now (once per alert message) while this one keeps being retried.
        fail_over = message.alert and Lane(lane) == Lane.urgent and (
            not outcome.rate_limited or delay > FAILOVER_WITHIN_SECONDS)
        writer.add(_Result("retry", (message.id,), message.lease_until, now,
                           reason=outcome.reason, next_attempt_at=now + timedelta(seconds=delay),
                           fail_over=fail_over, request_id=message.request_id))

    def _release(self, messages: list[_Claimed], writer: _ResultWriter) -> None:
        if messages:
            self.counters["released"] += len(messages)
            writer.add(_Result("release", tuple(m.id for m in messages), messages[0].lease_until,
                               self._ctx.clock()))

    # --- write-back ----------------------------------------------------------------------------

    async def _record(self, items: list[_Result]) -> None:
        """Write outcomes in a transaction of their own, off the event loop (with retries: a
        write that keeps failing leaves the rows `sending`, claimed again when the lease ends)."""
        await asyncio.to_thread(self._write, items)

    def _write(self, items: list[_Result]) -> None:
        for attempt in Retrying(
            retry=retry_if_exception_type(DBAPIError),
            stop=stop_after_attempt(5),
            wait=wait_exponential(multiplier=0.1, max=5),
            reraise=True,
        ):
            with attempt:
                lost = self._write_once(items)
        self._count_lost(lost)

    def _write_once(self, items: list[_Result]) -> int:
        """One transaction; returns how many outcomes found their claim taken over.

        The common outcome (routine rows sent, none an alert) is one UPDATE each with no
        savepoint (a savepoint costs two more statements, two round trips on PostgreSQL). A
        repeated provider id then fails the transaction whole, and it is written again with
        `_write_all`, which keeps every send."""
        if all(item.kind == "sent" and not item.alert for item in items):
            try:
                with self._ctx.database.transaction() as session:
                    return sum(not queue.mark_sent(session, item.ids[0], item.provider_id,
                                                   item.now, lease_until=item.lease_until)
                               for item in items)
            except IntegrityError:
                pass  # rolled back: nothing of it is stored
        with self._ctx.database.transaction() as session:
            return self._write_all(session, items)

    def _count_lost(self, lost: int) -> None:
        if lost:
            self.counters["lost_lease"] += lost
            log.warning("%d outcomes not recorded: their claim had been taken over", lost)

    def _write_all(self, session: Session, items: list[_Result]) -> int:
        """Write ``items``; returns how many found their claim taken over. One savepoint for
        all of them: only a repeated provider id fails a write, and then each item is written
        again in a savepoint of its own."""
        try:
            with session.begin_nested():
                return sum(not self._write_one(session, item) for item in items)
        except IntegrityError:
            return sum(not self._write_one(session, item, careful=True) for item in items)

    def _write_one(self, session: Session, item: _Result, *, careful: bool = False) -> bool:
        lease, now, msg_id = item.lease_until, item.now, item.ids[0]
        if item.kind == "release":
            queue.release(session, item.ids, now, lease_until=lease)
            return True
        if item.kind == "sent":
            applied = (_mark_sent_keeping_the_send(session, item) if careful else
                       queue.mark_sent(session, msg_id, item.provider_id, now,
                                       lease_until=lease))
            if applied and item.alert:
                queue.audit_alert_outcome(session, msg_id, "alert_sent", now)
            return applied
        if item.kind == "retry":
            assert item.next_attempt_at is not None
            retried = queue.mark_retry(session, msg_id, item.reason, item.next_attempt_at, now,
                                       lease_until=lease)
            if retried and item.fail_over:
                queue.audit_alert_outcome(session, msg_id, failover.ATTEMPT_FAILED_ACTION, now)
                with request_ids.bound(item.request_id):  # the new alert carries it on
                    failover.on_outbox_failure(session, msg_id, now,
                                               dashboard_url=self._ctx.settings.dashboard_url)
            return retried
        if item.kind == "dead":
            gave_up = queue.mark_dead(session, msg_id, item.reason, now, lease_until=lease)
        else:
            gave_up = queue.mark_undeliverable(session, msg_id, item.reason, now,
                                               lease_until=lease)
        if gave_up:  # a failed alert goes at once to another channel or person
            queue.audit_alert_outcome(session, msg_id, "alert_failed", now)
            with request_ids.bound(item.request_id):  # the new alert carries it on
                failover.on_outbox_failure(session, msg_id, now,
                                           dashboard_url=self._ctx.settings.dashboard_url)
        return gave_up

    def _error(self, what: str, exc: BaseException) -> None:
        # Type and frames only: exception texts can hold bodies, numbers or tokens.
        self.counters["errors"] += 1
        self.last_error = f"{what}: {type(exc).__name__}"
        log.error("%s: %s\n%s", what, type(exc).__name__,
                  "".join(traceback.format_tb(exc.__traceback__)).rstrip())


def _outcome_label(outcome: SendOutcome) -> str:
    """The closed set of send outcomes /metrics shows (never the provider's reason text)."""
    if isinstance(outcome, Sent):
        return "sent"
    if isinstance(outcome, Undeliverable):
        return "undeliverable"
    return "rate_limited" if outcome.rate_limited else "failed"


def _log_send(message: _Claimed, lane: Lane, outcome: SendOutcome) -> None:
    """One line per attempt: ids, channel, lane, what the provider said (never the address in
    full, the body or a provider id: a Telegram one holds the chat id)."""
    label = _outcome_label(outcome)
    status = "retry" if label == "failed" else label  # a passing failure is tried again
    reason = "" if isinstance(outcome, Sent) else redact(outcome.reason)
    log.info("send %d %s: %s", message.id, message.channel.value, status,
             extra={"event": "send_done", "message_id": message.id,
                    "channel": message.channel.value, "lane": lane.value,
                    "provider_status": status, "attempt": message.attempts + 1,
                    "alert": message.alert, **({"reason": reason} if reason else {})})


def _mark_sent_keeping_the_send(session: Session, item: _Result) -> bool:
    """`mark_sent` in a savepoint of its own; if an adapter repeated a provider id (the unique
    index refuses it), the send is stored without the id rather than lost."""
    msg_id = item.ids[0]
    try:
        with session.begin_nested():
            return queue.mark_sent(session, msg_id, item.provider_id, item.now,
                                   lease_until=item.lease_until)
    except IntegrityError:
        log.warning("message %d: duplicate provider id, stored without it", msg_id)
        return queue.mark_sent(session, msg_id, None, item.now, lease_until=item.lease_until)
