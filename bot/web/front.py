"""The served ASGI app: provider webhooks answered directly, everything else by FastAPI.

Webhooks are most of the traffic and need nothing FastAPI gives the dashboard (dependencies,
validation, sessions): they authenticate by signature or secret token, read one small body and
answer with a status. Sending them through FastAPI's middleware and router cost about as much
CPU as the conversation turn itself, so `ServiceApp` answers the webhook paths before FastAPI
sees them. Every other path (dashboard, health check, static files) goes to FastAPI unchanged.

A handler gets a `WebhookRequest` and returns a `WebhookResponse`. A handler that raises is
answered 500 (the provider delivers again; provider ids make that safe) and logged by type only:
exception texts can quote a message body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from bot.web.request_id import RequestIds
from bot.web.request_limits import BodyLimits, RequestLimits
from bot.web.security_headers import raw_headers

log = logging.getLogger(__name__)

# Twilio's forms are a few kB and a Telegram update with the longest text well under 64 kB;
# anything this big is not a provider, and reading it would only cost memory.
MAX_WEBHOOK_BODY = 1024 * 1024
# Until `create_app` sets them from the settings (MAX_REQUEST_BYTES, ...).
DEFAULT_BODY_LIMITS = BodyLimits(default_bytes=64 * 1024, body_seconds=30)


@dataclass(frozen=True)
class WebhookRequest:
    path: str
    query: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass(frozen=True)
class WebhookResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"


WebhookHandler = Callable[[WebhookRequest], Awaitable[WebhookResponse]]


class BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("client went away before sending the body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(send: Send, response: WebhookResponse, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [(b"content-length", str(len(response.body)).encode())]
    if response.body:
        headers.append((b"content-type", response.content_type.encode()))
    await send({"type": "http.response.start", "status": response.status,
                "headers": headers + extra})
    await send({"type": "http.response.body", "body": response.body})


class ServiceApp(FastAPI):
    """FastAPI, with the provider webhooks in front of its middleware and router, and the
    request body limits in front of both (no route can parse a body before they apply)."""

    provider_webhooks: dict[str, WebhookHandler]
    request_limits: RequestLimits
    # Whether the service's public address is https (HSTS on the webhooks' answers too);
    # `create_app` points it at the settings.
    public_https: Callable[[], bool]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.provider_webhooks = {}
        self.request_limits = RequestLimits(self._route, DEFAULT_BODY_LIMITS)
        # Outermost: even a refused body's answer carries the request id.
        self._with_request_id = RequestIds(self.request_limits)
        self.public_https = lambda: False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._with_request_id(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.provider_webhooks.get(scope["path"]) if scope["type"] == "http" else None
        if handler is None:
            await super().__call__(scope, receive, send)
            return
        security = raw_headers(scope.get("scheme") == "https" or self.public_https())
        await _serve_webhook(handler, scope, receive, send, security)


async def _serve_webhook(
    handler: WebhookHandler, scope: Scope, receive: Receive, send: Send,
    security: list[tuple[bytes, bytes]],
) -> None:
    if scope["method"] != "POST":
        await _answer(send, WebhookResponse(405), [(b"allow", b"POST"), *security])
        return
    try:
        body = await _read_body(receive, MAX_WEBHOOK_BODY)
    except BodyTooLarge:
        await _answer(send, WebhookResponse(413), [(b"connection", b"close"), *security])
        return
    except ConnectionError:
        return  # nobody to answer
    request = WebhookRequest(
        path=scope["path"],
        query=scope.get("query_string", b"").decode("latin-1"),
        headers={k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
        body=body,
    )
    started = time.perf_counter()
    try:
        response = await handler(request)
    except Exception as exc:
        log.error("webhook %s failed (%s); answering 500 so the provider delivers again",
                  scope["path"], type(exc).__name__)
        response = WebhookResponse(500)
    # The path names the channel; never the query (it could hold a token) nor the body. A
    # message's turn logs its own line at INFO (`bot.inbound`, with the channel and the
    # outcome), so an answered webhook is DEBUG here: one line fewer per message. A refusal
    # (a bad signature, a malformed request, our error) is INFO.
    log.log(logging.DEBUG if response.status < 300 else logging.INFO,
            "webhook %s answered %d", scope["path"], response.status,
            extra={"event": "webhook", "path": scope["path"], "status": response.status,
                   "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
    await _answer(send, response, security)
