"""The HTTP client under python-telegram-bot's `Bot`: aiohttp instead of the default httpx.

Why: every outgoing Telegram message is one Bot API call, and the service sends them spaced out by
the rate limiter (~30 a second at most). Measured on the 2-core benchmark machine with
`bench/telegram_http.py`, one `send_message` spaced like that cost 2.4-2.7 ms of CPU through
httpx and 1.5 ms through aiohttp (back to back: 1.0 and 0.4 ms), on the core that also answers
webhooks. aiohttp is already installed (the twilio library requires it).

Only the transport changes. The library still builds the request, applies its rate limiter,
turns status codes into `RetryAfter`, `Forbidden`, `BadRequest` and so on, and parses the reply;
PTB documents `BaseRequest` as the place for a custom transport. Transport failures map as
PTB's own `HTTPXRequest` maps them: time-outs to `TimedOut`, anything else to `NetworkError`.
Error texts carry only the exception's type: an aiohttp error can quote the URL, and Bot API
URLs contain the bot token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels.http_client import LoopSession

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

# PTB's defaults for its httpx client (seconds).
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on an aiohttp session (`http_client.LoopSession`: proxy and certificates
    from the environment, read once), opened in `initialize` on the running loop."""

    def __init__(self, base_url: str, *, pool_size: int = 64) -> None:
        self._http = LoopSession(base_url, pool_size=pool_size,
                                 headers={"User-Agent": self.USER_AGENT})

    @property
    def read_timeout(self) -> float | None:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        self._http.get()

    async def shutdown(self) -> None:
        await self._http.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if not self._http.open:
            raise RuntimeError("AiohttpRequest is not initialized")
        session = self._http.get()
        if request_data is not None and request_data.contains_files:
            # This service sends text only; refuse rather than send a file half-encoded.
            raise NetworkError("file uploads are not supported by this transport")
        del write_timeout  # aiohttp has no write time-out; the read time-out bounds the call
        connect = _value(connect_timeout, CONNECT_TIMEOUT)
        pool = _value(pool_timeout, POOL_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's `connect` covers waiting for a pooled connection and opening one.
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=_value(read_timeout, READ_TIMEOUT),
        )
        data: dict[str, str] | None = request_data.json_parameters if request_data else None
        try:
            async with session.request(method, url, data=data, timeout=timeout,
                                       proxy=self._http.proxy,
                                       proxy_auth=self._http.proxy_auth) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's time-outs are TimeoutErrors (some ClientErrors too)
            raise TimedOut(f"aiohttp: {type(exc).__name__}") from None  # no URL, no token
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp: {type(exc).__name__}") from None


def _value(given: ODVInput[float], default: float) -> float | None:
    """PTB passes DEFAULT_NONE for "use the default" and None for "no time-out"."""
    if given is BaseRequest.DEFAULT_NONE:
        return default
    return given  # type: ignore[return-value]


__all__ = ["AiohttpRequest"]
