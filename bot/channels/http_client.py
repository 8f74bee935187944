"""What the two provider clients share: one aiohttp session per event loop, with the proxy and
certificate settings read from the environment once.

aiohttp's own ``trust_env`` would read the proxy variables (and ``.netrc``) again on every
request; the providers are one host each, so they are read once per client, for that host:
HTTPS_PROXY / HTTP_PROXY / NO_PROXY as httpx and requests read them. Certificates: the file named
by SSL_CERT_FILE, REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE (the first set; the last two are what the
requests-based clients honoured), else certifi's bundle, as httpx and requests use by default.
"""

from __future__ import annotations

import asyncio
import os
import ssl

import aiohttp
import certifi
from yarl import URL

CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def env_proxy(url: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
    """The proxy (and its credentials) the environment names for ``url``, or (None, None)."""
    try:
        return aiohttp.helpers.get_env_proxy_for_url(URL(url))
    except LookupError:  # no proxy variable for this scheme, or NO_PROXY names the host
        return None, None


def ca_file() -> str:
    return next((os.environ[v] for v in CA_VARIABLES if os.environ.get(v)), certifi.where())


class LoopSession:
    """An aiohttp `ClientSession` for the running loop, made on first use (a session belongs to
    the loop it was made on; tests run each on a loop of their own)."""

    def __init__(self, base_url: str, *, pool_size: int, headers: dict[str, str] | None = None):
        self.proxy, self.proxy_auth = env_proxy(base_url)
        self._cafile = ca_file()
        self._pool_size = pool_size
        self._headers = headers or {}
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            # A session left on a loop that has ended cannot be closed from this one; its
            # sockets went with that loop.
            context = ssl.create_default_context(cafile=self._cafile)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=context),
                headers=self._headers,
            )
            self._loop = loop
        return self._session

    @property
    def open(self) -> bool:
        return self._session is not None and not self._session.closed

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed and self._loop is asyncio.get_running_loop():
            await session.close()
