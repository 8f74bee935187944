"""What the running service holds: settings, database, flows, clock, channels, sender.

Built once by `bot.app.create_app` and handed to every route and job, so tests can build one with
a controllable clock and fake provider URLs. The parts made later by modules that themselves take
an `AppContext` (the outbox sender, the webhook turn batcher) are named here by what the rest of
the app asks of them (protocols), so this module imports none of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.channels.base import ChannelAdapter
from bot.clock import utcnow
from bot.database import Database
from bot.metrics.instruments import ServiceMetrics
from bot.settings import Settings
from flows.model import Flow
from storage.models import Channel


class Sender(Protocol):
    """The outbox sender (`bot.outbox.OutboxSender`) as routes and jobs use it."""

    def wake(self, *, urgent: bool = True) -> None:
        """Something was queued: look now rather than at the next poll."""

    def health(self) -> dict[str, Any]: ...


class TurnQueue(Protocol):
    """The webhook turn batcher (`bot.inbound.TurnBatcher`): made on first use, for one loop."""

    @property
    def loop(self) -> asyncio.AbstractEventLoop: ...


@dataclass
class AppContext:
    settings: Settings
    database: Database
    flows: dict[str, Flow]
    clock: Callable[[], datetime] = utcnow
    channels: dict[Channel, ChannelAdapter] = field(default_factory=dict)
    sender: Sender | None = None
    counters: dict[str, int] = field(default_factory=dict)
    turn_batcher: TurnQueue | None = None  # made by bot.inbound on first use
    metrics: ServiceMetrics | None = None  # set by create_app when METRICS_TOKEN is set

    def count(self, name: str, by: int = 1) -> None:
        """Counters for things we deliberately do not store (e.g. unknown Telegram chats)."""
        self.counters[name] = self.counters.get(name, 0) + by
