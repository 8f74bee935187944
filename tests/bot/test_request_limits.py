"""Request limits on a real socket: the served app (`create_app`) under uvicorn on 127.0.0.1 with
the same uvicorn settings `checkin serve` uses (`uvicorn_limits`).

Oversized bodies are refused before they are read (by Content-Length) or as they pass the limit
(chunked); a body or headers that trickle are cut; a normal login, a signed Twilio webhook and
a people import of ordinary size still work. The probes speak raw HTTP/1.1 over a socket: the
point is what the server does before the client has sent everything.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import select
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.app import build_context, create_app
from bot.context import AppContext
from bot.dashboard.accounts import create_account
from bot.settings import load_settings
from bot.web.request_limits import BodyLimits, RequestLimits
from bot.web.slow_clients import uvicorn_limits
from storage.models import Channel, Message, Person, Role
from tests.bot.helpers import NOW, enrol
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
)
from tests.pg import _free_port

OUR_NUMBER = "+15005550006"
PASSWORD = "correct horse battery"
LIMIT = 64 * 1024
# Generous bounds on "the server answered at all"; the limits under test are 1 s.
ANSWER_WITHIN = 15.0


@dataclass
class Served:
    ctx: AppContext
    url: str
    port: int

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=ANSWER_WITHIN)
        return sock


@pytest.fixture
def served(db_url: str) -> Iterator[Served]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with LoopbackServer(FakeTwilio()) as twilio:
        settings = load_settings(
            database_url=db_url, public_base_url=url, twilio_account_sid=TEST_ACCOUNT_SID,
            twilio_auth_token=TEST_AUTH_TOKEN, twilio_from_number=OUR_NUMBER,
            twilio_api_base_url=twilio.url, web_simulator=False, semantic_screening=False,
            request_body_timeout_seconds=1, request_header_timeout_seconds=1)
        assert settings.max_request_bytes == LIMIT  # the documented default
        ctx = build_context(settings)
        app = create_app(ctx, run_sender=False, run_scheduler=False)
        with LoopbackServer(app, port=port, **uvicorn_limits(settings)):
            yield Served(ctx, url, port)


def _answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (bounded by the timeout)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def _status(answer: bytes) -> int:
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", answer)
    assert match, answer[:200]
    return int(match.group(1))


def _headers(path: str, *extra: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *extra, "", ""]
    return "\r\n".join(lines).encode()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/login", "/people/import", "/webhooks/twilio/sms"])
def test_a_3_gb_body_is_refused_from_its_headers_alone(served: Served, path: str) -> None:
    # Only the headers are sent: an answer at all means nothing waited for (or read) the body.
    with served.connect() as sock:
        sock.sendall(_headers(path, "Content-Type: multipart/form-data; boundary=xyz",
                              "Content-Length: 3000000000"))
        answer = _answer(sock)  # and the server closes the connection after it
    assert _status(answer) == 413
    assert b"connection: close" in answer.lower()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/login", "/webhooks/twilio/sms"])
def test_a_chunked_body_is_cut_once_it_passes_the_limit(served: Served, path: str) -> None:
    chunk = b"a" * (16 * 1024)
    sent = 0
    with served.connect() as sock:
        sock.sendall(_headers(path, "Content-Type: application/x-www-form-urlencoded",
                              "Transfer-Encoding: chunked"))
        while sent <= LIMIT:  # stop at the first chunk past the limit, and wait for the answer
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        answer = _answer(sock)
    assert sent <= LIMIT + len(chunk)
    assert _status(answer) == 413


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/login", "/webhooks/twilio/sms"])
def test_a_body_that_trickles_is_answered_408_and_closed(served: Served, path: str) -> None:
    with served.connect() as sock:
        sock.sendall(_headers(path, "Content-Type: application/x-www-form-urlencoded",
                              "Content-Length: 1000") + b"username=a")
        answer = _answer(sock)  # the other 990 bytes never come
    assert _status(answer) == 408
    assert b"connection: close" in answer.lower()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_headers_that_trickle_or_never_end_are_cut(served: Served) -> None:
    with served.connect() as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
        assert _answer(sock) == b""  # closed by the server, with nothing to answer yet
    with served.connect() as sock:
        sock.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for n in range(70):  # a little over the 64 KiB of headers allowed
            sock.sendall(b"X-Padding-%d: %s\r\n" % (n, b"p" * 1000))
        assert _status(_answer(sock)) == 431


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_idle_connection_after_a_response_is_closed(served: Served) -> None:
    with served.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = _answer(sock)  # keep-alive ends; then the server closes
    assert _status(answer) == 200


def _logged_in(served: Served, client: httpx.Client) -> str:
    """Log an admin in through the real server; returns the session's CSRF token."""
    with served.ctx.database.transaction() as db:
        person = enrol(db, Role.admin, "Ada", channel=Channel.terminal, address="staff-ada")
        create_account(db, person, "ada", PASSWORD, NOW)
    form = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token, form.text
    response = client.post("/login", data={"username": "ada", "password": PASSWORD,
                                           "login_token": token.group(1), "next": "/people"})
    assert response.status_code == 303, response.text
    assert "checkin" in client.cookies
    page = client.get("/people/import")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text
    return csrf.group(1)


def test_a_normal_login_and_a_people_import_of_ordinary_size_still_work(served: Served) -> None:
    rows = [f"Mentee Number {n:05d} With A Longer Name,mentee,,en,,\n" for n in range(1500)]
    csv = ("name,role,phone,language,timezone,mentor\n" + "".join(rows)).encode()
    assert LIMIT < len(csv) < 1_000_000  # over every other route's limit, under the import's
    with httpx.Client(base_url=served.url, timeout=ANSWER_WITHIN * 4) as client:
        csrf = _logged_in(served, client)
        # The same bytes anywhere else are refused.
        refused = client.post("/login", content=csv,
                              headers={"content-type": "application/x-www-form-urlencoded"})
        assert refused.status_code == 413
        response = client.post("/people/import", data={"csrf_token": csrf},
                               files={"file": ("people.csv", csv, "text/csv")})
        assert response.status_code == 303, response.text[:2000]
        assert response.headers["location"].startswith("/people/import?done=")
    with served.ctx.database.reading() as db:
        names = db.exec(select(Person.display_name)).all()
    assert sum(name.startswith("Mentee Number") for name in names) == 1500


def test_a_signed_twilio_webhook_still_works(served: Served) -> None:
    url = f"{served.url}/webhooks/twilio/sms"
    sid = new_message_sid()
    form = inbound_sms_form(sid, "+13125550199", OUR_NUMBER, "hello")
    response = httpx.post(url, data=form, timeout=ANSWER_WITHIN,
                          headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})
    assert response.status_code == 200
    with served.ctx.database.reading() as db:
        assert db.exec(select(Message).where(Message.provider_id == sid)).first() is not None


# --- the middleware in-process: what the application sees ------------------------------------


def _reader(pause: float, seen: list[bytes]) -> ASGIApp:
    """An app that waits `pause` seconds, then reads the whole body and answers 200."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(pause)
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        seen.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


async def test_a_body_that_arrived_is_handed_over_even_to_an_app_slow_to_ask() -> None:
    seen: list[bytes] = []
    limits = BodyLimits(default_bytes=1024, body_seconds=0.2)
    transport = httpx.ASGITransport(app=RequestLimits(_reader(0.5, seen), limits))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/x", content=b"all here")
    assert (response.status_code, seen) == (200, [b"all here"])


async def test_the_app_never_sees_a_body_over_the_limit_and_its_later_answer_is_dropped() -> None:
    seen: list[bytes] = []
    limits = BodyLimits(default_bytes=1024, body_seconds=5, larger={"/big": 4096})
    transport = httpx.ASGITransport(app=RequestLimits(_reader(0, seen), limits))

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        for _ in range(4):
            yield b"x" * 1000

    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        small = await client.post("/small", content=chunks())
        big = await client.post("/big", content=chunks())
    assert (small.status_code, small.headers["connection"]) == (413, "close")
    assert big.status_code == 200
    # /small's app got the first chunk (within the limit), then was told the client left; its
    # 200 after that never reached the client.
    assert seen == [b"x" * 1000, b"x" * 4000]
