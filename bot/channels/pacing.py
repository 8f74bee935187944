"""Spacing sends to a provider's rate, with urgent sends ahead of routine ones.

A US long code sends about one SMS a second. The routine lane keeps a few sends waiting for the
next slot (its concurrency); a limiter that wakes waiters in arrival order (aiolimiter does)
would make an escalation alert wait for all of them — seconds, at one a second. Invariant 3 says
urgent never waits behind bulk: here an urgent waiter takes the next free slot, and routine
waiters keep their order among themselves.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools


class LanePacer:
    """At most one acquisition per ``1 / rate_per_second`` seconds, no bursts; urgent first.

    Belongs to one event loop (its futures and timer do)."""

    def __init__(self, rate_per_second: float) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self.interval = 1.0 / rate_per_second
        self._next_free = float("-inf")  # loop time at which the next slot opens
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        # Loop time of the latest slot given out (None: none yet). The spacing of these is the
        # pacer's whole promise, and they are on the loop's clock, so a test can check it
        # exactly instead of timing requests on the wire.
        self.last_granted_at: float | None = None

    async def acquire(self, *, urgent: bool = False) -> None:
        """Wait for a slot. A waiter that is cancelled gives its place up."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if not self._waiting and now >= self._next_free:
            self._next_free = now + self.interval
            self.last_granted_at = now
            return
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (0 if urgent else 1, next(self._order), future))
        self._arm(loop)
        await future

    def waiting(self) -> int:
        return sum(not f.done() for _, _, f in self._waiting)

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is None:
            self._timer = loop.call_at(self._next_free, self._grant, loop)

    def _grant(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():  # skip waiters cancelled meanwhile
                future.set_result(None)
                self.last_granted_at = loop.time()
                self._next_free = self.last_granted_at + self.interval
                break
        if self._waiting:
            self._arm(loop)
