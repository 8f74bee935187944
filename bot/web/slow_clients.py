"""uvicorn's settings against slow and oversized requests, for `checkin serve`.

uvicorn has no limit on how long a client may take to send its request headers: its keep-alive
timeout starts only after a first response, so a connection that trickles a header line every
few seconds (or sends nothing) stayed open for good, and 300 of them held 300 connections.
`limit_concurrency` alone would make that worse (once full, every real request gets 503), so the
HTTP protocol here closes a connection whose headers are not complete within `header_seconds`
of the connection opening or of its previous response, and one whose headers pass
`max_header_bytes`. Bodies are limited in `bot.web.request_limits`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bot.settings import Settings

_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n"
              b"connection: close\r\n\r\n")


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size cap on request headers."""

    header_seconds: float = 10.0
    max_header_bytes: int = 64 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._header_deadline is None or self.transport.is_closing():
            return
        # Still waiting for the end of the headers after this chunk.
        self._header_bytes += len(data)
        if self._header_bytes > self.max_header_bytes:
            self._stop_waiting()
            self.transport.write(_TOO_LARGE)
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        # A pipelined request already sent its headers: it starts now, with no deadline.
        pipelined = bool(self.pipeline)
        super().on_response_complete()
        if not pipelined and not self.transport.is_closing():
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._stop_waiting()
        self._header_bytes = 0
        self._header_deadline = self.loop.call_later(self.header_seconds, self._too_slow)

    def _stop_waiting(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _too_slow(self) -> None:
        self._header_deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered: not ours to cut
        if not self.transport.is_closing():
            self.transport.close()


def uvicorn_limits(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.Config`: timeouts and caps from the settings."""
    protocol = type("HeaderDeadline", (HeaderDeadlineProtocol,), {
        "header_seconds": float(settings.request_header_timeout_seconds),
        "max_header_bytes": settings.max_header_bytes,
    })
    return {
        "http": protocol,
        # Idle keep-alive connections close after this many seconds.
        "timeout_keep_alive": settings.keep_alive_seconds,
        # Only used if uvicorn's h11 parser is chosen instead; the same header cap.
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        # Beyond this many open connections plus requests in flight, uvicorn answers 503.
        "limit_concurrency": settings.max_connections,
    }
