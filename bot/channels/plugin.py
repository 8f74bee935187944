"""What a channel package gives the app: one `ChannelPlugin`, listed in `bot.channels.registry`.

A channel is one package under `bot/channels/` (courier's `handlers/<name>/` is the model): its
adapter sends (`bot.channels.base.ChannelAdapter`), its webhook receives, checks the provider's
signature and applies delivery reports, and its plugin says whether the settings configure it,
builds the adapter and mounts the webhook routes on the app. `bot.app` only walks the registry,
so it names no channel. Pacing belongs to the adapter: each provider's rate limit is its own
(Twilio: `bot.channels.pacing.LanePacer`; Telegram: PTB's `AIORateLimiter`). How to add one:
`docs/adding-a-channel.md`.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from bot.channels.base import ChannelAdapter
from bot.context import AppContext
from bot.settings import Settings
from bot.web.front import ServiceApp
from storage.models import Channel

A = TypeVar("A", bound=ChannelAdapter)


class ChannelPlugin(Protocol[A]):
    """One channel package's entry in the registry. ``A``: its adapter's type."""

    @property
    def channel(self) -> Channel:
        """The channel's name, as stored on contact points, messages and inbound rows."""
        ...

    def configured(self, settings: Settings) -> bool:
        """Whether the settings turn this channel on. Off: no adapter, no routes (its webhook
        paths answer 404), and the outbox leaves its rows alone."""
        ...

    def build(self, ctx: AppContext) -> A:
        """The sending adapter, built once at app creation (started in the lifespan)."""
        ...

    def mount(self, app: ServiceApp, ctx: AppContext, adapter: A) -> None:
        """Register this channel's routes on the app: provider webhooks on
        ``app.provider_webhooks`` (answered in front of FastAPI, see `bot.web.front`), pages
        with ``app.include_router``. Every route authenticates its caller."""
        ...
