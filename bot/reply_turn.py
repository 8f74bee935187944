"""The common inbound turn: an enrolled person who is not staff, has not opted out and has
consented, replies inside an open check-in.

It is most of the inbound traffic, so it reads the contact, person, program and session as plain
values (one Core query each, pipelined on PostgreSQL), steps the flow, and hands the results to
the applier (`bot.turns.applier`) as one batch: a group commit of several senders' turns writes
its sessions, answers and replies with one statement each. It runs inside the caller's
transaction like `bot.runner.handle_inbound` (which calls it first) and never commits. Anything
else (unknown senders, staff, STOP/START outside a flow, consent, no open check-in, an open staff
conversation) returns None before writing anything, and the general path handles it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.policy import STAFF_ROLES, needs_consent
from bot.turns import applier, staff_conversation
from bot.turns.contact_state import mark_reachable
from bot.turns.outcome import DEFAULT_MISSED_CHECKINS_FOR_WATCH, InboundResult
from flows.engine import Screen, step
from flows.events import Reply
from flows.model import Flow
from flows.risk import assess
from flows.state import SessionState
from storage.models import ContactPoint
from storage.prepared import pipelined
from storage.queries import messages, people, sessions


@dataclass(frozen=True)
class ReplyIn:
    """One inbound message, as `try_replies` takes it (`bot.inbound`'s turns are these)."""

    channel: str
    address: str
    text: str
    provider_id: str | None
    request_id: str | None = None  # the webhook request it came with (`bot.request_ids`)


def try_reply(
    db: Session,
    flows: dict[str, Flow],
    *,
    channel: str,
    address: str,
    text: str,
    provider_id: str | None,
    now: datetime,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
    dashboard_url: str | None = None,
    screen: Screen = assess,
) -> InboundResult | None:
    """The turn of a reply inside an open check-in; None (nothing written) for any other case.
    ``screen``: the pattern reader the engine runs (the app's timed one when metrics are on)."""
    return try_replies(db, flows, [ReplyIn(channel, address, text, provider_id)], now,
                       missed_checkins_for_watch=missed_checkins_for_watch,
                       dashboard_url=dashboard_url, screen=screen)[0]


def try_replies(
    db: Session, flows: dict[str, Flow], turns: Sequence[ReplyIn], now: datetime, *,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
    dashboard_url: str | None = None,
    screen: Screen = assess,
) -> list[InboundResult | None]:
    """`try_reply` for several messages from different senders in one transaction, each
    result in its turn's place; None where that turn was not taken (nothing of it written: the
    caller gives it the general path, after these).

    The turns go through each stage together, so on PostgreSQL the whole group waits for
    three round trips where one turn after another waited for three each: who the senders are
    with their sessions (row-locked), the inbound rows, then the writes and trend reads. A
    second message of a person already in the group is not taken: it needs the first's state."""
    db.flush()
    conn = db.connection()
    # Read (and row-locked on PostgreSQL) before the inbound row is written, as in the general
    # path: a second delivery of a message waits here, then finds its duplicate.
    with pipelined(conn):
        sent = [(people.send_contact_snapshot(conn, t.channel, t.address),
                 sessions.send_active_state_of_contact(conn, t.channel, t.address))
                for t in turns]
        found = [(snapshot(), state()) for snapshot, state in sent]
    taken: list[tuple[int, people.ContactSnapshot, tuple[int, str, dict[str, Any]]]] = []
    persons: set[int] = set()
    for index, (snap, active) in enumerate(found):
        if (snap is None or snap.role in STAFF_ROLES or snap.opted_out
                or needs_consent(snap) or active is None or active[1] not in flows
                or snap.person_id in persons
                # Talking with staff: not a check-in answer (`bot.turns.staff_conversation`).
                or staff_conversation.is_open(snap.staff_conversation_until, now)):
            continue
        persons.add(snap.person_id)
        taken.append((index, snap, active))

    results: list[InboundResult | None] = [None] * len(turns)
    with pipelined(conn):
        inserted = [messages.send_inbound(db, snap.channel, snap.address, turns[i].provider_id,
                                          turns[i].text, snap.person_id, now,
                                          session_id=active[0])
                    for i, snap, active in taken]
        ids = [inbound_id() for inbound_id in inserted]
    taken_ok: list[tuple[int, people.ContactSnapshot, tuple[int, str, dict[str, Any]]]] = []
    for (index, snap, active), inbound_id in zip(taken, ids, strict=True):
        if inbound_id is None:
            results[index] = InboundResult("duplicate")
        else:
            taken_ok.append((index, snap, active))
    batch: list[applier.Turn] = []
    for index, snap, (session_id, flow_id, context) in taken_ok:
        result = step(flows[flow_id], SessionState.from_json(context), Reply(turns[index].text),
                      now, screen=screen)
        who = applier.Who.of_snapshot(snap)
        if snap.unreachable:  # rare: read with the snapshot, so ordinary turns pay nothing
            contact = db.get(ContactPoint, snap.contact_id)
            assert contact is not None
            mark_reachable(db, contact, now)  # so this turn's replies go out
            who = who._replace(unreachable=False)
        batch.append(applier.Turn(who, session_id, flow_id, result, turns[index].request_id))
    applied = applier.apply(db, batch, now, missed_checkins_for_watch=missed_checkins_for_watch,
                            dashboard_url=dashboard_url)
    for (index, _, _), done in zip(taken_ok, applied, strict=True):
        results[index] = InboundResult("reply", done.session_id, done.queued, urgent=done.urgent)
    return results
