"""The one interface every channel adapter implements (Telegram, Twilio SMS, web, terminal).

The outbox sender only knows this protocol; each adapter maps its provider's answers and errors
onto the three outcomes below, so retry, dead-letter and unreachable handling live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from storage.models import Channel


@dataclass(frozen=True)
class Sent:
    """The provider accepted the message. `provider_id`: Twilio SID, or "chat:message_id"."""

    provider_id: str | None


@dataclass(frozen=True)
class RetryLater:
    """A passing failure: rate limited (429, honour `after_seconds`), 5xx, time-out, network.

    ``rate_limited``: the provider only asked us to slow down (the message goes out once the
    wait is over). Every other RetryLater means the provider or our setup failed the attempt:
    an urgent alert then fails over at once while it is retried (`bot.outbox`)."""

    reason: str
    after_seconds: float | None = None
    rate_limited: bool = False


@dataclass(frozen=True)
class Undeliverable:
    """A permanent failure for this address (invalid number, unsubscribed, bot blocked, chat not
    found): the contact point is marked unreachable so nothing else is queued to it."""

    reason: str


SendOutcome = Sent | RetryLater | Undeliverable


class LookupFailed(Exception):
    """The provider could not be asked whether it already accepted a message."""


@runtime_checkable
class AcceptedLookup(Protocol):
    """An adapter whose provider can say which messages it already accepted (Twilio can list
    them; Telegram cannot). Used only for rows taken over from a sender that died mid-send."""

    async def accepted_since(self, address: str, body: str, since: datetime) -> list[str]:
        """Provider ids of messages from us to ``address`` with exactly ``body``, accepted at
        or after ``since``, oldest first. Raises `LookupFailed` when the provider cannot say."""
        ...

# After this many sends in a row that the provider (or our setup) failed, /healthz says
# "degraded": one failure is weather, five with none accepted between them is an outage.
FAILING_SENDS = 5


@dataclass
class FailureStreak:
    """Sends in a row the provider failed, for /healthz. A rate limit (the provider only asked
    us to wait) and an undeliverable address (the contact's problem) neither count nor reset."""

    count: int = 0
    reason: str | None = None

    def note(self, outcome: SendOutcome) -> None:
        if isinstance(outcome, Sent):
            self.count, self.reason = 0, None
        elif isinstance(outcome, RetryLater) and not outcome.rate_limited:
            self.count += 1
            self.reason = outcome.reason

    def health_reason(self, channel: Channel) -> str | None:
        """The /healthz reason while sends keep failing, or None."""
        if self.count < FAILING_SENDS:
            return None
        return f"{channel.value}: the last {self.count} sends failed ({self.reason})"


class ChannelAdapter(Protocol):
    channel: Channel

    async def start(self) -> None:
        """Open clients; called once from the app's lifespan."""

    async def stop(self) -> None:
        """Close clients; called once at shutdown after the sender has finished its batch."""

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        """Send one message. Never raises for provider errors: it returns an outcome.
        ``urgent`` (the urgent lane): go ahead of routine sends waiting for the rate limit."""
        ...

    def health(self) -> dict[str, object]:
        """A small JSON-able status for /healthz (configured, last error, …). No secrets."""
        ...

    def failing(self) -> str | None:
        """Why /healthz should say "degraded" for this channel (sends keep failing), or None."""
        ...
