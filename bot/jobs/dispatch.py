"""Scheduled check-ins: claim the schedule rows that are due, start their check-ins, advance them.

Schedules are rows (`next_due_at`), not timers, so a restart loses none. A batch is claimed
inside the caller's transaction: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several
instances share the work and never start the same check-in twice (invariant 2); on SQLite the
`BEGIN IMMEDIATE` transaction already makes each batch the only writer.

Every claimed schedule is advanced in the same transaction, to the rule's first occurrence after
`now`: a service that was down for three weeks starts one check-in, not three. A check-in due in
the person's quiet hours waits for their end instead; a rule with no future occurrence pauses
its schedule.
"""

from __future__ import annotations

import gc
import logging
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, Table, select, type_coerce, update
from sqlmodel import Session, col

from bot.bulk_start import StartRequest, start_many
from bot.contacts import choose_contact_rows
from bot.context import AppContext
from bot.turns.outcome import DEFAULT_MISSED_CHECKINS_FOR_WATCH
from flows.model import Flow
from flows.quiet_hours import quiet_until
from flows.recurrence import RuleError, next_occurrence
from storage.db import is_postgres
from storage.models import (
    CheckinSession,
    ContactPoint,
    Person,
    PersonStatus,
    Program,
    Schedule,
)
from storage.queries.sql import one_of

log = logging.getLogger(__name__)

DISPATCH_BATCH = 1000  # schedules per transaction
MAX_BATCHES_PER_RUN = 200  # one run handles at most this many batches; the next tick goes on
POSTGRES_WORKERS = 2  # concurrent batches per run on PostgreSQL

_SESSION_TABLE: Table = CheckinSession.__table__  # type: ignore[attr-defined]
_SCHEDULE_TABLE: Table = Schedule.__table__  # type: ignore[attr-defined]
_PERSON_TABLE: Table = Person.__table__  # type: ignore[attr-defined]
_CONTACT_TABLE: Table = ContactPoint.__table__  # type: ignore[attr-defined]
_PROGRAM_TABLE: Table = Program.__table__  # type: ignore[attr-defined]


@dataclass
class DispatchReport:
    claimed: int = 0
    started: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    deferred_quiet: int = 0

    def add(self, other: DispatchReport) -> None:
        self.claimed += other.claimed
        self.started += other.started
        self.deferred_quiet += other.deferred_quiet
        for reason, n in other.skipped_by_reason.items():
            self.skipped_by_reason[reason] = self.skipped_by_reason.get(reason, 0) + n


# Light rows instead of ORM objects: a batch touches a thousand schedules, people and contacts,
# and building ORM instances for them costs more than the rest of the batch together.


@dataclass(slots=True)  # not frozen: a frozen __init__ costs twice as much per row
class _Due:
    """A claimed schedule and the person it is for; also that person as
    `bulk_start.PersonLike` (so `id` is the person's, `schedule_id` the schedule's)."""

    schedule_id: int
    flow_id: str
    rule: str
    rule_timezone: str
    id: int
    status: str
    language: str
    display_name: str
    program_id: int
    timezone: str | None


def _lock_claimed(db: Session, stmt: Select[Any]) -> Select[Any]:
    """FOR UPDATE OF schedule SKIP LOCKED on PostgreSQL: rows another instance holds are
    skipped, not waited for. SQLite: BEGIN IMMEDIATE already made this the only writer."""
    if is_postgres(db.get_bind()):  # type: ignore[arg-type]
        return stmt.with_for_update(skip_locked=True, of=_SCHEDULE_TABLE)
    return stmt


def claim_due_schedules(db: Session, now: datetime, limit: int) -> list[Schedule]:
    """Up to `limit` schedules due at `now` (not paused), oldest due first, locked for this
    transaction (as ORM objects; the dispatcher itself reads lighter rows)."""
    sc = _SCHEDULE_TABLE.c
    stmt = (
        select(Schedule)
        .where(col(Schedule.paused).is_(False), col(Schedule.next_due_at) <= now)
        .order_by(sc.next_due_at, sc.id)
        .limit(limit)
    )
    return list(db.execute(_lock_claimed(db, stmt)).scalars())


def _claim_due(db: Session, now: datetime, limit: int) -> list[_Due]:
    """`claim_due_schedules` with each schedule's person, in one query and as light rows."""
    sc, p = _SCHEDULE_TABLE.c, _PERSON_TABLE.c
    stmt = (
        # The status as its plain string: no PersonStatus member built per row.
        select(sc.id, sc.flow_id, sc.rule, sc.timezone, p.id, type_coerce(p.status, String),
               p.language, p.display_name, p.program_id, p.timezone)
        .join_from(_SCHEDULE_TABLE, _PERSON_TABLE, p.id == sc.person_id)
        .where(sc.paused.is_(False), sc.next_due_at <= now)
        .order_by(sc.next_due_at, sc.id)
        .limit(limit)
    )
    return [_Due(*row) for row in db.execute(_lock_claimed(db, stmt)).all()]


def dispatch_due_checkins(
    db: Session, flows: dict[str, Flow], now: datetime, limit: int = DISPATCH_BATCH, *,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
) -> DispatchReport:
    """One batch: claim, start or defer, advance. Runs in (and never commits) `db`.
    ``missed_checkins_for_watch``: the service's setting of that name."""
    claimed = _claim_due(db, now, limit)
    report = DispatchReport(claimed=len(claimed))
    if not claimed:
        return report
    program_ids = {due.program_id for due in claimed}
    found = db.execute(select(Program).where(one_of(db, _PROGRAM_TABLE.c.id, program_ids)))
    programs = {program.id: program for program in found.scalars()}
    # Most of a batch shares a program, a timezone and a rule: each check below is computed
    # once per distinct value, not once per schedule.
    quiet_keys = {
        program_id: (program.timezone, program.quiet_start, program.quiet_end)
        for program_id, program in programs.items()
    }
    quiet: dict[tuple[str, str, str], datetime | None] = {}
    advance = _Advancer(now)
    skipped: Counter[str] = Counter()
    changes: dict[_Change, list[int]] = {}
    waiting: list[_Due] = []
    for due in claimed:
        if due.status != PersonStatus.active:
            skipped[f"person_{due.status}"] += 1
            changes.setdefault(advance(due, started=False), []).append(due.schedule_id)
            continue
        zone, quiet_start, quiet_end = quiet_keys[due.program_id]
        key = (due.timezone or zone, quiet_start, quiet_end)
        until = quiet.get(key, _UNKNOWN)
        if until is _UNKNOWN:
            until = quiet[key] = quiet_until(now, *key)
        if until is not None:  # routine starts wait for the morning
            changes.setdefault(_change(until), []).append(due.schedule_id)
            report.deferred_quiet += 1
            continue
        waiting.append(due)

    contacts = choose_contact_rows(db, [due.id for due in waiting])
    requests = [
        StartRequest(due, programs[due.program_id], contacts.get(due.id), due.flow_id)
        for due in waiting
    ]
    outcomes = start_many(db, flows, requests, now,
                          missed_checkins_for_watch=missed_checkins_for_watch)
    for due, outcome in zip(waiting, outcomes, strict=True):
        started = outcome.session_id is not None
        changes.setdefault(advance(due, started=started), []).append(due.schedule_id)
        if started:
            report.started += 1
        else:
            assert outcome.skipped is not None
            skipped[outcome.skipped] += 1
            if outcome.skipped == "unknown_flow":
                log.warning("schedule %s names flow '%s', which is not loaded",
                            due.schedule_id, due.flow_id)
    report.skipped_by_reason = dict(skipped)
    # Most of a batch moves to the same next occurrence: one UPDATE per distinct change.
    sc = _SCHEDULE_TABLE.c
    for change, schedule_ids in changes.items():
        stmt = update(_SCHEDULE_TABLE).where(one_of(db, sc.id, schedule_ids))
        db.execute(stmt.values(dict(change)))
    return report


_UNKNOWN: Any = object()  # not looked up yet (None is an answer)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during one batch. A batch builds tens of thousands of
    short-lived rows, tuples and results (no reference cycles among them), and the collector's
    passes over them cost about a sixth of the batch; they run after it instead. Another
    worker's batch may overlap: whoever found the collector on turns it back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_dispatch(
    ctx: AppContext, *, limit: int = DISPATCH_BATCH, max_batches: int = MAX_BATCHES_PER_RUN,
    workers: int | None = None,
) -> int:
    """The scheduler job: batches of `limit`, one transaction each, until a batch comes back
    short or `max_batches` ran. Wakes the sender after each batch; returns how many schedules
    were handled.

    On PostgreSQL `workers` (default POSTGRES_WORKERS) threads claim batches side by side, so
    one batch's Python work overlaps another's database work (SKIP LOCKED keeps them apart, as
    it keeps instances apart). SQLite has one writer: one worker.
    """
    if workers is None:
        workers = POSTGRES_WORKERS if is_postgres(ctx.database.engine) else 1
    budget = iter(range(max_batches))  # next() under the GIL: shared safely between workers

    def work() -> DispatchReport:
        done = DispatchReport()
        while next(budget, None) is not None:
            with _collector_paused(), ctx.database.transaction() as db:
                report = dispatch_due_checkins(
                    db, ctx.flows, ctx.clock(), limit,
                    missed_checkins_for_watch=ctx.settings.missed_checkins_for_watch)
            done.add(report)
            if report.claimed and ctx.sender is not None:
                ctx.sender.wake()
            if report.claimed < limit:
                break
        return done

    if workers <= 1:
        total = work()
    else:
        total = DispatchReport()
        with ThreadPoolExecutor(workers, thread_name_prefix="dispatch") as pool:
            for future in [pool.submit(work) for _ in range(workers)]:
                total.add(future.result())
    if total.claimed:
        log.info("dispatch: %s claimed, %s started, %s deferred for quiet hours, skipped %s",
                 total.claimed, total.started, total.deferred_quiet, total.skipped_by_reason)
    return total.claimed


_Change = tuple[tuple[str, Any], ...]  # (column, new value) pairs of a schedule row


def _change(
    next_due_at: datetime, *, paused: bool = False, started_at: datetime | None = None
) -> _Change:
    change: _Change = (("next_due_at", next_due_at), ("paused", paused))
    return (*change, ("last_started_at", started_at)) if started_at else change


class _Advancer:
    """Where each schedule moves: to its rule's first occurrence after `now` (missed ones
    coalesce); a rule that has ended pauses it. Computed once per (rule, timezone)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.following: dict[tuple[str, str], datetime | RuleError | None] = {}
        self.changes: dict[tuple[datetime | RuleError | None, bool], _Change] = {}

    def __call__(self, due: _Due, *, started: bool) -> _Change:
        key = (due.rule, due.rule_timezone)
        following = self.following.get(key, _UNKNOWN)
        if following is _UNKNOWN:
            try:
                following = next_occurrence(due.rule, due.rule_timezone, self.now)
            except RuleError as exc:
                following = exc
            self.following[key] = following
        if isinstance(following, RuleError):  # a broken row must not block every batch
            log.error("schedule %s paused: %s", due.schedule_id, following)
        change = self.changes.get((following, started))
        if change is None:
            started_at = self.now if started else None
            if following is None or isinstance(following, RuleError):
                change = _change(self.now, paused=True, started_at=started_at)
            else:
                change = _change(following, started_at=started_at)
            self.changes[(following, started)] = change
        return change
