"""Signed outbound webhooks, end to end: a check-in's urgent answer, an ACK, a RESOLVE and a
missed check-in, each queued in its own turn's transaction and delivered by the real outbox
sender and `WebhookChannel` (aiohttp) to a receiver on 127.0.0.1 that checks the signature as
docs/webhooks.md tells a receiver to. Both databases."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.base import RetryLater
from bot.channels.webhook import adapter as webhook_adapter
from bot.channels.webhook.adapter import WebhookChannel
from bot.channels.webhook.signature import HEADER, sign, verify
from bot.context import AppContext
from bot.database import Database
from bot.escalation import lifecycle
from bot.flow_registry import load_configured_flows
from bot.outbox import OutboxSender
from bot.program_settings import set_webhook
from bot.runner import handle_inbound, handle_timer, start_checkin
from bot.settings import load_settings
from bot.webhook_events import (
    ACKNOWLEDGED,
    MISSED,
    RAISED,
    REOPENED,
    RESOLVED,
    WEBHOOK_CHANNEL,
)
from storage.models import (
    Channel,
    CheckinSession,
    Escalation,
    Lane,
    Message,
    MessageStatus,
    Program,
    Role,
)
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol
from tests.fakes.server import LoopbackServer

FLOWS = load_configured_flows(load_settings())
SECRET = "whsec-test-0123456789abcdefghijkl"
NOTE = "Called her at the unit, she is safe with the nurse"  # staff free text
# Words only the mentee writes: they must never leave in a payload unless the program opts in.
SAFETY_FOLLOW_UP = "the guy in cell nine with the tangerine tattoo keeps following me"


# When the sender runs: after the story's last event (an expiry a day after the start).
LATER = NOW + timedelta(days=2)


@dataclass
class Receiver:
    """A case-management system's endpoint: answers the statuses queued in ``answers`` (then
    200), and keeps every request's raw body and headers and the status it answered."""

    answers: list[int] = field(default_factory=list)
    requests: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    async def hook(self, request: Request) -> Response:
        self.requests.append((await request.body(), dict(request.headers)))
        self.statuses.append(self.answers.pop(0) if self.answers else 200)
        return Response(status_code=self.statuses[-1])

    def accepted(self) -> list[dict[str, Any]]:
        """The events a receiver would act on: signed right (checked as docs/webhooks.md
        says, at the sender's time), answered 2xx, first of their id."""
        seen: dict[str, dict[str, Any]] = {}
        for (body, headers), status in zip(self.requests, self.statuses, strict=True):
            assert verify(SECRET, headers[HEADER.lower()], body,
                          now=int(LATER.timestamp())), "bad signature"
            event = json.loads(body)
            if 200 <= status < 300 and event["id"] not in seen:
                seen[event["id"]] = event
        return list(seen.values())


class Clock:
    def __init__(self) -> None:
        self.now = LATER

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    found = Receiver()
    app = Starlette(routes=[Route("/hooks", found.hook, methods=["POST"])])
    with LoopbackServer(app) as server:
        yield found, f"{server.url}/hooks"


def sender_for(database: Database, clock: Clock) -> tuple[AppContext, OutboxSender]:
    ctx = AppContext(settings=load_settings(), database=database, flows=FLOWS, clock=clock)
    ctx.channels = {WEBHOOK_CHANNEL: WebhookChannel(ctx)}
    return ctx, OutboxSender(ctx)


async def send_due(database: Database, clock: Clock | None = None) -> int:
    """What the service's sender does with the due routine rows: sends made."""
    ctx, sender = sender_for(database, clock or Clock())
    try:
        return await drain(sender)
    finally:
        await ctx.channels[WEBHOOK_CHANNEL].stop()


def subscribe(database: Database, url: str, *, include_text: bool = False) -> None:
    with database.transaction() as db:
        program = people.get_program_by_name(db, "Hope House") or people.add_program(
            db, "Hope House", now=NOW)
        set_webhook(program, url=url, secret=SECRET, include_text=include_text)
        db.add(program)


def the_story(database: Database) -> tuple[int, int]:
    """Ana answers 4 then 1 ("not safe") and a follow-up in words: an urgent escalation. A
    supervisor acknowledges and resolves it; Ben's check-in expires unanswered. Returns (the
    escalation's id, Ana's person id)."""
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres", address="ana-terminal")
        ben = enrol(db, Role.mentee, "Ben Ortiz", address="ben-terminal")
        sup = enrol(db, Role.supervisor, "Sam Rivera", address="sam-terminal")
        assert ana.id is not None and ben.id is not None and sup.id is not None
        ids = ana.id, ben.id, sup.id
        for person in (ana, ben):
            contact = people.contacts_for(db, person.id or 0)[0]
            start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
    for n, text in enumerate(["4", "1", SAFETY_FOLLOW_UP], start=1):
        with database.transaction() as db:
            handle_inbound(db, FLOWS, channel=Channel.terminal, address="ana-terminal",
                           text=text, provider_id=f"p{n}", now=NOW + timedelta(minutes=n))
    with database.transaction() as db:
        esc = db.exec(select(Escalation).where(Escalation.person_id == ids[0],
                                               Escalation.level == "urgent")).one()
        assert esc.id is not None
        esc_id = esc.id
        lifecycle.acknowledge(db, esc_id, actor=f"person:{ids[2]}", by_person_id=ids[2],
                              now=NOW + timedelta(minutes=5))
    with database.transaction() as db:
        lifecycle.resolve(db, esc_id, actor=f"person:{ids[2]}", by_person_id=ids[2], note=NOTE,
                          outcome="spoke with them, safe", now=NOW + timedelta(minutes=9))
    with database.transaction() as db:
        row = db.exec(select(CheckinSession).where(CheckinSession.person_id == ids[1])).one()
        assert row.expire_at is not None
        handle_timer(db, FLOWS, row, "expire", row.turn, row.expire_at)
    return esc_id, ids[0]


async def drain(sender: OutboxSender) -> int:
    sends = 0
    while (made := await sender.run_once(Lane.routine)) > 0:
        sends += made
    return sends


def webhook_rows(database: Database) -> list[Message]:
    with database.reading() as db:
        return list(db.exec(select(Message).where(Message.channel == WEBHOOK_CHANNEL)
                            .order_by(col(Message.id))).all())


async def test_raised_acknowledged_resolved_and_missed_each_arrive_once_signed(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    subscribe(database, url)
    esc_id, _ana = the_story(database)
    rows = webhook_rows(database)
    assert [(r.lane, r.status, r.kind) for r in rows] == [
        (Lane.routine, MessageStatus.pending, "webhook")] * len(rows)
    assert await send_due(database) == 4
    assert await send_due(database) == 0  # nothing is sent twice
    events = found.accepted()
    assert len(found.requests) == 4
    assert [e["type"] for e in events] == [RAISED, ACKNOWLEDGED, RESOLVED, MISSED]
    assert len({e["id"] for e in events}) == 4 and all(e["id"].startswith("evt_")
                                                       for e in events)
    with database.reading() as db:
        program = db.exec(select(Program)).one()
    for event in events:
        assert event["program"] == {"id": program.id, "slug": "hope-house"}
    raised, acked, resolved, missed = events
    assert raised["escalation"]["id"] == esc_id and raised["escalation"]["level"] == "urgent"
    assert "feels_unsafe" in raised["escalation"]["reasons"]
    assert raised["escalation"]["raised_at"] == "2026-03-02T17:02:00Z"
    assert raised["escalation"]["status"] == "open"
    assert acked["escalation"]["acknowledged_at"] == "2026-03-02T17:05:00Z"
    assert acked["escalation"]["status"] == "acknowledged"
    assert resolved["escalation"]["resolved_at"] == "2026-03-02T17:09:00Z"
    assert resolved["escalation"]["outcome"] == "spoke with them, safe"
    # One pseudonym for Ana in every event about her; another for Ben; neither is an id.
    refs = {e["person_ref"] for e in (raised, acked, resolved)}
    assert len(refs) == 1 and refs.pop().startswith("psn_")
    assert missed["person_ref"].startswith("psn_") and missed["person_ref"] != raised["person_ref"]
    assert missed["checkin"]["flow"] == "mentee_checkin"
    assert missed["checkin"]["expired_at"] == "2026-03-03T17:00:00Z"
    # No text unless the program opted in: neither the mentee's words, nor the staff note,
    # nor a name or an address.
    everything = b" ".join(body for body, _ in found.requests).decode()
    for secret_word in ("following me", "safety: 1", "tangerine", "cell nine", "unit, she is safe", "Ana", "Torres", "Ben",
                        "ana-terminal", "Sam", SECRET):
        assert secret_word not in everything
    assert "evidence" not in raised["escalation"] and "resolution_note" not in resolved[
        "escalation"]
    assert all(r.status == MessageStatus.sent for r in webhook_rows(database))


async def test_text_goes_out_only_when_the_program_turns_it_on(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    subscribe(database, url, include_text=True)
    esc_id, _ana = the_story(database)
    await send_due(database)
    raised, _acked, resolved, _missed = found.accepted()
    with database.reading() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None and esc.evidence
        evidence = list(esc.evidence)
    # As it stood at each event: the answer that raised it, then the words merged in later.
    assert raised["escalation"]["evidence"] == ["safety: 1"]
    assert resolved["escalation"]["evidence"] == evidence and "following me" in evidence
    assert resolved["escalation"]["resolution_note"] == NOTE


async def test_a_500_is_retried_with_back_off_and_delivered_once(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    subscribe(database, url)
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres", address="ana-terminal")
        contact = people.contacts_for(db, ana.id or 0)[0]
        start_checkin(db, FLOWS, ana, "mentee_checkin", contact, NOW)
    for n, text in enumerate(["4", "1"], start=1):
        with database.transaction() as db:
            handle_inbound(db, FLOWS, channel=Channel.terminal, address="ana-terminal",
                           text=text, provider_id=f"p{n}", now=NOW + timedelta(minutes=n))
    found.answers = [500]
    clock = Clock()

    assert await send_due(database, clock) == 1
    [row] = webhook_rows(database)
    assert row.status == MessageStatus.pending and row.attempts == 1
    assert row.last_error == "webhook receiver answered 500"
    assert row.next_attempt_at is not None and row.next_attempt_at > LATER  # backs off
    assert await send_due(database, clock) == 0  # not before its time
    clock.now = row.next_attempt_at
    assert await send_due(database, clock) == 1
    [row] = webhook_rows(database)
    assert row.status == MessageStatus.sent and row.attempts == 2
    assert found.statuses == [500, 200]
    first, second = (json.loads(body) for body, _ in found.requests)
    assert first["id"] == second["id"]  # the receiver's idempotency key holds over retries
    assert len(found.accepted()) == 1
    # Each attempt is signed at its own time.
    assert found.requests[0][1][HEADER.lower()] != found.requests[1][1][HEADER.lower()]


async def test_a_program_without_a_url_queues_and_sends_nothing(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    found, _url = receiver
    the_story(database)
    assert webhook_rows(database) == []
    assert await send_due(database) == 0
    assert found.requests == []


async def test_a_url_removed_while_events_wait_drops_them(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    subscribe(database, url)
    the_story(database)
    with database.transaction() as db:
        program = db.exec(select(Program)).one()
        set_webhook(program, turn_off=True)
        db.add(program)
    await send_due(database)
    assert found.requests == []
    assert {r.status for r in webhook_rows(database)} == {MessageStatus.failed}


def test_the_signature_is_stripe_like_and_refuses_tampering_and_old_times() -> None:
    body = b'{"type":"escalation.raised"}'
    header = sign(SECRET, 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify(SECRET, header, body, now=1_700_000_100)
    assert not verify(SECRET, header, body + b" ", now=1_700_000_100)
    assert not verify("another-secret-0123456789abcdef", header, body, now=1_700_000_100)
    assert not verify(SECRET, header, body, now=1_700_000_000 + 301)  # replayed later
    assert not verify(SECRET, "v1=" + header.split("v1=")[1], body, now=1_700_000_100)


def test_an_event_exists_only_if_its_change_was_committed(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    """Queued in the transaction of what it reports: an ACK that rolls back leaves no event."""
    _found, url = receiver
    subscribe(database, url)
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres", address="ana-terminal")
        contact = people.contacts_for(db, ana.id or 0)[0]
        start_checkin(db, FLOWS, ana, "mentee_checkin", contact, NOW)
    for n, text in enumerate(["4", "1"], start=1):
        with database.transaction() as db:
            handle_inbound(db, FLOWS, channel=Channel.terminal, address="ana-terminal",
                           text=text, provider_id=f"p{n}", now=NOW + timedelta(minutes=n))
    assert [json.loads(r.body or "")["type"] for r in webhook_rows(database)] == [RAISED]
    with database.reading() as db:
        esc_id = db.exec(select(Escalation.id)).one()
    with pytest.raises(RuntimeError), database.transaction() as db:
        lifecycle.acknowledge(db, esc_id, actor="cli", by_person_id=None,
                              now=NOW + timedelta(minutes=5))
        raise RuntimeError("the turn failed after the acknowledgement")
    assert [json.loads(r.body or "")["type"] for r in webhook_rows(database)] == [RAISED]


async def test_a_reopened_escalation_is_announced_before_its_new_acknowledgement(
    database: Database, receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    subscribe(database, url)
    esc_id, _ana = the_story(database)
    with database.transaction() as db:
        lifecycle.reopen(db, esc_id, actor="cli", by_person_id=None,
                         now=NOW + timedelta(minutes=20), reason="she wrote again")
    with database.transaction() as db:
        lifecycle.acknowledge(db, esc_id, actor="cli", by_person_id=None,
                              now=NOW + timedelta(minutes=21))
    await send_due(database)
    events = found.accepted()
    assert [e["type"] for e in events] == [RAISED, ACKNOWLEDGED, RESOLVED, MISSED, REOPENED,
                                           ACKNOWLEDGED]
    reopened = events[4]["escalation"]
    assert reopened["status"] == "open" and reopened["acknowledged_at"] is None
    assert reopened["resolved_at"] is None and reopened["outcome"] is None
    assert "she wrote again" not in json.dumps(events)  # staff text: not without the opt-in


async def test_a_receiver_that_hangs_or_is_gone_is_retried_later(
    database: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webhook_adapter, "TIMEOUT_SECONDS", 0.3)

    async def hanging(request: Request) -> Response:
        await asyncio.sleep(3)
        return Response(status_code=200)

    app = Starlette(routes=[Route("/hooks", hanging, methods=["POST"])])
    server = LoopbackServer(app)
    server.start()
    try:
        subscribe(database, f"{server.url}/hooks")
        with database.transaction() as db:
            program = db.exec(select(Program)).one()
            ana = enrol(db, Role.mentee, "Ana Torres", address="ana-terminal")
            contact = people.contacts_for(db, ana.id or 0)[0]
            start_checkin(db, FLOWS, ana, "mentee_checkin", contact, NOW)
            row = db.exec(select(CheckinSession)).one()
            assert row.expire_at is not None
            handle_timer(db, FLOWS, row, "expire", row.turn, row.expire_at)
        assert program.id is not None
        ctx, _sender = sender_for(database, Clock())
        channel = ctx.channels[WEBHOOK_CHANNEL]
        [queued] = webhook_rows(database)
        assert queued.body is not None
        hung = await channel.send(str(program.id), queued.body)
        assert hung == RetryLater("webhook receiver timed out")
    finally:
        server.stop()
    gone = await channel.send(str(program.id), queued.body)  # nobody listens on the port now
    await channel.stop()
    assert isinstance(gone, RetryLater)
    assert gone.reason.startswith("webhook receiver unreachable (")
    assert "127.0.0.1" not in gone.reason  # the URL is never in a reason or a log
