"""The aiohttp transport under python-telegram-bot: real sockets on 127.0.0.1, no mocks."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram.http import AiohttpRequest
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "123456:TRANSPORTTEST"


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeTelegram, str]]:
    api = FakeTelegram()
    with LoopbackServer(api) as server:
        yield api, f"{server.url}/bot"


@pytest.fixture
async def bot(fake: tuple[FakeTelegram, str]) -> AsyncIterator[Bot]:
    api, base = fake
    api.reset()
    async with Bot(TOKEN, base_url=base, request=AiohttpRequest(base)) as b:
        yield b


async def test_the_library_sends_and_parses_through_it(
    bot: Bot, fake: tuple[FakeTelegram, str]
) -> None:
    api, _base = fake
    message = await bot.send_message(chat_id=4242, text="Hello ✓")
    assert message.chat.id == 4242 and message.text == "Hello ✓"
    assert api.texts_to(4242) == ["Hello ✓"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_status_codes_still_become_the_librarys_errors(
    bot: Bot, fake: tuple[FakeTelegram, str]
) -> None:
    api, _base = fake
    api.fail_next(1, 429, retry_after=7)
    with pytest.raises(RetryAfter):
        await bot.send_message(chat_id=4242, text="x")


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


async def test_a_server_that_never_answers_times_out_without_the_url(silent_port: int) -> None:
    base = f"http://127.0.0.1:{silent_port}/bot"
    request = AiohttpRequest(base)
    await request.initialize()
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(TimedOut) as caught:
            await request.do_request(f"{base}{TOKEN}/sendMessage", "POST", read_timeout=0.3)
        assert asyncio.get_running_loop().time() - started < 3
        assert TOKEN not in str(caught.value) and "127.0.0.1" not in str(caught.value)
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error_without_the_url() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/bot"
    request = AiohttpRequest(base)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request(f"{base}{TOKEN}/sendMessage", "POST")
        assert not isinstance(caught.value, TimedOut)
        assert TOKEN not in str(caught.value) and str(port) not in str(caught.value)
    finally:
        await request.shutdown()


async def test_file_uploads_are_refused_before_anything_is_sent(
    fake: tuple[FakeTelegram, str]
) -> None:
    from telegram import InputFile

    api, base = fake
    api.reset()
    request = AiohttpRequest(base)
    await request.initialize()
    try:
        data = RequestData([RequestParameter.from_input("document", InputFile(b"abc", filename="a.txt"))])
        with pytest.raises(NetworkError, match="file uploads"):
            await request.do_request(f"{base}{TOKEN}/sendDocument", "POST", request_data=data)
        assert api.calls("sendDocument") == []
    finally:
        await request.shutdown()


async def test_not_initialized_or_shut_down_refuses(fake: tuple[FakeTelegram, str]) -> None:
    _api, base = fake
    request = AiohttpRequest(base)
    with pytest.raises(RuntimeError):
        await request.do_request(f"{base}{TOKEN}/getMe", "POST")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError):
        await request.do_request(f"{base}{TOKEN}/getMe", "POST")
    await request.initialize()  # initialize again after a shutdown: usable again
    try:
        status, _body = await request.do_request(f"{base}{TOKEN}/getMe", "POST")
        assert status == 200
    finally:
        await request.shutdown()


@pytest.mark.parametrize(("env", "expected"), [
    ({}, None),
    ({"HTTPS_PROXY": "http://proxy.example:3128"}, "http://proxy.example:3128"),
    ({"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "api.telegram.org"}, None),
    ({"HTTP_PROXY": "http://proxy.example:3128"}, None),  # an https URL uses HTTPS_PROXY
])
def test_the_proxy_is_read_from_the_environment_once(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: Any
) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy",
                 "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    request = AiohttpRequest("https://api.telegram.org/bot")
    assert (str(request._http.proxy) if request._http.proxy else None) == expected


def test_the_channel_builds_its_bot_on_it(fake: tuple[FakeTelegram, str], db_url: str) -> None:
    from bot.channels.telegram.adapter import TelegramChannel
    from bot.context import AppContext
    from bot.database import Database
    from bot.settings import load_settings

    _api, base = fake
    settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=base,
                             telegram_mode="polling", database_url=db_url)
    channel = TelegramChannel(AppContext(settings=settings, database=Database.open(db_url),
                                         flows={}))
    assert channel.application is not None
    # Sends go through it (the channel tests in test_telegram.py send through the fake API);
    # long polling keeps the library's own client.
    assert isinstance(channel.application.bot.request, AiohttpRequest)
