"""The toy channel's registry entry: always configured, mounts its one webhook."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import AppContext
from bot.settings import Settings
from bot.web.front import ServiceApp
from storage.models import Channel
from tests.bot.toy_channel.adapter import TOY, ToyAdapter
from tests.bot.toy_channel.webhook import toy_webhooks


@dataclass(frozen=True)
class ToyPlugin:
    channel: Channel = TOY

    def configured(self, settings: Settings) -> bool:
        return True

    def build(self, ctx: AppContext) -> ToyAdapter:
        return ToyAdapter()

    def mount(self, app: ServiceApp, ctx: AppContext, adapter: ToyAdapter) -> None:
        app.provider_webhooks.update(toy_webhooks(ctx))


PLUGIN = ToyPlugin()
