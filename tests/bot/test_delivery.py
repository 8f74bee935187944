"""Delivery when providers misbehave: the real outbox sender and the real Telegram and Twilio
adapters against the fake providers, with a controllable clock (no real waiting)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.channels.base import ChannelAdapter
from bot.channels.telegram.adapter import TelegramChannel
from bot.channels.twilio_sms.adapter import TwilioChannel
from bot.context import AppContext
from bot.outbox import OutboxSender
from bot.settings import load_settings
from storage.models import Channel, ContactPoint, Lane, Message, MessageStatus, Role
from storage.queries import messages, outbox, people
from tests.bot.helpers import NOW, database_for, enrol
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, FakeTwilio

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "4242:DELIVERYTOKEN"
PHONE = "+13125550143"
CHAT = "880011"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Providers:
    telegram: FakeTelegram
    twilio: FakeTwilio
    telegram_url: str
    twilio_url: str


@pytest.fixture(scope="module")
def providers() -> Iterator[Providers]:
    telegram, twilio = FakeTelegram(TOKEN), FakeTwilio()
    with LoopbackServer(telegram) as tg, LoopbackServer(twilio) as tw:
        yield Providers(telegram, twilio, tg.url, tw.url)


@dataclass
class World:
    ctx: AppContext
    clock: Clock
    providers: Providers
    channel: Channel

    @property
    def address(self) -> str:
        return PHONE if self.channel == Channel.sms else CHAT

    def delivered(self) -> list[str]:
        if self.channel == Channel.sms:
            return [m["body"] for m in self.providers.twilio.sent if m["to"] == PHONE]
        return self.providers.telegram.texts_to(CHAT)

    def fail(self, **kw: Any) -> None:
        fake = self.providers.twilio if self.channel == Channel.sms else self.providers.telegram
        fake.fail_next(**kw)

    def set_down(self, down: bool) -> None:
        fake = self.providers.twilio if self.channel == Channel.sms else self.providers.telegram
        fake.set_down(down)

    def queue(self, body: str, lane: Lane = Lane.routine) -> int:
        with self.ctx.database.transaction() as db:
            msg = messages.enqueue_outbound(db, channel=self.channel, address=self.address,
                                           body=body, kind="question", lane=lane,
                                           now=self.clock.now)
            assert msg.id is not None
            return msg.id

    def row(self, msg_id: int) -> Message:
        with self.ctx.database.transaction() as db:
            row = db.get(Message, msg_id)
            assert row is not None
            return row


@pytest.fixture(params=[Channel.sms, Channel.telegram], ids=["sms", "telegram"])
async def world(request: pytest.FixtureRequest, db_url: str, engine: Engine,
                providers: Providers) -> AsyncIterator[World]:
    providers.telegram.reset()
    providers.twilio.reset()
    clock = Clock()
    settings = load_settings(
        database_url=db_url, public_base_url="http://127.0.0.1:9",
        telegram_bot_token=TOKEN, telegram_mode="webhook",
        telegram_webhook_secret="delivery-test-secret-0123456789",
        telegram_api_base_url=f"{providers.telegram_url}/bot",
        twilio_account_sid=TEST_ACCOUNT_SID, twilio_auth_token=TEST_AUTH_TOKEN,
        twilio_from_number="+15005550006", twilio_api_base_url=providers.twilio_url,
        sms_rate_per_second=500, outbox_max_attempts=4, outbox_lease_seconds=60,
    )
    ctx = AppContext(settings=settings, database=database_for(db_url, engine), flows={},
                     clock=clock)
    adapter: ChannelAdapter = (
        TwilioChannel(settings) if request.param == Channel.sms else TelegramChannel(ctx)
    )
    await adapter.start()
    ctx.channels = {request.param: adapter}
    yield World(ctx, clock, providers, request.param)
    await adapter.stop()


async def test_rate_limit_retry_after_is_honoured(world: World) -> None:
    sender = OutboxSender(world.ctx)
    msg_id = world.queue("How safe do you feel?")
    world.fail(n=1, status=429, retry_after=30)
    assert await sender.run_once(Lane.routine) == 1
    row = world.row(msg_id)
    assert row.status == MessageStatus.pending and row.attempts == 1
    assert row.next_attempt_at is not None and row.next_attempt_at >= NOW + timedelta(seconds=30)
    world.clock.advance(29)
    assert await sender.run_once(Lane.routine) == 0
    world.clock.advance(2)
    await sender.run_once(Lane.routine)
    assert world.row(msg_id).status == MessageStatus.sent
    assert world.delivered() == ["How safe do you feel?"]


async def test_provider_down_for_a_while_then_each_message_delivered_once(world: World) -> None:
    sender = OutboxSender(world.ctx)
    ids = [world.queue(f"question {i}") for i in range(3)]
    world.set_down(True)
    for _ in range(3):  # three failed rounds, each after its back-off
        await sender.run_once(Lane.routine)
        world.clock.advance(600)
    world.set_down(False)
    for _ in range(5):
        await sender.run_once(Lane.routine)
        world.clock.advance(600)
    assert world.delivered() == ["question 0", "question 1", "question 2"]
    assert all(world.row(i).status == MessageStatus.sent for i in ids)


async def test_a_message_that_always_fails_is_dead_lettered_with_its_reason(world: World) -> None:
    sender = OutboxSender(world.ctx)
    msg_id = world.queue("never arrives")
    world.fail(n=100, status=500)
    for _ in range(10):
        await sender.run_once(Lane.routine)
        world.clock.advance(3600)
    row = world.row(msg_id)
    assert row.status == MessageStatus.dead and row.attempts == 4
    assert row.last_error
    assert world.delivered() == []


async def test_sender_killed_between_claim_and_send_then_sent_after_restart(world: World) -> None:
    msg_id = world.queue("are you there?")
    with world.ctx.database.transaction() as db:  # a sender claims, then its process dies
        claimed = outbox.claim_batch(db, channels=[world.channel.value], lane=Lane.routine,
                                     now=world.clock.now, lease=timedelta(seconds=60), limit=10)
        assert [m.id for m in claimed] == [msg_id]
    restarted = OutboxSender(world.ctx)
    world.clock.advance(59)
    assert await restarted.run_once(Lane.routine) == 0  # the lease still holds
    world.clock.advance(2)
    await restarted.run_once(Lane.routine)
    await restarted.run_once(Lane.routine)
    assert world.delivered() == ["are you there?"]
    assert world.row(msg_id).status == MessageStatus.sent


async def test_permanent_failure_marks_the_contact_unreachable(world: World) -> None:
    with world.ctx.database.transaction() as db:
        enrol(db, Role.mentee, "Ana Torres", channel=world.channel, address=world.address)
    if world.channel == Channel.sms:
        world.providers.twilio.invalid_number(PHONE)
    else:
        world.providers.telegram.block_chat(CHAT)
    msg_id = world.queue("hello")
    await OutboxSender(world.ctx).run_once(Lane.routine)
    assert world.row(msg_id).status == MessageStatus.failed
    with world.ctx.database.transaction() as db:
        contact = people.find_contact(db, world.channel, world.address)
        assert isinstance(contact, ContactPoint) and contact.unreachable
        assert contact.unreachable_reason
