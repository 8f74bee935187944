"""An in-memory ChannelAdapter whose outcomes a test scripts call by call.

    channel = ScriptedChannel(Channel.sms, outcomes=[RetryLater("503"), Sent("x")])

Each call to ``send`` takes the next scripted outcome (an exception instance is raised instead,
to play an adapter bug); ``by_address`` scripts one address apart from the rest, taken first.
Once the script is used up every send succeeds with a unique provider id. ``calls`` records every (address, body) in the order the sends started, ``outcomes_seen``
what each call returned. ``delay`` (seconds, one number or one per call) keeps a send in flight.
``rate_per_second`` plays the shared rate limiter of the SMS adapter (the same `LanePacer`):
sends reach the "provider" (are recorded in ``calls``) no faster than that, urgent ones first,
routine ones in arrival order. ``urgent_flags`` records each call's ``urgent`` argument.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from bot.channels.base import SendOutcome, Sent
from bot.channels.pacing import LanePacer
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
        self.urgent_flags: list[bool] = []
        self._rate = rate_per_second
        self._pacer: LanePacer | None = None

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

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        self.in_flight += 1
        try:
            if self._rate:
                if self._pacer is None:  # made on first use: it belongs to the running loop
                    self._pacer = LanePacer(self._rate)
                await self._pacer.acquire(urgent=urgent)
            index = len(self.calls)
            self.calls.append((address, body))
            self.urgent_flags.append(urgent)
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

    def _delay_for(self, index: int) -> float:
        if isinstance(self._delay, int | float):
            return float(self._delay)
        return float(self._delay[index]) if index < len(self._delay) else 0.0

    def health(self) -> dict[str, object]:
        return {"configured": True, "calls": len(self.calls)}

    def failing(self) -> str | None:
        return None
