"""Request bodies: a size limit and a time limit, enforced before anything parses them.

FastAPI parses `Form()` parameters before any dependency runs, and Starlette spools a multipart
upload of any size to disk: a 3 GB `POST /login` was read in full before its 403. This ASGI
middleware sits in front of everything the service answers (the provider webhooks and FastAPI,
see `ServiceApp`), so no route can forget it:

- a `Content-Length` over the path's limit is answered 413 at once, before one byte of the body
  is read;
- a body without one (chunked) is counted as it arrives and answered 413 as soon as it passes
  the limit, so at most the limit plus one received chunk is ever held;
- a body that has not fully arrived within `body_seconds` of its headers is answered 408.

After a refusal the connection is closed (`connection: close`) and the application, if it was
still reading, is told the client went away; whatever it tries to send after that is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

_DISCONNECT: Message = {"type": "http.disconnect"}
_GRACE = 0.05  # seconds
_REASONS = {
    400: b"The request's Content-Length is not a number.",
    408: b"The request body took too long to arrive.",
    413: b"That is too large to send here.",
}


@dataclass(frozen=True)
class BodyLimits:
    """The largest body a path takes (bytes) and how long a body may take to arrive."""

    default_bytes: int
    body_seconds: float
    larger: Mapping[str, int] = field(default_factory=dict)  # exact path -> bytes

    def for_path(self, path: str) -> int:
        return self.larger.get(path, self.default_bytes)


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length as sent: None when absent, -1 when it is not a plain number."""
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else -1
    return None


class RequestLimits:
    """ASGI middleware applying `BodyLimits` to every HTTP request."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            await _refuse(send, 400 if declared < 0 else 413)
            return
        guard = _BodyGuard(receive, send, limit, self.limits.body_seconds)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception as exc:
            # After a refusal the app may fail on the body it could not read (a form parser
            # meeting the disconnect): the client already has its answer; nothing to report.
            if guard.refused is None:
                raise
            log.debug("after a %d, the app ended with %s", guard.refused, type(exc).__name__)


class _BodyGuard:
    """The receive/send pair the application sees: counts and times the body."""

    def __init__(self, receive: Receive, send: Send, limit: int, seconds: float) -> None:
        self._receive = receive
        self._send = send
        self.limit = limit
        self.deadline = asyncio.get_running_loop().time() + seconds
        self.received = 0
        self.body_done = False
        self.response_started = False
        self.refused: int | None = None

    async def receive(self) -> Message:
        if self.refused is not None:
            return _DISCONNECT
        if self.body_done:
            # Only the disconnect notice is left to wait for (streaming responses listen for
            # it): no deadline on that.
            return await self._receive()
        # A body that already arrived is handed over even past the deadline (an app may be
        # slow to ask for it): the moment's grace lets the waiting task take it.
        remaining = self.deadline - asyncio.get_running_loop().time()
        try:
            message = await asyncio.wait_for(self._receive(), timeout=max(remaining, _GRACE))
        except TimeoutError:
            return await self._refuse(408)
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                return await self._refuse(413)
            self.body_done = not message.get("more_body", False)
        return message

    async def send(self, message: Message) -> None:
        if self.refused is not None:
            return  # the client has its answer and the connection is closing
        if message["type"] == "http.response.start":
            self.response_started = True
        await self._send(message)

    async def _refuse(self, status: int) -> Message:
        self.refused = status
        if not self.response_started:  # otherwise the app answered already: just stop reading
            await _refuse(self._send, status)
        return _DISCONNECT


async def _refuse(send: Send, status: int) -> None:
    body = _REASONS[status]
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # uvicorn closes after the answer: the rest is never read
    ]})
    await send({"type": "http.response.body", "body": body})
