"""Logging set-up. Secrets and message bodies never reach the logs (invariant 5)."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Telegram's URLs contain the bot token.
    # python-telegram-bot's Bot logger prints request parameters (message bodies) at DEBUG.
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
