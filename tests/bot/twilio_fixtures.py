"""Servers and builders for the Twilio tests: our routes served for real on loopback, the real
twilio client against FakeTwilio, and signed webhook posts."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlmodel import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.channels.twilio_sms.adapter import TwilioChannel
from bot.channels.twilio_sms.webhook import twilio_webhooks
from bot.context import AppContext
from bot.settings import Settings, load_settings
from bot.web.front import ServiceApp
from storage.models import Channel, ContactPoint, Person, Role
from storage.queries import people
from tests.bot.helpers import NOW, enrol
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
)

OUR_NUMBER = "+15005550006"
SMS_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"


class Switch:
    """An ASGI app that forwards to the app of the current test, so one uvicorn server (and one
    public URL) serves the whole module while each test brings its own database."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no app mounted for this test"
        await self.app(scope, receive, send)


def twilio_settings(public_url: str, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "public_base_url": public_url,
        "twilio_account_sid": TEST_ACCOUNT_SID,
        "twilio_auth_token": TEST_AUTH_TOKEN,
        "twilio_from_number": OUR_NUMBER,
        "twilio_api_base_url": api_url,
        "sms_rate_per_second": 200,
        "telegram_bot_token": None,
    }
    values.update(overrides)
    return load_settings(**values)


def mount(switch: Switch, ctx: AppContext) -> None:
    app = ServiceApp()
    app.provider_webhooks.update(twilio_webhooks(ctx))
    switch.app = app


def closed_port_url() -> str:
    """An http URL on loopback where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class Rig:
    """One test's world: the context our routes use, the fake, and a web client."""

    ctx: AppContext
    fake: FakeTwilio
    public_url: str
    http: httpx.AsyncClient
    _sids: list[str] = field(default_factory=list)

    def channel(self, **overrides: Any) -> TwilioChannel:
        settings = self.ctx.settings
        if overrides:
            settings = settings.model_copy(update=overrides)
        return TwilioChannel(settings)

    async def post_sms(self, from_: str, body: str, sid: str | None = None) -> httpx.Response:
        form = inbound_sms_form(sid or new_message_sid(), from_, OUR_NUMBER, body)
        return await self.post_signed(SMS_PATH, form)

    async def post_signed(
        self, path: str, form: dict[str, str], *, sign_url: str | None = None,
        token: str = TEST_AUTH_TOKEN, signature: str | None = None, omit_signature: bool = False,
        tamper: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST `form` to our `path`, signed like Twilio would (or deliberately not)."""
        url = self.public_url + path
        headers = {}
        if not omit_signature:
            headers[SIGNATURE_HEADER] = signature or sign(sign_url or url, form, token)
        return await self.http.post(url, data={**form, **(tamper or {})}, headers=headers)


def sms_mentee(db: Session, address: str, name: str = "Ana Torres") -> tuple[Person, ContactPoint]:
    """An enrolled mentee on SMS who has already agreed to texts."""
    person = enrol(db, Role.mentee, name, channel=Channel.sms, address=address)
    assert person.id is not None
    [contact] = people.contacts_for(db, person.id)
    contact.consent_at = NOW - timedelta(days=1)
    db.flush()
    return person, contact


def clock_at(when: datetime) -> Any:
    return lambda: when
