"""The Twilio SMS channel's registry entry."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.twilio_sms.adapter import TwilioChannel
from bot.channels.twilio_sms.webhook import twilio_webhooks
from bot.context import AppContext
from bot.settings import Settings
from bot.web.front import ServiceApp
from storage.models import Channel


@dataclass(frozen=True)
class TwilioSmsPlugin:
    channel: Channel = Channel.sms

    def configured(self, settings: Settings) -> bool:
        return settings.twilio_enabled

    def build(self, ctx: AppContext) -> TwilioChannel:
        return TwilioChannel(ctx.settings)

    def mount(self, app: ServiceApp, ctx: AppContext, adapter: TwilioChannel) -> None:
        del adapter  # the webhooks read the settings per request
        app.provider_webhooks.update(twilio_webhooks(ctx))


PLUGIN = TwilioSmsPlugin()
