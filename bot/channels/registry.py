"""THE list of channels the service can run: one line per channel package.

Each package's `channel` module names its entry `PLUGIN` (a `ChannelPlugin`). `bot.app` builds
each configured one in this list's order (the order `/healthz` and the start-up log list them
in) and mounts its routes. Adding a channel: `docs/adding-a-channel.md`.

The packages are named, not imported here, so that registering one is that one line: an import
beside it would be a second line to forget.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from bot.channels.plugin import ChannelPlugin

CHANNEL_PACKAGES: list[str] = [
    "bot.channels.web",
    "bot.channels.twilio_sms",
    "bot.channels.telegram",
    "bot.channels.webhook",
]


def plugins() -> list[ChannelPlugin[Any]]:
    """Each registered package's entry, in the list's order. Read from `CHANNEL_PACKAGES` each
    time: tests register channels of their own."""
    return [_plugin(package) for package in CHANNEL_PACKAGES]


def _plugin(package: str) -> ChannelPlugin[Any]:
    module = import_module(f"{package}.channel")
    plugin = getattr(module, "PLUGIN", None)
    if plugin is None or not all(
            hasattr(plugin, name) for name in ("channel", "configured", "build", "mount")):
        raise TypeError(f"{package}.channel must define PLUGIN, a ChannelPlugin "
                        "(see docs/adding-a-channel.md)")
    return plugin  # type: ignore[no-any-return]
