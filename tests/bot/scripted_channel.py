"""An in-memory ChannelAdapter whose outcomes a test scripts call by call.

    channel = ScriptedChannel(Channel.sms, outcomes=[RetryLater("503"), Sent("x")])

Each call to ``send`` takes the next scripted outcome (an exception instance is raised instead,
to play an adapter bug); ``by_address`` scripts one address apart from the rest, taken first.
Once the script is used up every send succeeds with a unique provider id. ``calls`` records every (address, body) in the order the sends started, ``outcomes_seen``
what each call returned. ``delay`` (seconds, one number or one per call) keeps a send in flight.
``rate_per_second`` plays the shared rate limiter of a real adapter: sends queue first-in
first-out and reach the "provider" (are recorded in ``calls``) no faster than that.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from bot.channels.base import SendOutcome, Sent
from storage.models import Channel

_instances = itertools.count(1)


class ScriptedChannel:
    def __init__(
        self,
        channel: Channel,
        outcomes: Iterable[SendOutcome | Exception] = (),
        *,
        delay: float | Sequence[float] = 0.0,
        by_address: Mapping[str, Iterable[SendOutcome | Exception]] | None = None,
        rate_per_second: float | None = None,
    ) -> None:
        self.channel = channel
        self._script: deque[SendOutcome | Exception] = deque(outcomes)
        self._by_address = {a: deque(o) for a, o in (by_address or {}).items()}
        self._delay = delay
        self._prefix = f"{channel}-{next(_instances)}"
        self.calls: list[tuple[str, str]] = []
        self.outcomes_seen: list[SendOutcome | Exception] = []
        self.in_flight = 0
        self._interval = 1.0 / rate_per_second if rate_per_second else 0.0
        self._limiter = asyncio.Lock()  # FIFO: waiters are served in arrival order
        self._next_slot = 0.0

    def script(self, *outcomes: SendOutcome | Exception) -> None:
        """Append outcomes for the next calls."""
        self._script.extend(outcomes)

    @property
    def bodies(self) -> list[str]:
        return [body for _address, body in self.calls]

    def sent_bodies(self) -> list[str]:
        """Bodies whose send returned Sent, in the order the calls started."""
        return [b for (_a, b), o in zip(self.calls, self.outcomes_seen, strict=False)
                if isinstance(o, Sent)]

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, address: str, body: str) -> SendOutcome:
        self.in_flight += 1
        try:
            if self._interval:
                await self._wait_for_slot()
            index = len(self.calls)
            self.calls.append((address, body))
            script = self._by_address.get(address) or self._script
            outcome = script.popleft() if script else Sent(f"{self._prefix}-{index}")
            self.outcomes_seen.append(outcome)  # same index as the call, whatever the delay
            delay = self._delay_for(index)
            if delay:
                await asyncio.sleep(delay)
        finally:
            self.in_flight -= 1
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _wait_for_slot(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._limiter:
            wait = self._next_slot - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_slot = loop.time() + self._interval

    def _delay_for(self, index: int) -> float:
        if isinstance(self._delay, int | float):
            return float(self._delay)
        return float(self._delay[index]) if index < len(self._delay) else 0.0

    def health(self) -> dict[str, object]:
        return {"configured": True, "calls": len(self.calls)}
