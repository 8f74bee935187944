"""The async edge of one inbound message: ordering, a worker thread, one transaction, a wake-up.

Webhook routes (Telegram, Twilio, web simulator) call `receive` after authenticating the request
and before answering the provider, so a provider only ever gets 2xx for a message whose turn is
committed (invariant 1). A repeated delivery is recognised by its provider id and acknowledged
without a second turn (invariant 2).

Group commit: turns that arrive while a batch of turns is being written wait and then share the
next transaction, each turn inside its own SAVEPOINT. A turn that fails rolls back to its
savepoint alone (its sender gets the error, so the provider delivers again); the others commit
together, and every `receive` of the batch returns only after that COMMIT. A turn is still
atomic, and under load one commit (and one trip to a worker thread) serves many turns.

Only turns are written here: the outbox sender records its send outcomes in transactions of its
own (`bot.outbox`), so a webhook batch never carries, waits for or fails with another part's work.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from sqlalchemy.engine import Connection
from sqlmodel import Session

from bot import request_ids
from bot.context import AppContext
from bot.reply_turn import ReplyIn, try_replies
from bot.runner import handle_inbound
from bot.turns.outcome import InboundResult
from flows.engine import Screen
from flows.risk import assess
from storage.db import is_sqlite

log = logging.getLogger(__name__)

# One lock per sender address in this process: two messages from one person are handled in
# arrival order, the second only after the first's commit. (Across instances the session row
# lock serialises them.)
_locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()

# How many batches may be written at once: SQLite has one writer; PostgreSQL overlaps one
# batch's commit (its WAL flush) with the next batch's statements.
POSTGRES_WRITERS = 3
MAX_BATCH = 64  # units per transaction: bounds how long one batch holds its row locks


def _lock_for(channel: str, address: str) -> asyncio.Lock:
    key = (channel, address)
    lock = _locks.get(key)
    if lock is None:
        lock = asyncio.Lock()
        _locks[key] = lock
    return lock


@dataclass(frozen=True)
class _Turn(ReplyIn):
    store_unknown: bool = True
    edited: bool = False  # a message's new text (never a reply: it takes the general path)


# UTF-16 surrogate code points (U+D800..U+DFFF). A str holds one only when a decoder let half
# an emoji through (a JSON "\ud83d" escape alone); well-formed text never contains any.
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """The text as a database can store it, every word kept:

    - NUL characters removed: PostgreSQL text columns cannot hold them (the INSERT fails and
      the message would be lost on every retry), and they carry no words;
    - lone surrogates (half an emoji: a JSON "\\ud83d" escape, a message cut inside a pair)
      replaced by U+FFFD: they cannot be encoded as UTF-8, so neither database driver can send
      them (the same loss). Two halves of one pair that arrive as two code points are joined."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.isascii() and _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _handle(db: Session, ctx: AppContext, turn: _Turn) -> InboundResult:
    # A batch holds several requests' turns: this one's lines and rows carry its own id.
    with request_ids.bound(turn.request_id):
        return _handle_turn(db, ctx, turn)


def _handle_turn(db: Session, ctx: AppContext, turn: _Turn) -> InboundResult:
    return handle_inbound(db, ctx.flows, channel=turn.channel, address=turn.address,
                          text=turn.text, provider_id=turn.provider_id, now=ctx.clock(),
                          store_unknown=turn.store_unknown, edited=turn.edited,
                          missed_checkins_for_watch=ctx.settings.missed_checkins_for_watch,
                          dashboard_url=ctx.settings.dashboard_url, screen=_screen(ctx))


def _screen(ctx: AppContext) -> Screen:
    """The pattern reader for the engine: timed when the app measures (METRICS_TOKEN)."""
    return ctx.metrics.pattern_screen if ctx.metrics is not None else assess


def receive_sync(
    ctx: AppContext, channel: str, address: str, text: str, provider_id: str | None,
    *, store_unknown: bool = True,
) -> InboundResult:
    """One turn in its own transaction (callers that are not on the event loop)."""
    with ctx.database.transaction() as db:
        return _handle(db, ctx, _Turn(channel, address, storable(text), provider_id,
                                      request_ids.current(), store_unknown=store_unknown))


def run_batch(ctx: AppContext, units: list[_Turn]) -> list[object | Exception]:
    """Write `units` (turns) in one transaction; return each one's result or
    the exception that rolled it back. Raises (nothing committed) when the transaction fails.

    Turns almost never fail, so the batch is first written without savepoints (each costs two
    statements a turn, two round trips on PostgreSQL). If a turn raises, that attempt is rolled
    back whole and the batch is written again with a SAVEPOINT per turn, so only the failing
    turn is lost. Nothing outside the database happens inside a turn, so writing one twice
    (once rolled back) is invisible."""
    if len(units) == 1:  # the whole transaction is the unit: no savepoint needed
        with ctx.database.transaction() as db:
            return [_handle(db, ctx, units[0])]
    try:
        return _write_batch(ctx, units, savepoints=False)
    except _TurnFailed:
        return _write_batch(ctx, units, savepoints=True)


class _TurnFailed(Exception):
    """A turn of an optimistic batch raised: the batch is rolled back and written again."""


def _write_batch(
    ctx: AppContext, units: list[_Turn], *, savepoints: bool
) -> list[object | Exception]:
    """All `units` in one transaction on one connection, committed at the end. Without
    savepoints a failing turn raises `_TurnFailed` (the whole batch rolls back); with them it
    rolls back to its own savepoint and its exception takes its place in the results."""
    database = ctx.database
    mode: Literal["create_savepoint", "rollback_only"] = (
        "create_savepoint" if savepoints else "rollback_only")
    results: list[object | Exception] = []
    with database.write_lock(), database.engine.begin() as conn:
        replied = {} if savepoints else _replies_together(ctx, conn, units)
        for index, unit in enumerate(units):
            if index in replied:
                results.append(replied[index])
                continue
            db = database.factory(bind=conn, join_transaction_mode=mode)
            try:
                results.append(_handle(db, ctx, unit))
                db.commit()  # RELEASE SAVEPOINT, or (without) flush this turn's ORM work
            except Exception as exc:
                if not savepoints:
                    raise _TurnFailed from exc
                db.rollback()  # ROLLBACK TO SAVEPOINT: this turn only
                results.append(exc)
            finally:
                db.close()
    return results


def _replies_together(ctx: AppContext, conn: Connection, units: list[_Turn]) -> dict[int, object]:
    """The optimistic attempt's replies inside open check-ins, written as one group
    (`try_replies`: on PostgreSQL a few round trips for all of them); by unit index. The other
    turns are left to the general path, one by one. A failure fails the attempt."""
    indexes = [i for i, unit in enumerate(units) if not unit.edited]
    if len(indexes) < 2:
        return {}
    db = ctx.database.factory(bind=conn, join_transaction_mode="rollback_only")
    try:
        found = try_replies(db, ctx.flows, [units[i] for i in indexes], ctx.clock(),
                            missed_checkins_for_watch=ctx.settings.missed_checkins_for_watch,
                            dashboard_url=ctx.settings.dashboard_url, screen=_screen(ctx))
        db.commit()  # flush what the rare events added as ORM objects
    except Exception as exc:
        raise _TurnFailed from exc
    finally:
        db.close()
    return {i: result for i, result in zip(indexes, found, strict=True) if result is not None}


@dataclass
class _Pending:
    unit: _Turn
    future: asyncio.Future[Any]


@dataclass
class TurnBatcher:
    """Collects turns on the event loop and writes them in batches in
    worker threads."""

    ctx: AppContext
    writers: int
    loop: asyncio.AbstractEventLoop
    _queue: list[_Pending] = field(default_factory=list)
    _running: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)  # held so none is collected

    async def submit(self, turn: _Turn) -> InboundResult:
        return cast(InboundResult, await self._submit(turn))

    async def _submit(self, unit: _Turn) -> object:
        future: asyncio.Future[object] = self.loop.create_future()
        self._queue.append(_Pending(unit, future))
        if self._running < self.writers:
            self._running += 1
            task = self.loop.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                try:
                    results = await asyncio.to_thread(run_batch, self.ctx,
                                                      [p.unit for p in batch])
                except Exception as exc:  # the transaction failed: no turn of it is stored
                    results = [exc] * len(batch)
                for pending, result in zip(batch, results, strict=True):
                    if pending.future.done():  # its request was cancelled meanwhile
                        continue
                    if isinstance(result, Exception):
                        pending.future.set_exception(result)
                    else:
                        pending.future.set_result(result)
        finally:
            self._running -= 1


def _batcher(ctx: AppContext) -> TurnBatcher:
    loop = asyncio.get_running_loop()
    batcher = ctx.turn_batcher
    if not isinstance(batcher, TurnBatcher) or batcher.loop is not loop:
        writers = 1 if is_sqlite(ctx.database.engine) else POSTGRES_WRITERS
        batcher = TurnBatcher(ctx, writers, loop)
        ctx.turn_batcher = batcher
    return batcher


async def receive(
    ctx: AppContext, channel: str, address: str, text: str, provider_id: str | None,
    *, store_unknown: bool = True, edited: bool = False,
) -> InboundResult:
    """The turn of one inbound message, committed. ``store_unknown=False``: a sender who is not
    enrolled gets outcome "unknown_sender" with nothing written (see `handle_inbound`).
    ``edited``: the new text of a message received before (see `bot.edited_turn`)."""
    metrics = ctx.metrics
    started = time.perf_counter() if metrics is not None else 0.0
    lock = _lock_for(channel, address)
    try:
        async with lock:
            turn = _Turn(channel, address, storable(text), provider_id, request_ids.current(),
                         store_unknown=store_unknown, edited=edited)
            result = await _batcher(ctx).submit(turn)
    except Exception:
        if metrics is not None:
            metrics.turn(channel, "error", time.perf_counter() - started)
        raise
    if metrics is not None:
        metrics.turn(channel, result.outcome, time.perf_counter() - started)
    # The webhook's line at INFO (the channel and what became of the message), on the
    # request's own task, so it carries the request's id (`bot.logs`). Ids and counts only.
    log.info("%s message in, turn applied: %s", channel, result.outcome,
             extra={"event": "turn_applied", "channel": channel, "outcome": result.outcome,
                    "session_id": result.session_id, "queued": result.queued})
    if result.queued and ctx.sender is not None:
        ctx.sender.wake(urgent=result.urgent)
    return result
