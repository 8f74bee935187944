"""The real python-telegram-bot and twilio clients against the fake servers on loopback."""

from __future__ import annotations

import asyncio
import datetime as dtm
import re
import socket
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import requests
import telegram
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CommandHandler, ContextTypes
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes import (
    SECRET_TOKEN_HEADER,
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTelegram,
    FakeTwilio,
    LoopbackServer,
    RedirectingTwilioHttpClient,
    inbound_sms_form,
    make_async_twilio_client,
    make_text_update,
    make_twilio_client,
    new_message_sid,
    sign,
    status_callback_form,
)

TOKEN = "123456:TEST-token_abc"
MENTEE = "+15551230001"
PROGRAM = "+15559870000"


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tg_server() -> Iterator[tuple[FakeTelegram, LoopbackServer]]:
    fake = FakeTelegram(max_poll_timeout=0.5)
    with LoopbackServer(fake) as srv:
        yield fake, srv


@pytest.fixture
def tg(tg_server: tuple[FakeTelegram, LoopbackServer]) -> FakeTelegram:
    fake = tg_server[0]
    fake.reset()
    fake.token = None
    return fake


@pytest.fixture
def tg_url(tg_server: tuple[FakeTelegram, LoopbackServer]) -> str:
    return tg_server[1].url


@pytest.fixture
async def bot(tg: FakeTelegram, tg_url: str) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(TOKEN, base_url=f"{tg_url}/bot") as b:
        yield b


@pytest.fixture(scope="module")
def tw_server() -> Iterator[tuple[FakeTwilio, LoopbackServer]]:
    fake = FakeTwilio(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN)
    with LoopbackServer(fake) as srv:
        yield fake, srv


@pytest.fixture
def tw(tw_server: tuple[FakeTwilio, LoopbackServer]) -> FakeTwilio:
    tw_server[0].reset()
    return tw_server[0]


@pytest.fixture
def tw_client(tw: FakeTwilio, tw_server: tuple[FakeTwilio, LoopbackServer]) -> Iterator[Client]:
    client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, tw_server[1].url, timeout=5)
    yield client
    _close(client)


def _close(client: Client) -> None:
    session = getattr(client.http_client, "session", None)
    if session is not None:
        session.close()


def _seconds(value: int | float | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# -- Telegram ---------------------------------------------------------------------------------


async def test_get_me_and_send_message(bot: telegram.Bot, tg: FakeTelegram) -> None:
    assert bot.username == "peer_checkin_bot"  # filled by initialize() -> getMe
    me = await bot.get_me()
    assert me is not None and me.id == 123456 and me.is_bot

    keyboard = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton(str(i), callback_data=str(i)) for i in range(1, 6)]]
    )
    first = await bot.send_message(42, "How comfortable? 1-5", reply_markup=keyboard)
    second = await bot.send_message(42, "<b>thanks</b>", parse_mode="HTML")
    other = await bot.send_message(7, "hi")

    assert isinstance(first, telegram.Message)
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.chat.id == 42 and first.chat.type == "private"
    assert first.text == "How comfortable? 1-5"
    assert first.from_user is not None and first.from_user.id == 123456
    assert first.reply_markup == keyboard
    assert isinstance(first.date, dtm.datetime)

    assert [m["text"] for m in tg.sent] == ["How comfortable? 1-5", "<b>thanks</b>", "hi"]
    assert tg.sent[0]["chat_id"] == 42
    assert tg.sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "1"
    assert tg.sent[1]["parse_mode"] == "HTML"
    assert tg.texts_to(7) == ["hi"]
    assert TOKEN in tg.tokens
    assert [r["method"] for r in tg.requests][:2] == ["getMe", "getMe"]
    assert all(r["status"] == 200 for r in tg.requests)

    assert await bot.send_chat_action(42, "typing") is True


async def test_base_url_with_token_placeholder(tg: FakeTelegram, tg_url: str) -> None:
    async with telegram.Bot(TOKEN, base_url=f"{tg_url}/bot{{token}}") as b:
        await b.send_message(1, "x")
    assert tg.calls("sendMessage")[0]["token"] == TOKEN


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_retry_after(bot: telegram.Bot, tg: FakeTelegram) -> None:
    tg.fail_next(2, status=429, retry_after=3)
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(42, "hi")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert _seconds(info.value.retry_after) == 3
    assert (await bot.send_message(42, "hi")).message_id == 1
    assert [r["status"] for r in tg.calls("sendMessage")] == [429, 429, 200]
    assert len(tg.sent) == 1


async def test_blocked_bad_chat_down_and_errors(bot: telegram.Bot, tg: FakeTelegram) -> None:
    tg.block_chat(42)
    tg.bad_chat(43)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(43, "hi")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(44, "x" * 4097)

    tg.set_down(True)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(44, "hi")
    tg.set_down(False)
    tg.fail_next(1, status=500)
    with pytest.raises(NetworkError):
        await bot.send_message(44, "hi")
    await bot.send_message(44, "hi")
    assert tg.texts_to(44) == ["hi"] and tg.sent_to(42) == []


async def test_delay_gives_timeout(bot: telegram.Bot, tg: FakeTelegram) -> None:
    tg.delay(0.3)
    with pytest.raises(TimedOut):
        await bot.send_message(42, "slow", read_timeout=0.05)
    tg.delay(0)
    # like the real API, a request the client gave up on may still be delivered
    assert await tg.await_sent(1, within=5)
    assert tg.texts_to(42) == ["slow"]


async def test_wrong_token(tg: FakeTelegram, tg_url: str) -> None:
    tg.token = "999:right"
    with pytest.raises(InvalidToken):
        async with telegram.Bot("999:wrong", base_url=f"{tg_url}/bot"):
            pass  # pragma: no cover


async def test_webhook_and_get_updates(bot: telegram.Bot, tg: FakeTelegram) -> None:
    assert await bot.set_webhook("https://example.test/tg", secret_token="s3cret")
    assert tg.webhook is not None and tg.webhook["secret_token"] == "s3cret"
    assert (await bot.get_webhook_info()).url == "https://example.test/tg"
    with pytest.raises(Conflict):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert tg.webhook is None and (await bot.get_webhook_info()).url == ""

    start = tg.push_text(555, "/start INV-42", username="ana")
    tg.push_text(555, "4")
    updates = await bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [1, 2]
    assert updates[0].message.text == "/start INV-42"
    assert updates[0].effective_chat.id == 555 and updates[1].message.text == "4"
    assert updates[0].to_dict()["message"]["entities"] == start["message"]["entities"]

    handler = CommandHandler("start", lambda u, c: None)
    assert handler.check_update(updates[0])  # PTB sees a /start command, args ["INV-42"]
    assert not handler.check_update(updates[1])

    # confirming with offset forgets them; an empty long poll returns after the (capped) timeout
    assert await bot.get_updates(offset=3, timeout=0) == ()
    assert tg.pending_updates == []

    # an update arriving during the long poll is returned at once
    threading.Timer(0.1, tg.push_text, args=(555, "5")).start()
    late = await bot.get_updates(offset=3, timeout=5)
    assert [u.message.text for u in late] == ["5"]


async def test_application_polling_end_to_end(tg: FakeTelegram, tg_url: str) -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"code={(context.args or ['?'])[0]}")

    app = Application.builder().token(TOKEN).base_url(f"{tg_url}/bot").build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        tg.push_text(555, "/start ABC")
        assert await tg.await_sent(1, within=5)
        await app.updater.stop()
        await app.stop()
    assert tg.sent[0]["chat_id"] == 555 and tg.sent[0]["text"] == "code=ABC"
    assert "deleteWebhook" in {r["method"] for r in tg.requests}


def _receiver() -> tuple[Starlette, list[dict[str, Any]]]:
    """A tiny app that records what it receives (stands in for our webhook endpoints)."""
    seen: list[dict[str, Any]] = []

    async def hook(request: Request) -> PlainTextResponse:
        form = dict(await request.form()) if request.url.path == "/twilio" else {}
        seen.append(
            {
                "url": str(request.url),
                "headers": dict(request.headers),
                "json": await request.json() if request.url.path == "/tg" else None,
                "form": form,
            }
        )
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[Route("/tg", hook, methods=["POST"]), Route("/twilio", hook, methods=["POST"])]
    )
    return app, seen


async def test_fake_delivers_update_to_webhook(bot: telegram.Bot, tg: FakeTelegram) -> None:
    app, seen = _receiver()
    async with LoopbackServer(app) as receiver:
        await bot.set_webhook(f"{receiver.url}/tg", secret_token="s3cret")
        update = make_text_update(9, 555, "hello")
        assert await tg.apost_to_webhook(update) == 200
        assert await asyncio.to_thread(tg.post_to_webhook, make_text_update(10, 555, "b")) == 200
    assert seen[0]["json"] == update
    assert seen[0]["headers"][SECRET_TOKEN_HEADER.lower()] == "s3cret"
    parsed = telegram.Update.de_json(seen[1]["json"], bot)
    assert parsed.message is not None and parsed.message.from_user is not None
    assert parsed.message.text == "b" and parsed.message.from_user.first_name == "Ana"


async def test_form_and_json_bodies_accepted(tg: FakeTelegram, tg_url: str) -> None:
    async with httpx.AsyncClient(base_url=f"{tg_url}/bot{TOKEN}") as http:
        by_json = await http.post("/sendMessage", json={"chat_id": "77", "text": "j"})
        by_form = await http.post("/sendMessage", data={"chat_id": "77", "text": "f"})
        unknown = await http.post("/noSuchMethod")
    assert by_json.json()["result"]["message_id"] == 1
    assert by_form.json()["result"]["message_id"] == 2
    assert unknown.status_code == 404 and unknown.json()["ok"] is False
    assert tg.texts_to(77) == ["j", "f"]


# -- Twilio -----------------------------------------------------------------------------------


def test_twilio_create_and_fetch(tw: FakeTwilio, tw_client: Client) -> None:
    msg = tw_client.messages.create(
        to=MENTEE, from_=PROGRAM, body="Hi Ana, quick check-in", status_callback="http://x/cb"
    )
    assert re.fullmatch(r"SM[0-9a-f]{32}", msg.sid or "")
    assert (msg.status, msg.to, msg.from_, msg.body) == (
        "queued",
        MENTEE,
        PROGRAM,
        "Hi Ana, quick check-in",
    )
    assert msg.num_segments == "1" and msg.error_code is None
    assert isinstance(msg.date_created, dtm.datetime) and msg.account_sid == TEST_ACCOUNT_SID
    assert tw.sent[0]["status_callback"] == "http://x/cb" and tw.bodies_to(MENTEE) == [msg.body]

    via_service = tw_client.messages.create(
        to=MENTEE, messaging_service_sid="MG" + "1" * 32, body="ж" * 71
    )
    assert via_service.from_ is None and via_service.num_segments == "2"

    tw.set_status(msg.sid or "", "delivered")
    assert tw_client.messages(msg.sid).fetch().status == "delivered"
    with pytest.raises(TwilioRestException) as info:
        tw_client.messages("SM" + "0" * 32).fetch()
    assert info.value.status == 404


def test_twilio_list_filters_and_pages_as_the_library_reads_them(
    tw: FakeTwilio, tw_client: Client
) -> None:
    other = "+15551230002"
    first = tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="one")
    tw_client.messages.create(to=other, from_=PROGRAM, body="not hers")
    second = tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="two")
    tw_client.messages.create(to=MENTEE, from_="+15559870001", body="another sender")

    listed = tw_client.messages.list(to=MENTEE, from_=PROGRAM, limit=20)
    assert [m.sid for m in listed] == [second.sid, first.sid]  # newest first
    assert [m.body for m in listed] == ["two", "one"]
    assert all(isinstance(m.date_created, dtm.datetime) for m in listed)
    # Paged: the library follows next_page_uri until the limit.
    assert [m.sid for m in tw_client.messages.list(to=MENTEE, page_size=1, limit=3)] == [
        m["sid"] for m in reversed(tw.sent_to(MENTEE))]

    # DateSent compares the send date: a message not sent yet (queued) has none.
    today = dtm.datetime.now(dtm.UTC).replace(microsecond=0)
    assert tw_client.messages.list(to=MENTEE, date_sent_after=today - dtm.timedelta(days=1)) == []
    tw.set_status(first.sid or "", "sent")
    sent_at = dtm.datetime.strptime(tw.get(first.sid or "")["date_sent"],
                                    "%a, %d %b %Y %H:%M:%S %z")
    after = tw_client.messages.list(to=MENTEE, date_sent_after=sent_at)
    assert [m.sid for m in after] == [first.sid]
    assert tw_client.messages.list(to=MENTEE, date_sent_before=sent_at - dtm.timedelta(seconds=1)) == []
    assert [m.sid for m in tw_client.messages.list(to=MENTEE, date_sent=sent_at)] == [first.sid]
    requests_ = [r for r in tw.requests if r["method"] == "GET"]
    assert "DateSent>" in requests_[-3]["params"]

    tw.fail_next_lists(1, 503)
    # A page that is not 200 is the library's plain TwilioException (not TwilioRestException).
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        tw_client.messages.list(to=MENTEE)
    assert len(tw_client.messages.list(to=MENTEE)) == 3


def test_twilio_silent_after_accept_stores_the_message(tw: FakeTwilio, tw_server: Any) -> None:
    tw.silent_after_accept(MENTEE, 5)
    client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, tw_server[1].url, timeout=0.3)
    try:
        with pytest.raises(requests.exceptions.Timeout):
            client.messages.create(to=MENTEE, from_=PROGRAM, body="accepted, never answered")
    finally:
        _close(client)
    assert tw.bodies_to(MENTEE) == ["accepted, never answered"]
    tw.recovered(MENTEE)


def test_twilio_errors(tw: FakeTwilio, tw_client: Client, tw_server: Any) -> None:
    bad = make_twilio_client(TEST_ACCOUNT_SID, "wrong-token", tw_server[1].url)
    with pytest.raises(TwilioRestException) as info:
        bad.messages.create(to=MENTEE, from_=PROGRAM, body="x")
    assert (info.value.status, info.value.code) == (401, 20003)
    _close(bad)

    tw.invalid_number("+15550000000")
    for to in ("+15550000000", "555-1234"):
        with pytest.raises(TwilioRestException) as info:
            tw_client.messages.create(to=to, from_=PROGRAM, body="x")
        assert (info.value.status, info.value.code) == (400, 21211)
        assert "is not a valid phone number" in info.value.msg

    tw.unsubscribed(MENTEE)
    with pytest.raises(TwilioRestException) as info:
        tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="x")
    assert (info.value.status, info.value.code) == (400, 21610)
    tw.resubscribed(MENTEE)

    tw.fail_next(1, status=429, retry_after=2)
    tw.fail_next(1, status=503)
    with pytest.raises(TwilioRestException) as info:
        tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="x")
    assert (info.value.status, info.value.code) == (429, 20429)
    with pytest.raises(TwilioRestException) as info:
        tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="x")
    assert (info.value.status, info.value.code) == (503, 20503)

    tw.set_down(True)
    with pytest.raises(TwilioRestException) as info:
        tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="x")
    assert info.value.status == 503
    tw.set_down(False)

    assert tw_client.messages.create(to=MENTEE, from_=PROGRAM, body="x").status == "queued"
    assert [r["status"] for r in tw.requests] == [401, 400, 400, 400, 429, 503, 503, 201]
    assert tw.requests[1]["code"] == 21211 and len(tw.sent) == 1


def test_twilio_failing_and_hanging_for_one_number(tw: FakeTwilio, tw_server: Any) -> None:
    other = "+13125550999"
    tw.failing_to(MENTEE, 502)
    client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, tw_server[1].url,
                                timeout=0.3)
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=MENTEE, from_=PROGRAM, body="x")
    assert (info.value.status, info.value.code) == (502, 20500)
    assert client.messages.create(to=other, from_=PROGRAM, body="y").status == "queued"
    tw.recovered(MENTEE)
    tw.hanging_to(MENTEE, 1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):  # the client gives up first
        client.messages.create(to=MENTEE, from_=PROGRAM, body="z")
    tw.recovered(MENTEE)
    assert client.messages.create(to=MENTEE, from_=PROGRAM, body="w").status == "queued"
    assert tw.bodies_to(MENTEE) == ["w"] and tw.bodies_to(other) == ["y"]
    _close(client)


def test_twilio_redirect_ignores_edge_and_region(tw: FakeTwilio, tw_server: Any) -> None:
    client = Client(
        TEST_ACCOUNT_SID,
        TEST_AUTH_TOKEN,
        edge="sydney",
        region="au1",
        http_client=RedirectingTwilioHttpClient(tw_server[1].url),
    )
    assert client.messages.create(to=MENTEE, from_=PROGRAM, body="x").sid
    assert tw.requests[0]["path"] == f"/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json"
    _close(client)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # aiohttp BasicAuth, inside twilio
async def test_twilio_async_client(tw: FakeTwilio, tw_server: Any) -> None:
    client = make_async_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, tw_server[1].url)
    try:
        msg = await client.messages.create_async(to=MENTEE, from_=PROGRAM, body="async")
        assert msg.status == "queued" and tw.bodies_to(MENTEE) == ["async"]
        assert (await client.messages(msg.sid).fetch_async()).sid == msg.sid
        tw.unsubscribed(MENTEE)
        with pytest.raises(TwilioRestException) as info:
            await client.messages.create_async(to=MENTEE, from_=PROGRAM, body="x")
        assert info.value.code == 21610
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]


def test_sign_validates_with_request_validator() -> None:
    url = "https://checkin.example.org/webhooks/twilio/sms?x=1"
    form = inbound_sms_form(new_message_sid(), MENTEE, PROGRAM, "4", TEST_ACCOUNT_SID)
    signature = sign(url, form, TEST_AUTH_TOKEN)
    assert RequestValidator(TEST_AUTH_TOKEN).validate(url, form, signature)
    assert not RequestValidator("other-token").validate(url, form, signature)
    assert not RequestValidator(TEST_AUTH_TOKEN).validate(url, {**form, "Body": "5"}, signature)

    assert form["Body"] == "4" and form["NumMedia"] == "0" and form["SmsSid"] == form["MessageSid"]
    status = status_callback_form("SM1", "undelivered", MENTEE, PROGRAM, error_code=30003)
    assert status["MessageStatus"] == "undelivered" and status["ErrorCode"] == "30003"
    assert "ErrorCode" not in status_callback_form("SM1", "delivered", MENTEE, PROGRAM)


def test_twilio_posts_signed_status_callback(tw: FakeTwilio, tw_client: Client) -> None:
    app, seen = _receiver()
    with LoopbackServer(app) as receiver:
        callback = f"{receiver.url}/twilio"
        msg = tw_client.messages.create(
            to=MENTEE, from_=PROGRAM, body="x", status_callback=callback
        )
        assert tw.post_status_callback(msg.sid or "", "delivered") == 200
    got = seen[0]
    assert got["form"]["MessageStatus"] == "delivered" and got["form"]["MessageSid"] == msg.sid
    assert RequestValidator(TEST_AUTH_TOKEN).validate(
        got["url"], got["form"], got["headers"][SIGNATURE_HEADER.lower()]
    )


# -- LoopbackServer ---------------------------------------------------------------------------


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_server_start_stop_restart_without_leaks() -> None:
    before = threading.active_count()
    fake = FakeTwilio()
    srv = LoopbackServer(fake)
    for _ in range(3):
        with srv:
            port = srv.port
            assert srv.running and _accepts(port)
            assert httpx.get(f"{srv.url}/nothing").status_code == 404
        assert not srv.running and not _accepts(port)
    assert srv.port == port  # restarts reuse the same port
    srv.stop()  # idempotent
    assert threading.active_count() == before


async def test_server_async_context_manager() -> None:
    async with LoopbackServer(FakeTelegram()) as srv:
        async with httpx.AsyncClient() as http:
            r = await http.post(f"{srv.url}/bot1:x/getMe")
        assert r.json()["result"]["is_bot"] is True
    assert not srv.running


def test_server_reports_failed_startup() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.failed", "message": "boom"})

    with pytest.raises(RuntimeError, match="failed to start"):
        LoopbackServer(broken, lifespan="on", log_level="critical").start()


def test_twilio_account_fetch_and_number_list_as_the_library_reads_them(
    tw: FakeTwilio, tw_client: Client, tw_server: Any,
) -> None:
    """The read-only calls `checkin doctor` makes, through the real client."""
    account = tw_client.api.v2010.accounts(TEST_ACCOUNT_SID).fetch()
    assert account.sid == TEST_ACCOUNT_SID and account.status == "active"
    assert account.date_created is not None and account.type == "Full"
    tw.account_status = "suspended"
    assert tw_client.api.v2010.accounts(TEST_ACCOUNT_SID).fetch().status == "suspended"

    tw.add_incoming_number("+15005550006", "https://checkin.example.org/webhooks/twilio/sms")
    tw.add_incoming_number("+15005550007", None)
    numbers = tw_client.api.v2010.accounts(TEST_ACCOUNT_SID).incoming_phone_numbers
    [ours] = numbers.list(phone_number="+15005550006")
    assert ours.phone_number == "+15005550006" and ours.sid.startswith("PN")
    assert ours.sms_url == "https://checkin.example.org/webhooks/twilio/sms"
    assert ours.sms_method == "POST" and ours.capabilities["sms"] is True
    assert len(numbers.list()) == 2 and numbers.list(phone_number="+19995550000") == []

    bad = make_twilio_client(TEST_ACCOUNT_SID, "wrong-token", tw_server[1].url)
    try:
        with pytest.raises(TwilioRestException) as refused:
            bad.api.v2010.accounts(TEST_ACCOUNT_SID).fetch()
    finally:
        _close(bad)
    assert refused.value.status == 401 and refused.value.code == 20003
