"""The web simulator's registry entry."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.web import page
from bot.channels.web.adapter import WebChannel
from bot.context import AppContext
from bot.settings import Settings
from bot.web.front import ServiceApp
from storage.models import Channel


@dataclass(frozen=True)
class WebSimulatorPlugin:
    channel: Channel = Channel.web

    def configured(self, settings: Settings) -> bool:
        return settings.web_simulator

    def build(self, ctx: AppContext) -> WebChannel:
        return WebChannel()

    def mount(self, app: ServiceApp, ctx: AppContext, adapter: WebChannel) -> None:
        del ctx, adapter  # the page finds both through the request (bot.dashboard.access)
        app.include_router(page.router)


PLUGIN = WebSimulatorPlugin()
