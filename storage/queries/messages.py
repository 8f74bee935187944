"""Inbound deduplication and the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from flows.levels import Level
from flows.semantic import worth_reading
from storage.models import PROVIDER_ID_SET, Channel, Direction, Lane, Message, MessageStatus
from storage.prepared import Prepared

# Outbound rows that have not left yet and can still be withdrawn.
CANCELLABLE = (MessageStatus.pending, MessageStatus.sending)


def record_inbound(
    session: Session,
    channel: Channel | str,
    address: str,
    provider_id: str | None,
    body: str | None,
    person_id: int | None,
    now: datetime,
    *,
    session_id: int | None = None,
) -> Message | None:
    """Store an inbound message; None when (inbound, channel, provider_id) was seen before.

    The insert runs in a SAVEPOINT, so a duplicate (even one committed by a concurrent
    transaction a moment ago) rolls back only the savepoint and the caller's transaction goes on.
    A None ``provider_id`` is never treated as a duplicate.
    """
    message_id = insert_inbound(session, channel, address, provider_id, body, person_id, now,
                                session_id=session_id)
    return None if message_id is None else session.get(Message, message_id)


def insert_inbound(
    session: Session,
    channel: Channel | str,
    address: str,
    provider_id: str | None,
    body: str | None,
    person_id: int | None,
    now: datetime,
    *,
    session_id: int | None = None,
    kind: str = "inbound",
    second_reading: bool = True,
) -> int | None:
    """Store an inbound message and return its id; None when (inbound, channel, provider_id)
    was seen before. One INSERT ... ON CONFLICT DO NOTHING RETURNING: a duplicate (even one a
    concurrent transaction committed a moment ago) inserts nothing and the caller's transaction
    goes on, with no savepoint round-trips on the hot path. ``kind`` "edited": the new text of
    a message received before (a Telegram edit, deduplicated by its own update id)."""
    return send_inbound(session, channel, address, provider_id, body, person_id, now,
                        session_id=session_id, kind=kind, second_reading=second_reading)()


def send_inbound(
    session: Session,
    channel: Channel | str,
    address: str,
    provider_id: str | None,
    body: str | None,
    person_id: int | None,
    now: datetime,
    *,
    session_id: int | None = None,
    kind: str = "inbound",
    second_reading: bool = True,
) -> Callable[[], int | None]:
    """`insert_inbound` as `Prepared.send`: in a pipeline, with other turns' inserts.

    A row the semantic second reader could never read (`bot.jobs.semantic`: no person, or
    fewer than `flows.semantic.MIN_WORDS` words, as "4", "yes", "no thanks" are; or
    ``second_reading=False``, a staff command) is stored already passed over
    (``semantic_screened_at`` set, no score). Nearly every reply in a check-in is such a row:
    the screening job then never reads or rewrites it, which cost each turn a second UPDATE."""
    skip = not (second_reading and person_id is not None
                and worth_reading(body, Level.NONE))
    values = {
        "direction": Direction.inbound.value,
        "channel": Channel(channel).value,
        "address": address,
        "person_id": person_id,
        "session_id": session_id,
        "provider_id": provider_id,
        "body": body,
        "kind": kind,
        "status": MessageStatus.received.value,
        "lane": Lane.routine.value,
        "priority": Lane.routine.priority,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
        "semantic_screened_at": now if skip else None,
    }
    session.flush()  # as Session.execute would: the ORM work of this turn so far goes first
    conn = session.connection()
    fetch = _inbound_insert(conn.dialect.name).send(conn, values)

    def inbound_id() -> int | None:
        rows = fetch()
        return int(rows[0][0]) if rows else None

    return inbound_id


@lru_cache(maxsize=4)
def _inbound_insert(dialect: str) -> Prepared:
    """Built once per dialect: building a statement costs more than running it."""
    table = Message.__table__  # type: ignore[attr-defined]
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    return Prepared(
        insert(table)
        .on_conflict_do_nothing(index_elements=["direction", "channel", "provider_id"],
                                index_where=text(PROVIDER_ID_SET))
        .returning(table.c.id)
    )


def enqueue_outbound(
    session: Session,
    *,
    channel: Channel | str,
    address: str,
    body: str,
    kind: str,
    lane: Lane | str,
    now: datetime,
    person_id: int | None = None,
    session_id: int | None = None,
    flush: bool = True,
) -> Message:
    """Add a pending outbox row, due at ``now``; the sender picks it up after commit.
    ``flush=False`` leaves the INSERT to the commit, batched with the turn's other rows (the
    hot path needs no id)."""
    lane = Lane(lane)
    message = Message(
        direction=Direction.outbound,
        channel=Channel(channel),
        address=address,
        person_id=person_id,
        session_id=session_id,
        body=body,
        kind=kind,
        status=MessageStatus.pending,
        lane=lane,
        priority=lane.priority,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    if flush:
        session.flush()
    return message


def cancel_pending_to(session: Session, channel: Channel | str, address: str, now: datetime) -> int:
    """Cancel every outbound message to (channel, address) not sent yet; returns how many.

    A row in flight (``sending``, a sender holds its claim) keeps that claim: the provider may
    have taken it already, and then the sender records it as sent, with its provider id (see
    `storage.queries.outbox.mark_sent`); any other outcome leaves it cancelled."""
    stmt = (
        update(Message)
        .where(
            col(Message.direction) == Direction.outbound,
            col(Message.channel) == Channel(channel),
            col(Message.address) == address,
            col(Message.status).in_(CANCELLABLE),
        )
        .values(status=MessageStatus.cancelled, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    result = session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def pending_to(session: Session, channel: Channel | str, address: str) -> list[Message]:
    """Outbound messages to (channel, address) that have not been sent yet, oldest first."""
    stmt = (
        select(Message)
        .where(
            Message.direction == Direction.outbound,
            Message.channel == Channel(channel),
            Message.address == address,
            col(Message.status).in_(CANCELLABLE),
        )
        .order_by(col(Message.id))
    )
    return list(session.exec(stmt).all())


# The confirmations that record an unknown sender's STOP and START (`bot.unknown_senders`):
# outbound rows with no person. Retention erases their bodies, never the rows.
UNKNOWN_STOPPED_KIND = "stopped"
UNKNOWN_STARTED_KIND = "started"


def unknown_sender_opted_out_at(
    session: Session, channel: Channel | str, address: str
) -> datetime | None:
    """When (channel, address), writing while enrolled nowhere, said STOP and has not said
    START since (the time of that STOP's confirmation); None when it has not opted out."""
    # "person_id IS NULL" stays out of the WHERE: SQLite then picked the person_id index and
    # walked every row without a person (every stranger's message) instead of the few rows
    # of this address that ix_message_channel_address_status finds.
    stmt = (
        select(Message.kind, Message.created_at, Message.person_id)
        .where(
            Message.direction == Direction.outbound,
            Message.channel == Channel(channel),
            Message.address == address,
            col(Message.kind).in_((UNKNOWN_STOPPED_KIND, UNKNOWN_STARTED_KIND)),
        )
        .order_by(col(Message.id).desc())
    )
    for kind, created_at, person_id in session.exec(stmt):
        if person_id is None:
            return created_at if kind == UNKNOWN_STOPPED_KIND else None
    return None


def last_outbound_of_kind(
    session: Session, channel: Channel | str, address: str, kind: str
) -> Message | None:
    """The newest outbound message of `kind` to (channel, address), whatever its status."""
    stmt = (
        select(Message)
        .where(
            Message.direction == Direction.outbound,
            Message.channel == Channel(channel),
            Message.address == address,
            Message.kind == kind,
        )
        .order_by(col(Message.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def outbound_count_since(
    session: Session, channel: Channel | str, address: str, kinds: tuple[str, ...],
    since: datetime,
) -> int:
    """How many outbound messages of `kinds` were queued to (channel, address) after `since`,
    whatever became of them (a reply cancelled by a STOP was still an answer)."""
    stmt = (
        select(func.count())
        .select_from(Message)
        .where(
            Message.direction == Direction.outbound,
            Message.channel == Channel(channel),
            Message.address == address,
            col(Message.kind).in_(kinds),
            col(Message.created_at) > since,
        )
    )
    return int(session.exec(stmt).one())


def inbound_since(
    session: Session, channel: Channel | str, address: str, since: datetime, limit: int,
) -> list[tuple[datetime, str | None]]:
    """(received at, body) of the newest `limit` inbound messages from (channel, address) after
    `since`, newest first; bodies are None where none is kept (unknown senders, retention)."""
    stmt = (
        select(Message.created_at, Message.body)
        .where(
            Message.direction == Direction.inbound,
            Message.channel == Channel(channel),
            Message.address == address,
            col(Message.created_at) > since,
        )
        .order_by(col(Message.id).desc())
        .limit(limit)
    )
    return [(at, body) for at, body in session.exec(stmt).all()]
