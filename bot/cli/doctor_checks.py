"""What `checkin doctor` checks before who can be alerted: the settings, the database, its
migrations, and each configured provider with a read-only call.

- Telegram: `getMe` (the token) and `getWebhookInfo` (in webhook mode the URL Telegram calls is
  ``PUBLIC_BASE_URL`` + /webhooks/telegram; in polling mode none is set, or polling gets
  nothing), through python-telegram-bot's `Bot` at ``TELEGRAM_API_BASE_URL``.
- Twilio: the account fetch (the SID and token, and that the account is active) and the
  incoming number's "a message comes in" URL (``PUBLIC_BASE_URL`` + /webhooks/twilio/sms),
  through the twilio client at ``TWILIO_API_BASE_URL``.

Each check is a `Finding` with what to fix when it fails. Nothing here writes anywhere, prints
a token or a secret, or quotes a provider's error text (it can hold the token).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
import telegram
from sqlalchemy import text
from telegram.error import InvalidToken, NetworkError, TelegramError
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from bot.channels.telegram.webhook import WEBHOOK_PATH
from bot.channels.twilio_sms.adapter import INBOUND_PATH
from bot.channels.twilio_sms.client import REAL_API_BASE_URL, AiohttpTwilioClient
from bot.database import Database
from bot.settings import Settings
from storage import migrate


@dataclass(frozen=True)
class Finding:
    what: str  # "Telegram", "Database", ...
    ok: bool
    detail: str
    fix: str | None = None


# Settings that may be empty on purpose; what leaving each empty means.
OPTIONAL: tuple[tuple[str, str], ...] = (
    ("telegram_bot_token", "Telegram is off"),
    ("twilio_account_sid", "SMS is off"),
    ("public_base_url", "providers cannot call the service, and alerts carry no link"),
)


def unset_settings(cfg: Settings) -> list[str]:
    """"NAME (what that means)" for each optional setting left empty."""
    return [f"{name.upper()} ({meaning})" for name, meaning in OPTIONAL
            if not getattr(cfg, name)]


def check_database(database: Database) -> Finding:
    try:
        with database.reading() as db:
            db.execute(text("SELECT 1"))
    except Exception as exc:  # the type only: the text can carry the password
        return Finding("Database", False, f"cannot be reached ({type(exc).__name__})",
                       "check DATABASE_URL and that the database server is running")
    return Finding("Database", True, "reachable")


def check_migrations(url: str) -> Finding:
    newest, at = migrate.head(), migrate.current(url)
    if at == newest:
        return Finding("Migrations", True, f"at the newest revision ({newest})")
    if at is None:
        return Finding("Migrations", False, "the database has no tables yet",
                       "run `checkin db upgrade`")
    return Finding("Migrations", False, f"the database is at revision {at}, this version "
                   f"needs {newest}", "run `checkin db upgrade` (the service also does at start)")


def check_telegram(cfg: Settings) -> list[Finding]:
    assert cfg.telegram_bot_token is not None
    token = cfg.telegram_bot_token.get_secret_value()

    async def ask() -> tuple[telegram.User, telegram.WebhookInfo]:
        async with telegram.Bot(token, base_url=cfg.telegram_api_base_url) as bot:
            return await bot.get_me(), await bot.get_webhook_info()

    try:
        me, info = asyncio.run(ask())
    except InvalidToken:
        return [Finding("Telegram", False, "Telegram rejected TELEGRAM_BOT_TOKEN (getMe)",
                        "copy the bot's token from @BotFather (/mybots → API Token) into "
                        "TELEGRAM_BOT_TOKEN")]
    except NetworkError as exc:
        return [Finding("Telegram", False, f"cannot reach the Bot API at "
                        f"{cfg.telegram_api_base_url} ({type(exc).__name__})",
                        "check the network and TELEGRAM_API_BASE_URL (empty: the real one)")]
    except TelegramError as exc:
        return [Finding("Telegram", False, f"the Bot API refused getMe ({type(exc).__name__})",
                        "check TELEGRAM_BOT_TOKEN with @BotFather")]
    found = [Finding("Telegram", True, f"the bot @{me.username} answers (getMe)")]
    if cfg.telegram_mode == "webhook":
        wanted = f"{cfg.public_base_url}{WEBHOOK_PATH}"
        if info.url == wanted:
            found.append(Finding("Telegram webhook", True, f"Telegram calls {wanted}"))
        else:
            found.append(Finding(
                "Telegram webhook", False,
                f"Telegram calls {info.url or 'nothing'}, not {wanted}",
                "run `checkin telegram set-webhook` (after PUBLIC_BASE_URL is right)"))
    elif info.url:
        found.append(Finding(
            "Telegram webhook", False,
            "TELEGRAM_MODE=polling, but a webhook is set at Telegram: polling gets nothing",
            "run `checkin telegram delete-webhook`, or set TELEGRAM_MODE=webhook"))
    return found


def check_twilio(cfg: Settings) -> list[Finding]:
    sid = cfg.twilio_account_sid
    assert sid is not None and cfg.twilio_auth_token is not None
    token = cfg.twilio_auth_token.get_secret_value()
    base = cfg.twilio_api_base_url.rstrip("/")

    async def ask() -> list[Finding]:
        http = AiohttpTwilioClient(None if base == REAL_API_BASE_URL else base)
        try:
            account = Client(sid, token, http_client=http).api.v2010.accounts(sid)
            fetched = await account.fetch_async()
            if fetched.status != "active":
                return [Finding("SMS (Twilio)", False, f"the Twilio account is {fetched.status}",
                                "reactivate it in the Twilio console (Account → General)")]
            found = [Finding("SMS (Twilio)", True,
                             f"the account {sid[:6]}… is active (account fetch)")]
            if cfg.twilio_from_number:
                numbers = await account.incoming_phone_numbers.list_async(
                    phone_number=cfg.twilio_from_number, limit=1)
                found.append(_number_finding(cfg, numbers[0].sms_url if numbers else None,
                                             bool(numbers)))
            else:
                found.append(Finding("SMS number", True, "a Messaging Service sends; its "
                                     "incoming URL is not checked here (Twilio console → "
                                     "Messaging Services → Integration)"))
            return found
        finally:
            await http.close()

    try:
        return asyncio.run(ask())
    except TwilioRestException as exc:
        if exc.status == 401:
            return [Finding("SMS (Twilio)", False, "Twilio rejected TWILIO_ACCOUNT_SID and "
                            "TWILIO_AUTH_TOKEN (account fetch)",
                            "copy both from the Twilio console (Account info)")]
        return [Finding("SMS (Twilio)", False, f"Twilio answered {exc.status} (error "
                        f"{exc.code}) to the account fetch", "check TWILIO_ACCOUNT_SID")]
    except (TwilioException, aiohttp.ClientError, TimeoutError) as exc:
        return [Finding("SMS (Twilio)", False, f"cannot reach Twilio at {base} "
                        f"({type(exc).__name__})",
                        "check the network and TWILIO_API_BASE_URL (empty: the real one)")]


def _number_finding(cfg: Settings, sms_url: str | None, found: bool) -> Finding:
    number = cfg.twilio_from_number
    if not found:
        return Finding("SMS number", False, f"{number} is not a number of this Twilio account",
                       "set TWILIO_FROM_NUMBER to one of the account's numbers (Phone Numbers "
                       "→ Active numbers)")
    wanted = f"{cfg.public_base_url}{INBOUND_PATH}"
    if sms_url == wanted:
        return Finding("SMS number", True, f"texts to {number} come to {wanted}")
    return Finding("SMS number", False,
                   f"texts to {number} go to {sms_url or 'nowhere'}, not {wanted}",
                   f"in the Twilio console open {number}; under Messaging set \"A message "
                   f"comes in\" to Webhook, HTTP POST, {wanted}")
