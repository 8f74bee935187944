"""The twilio library's async HTTP client on an aiohttp session of ours.

Measured, the library's synchronous requests client in a worker thread cost ~1 ms more CPU per
SMS on the core that answers webhooks than its async API on this client. Logs nothing: the
library's own client logs every request at INFO (twelve lines per SMS).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from urllib.parse import urlsplit

import aiohttp
from twilio.http import AsyncHttpClient
from twilio.http.response import Response as TwilioResponse

from bot.channels.http_client import LoopSession

log = logging.getLogger(__name__)

REAL_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 10.0

# The last response's headers, per task: the library's exceptions do not carry them, and a 429's
# Retry-After is read right after the call that got it, in the same task.
_last_headers: ContextVar[Mapping[str, str]] = ContextVar("twilio_last_headers")


class AiohttpTwilioClient(AsyncHttpClient):
    """The twilio library's async HTTP client interface on an aiohttp session of ours: proxy and
    certificates read from the environment once (`http_client.LoopSession`), `https://*.twilio.com`
    calls sent to another base URL when one is given (staging, tests), and the last response's
    headers kept for `Retry-After`. Logs nothing: the library's client logs every request at
    INFO (twelve lines per SMS)."""

    def __init__(self, base_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(logger=log, is_async=True, timeout=timeout)
        self.base_url = base_url.rstrip("/") if base_url else None
        self._http = LoopSession(self.base_url or REAL_API_BASE_URL, pool_size=16)

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (the library calls it so)
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        _last_headers.set({})
        if auth is not None:  # aiohttp deprecates its `auth=`: the header is all it adds
            basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {basic}"}
        if self.base_url is not None:
            parts = urlsplit(url)
            if (parts.hostname or "").endswith(".twilio.com"):
                url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        async with self._http.get().request(
            method.upper(), url, params=_pairs(params), data=_pairs(data), headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout or self.timeout),
            allow_redirects=allow_redirects,
            proxy=self._http.proxy, proxy_auth=self._http.proxy_auth,
        ) as response:
            text = await response.text()
            _last_headers.set(response.headers)  # read-only and case-insensitive: no copy
            return TwilioResponse(response.status, text, response.headers)

    def last_headers(self) -> dict[str, str]:
        """Headers of the last response received by the calling task."""
        return dict(_last_headers.get({}))

    async def close(self) -> None:
        await self._http.close()


def _pairs(values: dict[str, object] | None) -> list[tuple[str, str]] | None:
    """Form or query pairs; a list value repeats its key, as requests encodes it."""
    if values is None:
        return None
    return [(key, str(item)) for key, value in values.items()
            for item in (value if isinstance(value, list) else [value])]
