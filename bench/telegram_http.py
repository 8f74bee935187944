"""CPU per Telegram send: python-telegram-bot on its default httpx client vs our aiohttp one.

One `Bot.send_message` at a time to the fake Bot API (its own process, on the other core), spaced
as the rate limiter spaces real sends (30 a second), and once back to back. Prints milliseconds of
this process's CPU per send; the service pays this on the core that answers webhooks.

    .venv/bin/python bench/telegram_http.py [--sends 300]

Traffic goes only to 127.0.0.1; every loop is bounded. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402
from telegram.request import BaseRequest, HTTPXRequest  # noqa: E402

from bench.providers import ProviderProcess  # noqa: E402
from bench.service import BOT_TOKEN, two_cores  # noqa: E402
from bot.channels.telegram.http import AiohttpRequest  # noqa: E402


async def cpu_ms_per_send(base: str, request: BaseRequest, sends: int, spacing: float) -> float:
    async with Bot(BOT_TOKEN, base_url=base, request=request) as bot:
        for i in range(20):  # warm up: connection open, code paths loaded
            await bot.send_message(chat_id=10_000_000 + i, text="warm")
        started = time.process_time()
        for i in range(sends):
            await bot.send_message(chat_id=10_000_000 + i, text="How safe do you feel today?")
            if spacing:
                await asyncio.sleep(spacing)
        return (time.process_time() - started) / sends * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=300)
    args = parser.parse_args()
    if two_cores():
        os.sched_setaffinity(0, {1})  # the fake API process inherits core 1 ...
    with ProviderProcess(BOT_TOKEN) as fakes:
        if two_cores():
            os.sched_setaffinity(0, {0})  # ... and the client measured here takes core 0
        base = f"{fakes.telegram_url}/bot"
        results: dict[str, float] = {}
        for spacing, label in ((1 / 30, "spaced_30_per_s"), (0.0, "back_to_back")):
            for name, make in (("httpx", lambda: HTTPXRequest(connection_pool_size=8)),
                               ("aiohttp", lambda: AiohttpRequest(base))):
                runs = [asyncio.run(cpu_ms_per_send(base, make(), args.sends, spacing))
                        for _ in range(2)]
                value = round(min(runs), 3)
                results[f"{name}_{label}_cpu_ms_per_send"] = value
                print(f"{name:>8} {label:>16}: {value:.2f} ms CPU per send "
                      f"(runs: {', '.join(f'{r:.2f}' for r in runs)})")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
