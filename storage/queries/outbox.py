"""The outbox queue: claim due outbound rows in batches, then record what each send did.

A claim moves rows to ``sending`` with a lease (``lease_until``). Every mark is a conditional
UPDATE on (id, status='sending', lease_until=<the lease of that claim>), so a sender whose lease
ran out (and whose rows another sender re-claimed) cannot overwrite the newer outcome; each mark
returns whether it applied. A row cancelled during its send (a STOP) keeps the claim: "sent"
still applies to it (the record must say it was delivered), any other outcome leaves it
cancelled, never to be retried.

Order per address: a routine row waits while an older outbound row to the same (channel,
address) is pending or sending; an urgent row waits only for older urgent rows. Older rows of
the same lane that are claimable in the same statement do not block (they come first in id
order), so one batch can carry a reply and the next question to one person.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    update,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, col, select

from storage.db import is_sqlite
from storage.models import (
    AlertStatus,
    Channel,
    ContactPoint,
    Direction,
    Lane,
    Message,
    MessageStatus,
)
from storage.prepared import Prepared
from storage.queries import audit, escalations

IN_FLIGHT = (MessageStatus.pending, MessageStatus.sending)


# The claim statements are built once per lane and run with bound values: the sender claims
# after every committed turn, and building this expression (an aliased EXISTS) cost more than
# running it.
_NOW = bindparam("now", type_=Message.__table__.c.next_attempt_at.type)  # type: ignore[attr-defined]
_CHANNELS: BindParameter[Any] = bindparam("channels", expanding=True)
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)


def _claimable(table: Any) -> ColumnElement[bool]:
    """Due now: pending and due, or sending under a lease that has run out (a dead sender)."""
    return or_(
        and_(table.status == MessageStatus.pending, table.next_attempt_at <= _NOW),
        and_(table.status == MessageStatus.sending, table.lease_until < _NOW),
    )


def _older_blocker(lane: Lane, *, recheck: bool = False) -> Any:
    """EXISTS an older row to the same (channel, address) that this lane must wait for.

    The claim's own test (``recheck=False``, as of its snapshot): an older row of the same lane
    that is claimable now does not block, it is claimed ahead in the same statement.
    The re-check after locking (``recheck=True``, with ``ids`` bound to the claimed set): any
    older unsent row outside the claimed set blocks (e.g. one another instance holds, skipped by
    SKIP LOCKED).
    """
    older = aliased(Message, name="older")
    conditions: list[ColumnElement[bool]] = [
        col(older.channel) == col(Message.channel),
        col(older.address) == col(Message.address),
        col(older.status).in_(IN_FLIGHT),  # only outbound rows are pending/sending
        col(older.id) < col(Message.id),
    ]
    if lane == Lane.urgent:
        conditions.append(col(older.priority) == Lane.urgent.priority)
    if not recheck:
        not_claimable_with_us = or_(
            col(older.priority) != lane.priority,
            and_(
                col(older.status) == MessageStatus.pending,
                or_(col(older.next_attempt_at) > _NOW, col(older.next_attempt_at).is_(None)),
            ),
            and_(
                col(older.status) == MessageStatus.sending,
                or_(col(older.lease_until) >= _NOW, col(older.lease_until).is_(None)),
            ),
        )
        conditions.append(not_claimable_with_us)
    else:
        conditions.append(col(older.id).not_in(_IDS))
    return exists(select(literal(1)).select_from(older).where(*conditions))


@cache
def _claim_statements(lane: Lane) -> tuple[Any, Any]:
    """(candidates, re-check) for ``lane``; bound values: now, channels, limit / ids, now."""
    candidates = (
        select(Message)
        .where(
            # Leading terms match ix_message_outbox (status, priority, next_attempt_at): only
            # unsent rows are visited, never the sent history. priority mirrors lane. Pending
            # and sending rows are always outbound, so no direction term (it would steer SQLite
            # to the (direction, channel, provider_id) index and a scan of every outbound row).
            col(Message.status).in_(IN_FLIGHT),
            col(Message.priority) == lane.priority,
            col(Message.lane) == lane,
            col(Message.channel).in_(_CHANNELS),
            _claimable(Message),
            ~_older_blocker(lane),
        )
        .order_by(col(Message.id))
        .limit(bindparam("limit", type_=Integer()))
        .with_for_update(skip_locked=True, of=Message)  # ignored by SQLite
    )
    recheck = select(Message.id).where(col(Message.id).in_(_IDS),
                                       _older_blocker(lane, recheck=True))
    return candidates, recheck


def claim_batch(
    session: Session,
    *,
    channels: Collection[str],
    lane: Lane,
    now: datetime,
    lease: timedelta,
    limit: int,
    reclaimed: dict[int, datetime] | None = None,
) -> list[Message]:
    """Claim up to ``limit`` due outbound rows of ``lane`` on ``channels``, oldest first.

    The rows become ``sending`` with ``lease_until = now + lease``. PostgreSQL locks them with
    ``FOR UPDATE SKIP LOCKED`` so concurrent senders take disjoint rows; SQLite's BEGIN
    IMMEDIATE transaction serialises claimers.

    ``reclaimed``, when given, is filled with {id: the old lease_until} for the rows taken over
    from a sender whose lease ran out (it died, or hung, somewhere between its claim and writing
    the outcome): the provider may already have accepted those.
    """
    lane = Lane(lane)
    if not channels or limit <= 0:
        return []
    candidates_stmt, recheck_stmt = _claim_statements(lane)
    params = {"now": now, "channels": [Channel(c) for c in channels], "limit": limit}
    candidates = list(session.execute(candidates_stmt, params).scalars().all())
    if not candidates:
        return []
    ids = [m.id for m in candidates if m.id is not None]
    blocked: set[int] = set()
    if not is_sqlite(session.get_bind()):
        # Re-check after locking: an older row to the same address that we did not get
        # (another instance holds it) still blocks ours. SQLite serialises writers, so there
        # it is always empty.
        blocked = set(session.execute(recheck_stmt, {"ids": ids, "now": now}).scalars().all())
    claimed = [m for m in candidates if m.id not in blocked]
    lease_until = now + lease
    for message in claimed:
        if (reclaimed is not None and message.status == MessageStatus.sending
                and message.id is not None and message.lease_until is not None):
            reclaimed[message.id] = message.lease_until
        message.status = MessageStatus.sending
        message.lease_until = lease_until
        message.updated_at = now
    session.flush()
    return claimed


def known_provider_ids(session: Session, channel: Channel, ids: Collection[str]) -> set[str]:
    """Which of ``ids`` are already stored on an outbound row of ``channel`` (one lookup on the
    (direction, channel, provider_id) index)."""
    if not ids:
        return set()
    rows = session.exec(
        select(Message.provider_id).where(
            col(Message.direction) == Direction.outbound, col(Message.channel) == channel,
            col(Message.provider_id).in_(list(ids)))
    ).all()
    return {pid for pid in rows if pid is not None}


def _guarded(msg_id: int, lease_until: datetime | None) -> list[ColumnElement[bool]]:
    conditions = [col(Message.id) == msg_id, col(Message.status) == MessageStatus.sending]
    if lease_until is not None:
        conditions.append(col(Message.lease_until) == lease_until)
    return conditions


def _set_if_still_ours(
    session: Session, msg_id: int, claim_lease: datetime | None, values: dict[str, Any]
) -> bool:
    """Apply ``values`` to the row only if it is still ours; the row leaves the lease."""
    stmt = (
        update(Message)
        .where(*_guarded(msg_id, claim_lease))
        .values(**values, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if session.execute(stmt).rowcount:  # type: ignore[attr-defined]
        return True
    if claim_lease is not None:  # cancelled during the send: it stays so, without the claim
        session.execute(
            update(Message)
            .where(col(Message.id) == msg_id, col(Message.status) == MessageStatus.cancelled,
                   col(Message.lease_until) == claim_lease)
            .values(lease_until=None)
            .execution_options(synchronize_session=False))
    return False


# The sender's most frequent write, built once: a Core UPDATE on the table (no ORM DML step),
# guarded like `_set_if_still_ours`, except that a row cancelled while in flight (a STOP arrived
# during its send: `messages.cancel_pending_to` keeps its claim) is marked sent too: it was
# delivered.
_MESSAGE_TABLE: Any = Message.__table__  # type: ignore[attr-defined]
_SENT_AT = bindparam("now", type_=_MESSAGE_TABLE.c.sent_at.type)
_MARK_SENT = (
    update(_MESSAGE_TABLE)
    .where(_MESSAGE_TABLE.c.id == bindparam("mid"),
           or_(_MESSAGE_TABLE.c.status == MessageStatus.sending,
               _MESSAGE_TABLE.c.status == MessageStatus.cancelled),
           _MESSAGE_TABLE.c.lease_until == bindparam("lease",
                                                     type_=_MESSAGE_TABLE.c.lease_until.type))
    .values(status=MessageStatus.sent, provider_id=bindparam("pid"),
            sent_at=_SENT_AT, updated_at=_SENT_AT, attempts=_MESSAGE_TABLE.c.attempts + 1,
            last_error=None, lease_until=None)
)
# RETURNING instead of rowcount: a pipeline knows a row's fate only when it is fetched.
_MARK_SENT_PREPARED = Prepared(_MARK_SENT.returning(_MESSAGE_TABLE.c.id))


def mark_sent(
    session: Session, msg_id: int, provider_id: str | None, now: datetime, *,
    lease_until: datetime,
) -> bool:
    """The provider accepted the message. False when the claim was lost (nothing changed)."""
    return send_mark_sent(session, msg_id, provider_id, now, lease_until=lease_until)()


def send_mark_sent(
    session: Session, msg_id: int, provider_id: str | None, now: datetime, *,
    lease_until: datetime,
) -> Callable[[], bool]:
    """`mark_sent` as `Prepared.send`: in a pipeline, with the other outcomes of a batch."""
    params = {"mid": msg_id, "lease": lease_until, "pid": provider_id, "now": now}
    fetch = _MARK_SENT_PREPARED.send(session.connection(), params)
    return lambda: bool(fetch())


def mark_retry(
    session: Session,
    msg_id: int,
    reason: str,
    next_attempt_at: datetime,
    now: datetime,
    *,
    lease_until: datetime | None = None,
) -> bool:
    """A passing failure: count the attempt, back to pending, due at ``next_attempt_at``."""
    return _set_if_still_ours(session, msg_id, lease_until, {
        "status": MessageStatus.pending, "next_attempt_at": next_attempt_at,
        "last_error": reason, "attempts": col(Message.attempts) + 1, "updated_at": now,
    })  # fmt: skip


def mark_dead(
    session: Session,
    msg_id: int,
    reason: str,
    now: datetime,
    *,
    lease_until: datetime | None = None,
) -> bool:
    """The last allowed attempt failed too: give up (counts that attempt)."""
    return _set_if_still_ours(session, msg_id, lease_until, {
        "status": MessageStatus.dead, "last_error": reason,
        "attempts": col(Message.attempts) + 1, "updated_at": now,
    })  # fmt: skip


def mark_undeliverable(
    session: Session,
    msg_id: int,
    reason: str,
    now: datetime,
    *,
    lease_until: datetime | None = None,
) -> bool:
    """A permanent failure for the address: fail this message and everything else queued to
    that (channel, address), mark its contact point unreachable, and audit it."""
    target = session.exec(
        select(Message.channel, Message.address).where(col(Message.id) == msg_id)
    ).first()
    if target is None:
        return False
    if not _set_if_still_ours(session, msg_id, lease_until, {
        "status": MessageStatus.failed, "last_error": reason,
        "attempts": col(Message.attempts) + 1, "updated_at": now,
    }):  # fmt: skip
        return False
    channel, address = target
    others = session.execute(
        update(Message)
        .where(
            col(Message.direction) == Direction.outbound,
            col(Message.channel) == channel,
            col(Message.address) == address,
            col(Message.status).in_(IN_FLIGHT),
        )
        .values(
            status=MessageStatus.failed,
            last_error=f"address unreachable: {reason}",
            lease_until=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    contact = session.exec(
        select(ContactPoint).where(
            col(ContactPoint.channel) == channel, col(ContactPoint.address) == address
        )
    ).first()
    if contact is not None:
        contact.unreachable = True
        contact.unreachable_reason = reason
        session.add(contact)
        session.flush()
    audit.record(
        session,
        actor="system",
        action="contact_unreachable",
        subject_type="contact_point",
        subject_id=contact.id if contact is not None else None,
        detail={
            "channel": str(channel),
            "reason": reason,
            "message_id": msg_id,
            "other_messages_failed": int(others or 0),
        },
        now=now,
    )
    return True


def release(
    session: Session,
    msg_ids: Collection[int],
    now: datetime,
    *,
    lease_until: datetime | None = None,
) -> int:
    """Give claimed rows back (not attempted, e.g. at shutdown): pending again, no attempt
    counted, still due. Returns how many were released."""
    if not msg_ids:
        return 0
    conditions = [
        col(Message.id).in_(list(msg_ids)),
        col(Message.status) == MessageStatus.sending,
    ]
    if lease_until is not None:
        conditions.append(col(Message.lease_until) == lease_until)
    stmt = (
        update(Message)
        .where(*conditions)
        .values(status=MessageStatus.pending, lease_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def backlog(session: Session, now: datetime | None = None) -> dict[str, Any]:
    """Queue health for /healthz and the dashboard: counts only, no addresses or bodies.

    ``pending`` is {lane: {channel: count}}; the oldest pending age needs ``now``.
    """
    outbound = col(Message.direction) == Direction.outbound
    pending: dict[str, dict[str, int]] = {str(lane): {} for lane in Lane}
    rows = session.exec(
        select(Message.lane, Message.channel, func.count())
        .where(col(Message.status) == MessageStatus.pending, outbound)
        .group_by(col(Message.lane), col(Message.channel))
    ).all()
    for lane, channel, count in rows:
        pending[str(lane)][str(channel)] = int(count)
    by_status = dict(
        session.exec(
            select(Message.status, func.count())
            .where(
                col(Message.status).in_(
                    [MessageStatus.sending, MessageStatus.dead, MessageStatus.failed]
                ),
                outbound,
            )
            .group_by(col(Message.status))
        ).all()
    )
    oldest: datetime | None = session.exec(
        select(func.min(col(Message.created_at))).where(
            col(Message.status) == MessageStatus.pending, outbound
        )
    ).one()
    return {
        "pending": pending,
        "sending": int(by_status.get(MessageStatus.sending, 0)),
        "dead": int(by_status.get(MessageStatus.dead, 0)),
        "failed": int(by_status.get(MessageStatus.failed, 0)),
        "oldest_pending_at": oldest.isoformat() if oldest is not None else None,
        "oldest_pending_age_seconds": (
            max(0.0, (now - oldest).total_seconds()) if oldest and now else None
        ),
    }



def audit_alert_outcome(session: Session, msg_id: int, action: str, now: datetime) -> None:
    """Every alert handed to a provider, or given up on, is an audit event (the supervisor
    queue's trail shows who was told, when). One primary-key lookup."""
    message = session.get(Message, msg_id)
    if message is None or message.kind != "alert":
        return
    detail: dict[str, Any] = {"message_id": msg_id, "to_person_id": message.person_id,
                              "channel": str(message.channel)}
    if action in ("alert_failed", "alert_attempt_failed"):
        detail["reason"] = message.last_error
    audit.record(session, actor="system", action=action, subject_type="escalation",
                 subject_id=message.escalation_id, detail=detail, now=now)
    if action == "alert_sent" and message.escalation_id is not None:
        escalations.set_alert_status(session, message.escalation_id, AlertStatus.sent)


def _first_id_since(session: Session, since: datetime) -> int | None:
    """The id of the first message created at or after `since`, found by bisecting the primary
    key (ids grow with time; `created_at` has no index, and a scan of the whole history on each
    look at the Delivery page would grow with it). About 30 index look-ups; a row or two
    either side of the boundary may be counted wrongly where concurrent writers interleave."""
    lo, hi = session.exec(select(func.min(col(Message.id)), func.max(col(Message.id)))).one()
    if lo is None or hi is None:
        return None
    newest = session.exec(select(Message.created_at).where(col(Message.id) == hi)).one()
    if newest < since:
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        at = session.exec(select(Message.created_at).where(col(Message.id) >= mid)
                          .order_by(col(Message.id)).limit(1)).first()
        if at is not None and at >= since:
            hi = mid
        else:
            lo = mid + 1
    return int(lo)


def outcomes_since(session: Session, since: datetime) -> dict[str, dict[str, int]]:
    """{channel: {status: count}} of the outbound messages queued since `since` (whole service,
    counts only): what became of what we tried to send. "retrying": of the pending ones, those
    waiting again after a failed attempt."""
    first = _first_id_since(session, since)
    if first is None:
        return {}
    retry = func.sum(case((col(Message.attempts) > 0, 1), else_=0))
    rows = session.exec(
        select(Message.channel, Message.status, func.count(), retry)
        # The id bounds the rows read; the time still decides (a late id can be older).
        .where(col(Message.id) >= first, col(Message.direction) == Direction.outbound,
               col(Message.created_at) >= since)
        .group_by(col(Message.channel), col(Message.status))
    ).all()
    found: dict[str, dict[str, int]] = {}
    for channel, status, count, retried in rows:
        counts = found.setdefault(str(channel), {})
        counts[str(status)] = int(count)
        if status == MessageStatus.pending:  # waiting again after a failed attempt
            counts["retrying"] = int(retried or 0)
    return found
