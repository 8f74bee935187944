"""The web simulator's channel: a browser page plays an enrolled person.

Outbound messages go through the outbox like any other channel (urgent lane first, leases,
retries), and "sending" one only marks it sent: the simulator page reads the person's messages
from the database. So everything the page shows took the same path an SMS would.
"""

from __future__ import annotations

from bot.channels.base import SendOutcome, Sent
from storage.models import Channel


def web_address(person_id: int) -> str:
    return f"web-{person_id}"


class WebChannel:
    channel = Channel.web

    def __init__(self) -> None:
        self.sent = 0

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        del address, body, urgent  # the page reads the stored message
        self.sent += 1
        return Sent(provider_id=None)

    def health(self) -> dict[str, object]:
        return {"configured": True, "sent": self.sent}

    def failing(self) -> str | None:
        return None  # the page reads the stored message: nothing to fail
