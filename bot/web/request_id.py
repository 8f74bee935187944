"""The request id of every HTTP request (`bot.request_ids`), in front of everything served.

An ``X-Request-ID`` from the caller (a proxy that made one) is kept when it is sane, else one is
made; it is bound for the request's whole handling, so each log line of it (and of the turn
it commits, and of the sends that turn queued) carries it, and it is returned as a response
header so a deployer can find the lines of one request. Like the body limits it sits in front
of the provider webhooks and FastAPI alike (see `ServiceApp`), so no route can forget it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import request_ids

_HEADER = request_ids.HEADER.encode()


def _given(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name.lower() == _HEADER:
            return str(value.decode("latin-1"))
    return None


class RequestIds:
    """ASGI middleware: bind a request id for the request, answer with it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_ids.from_header(_given(scope))
        header = (_HEADER, request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        with request_ids.bound(request_id):
            await self.app(scope, receive, send_with_id)
