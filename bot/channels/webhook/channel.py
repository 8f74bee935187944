"""The outbound webhook channel's registry entry: always on (each program opts in with its own
URL; one without queues nothing), no routes of its own (nothing calls us back)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.webhook.adapter import WebhookChannel
from bot.context import AppContext
from bot.settings import Settings
from bot.web.front import ServiceApp
from bot.webhook_events import WEBHOOK_CHANNEL
from storage.models import Channel


@dataclass(frozen=True)
class WebhookPlugin:
    channel: Channel = WEBHOOK_CHANNEL

    def configured(self, settings: Settings) -> bool:
        del settings
        return True

    def build(self, ctx: AppContext) -> WebhookChannel:
        return WebhookChannel(ctx)

    def mount(self, app: ServiceApp, ctx: AppContext, adapter: WebhookChannel) -> None:
        del app, ctx, adapter  # outbound only


PLUGIN = WebhookPlugin()
