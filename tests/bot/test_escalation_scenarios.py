"""Escalation scenarios end to end: a mentee's concerning answer through the signed Twilio webhook,
the crisis reply and supervisor alerts overtaking a routine backlog, re-alerts until an ACK texted
from a supervisor's phone, failover on an undelivered SMS alert, and the mentee's privacy from
their mentor over the whole story.

Real pieces: the Twilio webhook routes served on loopback, the real TwilioChannel and
TelegramChannel (twilio and python-telegram-bot clients) talking to FakeTwilio/FakeTelegram, the
real OutboxSender (``run_once``), the real re-alert job. Time is a clock the test advances.

The team: one program; a mentee on SMS (consented); her paired mentor (SMS + Telegram, and a stray
on-call rota line naming him, which routing must ignore); supervisor 1 (SMS + Telegram) and
supervisor 2 (Telegram only) on call; an admin (SMS + Telegram) on the backup list.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.channels.base import ChannelAdapter
from bot.channels.telegram.adapter import TelegramChannel
from bot.channels.twilio_sms.adapter import INBOUND_PATH, TwilioChannel
from bot.channels.twilio_sms.webhook import twilio_webhooks
from bot.context import AppContext
from bot.escalation import alert_messages, alerts
from bot.flow_registry import load_configured_flows
from bot.jobs import realert
from bot.jobs.realert import run_realerts
from bot.outbox import OutboxSender
from bot.runner import start_checkin
from bot.settings import load_settings
from bot.web.front import ServiceApp
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    ContactPoint,
    Direction,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    MessageStatus,
    Person,
    PersonStatus,
    Role,
    RotaList,
)
from storage.queries import people, rota
from tests.bot.helpers import NOW, database_for
from tests.bot.twilio_fixtures import Switch
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "5150:SCENARIOTOKEN"
SECRET = "scenario-test-secret-0123456789"
OUR_NUMBER = "+15005550006"

MENTEE_PHONE = "+13125550143"
MENTOR_PHONE = "+13125550177"
MENTOR_CHAT = "700177"
SUP1_PHONE = "+13125550201"
SUP1_CHAT = "700201"
SUP2_CHAT = "700202"
ADMIN_PHONE = "+13125550301"
ADMIN_CHAT = "700301"

ROUTINE_BACKLOG = 500
ROUTINE_TEXT = "Routine reminder {n}: your group meets Thursday."

# The mentee's free-text replies carry words nobody else would write: none may ever reach the
# mentor, and none may ever appear in an alert.
PRESSURE_DETAILS = (
    "He takes my commissary money and makes me hide his tangerine pouch in the boiler room, "
    "he said he would hurt me if I tell"
)
ANYTHING_ELSE = "Please do not tell him about the boiler room, my cousin Oswaldo is scared too"
DISTINCTIVE = ("commissary", "tangerine", "boiler", "oswaldo", "pouch")

Key = tuple[str, str]  # (channel, address) as the providers saw it
SUP1_SMS: Key = ("sms", SUP1_PHONE)
SUP1_TG: Key = ("telegram", SUP1_CHAT)
SUP2_TG: Key = ("telegram", SUP2_CHAT)
ADMIN_SMS: Key = ("sms", ADMIN_PHONE)
ADMIN_TG: Key = ("telegram", ADMIN_CHAT)
ON_CALL = {SUP1_SMS, SUP1_TG, SUP2_TG}
BACKUP = {ADMIN_SMS, ADMIN_TG}


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        assert when >= self.now, "time only moves forward"
        self.now = when


@dataclass(frozen=True)
class Delivery:
    """One message as a fake provider received it."""

    key: Key
    body: str
    at: float  # the provider's receive time (time.time())


@dataclass
class Team:
    program_id: int
    mentee: int
    mentor: int
    sup1: int
    sup2: int
    admin: int


@dataclass
class Providers:
    telegram: FakeTelegram
    twilio: FakeTwilio
    telegram_url: str
    twilio_url: str


@dataclass
class World:
    ctx: AppContext
    clock: Clock
    providers: Providers
    sender: OutboxSender
    public_url: str
    http: httpx.AsyncClient
    team: Team = field(init=False)

    # -- the outside world --------------------------------------------------------------------

    async def sms(self, from_: str, body: str) -> httpx.Response:
        """A text to our number, as Twilio POSTs it (signed) to the public webhook."""
        url = self.public_url + INBOUND_PATH
        form = inbound_sms_form(new_message_sid(), from_, OUR_NUMBER, body)
        headers = {SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)}
        response = await self.http.post(url, data=form, headers=headers)
        assert response.status_code == 200, response.text
        return response

    async def status_callback(self, sid: str, status: str, error_code: int) -> None:
        url, form, headers = self.providers.twilio.status_callback_request(sid, status, error_code)
        assert url.startswith(self.public_url)
        response = await self.http.post(url, data=form, headers=headers)
        assert response.status_code == 204, response.text

    def deliveries(self) -> list[Delivery]:
        """Everything both fake providers accepted, in the order they received it."""
        found = [Delivery(("sms", m["to"]), m["body"], m["at"])
                 for m in list(self.providers.twilio.sent)]
        found += [Delivery(("telegram", str(m["chat_id"])), m["text"], m["at"])
                  for m in list(self.providers.telegram.sent)]
        return sorted(found, key=lambda d: d.at)

    # -- the service --------------------------------------------------------------------------

    async def deliver(self, lane: Lane) -> int:
        """Run the sender on ``lane`` until it has nothing more to send now."""
        total = 0
        for _ in range(50):
            sends = await self.sender.run_once(lane)
            if not sends:
                return total
            total += sends
        raise AssertionError("the outbox did not drain")

    def realert(self, at: datetime) -> int:
        self.clock.set(at)
        with self.ctx.database.transaction() as db:
            return run_realerts(db, at, dashboard_url=self.ctx.settings.dashboard_url)

    def escalations(self) -> list[Escalation]:
        with self.ctx.database.transaction() as db:
            return list(db.exec(select(Escalation).order_by(col(Escalation.id))).all())

    def outbound(self) -> list[Message]:
        with self.ctx.database.transaction() as db:
            return list(db.exec(select(Message).where(
                Message.direction == Direction.outbound).order_by(col(Message.id))).all())


def alert_keys(deliveries: list[Delivery], esc_id: int | None) -> list[Key]:
    """Who received an alert for escalation ``esc_id`` (in receive order)."""
    return [d.key for d in deliveries if f"alert #{esc_id} " in d.body]


# ---- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def providers() -> Iterator[Providers]:
    telegram, twilio = FakeTelegram(TOKEN), FakeTwilio()
    with LoopbackServer(telegram) as tg, LoopbackServer(twilio) as tw:
        yield Providers(telegram, twilio, tg.url, tw.url)


@pytest.fixture(scope="module")
def edge() -> Iterator[tuple[Switch, str]]:
    """Our webhook routes on loopback: one server (one public URL, which Twilio signs against)
    for the module, each test mounting its own app."""
    switch = Switch()
    with LoopbackServer(switch) as server:
        yield switch, server.url


@pytest.fixture
async def world(
    db_url: str, engine: Engine, providers: Providers, edge: tuple[Switch, str]
) -> AsyncIterator[World]:
    providers.telegram.reset()
    providers.twilio.reset()
    switch, public_url = edge
    clock = Clock(NOW)
    settings = load_settings(
        database_url=db_url, public_base_url=public_url,
        telegram_bot_token=TOKEN, telegram_mode="webhook", telegram_webhook_secret=SECRET,
        telegram_api_base_url=f"{providers.telegram_url}/bot",
        twilio_account_sid=TEST_ACCOUNT_SID, twilio_auth_token=TEST_AUTH_TOKEN,
        twilio_from_number=OUR_NUMBER, twilio_api_base_url=providers.twilio_url,
        sms_rate_per_second=1000, outbox_batch_size=50,
    )
    ctx = AppContext(settings=settings, database=database_for(db_url, engine),
                     flows=load_configured_flows(settings), clock=clock)
    channels: dict[Channel, ChannelAdapter] = {
        Channel.sms: TwilioChannel(settings), Channel.telegram: TelegramChannel(ctx),
    }
    for adapter in channels.values():
        await adapter.start()
    ctx.channels = channels
    sender = OutboxSender(ctx)
    ctx.sender = sender
    app = ServiceApp()
    app.provider_webhooks.update(twilio_webhooks(ctx))
    switch.app = app
    async with httpx.AsyncClient(timeout=15) as http:
        w = World(ctx, clock, providers, sender, public_url, http)
        w.team = _enrol_team(w)
        yield w
    switch.app = None
    for adapter in channels.values():
        await adapter.stop()


def _enrol_team(w: World) -> Team:
    consented = NOW - timedelta(days=30)
    with w.ctx.database.transaction() as db:
        program = people.add_program(db, "Hope House", timezone="America/New_York", now=NOW)
        assert program.id is not None
        pid = program.id

        def person(role: Role, name: str, *contacts: Key) -> int:
            row = people.add_person(db, pid, role, name, now=NOW)
            assert row.id is not None
            for channel, address in contacts:
                people.add_contact(db, row.id, Channel(channel), address, now=NOW,
                                   consent_at=consented if channel == "sms" else None)
            return row.id

        team = Team(
            program_id=pid,
            mentee=person(Role.mentee, "Ana Torres", ("sms", MENTEE_PHONE)),
            mentor=person(Role.mentor, "Marco Diaz", ("sms", MENTOR_PHONE),
                          ("telegram", MENTOR_CHAT)),
            sup1=person(Role.supervisor, "Sam Rivera", SUP1_SMS, SUP1_TG),
            sup2=person(Role.supervisor, "Tess Nguyen", SUP2_TG),
            admin=person(Role.admin, "Ada Brooks", ADMIN_SMS, ADMIN_TG),
        )
        people.add_pairing(db, team.mentor, team.mentee, NOW - timedelta(days=60))
        for who, which in ((team.sup1, RotaList.oncall), (team.sup2, RotaList.oncall),
                           (team.admin, RotaList.backup),
                           (team.mentor, RotaList.oncall)):  # a stray line: never honoured
            rota.add_shift(db, program_id=pid, person_id=who, list=which, now=NOW)
        mentee = db.get(Person, team.mentee)
        assert mentee is not None
        [contact] = people.contacts_for(db, team.mentee)
        assert start_checkin(db, w.ctx.flows, mentee, "mentee_checkin", contact, NOW)
    return team


def _queue_routine_backlog(w: World, count: int) -> None:
    """``count`` routine texts to other numbers, already waiting (bulk insert, like a big
    scheduled send)."""
    rows = [
        {"direction": Direction.outbound, "channel": Channel.sms,
         "address": f"+1312700{n:04d}", "body": ROUTINE_TEXT.format(n=n), "kind": "reminder",
         "lane": Lane.routine, "priority": Lane.routine.priority,
         "status": MessageStatus.pending, "attempts": 0, "next_attempt_at": w.clock.now,
         "created_at": w.clock.now, "updated_at": w.clock.now}
        for n in range(count)
    ]
    with w.ctx.database.transaction() as db:
        db.execute(insert(Message), rows)


async def _raise_urgent(w: World) -> int:
    """The mentee gets her first question, answers comfort 4, then safety 1: one urgent
    escalation. Returns its id (alerts queued, nothing urgent sent yet)."""
    await w.deliver(Lane.routine)
    assert any("How comfortable" in d.body for d in w.deliveries()
               if d.key == ("sms", MENTEE_PHONE))
    w.clock.set(NOW + timedelta(minutes=2))
    await w.sms(MENTEE_PHONE, "4")
    w.clock.set(NOW + timedelta(minutes=3))
    await w.sms(MENTEE_PHONE, "1")
    [esc] = w.escalations()
    assert esc.level == "urgent" and esc.status == EscalationStatus.open
    assert esc.id is not None
    return esc.id


def _assert_private(w: World) -> None:
    """Invariant 4 over everything that happened: the mentor got none of the mentee's answers
    or escalation evidence, and no alert carries any of her words."""
    with w.ctx.database.transaction() as db:
        answers = [a.raw_text for a in db.exec(
            select(Answer).where(Answer.person_id == w.team.mentee)).all() if a.raw_text]
        evidence = [e for esc in db.exec(select(Escalation)).all() for e in esc.evidence]
        mentor_addresses = {c.address for c in people.contacts_for(db, w.team.mentor)}
    assert mentor_addresses == {MENTOR_PHONE, MENTOR_CHAT}
    secrets = [*DISTINCTIVE, *evidence, *(a for a in answers if len(a) > 3)]
    messages = w.outbound()
    to_mentor = [m.body or "" for m in messages if m.address in mentor_addresses]
    to_mentor += [d.body for d in w.deliveries() if d.key[1] in mentor_addresses]
    for body in to_mentor:
        for secret in secrets:
            assert secret.lower() not in body.lower(), (secret, body)
    assert not any(m.escalation_id is not None for m in messages
                   if m.address in mentor_addresses)
    alert_rows = [m for m in messages if m.kind == alert_messages.KIND]
    assert {m.person_id for m in alert_rows} <= {w.team.sup1, w.team.sup2, w.team.admin}
    alert_bodies = [m.body or "" for m in alert_rows]
    alert_bodies += [d.body for d in w.deliveries() if "alert #" in d.body]
    for body in alert_bodies:
        for secret in [*secrets, "Ana", "Torres"]:
            assert secret.lower() not in body.lower(), (secret, body)


# ---- 1. urgent never waits ------------------------------------------------------------------


async def test_crisis_reply_and_alerts_overtake_a_routine_backlog(world: World) -> None:
    w = world
    await w.deliver(Lane.routine)  # the first question, before the backlog is queued
    _queue_routine_backlog(w, ROUTINE_BACKLOG)
    w.clock.set(NOW + timedelta(minutes=2))
    await w.sms(MENTEE_PHONE, "4")
    turn = NOW + timedelta(minutes=3)
    w.clock.set(turn)
    await w.sms(MENTEE_PHONE, "1")

    # One committed turn: the escalation, the crisis reply and an alert to every on-call
    # supervisor on every usable channel -- all urgent, all written at the same moment.
    [esc] = w.escalations()
    assert (esc.level, esc.status, esc.raised_at) == ("urgent", EscalationStatus.open, turn)
    assert esc.alert_round == 1 and esc.next_alert_at == turn + timedelta(minutes=5)
    urgent = [m for m in w.outbound() if m.lane == Lane.urgent]
    assert {m.created_at for m in urgent} == {turn}
    [crisis] = [m for m in urgent if m.kind == "crisis"]
    assert crisis.address == MENTEE_PHONE and "988" in (crisis.body or "")
    queued_alerts = [m for m in urgent if m.kind == alert_messages.KIND]
    assert {(str(m.channel), m.address) for m in queued_alerts} == ON_CALL
    assert len(queued_alerts) == 3 and {m.escalation_id for m in queued_alerts} == {esc.id}

    # Both lanes run at once, the routine one with 500 messages waiting ahead of these: every
    # urgent message reaches its provider before any routine one does.
    before = len(w.deliveries())
    urgent_sends, routine_sends = await asyncio.gather(
        w.sender.run_once(Lane.urgent), w.sender.run_once(Lane.routine)
    )
    assert urgent_sends == 4 and routine_sends == 50
    new = w.deliveries()[before:]
    first_routine = next(i for i, d in enumerate(new) if d.body.startswith("Routine reminder"))
    assert first_routine == 4, [d.key for d in new[:6]]
    assert {d.key for d in new[:4]} == {("sms", MENTEE_PHONE), *ON_CALL}
    assert "988" in new[[d.key for d in new[:4]].index(("sms", MENTEE_PHONE))].body
    assert sorted(alert_keys(new[:4], esc.id)) == sorted(ON_CALL)
    assert all(m.status == MessageStatus.sent for m in w.outbound() if m.lane == Lane.urgent)
    backlog = [m for m in w.outbound() if m.kind == "reminder"]
    assert len(backlog) == ROUTINE_BACKLOG
    assert sum(m.status == MessageStatus.pending for m in backlog) == ROUTINE_BACKLOG - 50
    _assert_private(w)


# ---- 2. re-alerts until someone acknowledges --------------------------------------------------


async def test_re_alerts_every_5_minutes_backup_at_20_and_an_sms_ack_stops_them(
    world: World,
) -> None:
    w = world
    esc_id = await _raise_urgent(w)
    raised = w.clock.now
    assert await w.deliver(Lane.urgent) == 4
    assert sorted(alert_keys(w.deliveries(), esc_id)) == sorted(ON_CALL)

    # The current code: a re-alert every 5 minutes; after 3 unanswered re-sends the backup list
    # joins, i.e. from the round at +20 minutes on.
    assert alerts.URGENT_REALERT == timedelta(minutes=5)
    assert realert.BACKUP_AFTER_RESENDS == 3
    backup_joins_at = 20

    assert w.realert(raised + timedelta(minutes=4, seconds=59)) == 0
    for minute in (5, 10, 15, 20, 25):
        before = len(w.deliveries())
        expected = ON_CALL | (BACKUP if minute >= backup_joins_at else set())
        assert w.realert(raised + timedelta(minutes=minute)) == len(expected), minute
        assert w.realert(raised + timedelta(minutes=minute, seconds=30)) == 0
        await w.deliver(Lane.urgent)
        got = alert_keys(w.deliveries()[before:], esc_id)
        assert sorted(got) == sorted(expected), minute
    [esc] = w.escalations()
    assert esc.backup_alerted_at == raised + timedelta(minutes=backup_joins_at)
    assert esc.alert_round == 6

    # Supervisor 1 texts ACK from her phone through the signed Twilio webhook.
    ack_at = raised + timedelta(minutes=27)
    w.clock.set(ack_at)
    before = len(w.deliveries())
    await w.sms(SUP1_PHONE, f"ACK {esc_id}")
    [esc] = w.escalations()
    assert esc.status == EscalationStatus.acknowledged
    assert (esc.acknowledged_by, esc.acknowledged_at) == (w.team.sup1, ack_at)
    assert esc.next_alert_at is None
    assert await w.deliver(Lane.urgent) == 1
    [reply] = w.deliveries()[before:]
    assert reply.key == SUP1_SMS
    assert reply.body.startswith(f"Acknowledged #{esc_id} (urgent, A.T.)"), reply.body

    # Thirty more minutes: not one more alert, to anybody.
    alert_rows = sum(m.kind == alert_messages.KIND for m in w.outbound())
    before = len(w.deliveries())
    for minute in range(1, 31):
        assert w.realert(ack_at + timedelta(minutes=minute)) == 0
        assert await w.sender.run_once(Lane.urgent) == 0
    assert sum(m.kind == alert_messages.KIND for m in w.outbound()) == alert_rows
    assert alert_keys(w.deliveries()[before:], esc_id) == []
    _assert_private(w)


# ---- 3. failover of an undelivered SMS alert ------------------------------------------------


def _failover_outcomes(w: World, esc_id: int) -> list[str]:
    with w.ctx.database.transaction() as db:
        rows = db.exec(select(AuditEvent).where(
            AuditEvent.subject_id == esc_id, AuditEvent.action == "alert_failover",
        ).order_by(col(AuditEvent.id))).all()
        return [str(e.detail["outcome"]) for e in rows]


def _sms_contact(w: World, address: str) -> ContactPoint:
    with w.ctx.database.transaction() as db:
        found = people.find_contact(db, Channel.sms, address)
        assert found is not None
        return found


async def test_undelivered_sms_alert_while_telegram_reaches_the_supervisor(world: World) -> None:
    """Urgent alerts go to every channel at once, so when supervisor 1's SMS alert comes back
    undelivered (30003), her Telegram copy of the same round has already arrived: nothing is
    duplicated now, her number is marked unreachable, and the next round reaches her on
    Telegram only."""
    w = world
    esc_id = await _raise_urgent(w)
    raised = w.clock.now
    assert await w.deliver(Lane.urgent) == 4
    [sms_alert] = [m for m in w.providers.twilio.sent_to(SUP1_PHONE)
                   if f"alert #{esc_id} " in m["body"]]
    assert alert_keys(w.deliveries(), esc_id).count(SUP1_TG) == 1

    w.clock.set(raised + timedelta(minutes=1))
    rows_before = len(w.outbound())
    await w.status_callback(sms_alert["sid"], "undelivered", 30003)
    failed = next(m for m in w.outbound() if m.provider_id == sms_alert["sid"])
    assert failed.status == MessageStatus.undelivered and failed.last_error == "twilio 30003"
    assert _sms_contact(w, SUP1_PHONE).unreachable
    assert _failover_outcomes(w, esc_id) == ["still_reaching_person"]
    assert len(w.outbound()) == rows_before
    assert await w.deliver(Lane.urgent) == 0

    before = len(w.deliveries())
    assert w.realert(raised + timedelta(minutes=5)) == 2
    await w.deliver(Lane.urgent)
    assert sorted(alert_keys(w.deliveries()[before:], esc_id)) == sorted([SUP1_TG, SUP2_TG])
    _assert_private(w)


async def test_undelivered_sms_alert_fails_over_at_once_when_telegram_failed_too(
    world: World,
) -> None:
    """Supervisor 1 blocked the bot on Telegram, then her SMS alert comes back undelivered
    (30003): with both her channels failed, the alert goes at once to the next person who has
    not had this round -- the backup admin, on every channel."""
    w = world
    esc_id = await _raise_urgent(w)
    raised = w.clock.now
    w.providers.telegram.block_chat(SUP1_CHAT)
    assert await w.deliver(Lane.urgent) == 4
    assert sorted(alert_keys(w.deliveries(), esc_id)) == sorted([SUP1_SMS, SUP2_TG])
    tg_row = next(m for m in w.outbound() if m.kind == alert_messages.KIND and m.address == SUP1_CHAT)
    assert tg_row.status == MessageStatus.failed
    assert _failover_outcomes(w, esc_id) == ["still_reaching_person"]  # her SMS is on its way
    [sms_alert] = [m for m in w.providers.twilio.sent_to(SUP1_PHONE)
                   if f"alert #{esc_id} " in m["body"]]

    w.clock.set(raised + timedelta(minutes=1))
    before = len(w.deliveries())
    await w.status_callback(sms_alert["sid"], "undelivered", 30003)
    assert _failover_outcomes(w, esc_id) == ["still_reaching_person", "next_person"]
    queued = [m for m in w.outbound() if m.kind == alert_messages.KIND
              and m.created_at == raised + timedelta(minutes=1)]
    assert {m.person_id for m in queued} == {w.team.admin}
    assert await w.deliver(Lane.urgent) == 2
    assert sorted(alert_keys(w.deliveries()[before:], esc_id)) == sorted(BACKUP)
    [esc] = w.escalations()
    assert esc.backup_alerted_at == raised + timedelta(minutes=1)
    _assert_private(w)


# ---- 4. the mentor never hears ----------------------------------------------------------------


async def test_escalation_about_the_mentor_never_reaches_him_and_alerts_carry_no_words(
    world: World,
) -> None:
    w = world
    with w.ctx.database.transaction() as db:  # the mentor has his own check-in going
        mentor = db.get(Person, w.team.mentor)
        assert mentor is not None
        sms = next(c for c in people.contacts_for(db, w.team.mentor) if c.channel == Channel.sms)
        assert start_checkin(db, w.ctx.flows, mentor, "mentor_checkin", sms, NOW)
    esc_id = await _raise_urgent(w)
    raised = w.clock.now
    await w.deliver(Lane.urgent)
    steps = [("no", "pressured you"), ("yes", "what happened"),
             (PRESSURE_DETAILS, "Anything you want staff"), (ANYTHING_ELSE, "Thank you, Ana")]
    for n, (reply, next_question) in enumerate(steps, start=1):
        w.clock.set(raised + timedelta(minutes=n))
        await w.sms(MENTEE_PHONE, reply)
        await w.deliver(Lane.urgent)
        await w.deliver(Lane.routine)
        assert next_question in w.providers.twilio.bodies_to(MENTEE_PHONE)[-1]
    w.clock.set(raised + timedelta(minutes=4, seconds=30))
    await w.sms(MENTOR_PHONE, "yes")  # the mentor answers his own check-in meanwhile
    await w.deliver(Lane.routine)

    # The pressure answer and the free text join this session's urgent escalation, which is
    # now about the mentor; every escalation raised stays away from him.
    escalations = w.escalations()
    assert [e.id for e in escalations if e.level == "urgent"] == [esc_id]
    urgent = escalations[0]
    assert urgent.about_mentor_id == w.team.mentor
    assert "pressured" in urgent.reasons
    assert "takes my commissary" in urgent.evidence  # her words, screened: staff-only

    # Re-alerts through to the backup list, then an ACK, and a QUEUE from the admin's phone.
    for minute in (5, 10, 15, 20):
        w.realert(raised + timedelta(minutes=minute))
        await w.deliver(Lane.urgent)
    w.clock.set(raised + timedelta(minutes=21))
    await w.sms(SUP1_PHONE, f"ACK {esc_id}")
    await w.sms(ADMIN_PHONE, "QUEUE")
    await w.deliver(Lane.urgent)
    assert any(f"#{esc_id} URGENT A.T." in b for b in w.providers.twilio.bodies_to(ADMIN_PHONE))

    recipients = {d.key for d in w.deliveries() if "alert #" in d.body}
    assert recipients == ON_CALL | BACKUP
    mentor_got = [d for d in w.deliveries() if d.key[1] in (MENTOR_PHONE, MENTOR_CHAT)]
    assert [d.key for d in mentor_got] == [("sms", MENTOR_PHONE)] * 2
    assert "mentor check-in" in mentor_got[0].body and "How is mentoring" in mentor_got[1].body
    _assert_private(w)


# ---- 5. a provider failing an urgent alert: the backup hears in seconds ---------------------


def _alerts_of(w: World, esc_id: int) -> list[Message]:
    return [m for m in w.outbound() if m.kind == alert_messages.KIND and m.escalation_id == esc_id]


def _only_sup1_sms_on_call(w: World) -> None:
    """Supervisor 1 on call with SMS only (no Telegram bound); supervisor 2 paused."""
    with w.ctx.database.transaction() as db:
        telegram = people.find_contact(db, Channel.telegram, SUP1_CHAT)
        assert telegram is not None
        db.delete(telegram)
        sup2 = db.get(Person, w.team.sup2)
        assert sup2 is not None
        sup2.status = PersonStatus.paused


@pytest.mark.parametrize("failure", ["5xx", "timeout"])
async def test_twilio_failing_an_urgent_alert_reaches_the_backup_at_once_while_it_retries(
    world: World, failure: str,
) -> None:
    """Twilio answers 500 (or nothing, until our client times out) for the one on-call
    supervisor, who has only SMS. The first failed attempt hands the alert to the backup list
    at that same moment on the test's clock (target: 30 s), while the original keeps being
    retried; a second failure fails over nothing more, and once the backup acknowledges,
    further failures change nothing."""
    w = world
    _only_sup1_sms_on_call(w)
    twilio = w.providers.twilio
    hurried: TwilioChannel | None = None
    if failure == "5xx":
        twilio.failing_to(SUP1_PHONE, 500)
    else:
        twilio.hanging_to(SUP1_PHONE, 3.0)
        hurried = TwilioChannel(w.ctx.settings, timeout=0.3)  # the time-out, not the hang
        w.ctx.channels[Channel.sms] = hurried
    try:
        esc_id = await _raise_urgent(w)
        [original] = _alerts_of(w, esc_id)
        assert (original.person_id, original.address) == (w.team.sup1, SUP1_PHONE)

        failed_at = w.clock.now
        await w.sender.run_once(Lane.urgent)  # the crisis reply goes; the alert fails
        rows = {m.id: m for m in _alerts_of(w, esc_id)}
        again = rows.pop(original.id)
        assert again.status == MessageStatus.pending and again.attempts == 1
        assert again.next_attempt_at is not None and again.next_attempt_at > failed_at
        assert _failover_outcomes(w, esc_id) == ["next_person"]
        backup = list(rows.values())
        assert {(str(m.channel), m.address) for m in backup} == BACKUP
        assert {m.person_id for m in backup} == {w.team.admin}
        assert {m.created_at for m in backup} == {failed_at}

        # The backup's alerts go out without the clock moving: 0 s after the first failure.
        before = len(w.deliveries())
        await w.deliver(Lane.urgent)
        assert sorted(alert_keys(w.deliveries()[before:], esc_id)) == sorted(BACKUP)
        sent = [m for m in _alerts_of(w, esc_id) if m.person_id == w.team.admin]
        assert all(m.status == MessageStatus.sent for m in sent)
        assert max(m.sent_at - failed_at for m in sent if m.sent_at) <= timedelta(seconds=30)
        [esc] = w.escalations()
        assert esc.backup_alerted_at == failed_at

        # The original is retried (past its ~2 s back-off) and fails again: no second failover.
        w.clock.set(failed_at + timedelta(seconds=10))
        await w.sender.run_once(Lane.urgent)
        [again] = [m for m in _alerts_of(w, esc_id) if m.id == original.id]
        assert again.attempts == 2 and again.status == MessageStatus.pending
        assert _failover_outcomes(w, esc_id) == ["next_person"]
        assert len(_alerts_of(w, esc_id)) == 3

        # The backup acknowledges from her phone; the next failure fails over nothing either.
        w.clock.set(failed_at + timedelta(seconds=20))
        await w.sms(ADMIN_PHONE, f"ACK {esc_id}")
        await w.deliver(Lane.urgent)  # the ACK's confirmation (and a due retry of the original)
        [esc] = w.escalations()
        assert esc.status == EscalationStatus.acknowledged
        [again] = [m for m in _alerts_of(w, esc_id) if m.id == original.id]
        attempts = again.attempts
        w.clock.set(failed_at + timedelta(minutes=1))
        await w.sender.run_once(Lane.urgent)
        [again] = [m for m in _alerts_of(w, esc_id) if m.id == original.id]
        assert again.attempts == attempts + 1 and again.status == MessageStatus.pending
        assert _failover_outcomes(w, esc_id) == ["next_person"]
        assert len(_alerts_of(w, esc_id)) == 3
        assert not any(d.key[1] == SUP1_PHONE and "alert #" in d.body for d in w.deliveries())
        _assert_private(w)
    finally:
        twilio.recovered(SUP1_PHONE)
        if hurried is not None:
            await hurried.stop()
