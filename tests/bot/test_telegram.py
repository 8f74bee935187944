"""The Telegram channel: the real python-telegram-bot against FakeTelegram on loopback.

The webhook tests serve a bare FastAPI app (our router + a lifespan that starts the channel) with
LoopbackServer, so the channel lives on the server's event loop as it does in production; they
drive it over real HTTP and run `send` on that same loop (`Served.run`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from telegram import Update
from typer.testing import CliRunner

from bot.channels.base import RetryLater, SendOutcome, Sent, Undeliverable
from bot.channels.telegram.adapter import TelegramChannel, TelegramNotReady
from bot.channels.telegram.replies import bot_says
from bot.channels.telegram.updates import MAX_MESSAGE_LENGTH, plain_text_message, split_message
from bot.channels.telegram.webhook import SECRET_TOKEN_HEADER, WEBHOOK_PATH, telegram_webhooks
from bot.cli import telegram_cmd
from bot.context import AppContext
from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.invites import create_invite
from bot.runner import start_checkin
from bot.settings import load_settings
from bot.web.front import ServiceApp
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    Direction,
    InviteCode,
    Message,
    MessageStatus,
    Role,
)
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol, outbox
from tests.fakes.loopback_http import loopback_client
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import (
    FakeTelegram,
    make_callback_update,
    make_media_update,
    make_text_update,
)
from tests.pg import _free_port as free_loopback_port

TOKEN = "123:ABC"
SECRET = "Zq3_webhook-secret_0123456789abc"  # 32 characters
CHAT = 5001
STRANGER = 6660
FLOWS = load_configured_flows(load_settings())
T = TypeVar("T")


# -- fixtures ---------------------------------------------------------------------------------


@dataclass
class Tg:
    fake: FakeTelegram
    server: LoopbackServer

    @property
    def api_base(self) -> str:
        return f"{self.server.url}/bot"


@pytest.fixture(scope="module")
def tg_server() -> Iterator[Tg]:
    fake = FakeTelegram(max_poll_timeout=0.2)
    with LoopbackServer(fake) as srv:
        yield Tg(fake, srv)


@pytest.fixture
def tg(tg_server: Tg) -> Tg:
    tg_server.fake.reset()
    tg_server.fake.token = None
    if not tg_server.server.running:
        tg_server.server.start()
    return tg_server


def free_port() -> int:
    return free_loopback_port()  # below the ephemeral range: see tests/pg.py


def make_ctx(database: Database, tg: Tg, *, mode: str = "webhook", port: int = 1,
             token: str | None = TOKEN) -> AppContext:
    settings = load_settings(
        telegram_bot_token=token, telegram_webhook_secret=SECRET, telegram_mode=mode,
        public_base_url=f"http://127.0.0.1:{port}", telegram_api_base_url=tg.api_base,
    )
    return AppContext(settings=settings, database=database, flows=FLOWS, clock=lambda: NOW)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


@dataclass
class Served:
    ctx: AppContext
    channel: TelegramChannel
    tg: Tg
    url: str
    loop: asyncio.AbstractEventLoop

    @property
    def fake(self) -> FakeTelegram:
        return self.tg.fake

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the server's event loop, where the channel lives."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=15)

    def post(self, body: bytes | dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_TOKEN_HEADER] = secret
        kwargs: dict[str, Any] = {"json": body} if isinstance(body, dict) else {"content": body}
        return loopback_client().post(self.url + WEBHOOK_PATH, headers=headers, timeout=10, **kwargs).status_code


@pytest.fixture
def served(database: Database, tg: Tg) -> Iterator[Served]:
    port = free_port()
    ctx = make_ctx(database, tg, port=port)
    channel = TelegramChannel(ctx)
    loops: list[asyncio.AbstractEventLoop] = []

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loops.append(asyncio.get_running_loop())
        await channel.start()
        yield
        await channel.stop()

    app = ServiceApp(lifespan=lifespan)
    app.provider_webhooks.update(telegram_webhooks(ctx, channel))
    with LoopbackServer(app, port=port) as srv:
        served = Served(ctx, channel, tg, srv.url, loops[0])
        assert served.run(channel.application.bot.set_webhook(  # type: ignore[union-attr]
            url=srv.url + WEBHOOK_PATH, secret_token=SECRET))
        yield served


def enrol_on_telegram(database: Database, chat: int = CHAT, name: str = "Ana Torres",
                      language: str = "en") -> int:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, name, channel=Channel.telegram, address=str(chat),
                       language=language)
        assert person.id is not None
        return person.id


def all_messages(database: Database) -> list[Message]:
    with database.transaction() as db:
        return list(db.exec(select(Message).order_by(col(Message.id))).all())


def inbound(database: Database) -> list[Message]:
    return [m for m in all_messages(database) if m.direction == Direction.inbound]


# -- authentication and malformed bodies ------------------------------------------------------

AUTH_CASES: list[tuple[str, bytes | dict[str, Any], str | None, int]] = [
    ("wrong secret", make_text_update(11, CHAT, "4"), "x" * 32, 403),
    ("secret of another length", make_text_update(12, CHAT, "4"), SECRET[:-1], 403),
    ("missing secret", make_text_update(13, CHAT, "4"), None, 403),
    ("not JSON", b"{not json", SECRET, 400),
    ("not UTF-8", b"\xff\xfe{}", SECRET, 400),
    ("JSON array", b"[1, 2]", SECRET, 400),
    ("no update_id", {"message": make_text_update(14, CHAT, "4")["message"]}, SECRET, 400),
    ("string update_id", make_text_update(15, CHAT, "4") | {"update_id": "15"}, SECRET, 400),
    ("message is not an object", {"update_id": 16, "message": "4"}, SECRET, 400),
]


def test_unauthenticated_or_malformed_posts_store_nothing(served: Served) -> None:
    enrol_on_telegram(served.ctx.database)
    for label, body, secret, status in AUTH_CASES:
        assert served.post(body, secret) == status, label
        assert all_messages(served.ctx.database) == [], label
        assert served.fake.sent == [], label
    assert served.ctx.counters["telegram_webhook_forbidden"] == 3


async def test_webhook_is_404_when_telegram_is_not_configured(
    sqlite_db_url: str, tg: Tg
) -> None:
    ctx = make_ctx(Database.open(sqlite_db_url), tg, token=None)
    channel = TelegramChannel(ctx)
    app = ServiceApp()
    app.provider_webhooks.update(telegram_webhooks(ctx, channel))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(WEBHOOK_PATH, json=make_text_update(1, CHAT, "hi"),
                                     headers={SECRET_TOKEN_HEADER: SECRET})
    ctx.database.engine.dispose()
    assert response.status_code == 404
    assert channel.health()["configured"] is False


# -- a whole check-in -------------------------------------------------------------------------


def test_whole_checkin_over_telegram_then_delivered_in_order(served: Served) -> None:
    database = served.ctx.database
    person_id = enrol_on_telegram(database)
    with database.transaction() as db:
        contact = people.contacts_for(db, person_id)[0]
        person = people.list_people(db)[0]
        row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
        assert row is not None
        session_id = row.id
    for n, text in enumerate(["4", "five", "nope", "no"], start=1):
        assert served.fake.post_to_webhook(make_text_update(100 + n, CHAT, text)) == 200

    with database.transaction() as db:
        answers = db.exec(select(Answer).where(Answer.session_id == session_id)).all()
        assert {a.key: a.value for a in answers} == {
            "comfort": 4, "safety": 5, "pressure": False, "anything_else": None,
        }
        queued = outbox(db, str(CHAT))
    assert [m.kind for m in queued] == ["question"] * 4 + ["closing"]
    assert all(m.status == MessageStatus.pending for m in queued)
    assert [m.provider_id for m in inbound(database)] == ["101", "102", "103", "104"]
    assert served.fake.sent == []  # nothing leaves before the outbox sends it

    outcomes = [served.run(served.channel.send(m.address, m.body or "")) for m in queued]
    assert outcomes == [Sent(provider_id=f"{CHAT}:{i}") for i in range(1, 6)]
    assert served.fake.texts_to(CHAT) == [m.body for m in queued]
    health = served.channel.health()
    assert health["ready"] is True and health["bot_username"] == "peer_checkin_bot"
    assert health["last_ok_at"] == NOW.isoformat()


@pytest.mark.parametrize("concurrently", [False, True], ids=["sequential", "concurrent"])
def test_repeated_update_is_one_inbound_row_and_one_turn(served: Served, concurrently: bool) -> None:
    database = served.ctx.database
    person_id = enrol_on_telegram(database)
    with database.transaction() as db:
        contact = people.contacts_for(db, person_id)[0]
        start_checkin(db, FLOWS, people.list_people(db)[0], "mentee_checkin", contact, NOW)
    update = make_text_update(777, CHAT, "4")
    if concurrently:
        with ThreadPoolExecutor(3) as pool:
            statuses = list(pool.map(served.fake.post_to_webhook, [update] * 3))
    else:
        statuses = [served.fake.post_to_webhook(update) for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert [m.provider_id for m in inbound(database)] == ["777"]
    with database.transaction() as db:
        assert len(db.exec(select(Answer)).all()) == 1
        assert [m.kind for m in outbox(db, str(CHAT))] == ["question", "question"]


def test_failed_turn_answers_500_and_the_redelivery_is_processed(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.channels.telegram.adapter as module

    enrol_on_telegram(served.ctx.database)
    real_receive = module.receive
    calls: list[str] = []

    async def flaky_receive(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["provider_id"])
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return await real_receive(*args, **kwargs)

    monkeypatch.setattr(module, "receive", flaky_receive)
    update = make_text_update(900, CHAT, "help")
    assert served.fake.post_to_webhook(update) == 500
    assert all_messages(served.ctx.database) == []
    assert served.fake.post_to_webhook(update) == 200
    assert [m.provider_id for m in inbound(served.ctx.database)] == ["900"]


# -- what does not reach the runner -----------------------------------------------------------


def _group(update: dict[str, Any]) -> dict[str, Any]:
    update["message"]["chat"] = {"id": -100123, "type": "group", "title": "Unit 4"}
    return update


def _edited(update: dict[str, Any]) -> dict[str, Any]:
    message = update.pop("message")
    update["edited_message"] = {**message, "edit_date": message["date"] + 5}
    return update


def _sticker(update: dict[str, Any]) -> dict[str, Any]:
    del update["message"]["text"]
    update["message"]["sticker"] = {
        "file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False,
    }
    return update


INBOUND_CASES: list[tuple[str, dict[str, Any], int, list[str], int]] = [
    # label, update, chat that gets replies, expected replies, expected unknown-chat count.
    # Each stranger case is another chat: one chat gets the sentence once a day.
    ("stranger says hi", make_text_update(21, STRANGER, "hi"), STRANGER,
     [bot_says("not_enrolled", "en")], 1),
    ("stranger asks for help", make_text_update(22, STRANGER + 1, "/help"), STRANGER + 1,
     [bot_says("not_enrolled", "en")], 1),
    ("stranger in Spanish", make_text_update(23, STRANGER + 2, "hola", language_code="es"),
     STRANGER + 2, [bot_says("not_enrolled", "es")], 1),
    ("stranger sends a sticker", _sticker(make_text_update(24, STRANGER + 3, "x")), STRANGER + 3,
     [bot_says("not_enrolled", "en")], 1),
    ("enrolled sends a sticker", _sticker(make_text_update(25, CHAT, "x")), CHAT,
     ["Please answer with text."], 0),
    ("group chat", _group(make_text_update(26, CHAT, "4")), CHAT, [], 0),
    ("a stranger's edited message", _edited(make_text_update(27, STRANGER, "4")), STRANGER,
     [], 0),
    ("stranger's photo with a harmless caption", make_media_update(29, STRANGER + 4, "photo", "hi"),
     STRANGER + 4, [bot_says("not_enrolled", "en")], 1),
    ("enrolled sends a voice note", make_media_update(30, CHAT, "voice"), CHAT,
     ["Please answer with text."], 0),
    ("button press", make_callback_update(28, CHAT, "4"), CHAT, [], 0),
]


def test_updates_that_store_nothing(served: Served) -> None:
    enrol_on_telegram(served.ctx.database)
    for label, update, chat, replies, unknown in INBOUND_CASES:
        before = len(served.fake.texts_to(chat))
        unknown_before = served.ctx.counters.get("telegram_unknown_chat", 0)
        assert served.fake.post_to_webhook(update) == 200, label
        assert served.fake.texts_to(chat)[before:] == replies, label
        assert served.ctx.counters.get("telegram_unknown_chat", 0) - unknown_before == unknown
        assert all_messages(served.ctx.database) == [], label


def test_enrolled_keywords_pass_through_as_text(served: Served) -> None:
    enrol_on_telegram(served.ctx.database)
    assert served.fake.post_to_webhook(make_text_update(31, CHAT, "/help")) == 200
    assert served.fake.post_to_webhook(make_text_update(32, CHAT, "/stop")) == 200
    with served.ctx.database.transaction() as db:
        contact = people.find_contact(db, Channel.telegram, str(CHAT))
        assert contact is not None and contact.opted_out
        assert [m.kind for m in outbox(db, str(CHAT))] == ["help", "stopped"]
    assert [m.body for m in inbound(served.ctx.database)] == ["/help", "/stop"]


# -- invites ----------------------------------------------------------------------------------


def _invite(database: Database, *, language: str = "en", created: timedelta = timedelta(0),
            name: str = "Ana Torres") -> tuple[int, str]:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, name, language=language)  # a terminal contact only
        assert person.id is not None
        code = create_invite(db, person.id, NOW - created, timedelta(hours=72))
        return person.id, code.code


def test_invite_binds_the_chat_once(served: Served) -> None:
    database = served.ctx.database
    person_id, code = _invite(database)
    start = make_text_update(41, 7001, f"/start {code}")
    assert served.fake.post_to_webhook(start) == 200
    assert served.fake.texts_to(7001) == [
        "Hi Ana, you're connected. Your check-ins will come here. Reply HELP any time."
    ]
    with database.transaction() as db:
        contact = people.find_contact(db, Channel.telegram, "7001")
        assert contact is not None and contact.person_id == person_id
        invite = db.exec(select(InviteCode)).one()
        assert invite.used_at == NOW
        bound = db.exec(select(AuditEvent).where(AuditEvent.action == "telegram_bound")).one()
        assert code not in str(bound.detail)
    rows = inbound(database)
    assert [(m.provider_id, m.body, m.person_id) for m in rows] == [("41", None, person_id)]

    # Telegram delivers the same /start again: nothing happens, no second reply.
    assert served.fake.post_to_webhook(start) == 200
    assert len(served.fake.texts_to(7001)) == 1 and len(inbound(database)) == 1

    # The same link from another chat fails and leaves nothing behind.
    assert served.fake.post_to_webhook(make_text_update(42, 7002, f"/start {code}")) == 200
    assert served.fake.texts_to(7002) == [bot_says("invite_failed", "en")]
    with database.transaction() as db:
        assert people.find_contact(db, Channel.telegram, "7002") is None
    assert [m.address for m in all_messages(database)] == ["7001"]

    # The bound chat now talks to the runner.
    assert served.fake.post_to_webhook(make_text_update(43, 7001, "hello")) == 200
    assert [m.provider_id for m in inbound(database)] == ["41", "43"]


@pytest.mark.parametrize(
    ("label", "language", "age", "text", "reply"),
    [
        ("expired", "en", timedelta(hours=72), None, bot_says("invite_failed", "en")),
        ("unknown code", "en", timedelta(0), "/start nosuchcode123", bot_says("invite_failed", "en")),
        ("Spanish", "es", timedelta(0), None,
         "Hola Ana, ya estás conectado/a. Tus chequeos llegarán aquí. Responde AYUDA cuando quieras."),
    ],
)
def test_invite_outcomes(served: Served, label: str, language: str, age: timedelta,
                         text: str | None, reply: str) -> None:
    _, code = _invite(served.ctx.database, language=language, created=age)
    assert served.fake.post_to_webhook(make_text_update(51, 7003, text or f"/start {code}")) == 200
    assert served.fake.texts_to(7003) == [reply], label
    bound = reply.startswith("Hola")
    assert len(inbound(served.ctx.database)) == (1 if bound else 0)


def test_bare_start_from_a_stranger_gets_the_polite_sentence(served: Served) -> None:
    assert served.fake.post_to_webhook(make_text_update(61, STRANGER, "/start")) == 200
    assert served.fake.texts_to(STRANGER) == [bot_says("not_enrolled", "en")]
    assert all_messages(served.ctx.database) == []


# -- sending ----------------------------------------------------------------------------------


@pytest.fixture
async def channel(sqlite_db_url: str, tg: Tg) -> AsyncIterator[TelegramChannel]:
    database = Database.open(sqlite_db_url)
    adapter = TelegramChannel(make_ctx(database, tg))
    await adapter.start()
    yield adapter
    await adapter.stop()
    database.engine.dispose()


SEND_CASES: list[tuple[str, Callable[[FakeTelegram], None], SendOutcome]] = [
    ("ok", lambda f: None, Sent(provider_id=f"{CHAT}:1")),
    ("rate limited", lambda f: f.fail_next(1, 429, retry_after=3),
     RetryLater("telegram: rate limited", after_seconds=3.0)),
    ("bot API down", lambda f: f.set_down(), RetryLater("telegram: network error")),
    ("5xx", lambda f: f.fail_next(1, 500), RetryLater("telegram: network error")),
    ("blocked", lambda f: f.block_chat(CHAT), Undeliverable("telegram: blocked by user")),
    ("chat not found", lambda f: f.bad_chat(CHAT), Undeliverable("telegram: chat not found")),
    ("other bad request",
     lambda f: f.fail_next(1, 400, description="Bad Request: can't parse entities"),
     RetryLater("telegram: bad request")),
]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize(("label", "arrange", "expected"), SEND_CASES,
                         ids=[c[0] for c in SEND_CASES])
async def test_send_outcomes(channel: TelegramChannel, tg: Tg, label: str,
                             arrange: Callable[[FakeTelegram], None],
                             expected: SendOutcome) -> None:
    arrange(tg.fake)
    outcome = await channel.send(str(CHAT), "How are you?")
    assert type(outcome) is type(expected), (label, outcome)
    if isinstance(expected, RetryLater):
        assert isinstance(outcome, RetryLater)
        assert outcome.reason.startswith(expected.reason)
        assert outcome.after_seconds == expected.after_seconds
    else:
        assert outcome == expected
    assert TOKEN not in str(outcome)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_429_is_one_warning_line_without_a_traceback(
    channel: TelegramChannel, tg: Tg, caplog: pytest.LogCaptureFixture
) -> None:
    """PTB's rate limiter logged ERROR with a traceback for every 429; the outbox retries."""
    tg.fake.fail_next(1, 429, retry_after=3)
    with caplog.at_level(logging.INFO):
        outcome = await channel.send(str(CHAT), "How are you?")
    assert isinstance(outcome, RetryLater) and outcome.after_seconds == 3.0
    limiter = [r for r in caplog.records if r.name == "telegram.ext.AIORateLimiter"]
    assert [(r.levelno, r.exc_info, r.exc_text) for r in limiter] == [
        (logging.WARNING, None, None)]
    assert "429" in limiter[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_long_message_is_split_at_a_space(channel: TelegramChannel, tg: Tg) -> None:
    body = " ".join(["word"] * 2000)  # 9999 characters
    assert isinstance(await channel.send(str(CHAT), body), Sent)
    parts = tg.fake.texts_to(CHAT)
    assert len(parts) == 3 and all(len(p) <= MAX_MESSAGE_LENGTH for p in parts)
    assert " ".join(parts) == body


def test_split_message_counts_utf16_units() -> None:
    emoji = "\U0001f600" * 3000  # 6000 UTF-16 units
    parts = split_message(emoji)
    assert "".join(parts) == emoji
    assert all(len(p.encode("utf-16-le")) // 2 <= MAX_MESSAGE_LENGTH for p in parts)
    assert split_message("short") == ["short"]


async def test_unreachable_at_start_is_retried_on_first_send(
    sqlite_db_url: str, tg: Tg, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    database = Database.open(sqlite_db_url)
    adapter = TelegramChannel(make_ctx(database, tg))
    await asyncio.to_thread(tg.server.stop)
    try:
        await adapter.start()  # must not raise
        health = adapter.health()
        assert health["ready"] is False and health["config_error"] is False
        assert "cannot reach the Bot API" in str(health["last_error"])
        assert isinstance(await adapter.send(str(CHAT), "hi"), RetryLater)
        with pytest.raises(TelegramNotReady):
            await adapter.process_webhook_update(make_text_update(1, CHAT, "hi"))
    finally:
        await asyncio.to_thread(tg.server.start)
    assert await adapter.send(str(CHAT), "Are you OK?") == Sent(provider_id=f"{CHAT}:1")
    assert adapter.health()["bot_username"] == "peer_checkin_bot"
    await adapter.stop()
    database.engine.dispose()
    assert TOKEN not in caplog.text and "Are you OK?" not in caplog.text


async def test_rejected_token_shows_in_health_never_in_logs(
    sqlite_db_url: str, tg: Tg, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tg.fake.token = "999:other"
    database = Database.open(sqlite_db_url)
    adapter = TelegramChannel(make_ctx(database, tg))
    await adapter.start()
    outcome = await adapter.send(str(CHAT), "hi")
    health = adapter.health()
    await adapter.stop()
    database.engine.dispose()
    assert isinstance(outcome, RetryLater)
    assert health["config_error"] is True and "TELEGRAM_BOT_TOKEN" in str(health["last_error"])
    assert TOKEN not in caplog.text and TOKEN not in str(health) and TOKEN not in str(outcome)


# -- polling ----------------------------------------------------------------------------------


async def test_polling_mode_feeds_the_same_handlers(database: Database, tg: Tg) -> None:
    await asyncio.to_thread(enrol_on_telegram, database)
    adapter = TelegramChannel(make_ctx(database, tg, mode="polling"))
    await adapter.start()
    try:
        assert adapter.health()["ready"] is True
        tg.fake.push_text(CHAT, "help")
        tg.fake.push_text(STRANGER, "hi")
        deadline = time.monotonic() + 15  # generous: CI machines are busy, the loop is bounded
        while not await asyncio.to_thread(inbound, database):
            assert time.monotonic() < deadline, "the polled update was not processed"
            await asyncio.sleep(0.05)
        assert await tg.fake.await_for(lambda f: bool(f.texts_to(STRANGER)), within=15)
    finally:
        await adapter.stop()
    assert adapter.health()["ready"] is False
    rows = await asyncio.to_thread(inbound, database)
    assert [(m.address, m.body) for m in rows] == [(str(CHAT), "help")]
    with database.transaction() as db:
        assert [m.kind for m in outbox(db, str(CHAT))] == ["help"]
    assert tg.fake.texts_to(STRANGER) == [bot_says("not_enrolled", "en")]


# -- the command line -------------------------------------------------------------------------


def test_webhook_commands(database: Database, tg: Tg, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = make_ctx(database, tg, port=8443)
    monkeypatch.setattr(telegram_cmd, "settings", lambda: ctx.settings)
    runner = CliRunner()
    result = runner.invoke(telegram_cmd.telegram_app, ["set-webhook"])
    assert result.exit_code == 0, result.output
    assert tg.fake.webhook == {
        "url": f"http://127.0.0.1:8443{WEBHOOK_PATH}", "secret_token": SECRET,
        "allowed_updates": ["message", "edited_message"], "max_connections": None,
    }
    info = runner.invoke(telegram_cmd.telegram_app, ["webhook-info"])
    assert info.exit_code == 0 and f"url: http://127.0.0.1:8443{WEBHOOK_PATH}" in info.output
    deleted = runner.invoke(telegram_cmd.telegram_app, ["delete-webhook"])
    assert deleted.exit_code == 0 and tg.fake.webhook is None
    for output in (result.output, info.output, deleted.output):
        assert SECRET not in output and TOKEN not in output


def test_webhook_commands_fail_readably(database: Database, tg: Tg,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    no_token = make_ctx(database, tg, token=None)
    monkeypatch.setattr(telegram_cmd, "settings", lambda: no_token.settings)
    result = runner.invoke(telegram_cmd.telegram_app, ["set-webhook"])
    assert result.exit_code == 2 and "TELEGRAM_BOT_TOKEN is not set" in result.output
    rejected = make_ctx(database, tg)
    tg.fake.token = "999:other"
    monkeypatch.setattr(telegram_cmd, "settings", lambda: rejected.settings)
    result = runner.invoke(telegram_cmd.telegram_app, ["webhook-info"])
    assert result.exit_code == 2 and "rejected TELEGRAM_BOT_TOKEN" in result.output
    assert TOKEN not in result.output



# -- the plain-text fast path -----------------------------------------------------------------

_USER = {"id": CHAT, "is_bot": False, "first_name": "Ana", "language_code": "en"}
_ENTITY = st.fixed_dictionaries({
    "type": st.sampled_from(["bot_command", "bold", "url", "mention"]),
    "offset": st.integers(0, 3), "length": st.integers(1, 6),
})
_CHAT = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(-10**12, 10**12), st.just("5001")),
     "type": st.sampled_from(["private"] * 4 + ["group", "supergroup", "channel", "secret"])},
    optional={"first_name": st.just("Ana"), "title": st.just("Unit 4")},
)
_MESSAGE = st.fixed_dictionaries(
    {"message_id": st.one_of(st.integers(1, 10**9), st.just("7")),
     "date": st.one_of(st.integers(1, 2**31), st.just(1.5)),
     "chat": _CHAT},
    optional={
        "text": st.one_of(st.text(max_size=12), st.integers(0, 5),
                          st.sampled_from(["", "4", "/start abc", "/help", "xstart abc"])),
        "from": st.just(_USER),
        "entities": st.lists(_ENTITY, max_size=2),
        "sticker": st.just({"file_id": "s1", "file_unique_id": "u1", "type": "regular",
                            "width": 1, "height": 1, "is_animated": False, "is_video": False}),
        "edit_date": st.integers(1, 2**31),
    },
)
_UPDATE = st.builds(
    lambda update_id, kind, message, extra: {
        "update_id": update_id, kind: message, **({"edited_message": message} if extra else {})
    },
    st.one_of(st.integers(0, 2**31), st.just(True)),
    st.sampled_from(["message"] * 4 + ["edited_message", "channel_post"]),
    _MESSAGE,
    st.sampled_from([False] * 4 + [True]),
)


@pytest.fixture(scope="module")
def ptb_channel(tmp_path_factory: pytest.TempPathFactory) -> TelegramChannel:
    """A channel with its real handlers; nothing here reaches the network or the database."""
    settings = load_settings(telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET,
                             telegram_mode="webhook", public_base_url="http://127.0.0.1:1")
    database = Database.open(f"sqlite:///{tmp_path_factory.mktemp('fast') / 'unused.db'}")
    return TelegramChannel(AppContext(settings=settings, database=database, flows=FLOWS,
                                      clock=lambda: NOW))


def _ptb_handler(channel: TelegramChannel, update: Update) -> Callable[..., Any] | None:
    """The callback PTB's dispatch would run for ``update`` (first matching handler)."""
    assert channel.application is not None
    for handler in channel.application.handlers[0]:
        if handler.check_update(update):
            return handler.callback  # type: ignore[no-any-return]
    return None


@settings(max_examples=600, deadline=None)
@given(data=_UPDATE)
def test_the_fast_path_takes_only_what_ptb_would_give_on_text(
    ptb_channel: TelegramChannel, data: dict[str, Any]
) -> None:
    plain = plain_text_message(data)
    if plain is None:
        return  # PTB's dispatch handles it, exactly as before the fast path existed
    assert ptb_channel.application is not None
    update = Update.de_json(data, ptb_channel.application.bot)  # PTB can read it too
    assert _ptb_handler(ptb_channel, update) == ptb_channel._on_text
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    assert plain == (update.update_id, chat.id, message.text)


@pytest.mark.parametrize(("label", "update", "fast"), [
    ("an answer", make_text_update(1, CHAT, "4"), True),
    ("words with emoji", make_text_update(2, CHAT, "not great 😕"), True),
    ("a stranger's hello", make_text_update(3, STRANGER, "hi", language_code="es"), True),
    ("/start with a code", make_text_update(4, CHAT, "/start abc"), False),
    ("another command", make_text_update(5, CHAT, "/help"), False),
    ("a group message", _group(make_text_update(6, CHAT, "4")), False),
    ("an edit", _edited(make_text_update(7, CHAT, "4")), False),
    ("a sticker", _sticker(make_text_update(8, CHAT, "x")), False),
    ("a button press", make_callback_update(9, CHAT, "4"), False),
])
def test_answers_take_the_fast_path_and_the_rest_ptb_dispatch(
    served: Served, monkeypatch: pytest.MonkeyPatch, label: str, update: dict[str, Any],
    fast: bool,
) -> None:
    assert served.channel.application is not None
    dispatched: list[int] = []
    real = served.channel.application.process_update

    async def counting(update: object) -> None:
        dispatched.append(1)
        await real(update)

    monkeypatch.setattr(served.channel.application, "process_update", counting)
    assert (plain_text_message(update) is not None) == fast, label
    assert served.fake.post_to_webhook(update) == 200, label
    assert dispatched == ([] if fast else [1]), label


def test_a_stranger_on_the_fast_path_gets_the_sentence_in_their_language(
    served: Served,
) -> None:
    update = make_text_update(41, STRANGER, "hola", language_code="es")
    assert plain_text_message(update) is not None
    assert served.fake.post_to_webhook(update) == 200
    assert served.fake.texts_to(STRANGER) == [bot_says("not_enrolled", "es")]
    assert served.ctx.counters["telegram_unknown_chat"] == 1
    assert all_messages(served.ctx.database) == []
