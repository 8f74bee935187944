"""Semantic screening: a second reader for committed free-text replies, seconds after the turn.

The turn itself screens every text with the patterns (``flows.risk``) and commits: urgent stays
instant, and the conversation never waits for a model. This job then reads the inbound rows it
has not dealt with yet (``semantic_screened_at IS NULL``, a small partial index), and for the
replies worth a second look (``flows.semantic.worth_reading``: 3 words or more, patterns below
concern; from mentees and mentors, not staff commands) asks the semantic reader for a score. A
score at or above the head's frozen threshold raises a *concern* escalation through the same
path as a pattern escalation: merged into the session's concern if it has one, an audit event,
and (for a new escalation) its alert round in the same transaction.

Every row it claims is marked, read or passed over, so the work list stays a few seconds long.
Rows it could never read (no person, fewer than ``MIN_WORDS`` words, staff commands: nearly every
check-in reply) are stored already passed over (`storage.queries.messages.send_inbound`), so the
job costs a turn nothing unless the reply is free text.
Rows older than ``MAX_AGE`` (the service was down, or screening was off) are passed over: a
concern about a day-old text is the dashboard's business, not an alert's.

Claiming: on PostgreSQL the batch is claimed ``FOR UPDATE SKIP LOCKED`` and held while it is
read, so two instances never screen the same row. On SQLite (one instance) the rows are read
outside the write lock, scored, and then marked in a short write transaction that only takes
rows still unmarked: the model never runs while conversation turns wait for the lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, select, text, update
from sqlmodel import Session

from bot.database import Database
from bot.policy import CHECKED_IN_ROLES
from bot.screening.reader import LazyReader, SemanticReader
from bot.turns.escalate import escalate_second_reading
from flows.risk import assess
from flows.risk.categories import MAX_EVIDENCE_CHARS
from flows.semantic import SEMANTIC_LEVEL, semantic_level, worth_reading
from flows.subject import mentions_someone_else
from storage.db import is_postgres
from storage.models import SEMANTIC_UNSCREENED, Message, Person, Program, Role

log = logging.getLogger(__name__)

# Rows claimed together (only the free text among them is embedded). Small, so a run fills its
# 2 s tick with whole batches: at one engine thread a free text costs 20-45 ms, and a batch of 64
# (1.5-3 s) ran past the tick, which the scheduler then skipped, idling until the next one.
BATCH_SIZE = 16
# One run takes no new batch that would likely end after this long (the last batch's time is the
# guess): just under the 2 s interval, so a backlog is worked off with almost no idle gap
# between runs and no run overlaps the next tick (which the scheduler would skip).
RUN_SECONDS = 1.9
MAX_AGE = timedelta(hours=24)


def reason_for(score: float) -> str:
    return f"semantic screen: concerning free text (score {score:.2f})"


@dataclass(frozen=True)
class Candidate:
    id: int
    body: str | None
    person_id: int | None
    session_id: int | None
    created_at: datetime
    role: Role | None
    language: str
    program_id: int | None


@dataclass
class ScreenResult:
    claimed: int = 0
    read: int = 0  # embedded and scored
    raised: int = 0  # concern escalations created or merged
    alerts: int = 0  # alert messages queued


_MESSAGE: Table = Message.__table__  # type: ignore[attr-defined]
_PERSON: Table = Person.__table__  # type: ignore[attr-defined]


def _unscreened(db: Session, limit: int, *, lock: bool) -> list[Candidate]:
    m, p = _MESSAGE.c, _PERSON.c
    stmt = (
        select(m.id, m.body, m.person_id, m.session_id, m.created_at, p.role, p.language,
               p.program_id)
        .select_from(_MESSAGE.outerjoin(_PERSON, p.id == m.person_id))
        # Word for word the partial index's predicate, so SQLite uses the index.
        .where(text(SEMANTIC_UNSCREENED))
        .order_by(m.id)
        .limit(limit)
    )
    if lock:
        stmt = stmt.with_for_update(of=_MESSAGE, skip_locked=True)
    return [Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "en", r[7])
            for r in db.execute(stmt).all()]


def _worth_reading(c: Candidate, now: datetime) -> bool:
    if c.person_id is None or c.role not in CHECKED_IN_ROLES or c.program_id is None:
        return False
    if c.created_at < now - MAX_AGE or not c.body:
        return False
    return worth_reading(c.body, assess(c.body, c.language).level)


def _score(
    reader: SemanticReader | None, batch: Sequence[Candidate], now: datetime, result: ScreenResult,
) -> dict[int, float]:
    """Scores of the rows worth reading (none when the reader is off)."""
    if reader is None:  # off: no patterns run either, the rows are only passed over
        return {}
    wanted = [c for c in batch if _worth_reading(c, now)]
    if not wanted:
        return {}
    scores = reader.scores([c.body or "" for c in wanted])
    result.read += len(wanted)
    return {c.id: float(s) for c, s in zip(wanted, scores, strict=True)}


def _record_scores(
    db: Session, batch: Sequence[Candidate], scores: dict[int, float], threshold: float,
    now: datetime, result: ScreenResult, dashboard_url: str | None,
) -> None:
    """Mark the rows and raise a concern for each one at or above the threshold. Only rows
    still unmarked are taken (on SQLite the read was not a claim): the rows that raise are
    marked one by one, checking the row count, and the rest (nearly all) in one statement."""
    flagged = [c for c in batch if c.id in scores
               and semantic_level(scores[c.id], threshold) is SEMANTIC_LEVEL]
    rest = [c for c in batch if c not in flagged]
    if rest:
        marked = db.execute(
            _MARK, [{"mid": c.id, "at": now, "score": scores.get(c.id)} for c in rest]
        )
        result.claimed += max(0, marked.rowcount)  # type: ignore[attr-defined]
    programs: dict[int, Program | None] = {}
    for c in flagged:
        score = scores[c.id]
        marked = db.execute(_MARK, {"mid": c.id, "at": now, "score": score})
        if marked.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another run took it meanwhile
        result.claimed += 1
        assert c.program_id is not None and c.person_id is not None
        if c.program_id not in programs:
            programs[c.program_id] = db.get(Program, c.program_id)
        program = programs[c.program_id]
        if program is None:
            continue
        result.alerts += _raise_concern(db, program, c, score, now, dashboard_url)
        result.raised += 1


_MARK = (
    update(_MESSAGE)
    .where(_MESSAGE.c.id == bindparam("mid"), _MESSAGE.c.semantic_screened_at.is_(None))
    .values(semantic_screened_at=bindparam("at"), semantic_score=bindparam("score"))
)


def _raise_concern(
    db: Session, program: Program, c: Candidate, score: float, now: datetime,
    dashboard_url: str | None,
) -> int:
    """The pattern path's escalation, audit and alerts, for a semantic concern. A mentor's
    text that names someone else ("she hasn't been eating") is a worry about their mentees,
    routed to them as a turn's finding is; in the mentor's own words it is about the mentor."""
    assert c.person_id is not None and c.body is not None
    person = db.get(Person, c.person_id)
    if person is None:  # the person was removed since the read
        return 0
    about_mentee = c.role == Role.mentor and mentions_someone_else(c.body)
    return escalate_second_reading(
        db, program, person, c.session_id, SEMANTIC_LEVEL.value, (reason_for(score),),
        (c.body.strip()[:MAX_EVIDENCE_CHARS],), now, about_mentee=about_mentee,
        # As for pattern escalations, the audit trail records what happened, never the words.
        audit_extra={"source": "semantic", "score": round(score, 3), "message_id": c.id},
        dashboard_url=dashboard_url,
    )


def screen_batch(
    database: Database, reader: SemanticReader | None, clock: Callable[[], datetime], *,
    limit: int = BATCH_SIZE, dashboard_url: str | None = None,
) -> ScreenResult:
    """Deal with up to ``limit`` unscreened inbound rows; ``reader=None`` passes them over (the
    screening is off or its model could not load). Escalations carry the time after scoring,
    so raised_at minus the reply's time is the real delay."""
    result = ScreenResult()
    threshold = reader.threshold if reader is not None else 1.0
    if is_postgres(database.engine):
        with database.transaction() as db:
            batch = _unscreened(db, limit, lock=True)
            scores = _score(reader, batch, clock(), result)
            _record_scores(db, batch, scores, threshold, clock(), result, dashboard_url)
        return result
    with database.reading() as db:
        batch = _unscreened(db, limit, lock=False)
    if not batch:
        return result
    scores = _score(reader, batch, clock(), result)
    with database.transaction() as db:
        _record_scores(db, batch, scores, threshold, clock(), result, dashboard_url)
    return result


def run_semantic_screening(
    database: Database, reader: SemanticReader | None, clock: Callable[[], datetime], *,
    batch_size: int = BATCH_SIZE,
    run_seconds: float = RUN_SECONDS,
    dashboard_url: str | None = None,
) -> ScreenResult:
    """Batches until the work list is empty or the next batch would likely end after
    ``run_seconds`` (as long as the last one took); the totals.
    ``dashboard_url``: the app's public address, for the link in the concerns' alerts."""
    total = ScreenResult()
    started = time.monotonic()
    while True:
        before = time.monotonic()
        got = screen_batch(database, reader, clock, limit=batch_size,
                           dashboard_url=dashboard_url)
        for name in ("claimed", "read", "raised", "alerts"):
            setattr(total, name, getattr(total, name) + getattr(got, name))
        now = time.monotonic()
        if got.claimed < batch_size or (now - started) + (now - before) >= run_seconds:
            return total


# One reader per process, made by the job's first run (never at import).
_reader: LazyReader | None = None


def process_reader(backend: str, *, enabled: bool) -> SemanticReader | None:
    """This process's reader, loaded on first call; None when off or unavailable (logged once
    by ``LazyReader``)."""
    global _reader
    if not enabled:
        return None
    if _reader is None:
        # One engine thread, on a thread of its own below the webhooks' priority.
        _reader = LazyReader(backend, threads=1, nice=10)
    return _reader.get()


def reader_health() -> dict[str, object]:
    """For /healthz: whether the semantic reader is loaded, and why not if it failed."""
    if _reader is None:
        return {"loaded": False}
    return {"loaded": _reader.loaded, **({"error": _reader.error} if _reader.error else {})}
