"""THE list of channels the service can run: one line per channel package.

`bot.app` builds each configured one in this order (the order `/healthz` and the start-up log
list them in) and mounts its routes. Adding a channel: `docs/adding-a-channel.md`.
"""

from __future__ import annotations

from typing import Any

from bot.channels.plugin import ChannelPlugin
from bot.channels.telegram.channel import TELEGRAM
from bot.channels.twilio_sms.channel import TWILIO_SMS
from bot.channels.web.channel import WEB

CHANNELS: list[ChannelPlugin[Any]] = [
    WEB,
    TWILIO_SMS,
    TELEGRAM,
]
