"""Security headers on every response, added by a plain ASGI middleware (it sees every route
FastAPI serves: the dashboard's, /healthz and the static files alike) and, for the provider
webhooks answered in front of FastAPI, by `raw_headers`.

- A Content-Security-Policy with no inline script or style and no plugins, and
  `frame-ancestors 'none'` (with X-Frame-Options for older browsers): no other page, even a
  same-site one, can frame the logged-in dashboard and trick a click.
- `nosniff` and `Referrer-Policy: same-origin`: escalation and person ids in URLs stay on site.
- `Cache-Control: no-store` on everything but the static files: an escalation page must not be
  kept by the browser, where Back after logout would show the crisis text again.
- HSTS on a request that arrived over https (directly, or as uvicorn's `--proxy-headers`
  reports it from a trusted proxy), and on every response when PUBLIC_BASE_URL is https: a
  proxy at its default headers forwards plain http, and the header must still reach the
  browser. Over plain http a browser ignores it; without an https public address it is not
  sent, so it never pins https on a loopback demo.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
ALWAYS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"
CACHEABLE_PREFIX = "/static/"


# The same, ready-made for answers written without Starlette (the provider webhooks answered in
# front of FastAPI, bot/web/front.py): a dict lookup's worth of work per webhook.
_RAW = [(name.lower().encode(), value.encode()) for name, value in ALWAYS.items()]
_RAW.append((b"cache-control", b"no-store"))
_RAW_HTTPS = [*_RAW, (b"strict-transport-security", HSTS.encode())]


def raw_headers(https: bool) -> list[tuple[bytes, bytes]]:
    """The security headers for a response built by hand (never a static file)."""
    return _RAW_HTTPS if https else _RAW


class SecurityHeaders:
    def __init__(self, app: ASGIApp, public_https: Callable[[], bool] = lambda: False) -> None:
        self.app = app
        # Asked per request: the settings live on the app context, which tests may replace.
        self.public_https = public_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https" or self.public_https()
        cacheable = str(scope.get("path", "")).startswith(CACHEABLE_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                if not cacheable:
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
