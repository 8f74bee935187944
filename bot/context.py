"""What the running service holds: settings, database, flows, clock, channels, sender.

Built once by `bot.app.create_app` and handed to every route and job, so tests can build one with
a controllable clock and fake provider URLs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.channels.base import ChannelAdapter
from bot.clock import utcnow
from bot.database import Database
from bot.settings import Settings
from flows.model import Flow
from storage.models import Channel

if TYPE_CHECKING:
    from bot.inbound import TurnBatcher
    from bot.outbox import OutboxSender


@dataclass
class AppContext:
    settings: Settings
    database: Database
    flows: dict[str, Flow]
    clock: Callable[[], datetime] = utcnow
    channels: dict[Channel, ChannelAdapter] = field(default_factory=dict)
    sender: OutboxSender | None = None
    counters: dict[str, int] = field(default_factory=dict)
    turn_batcher: TurnBatcher | None = None  # made by bot.inbound on first use

    def count(self, name: str, by: int = 1) -> None:
        """Counters for things we deliberately do not store (e.g. unknown Telegram chats)."""
        self.counters[name] = self.counters.get(name, 0) + by
