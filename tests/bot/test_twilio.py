"""SMS over Twilio: the real twilio client against FakeTwilio on loopback, and our webhook routes
served by uvicorn on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.channels.base import RetryLater, Sent, Undeliverable
from bot.channels.pacing import LanePacer
from bot.channels.twilio_sms import adapter as twilio_adapter
from bot.channels.twilio_sms.adapter import TwilioChannel, retry_after_seconds
from bot.channels.twilio_sms.status import apply_status_callback
from bot.channels.twilio_sms.webhook import EMPTY_TWIML
from bot.context import AppContext
from bot.flow_registry import load_configured_flows
from bot.runner import start_checkin
from bot.settings import load_settings
from bot.texts import text
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Message,
    MessageStatus,
    SessionStatus,
)
from storage.queries import messages, people
from tests.bot.helpers import NOW, database_for, outbox
from tests.bot.twilio_fixtures import (
    OUR_NUMBER,
    SMS_PATH,
    STATUS_PATH,
    Rig,
    Switch,
    clock_at,
    closed_port_url,
    mount,
    sms_mentee,
    twilio_settings,
)
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import FakeTwilio, inbound_sms_form, new_message_sid, sign

FLOWS = load_configured_flows(load_settings())
MENTEE = "+12025550143"
STRANGER = "+12025550199"
TURN_AT = NOW + timedelta(minutes=5)


# --- servers (one per module) and the per-test rig --------------------------------------------


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[FakeTwilio, LoopbackServer]]:
    fake = FakeTwilio()
    with LoopbackServer(fake, lifespan="off") as srv:
        yield fake, srv


@pytest.fixture(scope="module")
def web() -> Iterator[tuple[Switch, LoopbackServer]]:
    switch = Switch()
    with LoopbackServer(switch, lifespan="off") as srv:
        yield switch, srv


@pytest.fixture
def fake(fake_server: tuple[FakeTwilio, LoopbackServer]) -> FakeTwilio:
    fake_server[0].reset()
    return fake_server[0]


@pytest.fixture
def settings_urls(
    fake_server: tuple[FakeTwilio, LoopbackServer], web: tuple[Switch, LoopbackServer]
) -> tuple[str, str]:
    return web[1].url, fake_server[1].url


@pytest.fixture
async def rig(
    db_url: str, engine: Engine, fake: FakeTwilio, web: tuple[Switch, LoopbackServer],
    settings_urls: tuple[str, str],
) -> AsyncIterator[Rig]:
    public_url, api_url = settings_urls
    ctx = AppContext(
        settings=twilio_settings(public_url, api_url, database_url=db_url),
        database=database_for(db_url, engine),
        flows=FLOWS,
        clock=clock_at(TURN_AT),
    )
    mount(web[0], ctx)
    async with httpx.AsyncClient(timeout=10) as http:
        yield Rig(ctx, fake, public_url, http)
    web[0].app = None


def all_messages(rig: Rig) -> list[Message]:
    with rig.ctx.database.transaction() as db:
        return list(db.exec(select(Message).order_by(col(Message.id))).all())


def inbound_rows(db: Session) -> list[Message]:
    return list(db.exec(select(Message).where(Message.direction == Direction.inbound)).all())


def contact_of(db: Session, address: str) -> ContactPoint:
    contact = people.find_contact(db, Channel.sms, address)
    assert contact is not None
    return contact


def start_sms_checkin(rig: Rig, address: str = MENTEE) -> int:
    with rig.ctx.database.transaction() as db:
        person, contact = sms_mentee(db, address)
        row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
        assert row is not None and row.id is not None
        return row.id


async def send_pending(rig: Rig, address: str) -> list[str]:
    """What the outbox sender would do: send each pending row, store its SID."""
    channel = rig.channel()
    with rig.ctx.database.transaction() as db:
        pending = [(m.id, m.body or "") for m in outbox(db, address, MessageStatus.pending)]
    sids = []
    for message_id, body in pending:
        outcome = await channel.send(address, body)
        assert isinstance(outcome, Sent) and outcome.provider_id
        sids.append(outcome.provider_id)
        with rig.ctx.database.transaction() as db:
            row = db.get(Message, message_id)
            assert row is not None
            row.status, row.provider_id, row.sent_at = MessageStatus.sent, outcome.provider_id, NOW
    return sids


# --- signatures -----------------------------------------------------------------------------

SIGNATURE_CASES: dict[str, tuple[dict[str, Any], int]] = {
    "valid": ({}, 200),
    "tampered_body": ({"tamper": {"Body": "1"}}, 403),
    "tampered_from": ({"tamper": {"From": "+12025550100"}}, 403),
    "other_path": ({"sign_path": STATUS_PATH}, 403),
    "other_host": ({"sign_url": "https://checkin.example.org" + SMS_PATH}, 403),
    "missing_header": ({"omit_signature": True}, 403),
    "garbage_header": ({"signature": "not-a-signature"}, 403),
    "wrong_token": ({"token": "another-accounts-auth-token"}, 403),
    "twilio_not_configured": ({"unconfigure": True}, 403),
}


@pytest.mark.parametrize("case", list(SIGNATURE_CASES))
async def test_inbound_signature_is_required(rig: Rig, case: str) -> None:
    options, expected = SIGNATURE_CASES[case]
    kwargs = dict(options)
    if kwargs.pop("unconfigure", False):
        rig.ctx.settings = load_settings(public_base_url=rig.public_url, telegram_bot_token=None)
    if "sign_path" in kwargs:
        kwargs["sign_url"] = rig.public_url + kwargs.pop("sign_path")
    form = inbound_sms_form(new_message_sid(), STRANGER, OUR_NUMBER, "hello")
    response = await rig.post_signed(SMS_PATH, form, **kwargs)
    assert response.status_code == expected
    stored = all_messages(rig)
    if expected == 200:
        assert response.text == EMPTY_TWIML
        assert [m.direction for m in stored] == [Direction.inbound, Direction.outbound]
    else:
        assert response.content == b""
        assert stored == []


# --- a whole check-in over SMS ---------------------------------------------------------------


async def test_whole_checkin_over_sms_reaches_fake_twilio(rig: Rig) -> None:
    session_id = start_sms_checkin(rig)
    for reply in ["4", "five", "nope", "no"]:
        response = await rig.post_sms(MENTEE, reply)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/xml")
        assert response.text == EMPTY_TWIML
    with rig.ctx.database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.status == SessionStatus.completed
        answers = {a.key: a.value for a in db.exec(select(Answer)).all()}
        assert answers == {"comfort": 4, "safety": 5, "pressure": False, "anything_else": None}
        queued = outbox(db, MENTEE)
        assert [m.kind for m in queued] == ["question"] * 4 + ["closing"]
        assert all(m.status == MessageStatus.pending for m in queued)
        bodies = [m.body for m in queued]
        assert len(inbound_rows(db)) == 4
    sids = await send_pending(rig, MENTEE)
    assert rig.fake.bodies_to(MENTEE) == bodies
    assert [m["sid"] for m in rig.fake.sent_to(MENTEE)] == sids
    assert all(m["from"] == OUR_NUMBER for m in rig.fake.sent)
    assert {m["status_callback"] for m in rig.fake.sent} == {rig.public_url + STATUS_PATH}


@pytest.mark.parametrize("mode", ["sequential", "concurrent"])
async def test_same_message_sid_three_times_is_one_turn(rig: Rig, mode: str) -> None:
    start_sms_checkin(rig)
    sid = new_message_sid()
    if mode == "sequential":
        responses = [await rig.post_sms(MENTEE, "4", sid) for _ in range(3)]
    else:
        responses = await asyncio.gather(*(rig.post_sms(MENTEE, "4", sid) for _ in range(3)))
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(r.text == EMPTY_TWIML for r in responses)
    with rig.ctx.database.transaction() as db:
        [inbound] = inbound_rows(db)
        assert inbound.provider_id == sid
        assert len(db.exec(select(Answer)).all()) == 1
        assert [m.kind for m in outbox(db, MENTEE)] == ["question", "question"]
    assert rig.ctx.counters.get("sms_inbound_duplicate") == 2


async def test_stop_opts_out_and_cancels_queued_then_start_resubscribes(rig: Rig) -> None:
    session_id = start_sms_checkin(rig)
    assert (await rig.post_sms(MENTEE, "STOP")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert contact_of(db, MENTEE).opted_out
        sent = outbox(db, MENTEE)
        assert [(m.kind, m.status) for m in sent] == [
            ("question", MessageStatus.cancelled), ("stopped", MessageStatus.pending),
        ]
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.status == SessionStatus.stopped
    assert (await rig.post_sms(MENTEE, "start")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert not contact_of(db, MENTEE).opted_out
        last = outbox(db, MENTEE)[-1]
        assert (last.kind, last.status, last.body) == (
            "info", MessageStatus.pending, text("started", "en"),
        )


async def test_help_from_an_unknown_number_gets_the_generic_help(rig: Rig) -> None:
    response = await rig.post_sms(STRANGER, "HELP")
    assert response.status_code == 200
    with rig.ctx.database.transaction() as db:
        [reply] = outbox(db, STRANGER)
        assert reply.body == text("generic_help", "en")
        [inbound] = inbound_rows(db)
        assert inbound.body is None  # no words kept from people who are not enrolled
    await send_pending(rig, STRANGER)
    assert rig.fake.bodies_to(STRANGER) == [text("generic_help", "en")]


async def test_national_from_number_is_normalised_to_e164(rig: Rig) -> None:
    start_sms_checkin(rig)
    assert (await rig.post_sms("(202) 555-0143", "4")).status_code == 200
    with rig.ctx.database.transaction() as db:
        [inbound] = inbound_rows(db)
        assert inbound.address == MENTEE and inbound.person_id is not None


async def test_store_failure_answers_500_and_logs_no_body(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret_words = "my mentor took my money"

    def broken() -> Any:
        raise OperationalError("INSERT ...", {"body": secret_words}, Exception("db is down"))

    monkeypatch.setattr(rig.ctx.database, "transaction", broken)
    with caplog.at_level(logging.INFO):
        response = await rig.post_sms(MENTEE, secret_words)
    assert response.status_code == 500
    assert "OperationalError" in caplog.text
    assert secret_words not in caplog.text


# --- sending --------------------------------------------------------------------------------


def _prepare(case: str, fake: FakeTwilio) -> dict[str, Any]:
    """Arrange FakeTwilio for `case`; returns TwilioChannel setting overrides."""
    if case == "rate_limited":
        fake.fail_next(1, 429, retry_after=7)
    elif case == "rate_limited_no_header":
        fake.fail_next(1, 429)
    elif case == "server_error":
        fake.fail_next(1, 500)
    elif case == "down":
        fake.set_down()
    elif case == "invalid_number":
        fake.invalid_number(MENTEE)
    elif case == "unsubscribed":
        fake.unsubscribed(MENTEE)
    elif case == "wrong_credentials":
        return {"twilio_auth_token": SecretStr("not-the-token")}
    elif case == "bad_from":
        fake.fail_next(1, 400, code=21606)
    elif case == "connection_refused":
        return {"twilio_api_base_url": closed_port_url()}
    return {}


SEND_CASES: dict[str, tuple[type, str | None, float | None]] = {
    # case: (outcome type, text in reason, after_seconds)
    "ok": (Sent, None, None),
    "rate_limited": (RetryLater, "twilio 20429", 7.0),
    "rate_limited_no_header": (RetryLater, "rate limited", None),
    "server_error": (RetryLater, "twilio 20500", None),
    "down": (RetryLater, "twilio 20503", None),
    "connection_refused": (RetryLater, "connection failed", None),
    "invalid_number": (Undeliverable, "twilio 21211", None),
    "unsubscribed": (Undeliverable, "twilio 21610", None),
    "wrong_credentials": (RetryLater, "TWILIO_AUTH_TOKEN", None),
    "bad_from": (RetryLater, "TWILIO_FROM_NUMBER", None),
}


@pytest.mark.parametrize("case", list(SEND_CASES))
async def test_send_outcomes(fake: FakeTwilio, settings_urls: tuple[str, str], case: str) -> None:
    settings = twilio_settings(*settings_urls)
    overrides = _prepare(case, fake)
    channel = TwilioChannel(settings.model_copy(update=overrides))
    outcome = await channel.send(MENTEE, "How safe do you feel right now?")
    kind, reason, after = SEND_CASES[case]
    assert type(outcome) is kind, outcome
    health = channel.health()
    if isinstance(outcome, Sent):
        assert outcome.provider_id and outcome.provider_id.startswith("SM")
        assert rig_sent_ok(fake, outcome.provider_id)
        assert health["last_ok_at"] is not None and health["last_error"] is None
        return
    assert reason is not None and reason in outcome.reason
    assert MENTEE not in outcome.reason
    if isinstance(outcome, RetryLater):
        assert outcome.after_seconds == after
        assert health["last_error"] == outcome.reason  # our side or Twilio's: shown in health
    if case in ("wrong_credentials", "bad_from"):
        assert "configuration problem, not the contact's" in outcome.reason
    await channel.stop()


def rig_sent_ok(fake: FakeTwilio, sid: str) -> bool:
    stored = fake.get(sid)
    return stored is not None and stored["to"] == MENTEE and stored["from"] == OUR_NUMBER


async def test_send_timeout_is_retry_later(fake: FakeTwilio, settings_urls: tuple[str, str]) -> None:
    fake.delay(1.0)
    channel = TwilioChannel(twilio_settings(*settings_urls), timeout=0.2)
    outcome = await channel.send(MENTEE, "hi")
    assert isinstance(outcome, RetryLater) and "timed out" in outcome.reason


async def test_sends_that_keep_failing_are_a_health_reason_until_one_goes_through(
    fake: FakeTwilio, settings_urls: tuple[str, str]
) -> None:
    channel = TwilioChannel(twilio_settings(*settings_urls))
    fake.fail_next(1, status=429)  # only asked to wait: not a failure of the provider
    fake.fail_next(5, status=503)
    for _ in range(5):
        assert isinstance(await channel.send(MENTEE, "hi"), RetryLater)
    assert channel.failing() is None  # four provider failures, one rate limit
    assert isinstance(await channel.send(MENTEE, "hi"), RetryLater)
    assert channel.health()["failing_in_a_row"] == 5
    reason = channel.failing()
    assert reason is not None and reason.startswith("sms: the last 5 sends failed (twilio")
    assert "503" in reason and MENTEE not in reason
    assert isinstance(await channel.send(MENTEE, "hi"), Sent)
    assert channel.failing() is None and channel.health()["failing_in_a_row"] == 0


async def test_messaging_service_and_health(
    fake: FakeTwilio, settings_urls: tuple[str, str]
) -> None:
    service = "MG" + "1" * 32
    channel = TwilioChannel(twilio_settings(
        *settings_urls, twilio_from_number=None, twilio_messaging_service_sid=service
    ))
    assert channel.health()["sender"] == service and channel.health()["configured"] is True
    outcome = await channel.send(MENTEE, "hi")
    assert isinstance(outcome, Sent)
    assert fake.sent[0]["messaging_service_sid"] == service and fake.sent[0]["from"] is None
    unconfigured = TwilioChannel(load_settings(telegram_bot_token=None))
    assert unconfigured.health()["configured"] is False
    assert isinstance(await unconfigured.send(MENTEE, "hi"), RetryLater)


async def test_sends_are_spaced_to_the_rate(
    fake: FakeTwilio, settings_urls: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 10/s or less (a long code sends 1/s) sends are never released together. Checked on
    # the pacer's own clock (the event loop's), where each slot was given: arrival times at the
    # fake would add network jitter to what is being asserted.
    granted: list[float] = []

    class RecordingPacer(LanePacer):
        async def acquire(self, *, urgent: bool = False) -> None:
            await super().acquire(urgent=urgent)
            assert self.last_granted_at is not None
            granted.append(self.last_granted_at)

    monkeypatch.setattr(twilio_adapter, "LanePacer", RecordingPacer)
    channel = TwilioChannel(twilio_settings(*settings_urls, sms_rate_per_second=8))
    outcomes = await asyncio.gather(*(channel.send(MENTEE, f"m{i}") for i in range(6)))
    assert all(isinstance(o, Sent) for o in outcomes)
    assert sorted(m["body"] for m in fake.sent if m["body"].startswith("m")) == [
        f"m{i}" for i in range(6)]
    assert len(granted) == 6
    gaps = [b - a for a, b in itertools.pairwise(granted)]
    # 8/s: a slot every 125 ms at the earliest (a timer may fire up to the loop's clock
    # resolution early); a burst would give gaps of 0.
    assert min(gaps) >= 0.125 - 1e-6


@pytest.mark.parametrize(("value", "expected"), [
    ("7", 7.0), ("0.5", 0.5), (None, None), ("soon", None), ("-3", 0.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
])
def test_retry_after_header(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected


# --- delivery status callbacks ---------------------------------------------------------------

Callbacks = list[tuple[str, int | None]]
STATUS_CASES: dict[str, tuple[Callbacks, MessageStatus, str | None, bool, int]] = {
    # case: (callbacks in order, final status, last_error, contact unreachable, changes applied)
    "delivered": ([("sent", None), ("delivered", None)], MessageStatus.delivered, None, False, 1),
    "out_of_order": ([("delivered", None), ("sent", None)], MessageStatus.delivered, None, False,
                     1),
    "undelivered_30003": ([("undelivered", 30003)], MessageStatus.undelivered, "twilio 30003",
                          True, 1),
    "failed_30005": ([("failed", 30005)], MessageStatus.failed, "twilio 30005", True, 1),
    "carrier_filtered": ([("undelivered", 30007)], MessageStatus.undelivered, "twilio 30007",
                         False, 1),
    "queued_ignored": ([("queued", None)], MessageStatus.sent, None, False, 0),
    "read": ([("read", None)], MessageStatus.delivered, None, False, 1),
}


@pytest.mark.parametrize("case", list(STATUS_CASES))
async def test_status_callbacks(rig: Rig, case: str) -> None:
    callbacks, final, last_error, unreachable, applied = STATUS_CASES[case]
    start_sms_checkin(rig)
    [sid] = await send_pending(rig, MENTEE)
    for status, code in callbacks:
        url, form, headers = rig.fake.status_callback_request(sid, status, code)
        assert url == rig.public_url + STATUS_PATH
        response = await rig.http.post(url, data=form, headers=headers)
        assert response.status_code == 204
    with rig.ctx.database.transaction() as db:
        [row] = outbox(db, MENTEE)
        assert (row.status, row.last_error) == (final, last_error)
        contact = contact_of(db, MENTEE)
        assert contact.unreachable is unreachable
        if unreachable:
            assert contact.unreachable_reason and contact.unreachable_reason.startswith(
                f"twilio {callbacks[-1][1]}")
        audits = db.exec(select(AuditEvent).where(AuditEvent.action == "delivery_status")).all()
        assert all(a.subject_id == row.id for a in audits)
        assert all("body" not in a.detail for a in audits)
        assert len(audits) == applied


async def test_status_callback_with_a_bad_signature_changes_nothing(rig: Rig) -> None:
    start_sms_checkin(rig)
    [sid] = await send_pending(rig, MENTEE)
    url, form, headers = rig.fake.status_callback_request(sid, "undelivered", 30003)
    forged = {**headers, "X-Twilio-Signature": sign(url, form, "someone-elses-token")}
    tampered = {**form, "ErrorCode": "30005"}
    for data, hdrs in [(form, forged), (tampered, headers), (form, {})]:
        response = await rig.http.post(url, data=data, headers=hdrs)
        assert (response.status_code, response.content) == (403, b"")
    with rig.ctx.database.transaction() as db:
        [row] = outbox(db, MENTEE)
        assert (row.status, row.last_error) == (MessageStatus.sent, None)
        assert not contact_of(db, MENTEE).unreachable
        assert db.exec(select(AuditEvent).where(AuditEvent.action == "delivery_status")).all() == []


async def test_status_for_an_unknown_sid_is_acknowledged_and_ignored(rig: Rig) -> None:
    form = {"MessageSid": new_message_sid(), "MessageStatus": "delivered",
            "AccountSid": rig.ctx.settings.twilio_account_sid or ""}
    response = await rig.post_signed(STATUS_PATH, form)
    assert response.status_code == 204
    assert all_messages(rig) == []


async def test_apply_status_callback_only_touches_outbound_sms(rig: Rig) -> None:
    with rig.ctx.database.transaction() as db:
        sms_mentee(db, MENTEE)
        msg = messages.enqueue_outbound(db, channel=Channel.sms, address=MENTEE, body="hi",
                                        kind="info", lane="routine", now=NOW)
        msg.provider_id, msg.status = "SMabc", MessageStatus.sent
        messages.record_inbound(db, Channel.sms, MENTEE, "SMin", "4", None, NOW)
    with rig.ctx.database.transaction() as db:
        assert apply_status_callback(db, "SMin", "delivered", None, TURN_AT) is None
        assert apply_status_callback(db, "SMabc", "bogus", None, TURN_AT) is None
        changed = apply_status_callback(db, "SMabc", "undelivered", "30006", TURN_AT)
        assert changed is not None and changed.updated_at == TURN_AT
        assert apply_status_callback(db, "SMabc", "delivered", None, TURN_AT) is None
    with rig.ctx.database.transaction() as db:
        assert contact_of(db, MENTEE).unreachable
        statuses = {m.provider_id: m.status for m in db.exec(select(Message)).all()}
        assert statuses == {"SMabc": MessageStatus.undelivered, "SMin": MessageStatus.received}


# The client reads proxy and CA-bundle variables once, when it is built (not on every send);
# what a deployment sets must still apply.
@pytest.mark.parametrize(
    ("env", "base_url", "proxy", "cafile"),
    [
        ({}, None, None, "certifi"),
        ({"HTTPS_PROXY": "http://proxy.example:3128"}, None, "http://proxy.example:3128",
         "certifi"),
        ({"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "api.twilio.com"}, None,
         None, "certifi"),
        ({"HTTP_PROXY": "http://proxy.example:3128", "NO_PROXY": "127.0.0.1"},
         "http://127.0.0.1:9", None, "certifi"),
        ({"REQUESTS_CA_BUNDLE": "/etc/our-ca.pem"}, None, None, "/etc/our-ca.pem"),
        ({"CURL_CA_BUNDLE": "/etc/curl-ca.pem"}, None, None, "/etc/curl-ca.pem"),
        ({"SSL_CERT_FILE": "/etc/ssl-ca.pem", "CURL_CA_BUNDLE": "/etc/curl-ca.pem"}, None, None,
         "/etc/ssl-ca.pem"),
    ],
    ids=["nothing", "https-proxy", "no-proxy-for-twilio", "no-proxy-for-the-fake",
         "requests-ca-bundle", "curl-ca-bundle", "ssl-cert-file-first"],
)
def test_proxy_and_ca_bundle_from_the_environment_still_apply(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], base_url: str | None,
    proxy: str | None, cafile: str,
) -> None:
    import certifi

    from bot.channels.twilio_sms.client import AiohttpTwilioClient

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy",
                 "https_proxy", "all_proxy", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
                 "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = AiohttpTwilioClient(base_url)
    for name in env:  # read once, when built: later changes do not matter
        monkeypatch.delenv(name)
    assert (str(client._http.proxy) if client._http.proxy else None) == proxy
    assert client._http._cafile == (certifi.where() if cafile == "certifi" else cafile)


async def test_an_urgent_sms_goes_ahead_of_routine_sms_waiting_for_the_rate(
    fake: FakeTwilio, settings_urls: tuple[str, str]
) -> None:
    # At a long code's pace, routine sends already waiting for a slot would hold an alert for
    # seconds if the limiter served them first (invariant 3).
    channel = TwilioChannel(twilio_settings(*settings_urls, sms_rate_per_second=5))
    routine = [asyncio.create_task(channel.send(MENTEE, f"routine {n}")) for n in range(4)]
    async with asyncio.timeout(10):
        while channel._limiter is None or channel._limiter.waiting() < 3:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
    alert = await channel.send(MENTEE, "ALERT", urgent=True)
    outcomes = await asyncio.gather(*routine)
    assert isinstance(alert, Sent) and all(isinstance(o, Sent) for o in outcomes)
    assert [m["body"] for m in fake.sent] == ["routine 0", "ALERT", "routine 1", "routine 2",
                                              "routine 3"]
