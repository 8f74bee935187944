"""The Telegram channel's registry entry."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.telegram.adapter import TelegramChannel
from bot.channels.telegram.webhook import telegram_webhooks
from bot.context import AppContext
from bot.settings import Settings
from bot.web.front import ServiceApp
from storage.models import Channel


@dataclass(frozen=True)
class TelegramPlugin:
    channel: Channel = Channel.telegram

    def configured(self, settings: Settings) -> bool:
        return settings.telegram_enabled

    def build(self, ctx: AppContext) -> TelegramChannel:
        return TelegramChannel(ctx)

    def mount(self, app: ServiceApp, ctx: AppContext, adapter: TelegramChannel) -> None:
        # Mounted in polling mode too: the route answers 404 there (nothing is stored).
        app.provider_webhooks.update(telegram_webhooks(ctx, adapter))


PLUGIN = TelegramPlugin()
