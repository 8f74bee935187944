"""After a crash: a row taken over from a sender that died mid-send is first looked up at Twilio
(was it already accepted?) and sent only if it was not. The real twilio client against FakeTwilio
on loopback, the real outbox sender, SQLite and PostgreSQL; the dead sender is played by a claim
committed (and, where Twilio accepted it, a send made) that no outcome was ever written for."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.channels.base import LookupFailed, Sent
from bot.channels.twilio_sms.adapter import TwilioChannel
from bot.context import AppContext
from bot.database import Database
from bot.outbox import OutboxSender
from storage.models import Channel, Lane, Message, MessageStatus
from storage.queries import outbox as queue
from storage.queries.messages import enqueue_outbound
from tests.bot.helpers import NOW, database_for
from tests.bot.twilio_fixtures import OUR_NUMBER, twilio_settings
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import FakeTwilio

ANA = "+12025550143"
QUESTION = "How safe do you feel right now? 1 (not safe) to 5 (very safe)"


class Clock:
    def __init__(self) -> None:
        self.now = NOW


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[FakeTwilio, LoopbackServer]]:
    fake = FakeTwilio()
    with LoopbackServer(fake, lifespan="off") as srv:
        yield fake, srv


@pytest.fixture
def fake(fake_server: tuple[FakeTwilio, LoopbackServer]) -> FakeTwilio:
    fake_server[0].reset()
    return fake_server[0]


class World:
    def __init__(self, database: Database, fake: FakeTwilio, api_url: str, db_url: str) -> None:
        self.database, self.fake, self.api_url, self.db_url = database, fake, api_url, db_url
        self.clock = Clock()
        self.channels: list[TwilioChannel] = []

    def sender(self, **settings: Any) -> OutboxSender:
        values = twilio_settings("http://127.0.0.1:9", self.api_url, database_url=self.db_url,
                                 **settings)
        channel = TwilioChannel(values, timeout=5)
        self.channels.append(channel)
        ctx = AppContext(settings=values, database=self.database, flows={},
                         clock=lambda: self.clock.now, channels={Channel.sms: channel})
        return OutboxSender(ctx)

    def enqueue(self, *bodies: str) -> list[int]:
        ids = []
        with self.database.transaction() as db:
            for body in bodies:
                row = enqueue_outbound(db, channel=Channel.sms, address=ANA, body=body,
                                       kind="question", lane=Lane.routine, now=NOW)
                assert row.id is not None
                ids.append(row.id)
        return ids

    def die_after_claiming(self, sender: OutboxSender) -> datetime:
        """A sender claims every due row and dies before writing any outcome."""
        with self.database.transaction() as db:
            rows = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=self.clock.now,
                                     lease=sender.lease, limit=50)
            assert rows
            lease_until = rows[0].lease_until
        assert lease_until is not None
        return lease_until

    def row(self, msg_id: int) -> Message:
        with self.database.transaction() as db:
            row = db.get(Message, msg_id)
            assert row is not None
            return row

    def posts(self) -> list[dict[str, Any]]:
        return [r for r in self.fake.requests if r["method"] == "POST"]

    def lists(self) -> list[dict[str, Any]]:
        return [r for r in self.fake.requests if r["method"] == "GET"]


@pytest.fixture
async def world(
    db_url: str, engine: Engine, fake: FakeTwilio,
    fake_server: tuple[FakeTwilio, LoopbackServer],
) -> AsyncIterator[World]:
    w = World(database_for(db_url, engine), fake, fake_server[1].url, db_url)
    yield w
    for channel in w.channels:
        await channel.stop()


async def accepted_by_the_dead_sender(world: World, body: str) -> str:
    """What the dead sender's send did before it died: Twilio accepted the message."""
    outcome = await world.sender()._ctx.channels[Channel.sms].send(ANA, body)
    assert isinstance(outcome, Sent) and outcome.provider_id
    return outcome.provider_id


async def after_the_lease(world: World, sender: OutboxSender, lease_until: datetime) -> int:
    world.clock.now = lease_until + timedelta(seconds=1)
    return await sender.run_once(Lane.routine)


async def test_a_message_twilio_already_accepted_is_recorded_not_sent_again(
    world: World,
) -> None:
    (msg,) = world.enqueue(QUESTION)
    sender = world.sender()
    lease_until = world.die_after_claiming(sender)
    sid = await accepted_by_the_dead_sender(world, QUESTION)

    await after_the_lease(world, sender, lease_until)

    assert len(world.posts()) == 1  # the dead sender's only
    row = world.row(msg)
    assert (row.status, row.provider_id) == (MessageStatus.sent, sid)
    health = sender.health()  # what /healthz shows under "sender"
    assert (health["recovered"], health["lookup_failed"]) == (1, 0)
    [lookup] = world.lists()
    assert (lookup["params"]["To"], lookup["params"]["From"]) == (ANA, OUR_NUMBER)


async def test_a_message_twilio_never_got_is_sent_once(world: World) -> None:
    (msg,) = world.enqueue(QUESTION)
    sender = world.sender()
    lease_until = world.die_after_claiming(sender)

    assert await after_the_lease(world, sender, lease_until) == 1
    assert await sender.run_once(Lane.routine) == 0

    assert world.fake.bodies_to(ANA) == [QUESTION]
    assert len(world.lists()) == 1  # it asked first
    row = world.row(msg)
    assert (row.status, row.provider_id) == (MessageStatus.sent, world.fake.sent[0]["sid"])
    assert sender.counters["recovered"] == 0


@pytest.mark.parametrize("status", [503, 500, 429])
async def test_when_twilio_cannot_be_asked_the_message_is_sent(
    world: World, status: int,
) -> None:
    (msg,) = world.enqueue(QUESTION)
    sender = world.sender()
    lease_until = world.die_after_claiming(sender)
    await accepted_by_the_dead_sender(world, QUESTION)
    world.fake.fail_next_lists(1, status)

    await after_the_lease(world, sender, lease_until)

    # A duplicate rather than a message that may never have gone out.
    assert world.fake.bodies_to(ANA) == [QUESTION, QUESTION]
    row = world.row(msg)
    assert (row.status, row.provider_id) == (MessageStatus.sent, world.fake.sent[1]["sid"])
    assert sender.counters["lookup_failed"] == 1 and sender.counters["recovered"] == 0


async def test_an_earlier_identical_message_already_recorded_is_not_taken_for_it(
    world: World,
) -> None:
    """The same re-ask twice in a minute: the first went out and is stored with its SID; the
    second was claimed by a sender that died before sending it. It must still go out."""
    reask = "Please answer with a number from 1 to 5."
    first, second = world.enqueue(reask, reask)
    sender = world.sender()
    with world.database.transaction() as db:  # the first goes out normally
        (row,) = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=NOW,
                                   lease=sender.lease, limit=1)
        assert row.id == first and row.lease_until is not None
        first_lease = row.lease_until
    sid = await accepted_by_the_dead_sender(world, reask)
    with world.database.transaction() as db:
        assert queue.mark_sent(db, first, sid, NOW, lease_until=first_lease)
    lease_until = world.die_after_claiming(sender)  # then the second is claimed; death

    await after_the_lease(world, sender, lease_until)

    assert world.fake.bodies_to(ANA) == [reask, reask]
    assert world.row(second).provider_id == world.fake.sent[1]["sid"] != sid
    assert sender.counters["recovered"] == 0


async def test_several_rows_of_a_dead_sender_each_match_their_own_send(world: World) -> None:
    bodies = ["Hi, quick check-in.", QUESTION, "Anything else on your mind?"]
    ids = world.enqueue(*bodies)
    sender = world.sender()
    lease_until = world.die_after_claiming(sender)
    sids = [await accepted_by_the_dead_sender(world, body) for body in bodies[:2]]

    await after_the_lease(world, sender, lease_until)

    assert world.fake.bodies_to(ANA) == bodies  # only the third is sent now
    assert [world.row(i).provider_id for i in ids] == [*sids, world.fake.sent[2]["sid"]]
    assert sender.counters["recovered"] == 2


async def test_the_normal_path_does_not_look_anything_up(world: World) -> None:
    """Cost unchanged: a row nobody claimed before is sent without a look-up; so is one that
    a live sender gave back (released), and one retried after a provider error."""
    world.enqueue("one", "two")
    sender = world.sender()
    with world.database.transaction() as db:
        rows = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=NOW,
                                 lease=sender.lease, limit=50)
        assert queue.release(db, [r.id for r in rows if r.id], NOW,
                             lease_until=rows[0].lease_until) == 2
    world.fake.fail_next(1, 503)
    await sender.run_once(Lane.routine)
    world.clock.now = NOW + timedelta(hours=1)
    await sender.run_once(Lane.routine)
    await sender.run_once(Lane.routine)
    assert world.fake.bodies_to(ANA) == ["one", "two"]
    assert world.lists() == []


async def test_with_the_lookup_off_a_reclaimed_row_is_sent_again(world: World) -> None:
    """The setting the crash bench uses for its "before" figures."""
    (msg,) = world.enqueue(QUESTION)
    sender = world.sender(outbox_reclaim_lookup=False)
    lease_until = world.die_after_claiming(sender)
    await accepted_by_the_dead_sender(world, QUESTION)

    await after_the_lease(world, sender, lease_until)

    assert world.fake.bodies_to(ANA) == [QUESTION, QUESTION]
    assert world.lists() == []
    assert world.row(msg).status == MessageStatus.sent


def test_the_claim_reports_which_rows_it_took_from_a_dead_sender(world: World) -> None:
    stale, fresh = world.enqueue("stale", "fresh")
    lease = timedelta(seconds=60)
    with world.database.transaction() as db:
        (row,) = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=NOW,
                                   lease=lease, limit=1)
        first_lease = row.lease_until
    later = NOW + lease + timedelta(seconds=1)
    reclaimed: dict[int, datetime] = {}
    with world.database.transaction() as db:
        rows = queue.claim_batch(db, channels=["sms"], lane=Lane.routine, now=later,
                                 lease=lease, limit=10, reclaimed=reclaimed)
        assert [r.id for r in rows] == [stale, fresh]
    assert reclaimed == {stale: first_lease}


@pytest.mark.parametrize("sender", ["from_number", "messaging_service"])
async def test_the_lookup_matches_only_our_message_to_that_person(
    fake: FakeTwilio, fake_server: tuple[FakeTwilio, LoopbackServer], sender: str,
) -> None:
    """What counts as "already accepted": to this number, from our sender, exactly this text,
    created since the dead claim, and not failed at Twilio; oldest first."""
    service = "MG" + "2" * 32
    ours = (dict(twilio_from_number=OUR_NUMBER) if sender == "from_number" else
            dict(twilio_from_number=None, twilio_messaging_service_sid=service))
    channel = TwilioChannel(twilio_settings("http://127.0.0.1:9", fake_server[1].url, **ours),
                            timeout=5)
    other_sender = TwilioChannel(twilio_settings(
        "http://127.0.0.1:9", fake_server[1].url, twilio_from_number="+15005550009"), timeout=5)
    try:
        since = datetime.now(UTC) - timedelta(seconds=1)
        for to, body, via in [(ANA, QUESTION, channel), ("+12025550144", QUESTION, channel),
                              (ANA, "another text", channel), (ANA, QUESTION, other_sender),
                              (ANA, QUESTION, channel), (ANA, QUESTION, channel)]:
            assert isinstance(await via.send(to, body), Sent)
        first, _second, failed = [m["sid"] for m in fake.sent_to(ANA)
                                  if m["body"] == QUESTION and m["from"] != "+15005550009"]
        fake.set_status(failed, "failed", 30008)

        assert await channel.accepted_since(ANA, QUESTION, since) == [first, _second]
        assert await channel.accepted_since(ANA, QUESTION, since + timedelta(minutes=5)) == []
        assert await channel.accepted_since(ANA, "How safe", since) == []  # exact text only
        fake.fail_next_lists(1, 503)
        with pytest.raises(LookupFailed):
            await channel.accepted_since(ANA, QUESTION, since)
    finally:
        await channel.stop()
        await other_sender.stop()
