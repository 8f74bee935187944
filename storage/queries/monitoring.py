"""Counts for the /metrics scrape: the service's state as a few GROUP BY queries.

Each function reads; none writes or commits. They return ids, levels, lanes, channels and
counts only (never a name, an address or a text), because their results become metric labels
that anyone holding the metrics token can read. The time-to-acknowledge buckets are counted in
SQL (one pass over the acknowledged escalations) rather than by loading the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, exists, func, literal
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage.db import is_sqlite
from storage.models import (
    AlertStatus,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    Schedule,
)


@dataclass(frozen=True)
class OutboxCount:
    status: str  # pending / dead
    lane: str
    channel: str
    count: int


def outbox_counts(db: Session) -> list[OutboxCount]:
    """Outbound rows waiting to be sent (pending) and dead-lettered, per lane and channel.

    One query per status, and no direction term (inbound rows are only ever "received"; the
    outbox claim relies on the same): with ``status = ?`` alone both databases read just those
    rows through the outbox index. ``status IN (…)`` with a direction term led SQLite, and
    PostgreSQL without statistics, to walk every outbound row (325 ms and 20 ms at 200,000
    messages, `bench/metrics_cost.py`)."""
    found: list[OutboxCount] = []
    for status in (MessageStatus.pending, MessageStatus.dead):
        rows = db.exec(
            select(Message.lane, Message.channel, func.count())
            .where(col(Message.status) == status)
            .group_by(col(Message.lane), col(Message.channel))
        ).all()
        found += [OutboxCount(str(status), str(lane), str(ch), int(n)) for lane, ch, n in rows]
    return found


def oldest_pending(db: Session) -> dict[str, datetime]:
    """Per lane, when the oldest outbound row still pending was queued (pending rows are
    always outbound: no direction term, see `outbox_counts`)."""
    rows = db.exec(
        select(Message.lane, func.min(col(Message.created_at)))
        .where(col(Message.status) == MessageStatus.pending)
        .group_by(col(Message.lane))
    ).all()
    return {str(lane): at for lane, at in rows if at is not None}


@dataclass(frozen=True)
class EscalationCount:
    level: str
    program_id: int
    status: str  # open (nobody acknowledged it yet) / acknowledged
    count: int


def unresolved_escalations(db: Session) -> list[EscalationCount]:
    rows = db.exec(
        select(Escalation.level, Escalation.program_id, Escalation.status, func.count())
        .where(col(Escalation.status).in_([EscalationStatus.open,
                                           EscalationStatus.acknowledged]))
        .group_by(col(Escalation.level), col(Escalation.program_id), col(Escalation.status))
    ).all()
    return [EscalationCount(str(level), int(pid), str(status), int(n))
            for level, pid, status, n in rows]


def not_alerted(db: Session) -> list[tuple[str, int, int]]:
    """(level, program id, count) of open escalations whose latest alert round reached
    nobody (`bot.escalation.failover` sets ``alert_status``)."""
    rows = db.exec(
        select(Escalation.level, Escalation.program_id, func.count())
        .where(col(Escalation.status) == EscalationStatus.open,
               col(Escalation.alert_status) == AlertStatus.not_alerted)
        .group_by(col(Escalation.level), col(Escalation.program_id))
    ).all()
    return [(str(level), int(pid), int(n)) for level, pid, n in rows]


def oldest_unalerted(db: Session) -> dict[str, datetime]:
    """Per level, when the oldest open (unacknowledged) escalation was raised that no alert
    has reached yet: none of its alert messages is sent or delivered."""
    delivered = exists().where(
        col(Message.escalation_id) == col(Escalation.id),
        col(Message.kind) == "alert",
        col(Message.status).in_([MessageStatus.sent, MessageStatus.delivered]),
    )
    rows = db.exec(
        select(Escalation.level, func.min(col(Escalation.raised_at)))
        .where(col(Escalation.status) == EscalationStatus.open, ~delivered)
        .group_by(col(Escalation.level))
    ).all()
    return {str(level): at for level, at in rows if at is not None}


def due_not_started(db: Session, now: datetime) -> tuple[int, datetime | None]:
    """Schedules due at ``now`` that the dispatch job has not started yet (not paused), and
    the oldest due time among them. A working dispatch keeps this near zero."""
    count, oldest = db.exec(  # MIN() keeps the column's type: an aware datetime
        select(func.count(), func.min(col(Schedule.next_due_at)))
        .where(col(Schedule.paused).is_(False), col(Schedule.next_due_at) <= now)
    ).one()
    return int(count), oldest


@dataclass(frozen=True)
class AckTimes:
    level: str
    buckets: tuple[int, ...]  # cumulative counts, one per bound (le), same order
    count: int
    total_seconds: float


def _seconds_to_ack(db: Session) -> ColumnElement[Any]:
    ack, raised = col(Escalation.acknowledged_at), col(Escalation.raised_at)
    if is_sqlite(db.get_bind()):
        # Naive UTC text on SQLite (storage.types.UTCDateTime): julianday reads it.
        return (func.julianday(ack) - func.julianday(raised)) * literal(86400.0)
    return func.extract("epoch", ack - raised)


def time_to_acknowledge(db: Session, bounds: Sequence[float]) -> list[AckTimes]:
    """Per level, how long acknowledged escalations waited from raised to acknowledged, as
    cumulative bucket counts (a Prometheus histogram), counted in one query. An escalation
    resolved without an ACK counts as acknowledged when resolved (`lifecycle.resolve`)."""
    # Each row's seconds computed once (MATERIALIZED: not re-computed in every bucket's sum).
    acks = (select(col(Escalation.level).label("level"), _seconds_to_ack(db).label("seconds"))
            .where(col(Escalation.acknowledged_at).is_not(None))
            .cte("acks").prefix_with("MATERIALIZED"))
    seconds = acks.c.seconds
    columns = [func.sum(case((seconds <= bound, 1), else_=0)) for bound in bounds]
    rows = db.exec(
        select(acks.c.level, func.count(), func.coalesce(func.sum(seconds), 0.0), *columns)
        .group_by(acks.c.level)
    ).all()
    found = []
    for row in rows:
        counts: tuple[Any, ...] = tuple(row[3:])
        found.append(AckTimes(str(row[0]), tuple(int(v or 0) for v in counts), int(row[1]),
                              float(row[2])))
    return found
