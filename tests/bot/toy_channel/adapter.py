"""The toy channel's sending side: "delivers" by appending to `sent`, paced by nothing."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.channels.base import FailureStreak, SendOutcome, Sent
from storage.models import Channel, add_channel

# The package adds its own channel name: nothing in storage/ names it.
TOY = add_channel("toy")


@dataclass
class ToyAdapter:
    channel: Channel = TOY
    sent: list[tuple[str, str, bool]] = field(default_factory=list)  # (address, body, urgent)
    streak: FailureStreak = field(default_factory=FailureStreak)
    started: bool = False
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        self.sent.append((address, body, urgent))
        outcome = Sent(provider_id=f"toy-{next(self._ids)}")
        self.streak.note(outcome)
        return outcome

    def health(self) -> dict[str, object]:
        return {"configured": True, "sent": len(self.sent)}

    def failing(self) -> str | None:
        return self.streak.health_reason(self.channel)

    def bodies_to(self, address: str) -> list[str]:
        return [body for to, body, _urgent in self.sent if to == address]
