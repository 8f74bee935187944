"""Sending a webhook event: look up the program's URL and secret, sign, POST.

The outbox row's address is the program's id and its body the event's JSON (`bot.webhook_events`),
so the URL and the secret are read at send time: a secret changed while events wait is the one
they are signed with, and the secret itself is never copied into a message row.

The receiver's answers, mapped onto the outcomes the outbox sender knows:

- 2xx -> `Sent`;
- 429 -> `RetryLater` honouring ``Retry-After``; 5xx, time-outs, connection errors and any
  other answer (a 4xx is most often the receiver's setup, fixed on their side within the
  retries) -> `RetryLater`; after ``OUTBOX_MAX_ATTEMPTS`` the row is dead-lettered and shows on
  the Delivery page with its reason;
- the program has no URL any more -> `Undeliverable`: what is still queued for it is dropped.

Webhooks travel on the routine lane only, so they never hold up an alert. Nothing here logs a
URL (it may carry a token), a secret or a body.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass

import aiohttp

from bot.channels.base import FailureStreak, RetryLater, SendOutcome, Sent, Undeliverable
from bot.channels.http_client import ca_file
from bot.channels.webhook.signature import HEADER, sign
from bot.context import AppContext
from bot.webhook_events import WEBHOOK_CHANNEL, webhook_url
from storage.models import Channel, Program

# A receiver has this long to answer: a hanging one holds one of the routine lane's few
# concurrent sends (never the urgent lane's) for as long.
TIMEOUT_SECONDS = 5.0
USER_AGENT = "PeerCheckin-Webhooks/1"
EVENT_TYPE_HEADER = "X-PeerCheckin-Event"


@dataclass(frozen=True)
class _Target:
    url: str | None
    secret: str | None


class WebhookChannel:
    channel: Channel = WEBHOOK_CHANNEL

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._streak = FailureStreak()
        self.sent = 0
        self.last_error: str | None = None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        """One session per event loop (a session belongs to the loop it was made on). Proxy
        variables are honoured per request (``trust_env``): receivers are many hosts."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            context = ssl.create_default_context(cafile=ca_file())
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=8, ssl=context), trust_env=True,
                headers={"User-Agent": USER_AGENT})
            self._loop = loop
        return self._session

    def _target(self, address: str) -> _Target:
        with self._ctx.database.reading() as db:
            program = db.get(Program, int(address)) if address.isdigit() else None
            if program is None:
                return _Target(None, None)
            return _Target(webhook_url(program), program.webhook_secret)

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        del urgent  # webhooks are queued on the routine lane only
        outcome = await self._send(address, body)
        self._streak.note(outcome)
        if isinstance(outcome, Sent):
            self.sent += 1
        else:
            self.last_error = outcome.reason
        return outcome

    async def _send(self, address: str, body: str) -> SendOutcome:
        target = await asyncio.to_thread(self._target, address)
        if target.url is None:
            return Undeliverable("the program has no webhook URL any more")
        if not target.secret:
            return RetryLater("the program's webhook has no secret: set one on its settings")
        data = body.encode()
        timestamp = int(self._ctx.clock().timestamp())
        headers = {"Content-Type": "application/json",
                   HEADER: sign(target.secret, timestamp, data)}
        try:
            async with self._http().post(
                    target.url, data=data, headers=headers, allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
                await response.read()
        except TimeoutError:
            return RetryLater("webhook receiver timed out")
        except aiohttp.ClientError as exc:
            # The type only: the text can quote the URL.
            return RetryLater(f"webhook receiver unreachable ({type(exc).__name__})")
        if 200 <= status < 300:
            return Sent(provider_id=None)
        if status == 429:
            wait = float(retry_after) if retry_after and retry_after.isdigit() else None
            return RetryLater("webhook receiver answered 429", after_seconds=wait,
                              rate_limited=True)
        return RetryLater(f"webhook receiver answered {status}")

    def health(self) -> dict[str, object]:
        return {"configured": True, "sent": self.sent, "last_error": self.last_error}

    def failing(self) -> str | None:
        return self._streak.health_reason(self.channel)
