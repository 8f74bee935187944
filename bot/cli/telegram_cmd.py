"""`checkin telegram …` (the webhook at Telegram) and `checkin people invite ID` (a deep link).

Every command talks to the Bot API through python-telegram-bot with the configured base URL, so
a staging or test setup can point it at a fake server. The token and the webhook secret are
never printed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, TypeVar

import telegram
import typer
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.channels.telegram.adapter import ALLOWED_UPDATES
from bot.channels.telegram.webhook import WEBHOOK_PATH
from bot.cli.common import database, fail, settings
from bot.clock import utcnow
from bot.invites import create_invite, invite_link
from bot.settings import Settings
from storage.models import Person

telegram_app = typer.Typer(help="Telegram: the webhook Telegram calls.", no_args_is_help=True)

T = TypeVar("T")


def _token(cfg: Settings) -> str:
    if cfg.telegram_bot_token is None:
        fail("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in "
             ".env (see .env.example)")
    return cfg.telegram_bot_token.get_secret_value()


def call_bot(cfg: Settings, action: Callable[[telegram.Bot], Awaitable[T]]) -> T:
    """Run `action` with an initialised Bot; Bot API failures end the command readably."""
    token = _token(cfg)

    async def run() -> T:
        async with telegram.Bot(token, base_url=cfg.telegram_api_base_url) as bot:
            return await action(bot)

    try:
        return asyncio.run(run())
    except InvalidToken:  # its message contains the token: say it in our words
        fail("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather")
    except NetworkError as exc:
        fail(f"cannot reach the Telegram Bot API at {cfg.telegram_api_base_url}: "
             f"{_scrub(exc.message, token)}")
    except TelegramError as exc:
        fail(f"Telegram refused: {_scrub(exc.message, token)}")


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "<token>")


def webhook_url(cfg: Settings) -> str:
    if not cfg.public_base_url:
        fail("PUBLIC_BASE_URL is not set: it is the https address Telegram will call, "
             "e.g. https://checkin.example.org")
    return f"{cfg.public_base_url}{WEBHOOK_PATH}"


@telegram_app.command("set-webhook")
def set_webhook() -> None:
    """Tell Telegram to POST updates to PUBLIC_BASE_URL/webhooks/telegram with the secret."""
    cfg = settings()
    url = webhook_url(cfg)
    if cfg.telegram_webhook_secret is None:
        fail("TELEGRAM_WEBHOOK_SECRET is not set: generate one with "
             "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`")
    secret = cfg.telegram_webhook_secret.get_secret_value()

    async def action(bot: telegram.Bot) -> bool:
        return await bot.set_webhook(url=url, secret_token=secret,
                                     allowed_updates=ALLOWED_UPDATES,
                                     drop_pending_updates=False)

    call_bot(cfg, action)
    typer.echo(f"webhook set: {url} (updates: {', '.join(ALLOWED_UPDATES)}; "
               "secret token: set; pending updates kept)")


@telegram_app.command("delete-webhook")
def delete_webhook(
    drop_pending: Annotated[
        bool, typer.Option(help="Also discard the updates Telegram holds.")
    ] = False,
) -> None:
    """Stop Telegram calling the webhook (e.g. before TELEGRAM_MODE=polling)."""
    cfg = settings()

    async def action(bot: telegram.Bot) -> bool:
        return await bot.delete_webhook(drop_pending_updates=drop_pending)

    call_bot(cfg, action)
    typer.echo("webhook deleted" + (" and pending updates dropped" if drop_pending else ""))


@telegram_app.command("webhook-info")
def webhook_info() -> None:
    """What Telegram has: the webhook URL, pending updates, the last delivery error."""
    cfg = settings()

    async def action(bot: telegram.Bot) -> telegram.WebhookInfo:
        return await bot.get_webhook_info()

    info = call_bot(cfg, action)
    typer.echo(f"url: {info.url or '(none)'}")
    typer.echo(f"pending updates: {info.pending_update_count}")
    if info.allowed_updates:
        typer.echo(f"allowed updates: {', '.join(info.allowed_updates)}")
    if info.last_error_message:
        when = info.last_error_date.isoformat() if info.last_error_date else "?"
        typer.echo(f"last error: {info.last_error_message} (at {when})")


def invite(person_id: int) -> None:
    """Make a one-time Telegram invite link for a person (prints the link and its expiry)."""
    cfg = settings()
    db_handle = database()
    with db_handle.transaction() as db:
        person = db.get(Person, person_id)
        if person is None:
            fail(f"no person with id {person_id} (see `checkin people list`)")
        name = person.display_name

    async def action(bot: telegram.Bot) -> str:
        return bot.username

    username = call_bot(cfg, action)
    now = utcnow()
    with db_handle.transaction() as db:
        code = create_invite(db, person_id, now, timedelta(hours=cfg.invite_valid_hours),
                             actor="cli")
        expires_at = code.expires_at
        link = invite_link(username, code.code)
    typer.echo(f"Invite for {name} (person {person_id}), single use:")
    typer.echo(link)
    typer.echo(f"valid until {expires_at:%Y-%m-%d %H:%M} UTC ({cfg.invite_valid_hours} h)")
