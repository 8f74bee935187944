"""Telegram, through python-telegram-bot (PTB).

Webhook mode (production): the PTB `Application` has no updater; our own route
(`bot.channels.telegram.webhook`) authenticates Telegram's POST and hands the update to
`process_webhook_update`, which awaits `Application.process_update` directly, so the turn is
committed before Telegram gets its 200 (invariant 1), and a failed turn answers 5xx so Telegram
delivers it again (the update_id is the inbound dedupe key, so that is safe: invariant 2). A
plain text answer in a private chat skips PTB's parsing and dispatch (`plain_text_message`) and
goes straight to the turn, with the same outcomes.
Polling mode (local use): PTB's updater polls getUpdates and feeds the same handlers.

Handlers: `/start <code>` binds the chat to the person the invite code was made for; any other
text, or the caption under a photo, video, document or voice note, from a private chat goes to
`bot.inbound.receive`; an edited text or caption goes there as an edit (screened again, never an
answer); media with no words gets "Please answer with text." Chats that are not enrolled get one
sentence and leave nothing behind but a counter, unless their words are urgent: then they get
the crisis message and staff an "unknown sender" escalation (`bot.strangers`).

Sending maps PTB's exceptions onto the three outcomes of `bot.channels.base`. Neither the token
nor any message body is logged.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from telegram import Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.base import FailureStreak, RetryLater, SendOutcome, Sent, Undeliverable
from bot.channels.telegram.http import AiohttpRequest
from bot.channels.telegram.replies import bot_says
from bot.channels.telegram.updates import plain_text_message, split_message, words_of
from bot.context import AppContext
from bot.inbound import receive
from bot.invites import redeem_invite
from bot.sender_limits import AnsweredChats
from storage.models import Channel
from storage.queries import messages, people

log = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and Bot API URLs contain the token. PTB's own DEBUG
# logs print request parameters (message bodies), so its loggers stay at INFO or above.
logging.getLogger("httpx").setLevel(logging.WARNING)
if logging.getLogger("telegram").level < logging.INFO:  # NOTSET or DEBUG
    logging.getLogger("telegram").setLevel(logging.INFO)



class _RateLimitIsAWarning(logging.Filter):
    """PTB's AIORateLimiter logs an ERROR with a traceback whenever its retries run out, and
    we allow it none (the outbox retries after Telegram's ``retry_after``), so every 429 looked
    like a crash in the logs. A 429 is Telegram asking us to slow down: one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, RetryAfter):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
            record.msg, record.args = ("telegram: rate limited by Telegram (429); the outbox "
                                       "sends again after its retry_after"), ()
        return True


_RATE_LIMIT_FILTER = _RateLimitIsAWarning()
logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_RATE_LIMIT_FILTER)

# Edits are screened again (`bot.edited_turn`): Telegram sends them only when asked to.
ALLOWED_UPDATES = ["message", "edited_message"]


class TelegramNotReady(RuntimeError):
    """The Bot API could not be reached (or rejected the token) when we tried to initialise."""


class MalformedUpdate(ValueError):
    """The webhook body is JSON but not an Update PTB can read."""


class UpdateFailed(RuntimeError):
    """A handler raised while processing the update: nothing of its turn was committed."""


# The errors raised by handlers of the update being processed in this task. PTB catches handler
# exceptions and hands them to error handlers instead of raising from process_update, so the
# error handler reports them here for the webhook route to answer 5xx.
_handler_errors: ContextVar[list[BaseException] | None] = ContextVar(
    "telegram_handler_errors", default=None
)


@dataclass(frozen=True)
class _Redeemed:
    outcome: Literal["bound", "failed", "duplicate"]
    first_name: str = ""
    language: str = "en"




def _retry_after_seconds(exc: RetryAfter) -> float:
    # v22 returns an int (with a deprecation warning) unless PTB_TIMEDELTA=1 gives a timedelta.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


class TelegramChannel:
    channel = Channel.telegram

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.settings = ctx.settings
        self.mode = self.settings.telegram_mode
        token = self.settings.telegram_bot_token
        self._token = token.get_secret_value() if token is not None else ""
        self._ready = False
        self._stopped = False
        self._ready_lock = asyncio.Lock()
        self._last_error: str | None = None
        self._last_ok_at: datetime | None = None
        self.streak = FailureStreak()
        self._config_error = False
        # One "not enrolled" sentence a day per stranger chat (`bot.sender_limits`).
        self._strangers = AnsweredChats()
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = (
            self._build() if self._token else None
        )

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> Application[Any, Any, Any, Any, Any, Any]:
        builder = (
            Application.builder()
            .token(self._token)
            .base_url(self.settings.telegram_api_base_url)
            .request(AiohttpRequest(self.settings.telegram_api_base_url))
            .rate_limiter(AIORateLimiter(max_retries=0))  # the outbox does the retrying
        )
        if self.mode == "webhook":
            builder = builder.updater(None)  # our own ASGI route feeds process_update
        application = builder.build()
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        application.add_handler(CommandHandler("start", self._on_start, filters=private))
        application.add_handler(MessageHandler(private & filters.TEXT, self._on_text))
        # A caption (the words under a photo, video, document, voice note...) is the message's
        # text: screened, stored, and an answer when it can be one.
        application.add_handler(MessageHandler(private & filters.CAPTION, self._on_text))
        application.add_handler(MessageHandler(private & ~filters.TEXT, self._on_non_text))
        edited = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE
        application.add_handler(MessageHandler(edited & (filters.TEXT | filters.CAPTION),
                                               self._on_edit))
        application.add_error_handler(self._on_error)
        return application

    @property
    def configured(self) -> bool:
        return self.application is not None

    @property
    def bot_username(self) -> str | None:
        if self.application is None or not self._ready:
            return None
        try:
            return self.application.bot.username
        except RuntimeError:
            return None

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Initialise (getMe) and start; an unreachable API is retried on first use, not fatal."""
        self._stopped = False
        if self.application is None:
            return
        if not await self._ensure_ready():
            log.warning("telegram: not ready at start (%s); will retry on first use",
                        self._last_error)

    async def stop(self) -> None:
        self._stopped = True
        app = self.application
        if app is None:
            return
        async with self._ready_lock:
            self._ready = False
            try:
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                if app.running:
                    await app.stop()
                await app.shutdown()
                await app.bot.shutdown()  # when initialize failed half-way, close its clients
            except Exception as exc:  # shutting down must not raise into the lifespan
                log.warning("telegram: error while stopping: %s", type(exc).__name__)

    async def _ensure_ready(self) -> bool:
        app = self.application
        if app is None or self._stopped:
            return False
        if self._ready:
            return True
        async with self._ready_lock:
            if self._ready:
                return True
            try:
                await app.initialize()
                if not app.running:
                    await app.start()
                if self.mode == "polling" and app.updater is not None and not app.updater.running:
                    await app.updater.start_polling(
                        allowed_updates=ALLOWED_UPDATES,
                        drop_pending_updates=False,
                        error_callback=self._on_polling_error,
                    )
            except InvalidToken:
                # PTB's message for this one contains the token: never log or store it.
                self._note_error("bot token rejected by Telegram (check TELEGRAM_BOT_TOKEN)",
                                 config=True)
                return False
            except Exception as exc:
                self._note_error(f"cannot reach the Bot API ({self._describe(exc)})")
                return False
            self._ready = True
            self._config_error = False
            self._note_ok()
            return True

    # -- webhook entry ----------------------------------------------------------------------

    async def process_webhook_update(self, data: dict[str, Any]) -> None:
        """Process one webhook update to the end (its turn committed) or raise.

        Raises MalformedUpdate (answer 400), TelegramNotReady (503) or UpdateFailed (500).
        """
        app = self.application
        if app is None or not await self._ensure_ready():
            raise TelegramNotReady(self._last_error or "telegram is not configured")
        plain = plain_text_message(data)
        if plain is not None:
            await self._on_plain_text(data, *plain)
            return
        try:
            update = Update.de_json(data, app.bot)
        except Exception as exc:
            raise MalformedUpdate(type(exc).__name__) from None
        errors: list[BaseException] = []
        token = _handler_errors.set(errors)
        try:
            await app.process_update(update)
        finally:
            _handler_errors.reset(token)
        if errors:
            raise UpdateFailed(type(errors[0]).__name__)

    # -- handlers ---------------------------------------------------------------------------

    async def _on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        if not context.args:  # a bare /start ("Restart bot"): like any other text
            await self._on_text(update, context)
            return
        redeemed = await asyncio.to_thread(
            self._redeem_sync, context.args[0], str(chat.id), str(update.update_id)
        )
        if redeemed.outcome == "duplicate":
            return
        if redeemed.outcome == "bound":
            self.ctx.count("telegram_bound")
            await self._reply(update, bot_says("connected", redeemed.language,
                                               name=redeemed.first_name))
            return
        self.ctx.count("telegram_invite_failed")
        await self._reply(update, bot_says("invite_failed", self._user_language(update)))

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat, update.effective_message
        text = words_of(message)
        if chat is None or text is None:
            return
        if not await self._text_turn(update.update_id, chat.id, text):
            await self._answer_stranger(update, chat.id)

    async def _on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited text or caption: screened again, never answered (`bot.edited_turn`).
        Deduplicated by its update_id: the edit of message 7 is not message 7 again."""
        chat, text = update.effective_chat, words_of(update.edited_message)
        if chat is None or text is None:
            return
        await receive(self.ctx, Channel.telegram.value, str(chat.id), text,
                      provider_id=str(update.update_id), store_unknown=False, edited=True)

    async def _text_turn(self, update_id: int, chat_id: int, text: str) -> bool:
        """One turn for a chat's text; False (and counted) when the chat is not enrolled, which
        is recognised inside the turn and leaves nothing behind."""
        result = await receive(self.ctx, Channel.telegram.value, str(chat_id), text,
                               provider_id=str(update_id), store_unknown=False)
        if result.outcome == "unknown_sender":
            self.ctx.count("telegram_unknown_chat")
            return False
        if result.outcome == "stranger_crisis":  # answered with the crisis message instead
            self.ctx.count("telegram_stranger_crisis")
        return True

    async def _on_plain_text(self, data: dict[str, Any], update_id: int, chat_id: int,
                             text: str) -> None:
        """`_on_text` for the update `plain_text_message` recognised, without building PTB's
        objects for it; a handler error is reported as `process_update` reports one."""
        try:
            if await self._text_turn(update_id, chat_id, text):
                return
        except Exception as exc:
            log.error("telegram: update %s failed: %s", update_id, type(exc).__name__)
            raise UpdateFailed(type(exc).__name__) from None
        # Rare (a stranger): the reply goes through PTB's objects, as `_on_text`'s does.
        assert self.application is not None
        if not self._strangers.may_answer(str(chat_id), self.ctx.clock()):
            self.ctx.count("telegram_stranger_limited")
            return
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception as exc:
            raise MalformedUpdate(type(exc).__name__) from None
        await self._reply(update, bot_says("not_enrolled", self._user_language(update)))

    async def _on_non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        if await asyncio.to_thread(self._is_enrolled, str(chat.id)):
            await self._reply(update, bot_says("text_only", self._user_language(update)))
        else:
            self.ctx.count("telegram_unknown_chat")
            await self._answer_stranger(update, chat.id)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        # The type only: database errors quote their parameters, which may be message bodies.
        log.error("telegram: update %s failed: %s", update_id, type(error).__name__)
        errors = _handler_errors.get()
        if errors is not None and error is not None:
            errors.append(error)

    def _on_polling_error(self, exc: TelegramError) -> None:
        self._note_error(f"polling failed ({self._describe(exc)})")
        log.warning("telegram: polling failed: %s", self._describe(exc))

    async def _answer_stranger(self, update: Update, chat_id: int) -> None:
        """The "not enrolled" sentence, once a day per chat (not words of danger: those were
        answered inside the turn, never limited)."""
        if not self._strangers.may_answer(str(chat_id), self.ctx.clock()):
            self.ctx.count("telegram_stranger_limited")
            return
        await self._reply(update, bot_says("not_enrolled", self._user_language(update)))

    async def _reply(self, update: Update, text: str) -> None:
        """A direct answer outside any check-in; best effort (the update is still handled)."""
        message = update.effective_message
        if message is None:
            return
        try:
            await message.reply_text(text)
        except TelegramError as exc:
            log.warning("telegram: could not reply: %s", self._describe(exc))

    @staticmethod
    def _user_language(update: Update) -> str:
        user = update.effective_user
        return (user.language_code if user and user.language_code else "en").split("-")[0]

    # -- database work (worker threads) -----------------------------------------------------

    def _is_enrolled(self, chat_id: str) -> bool:
        with self.ctx.database.transaction() as db:
            db.connection(execution_options={"sqlite_begin": "DEFERRED"})  # read-only
            return people.find_contact(db, Channel.telegram, chat_id) is not None

    def _redeem_sync(self, code: str, chat_id: str, provider_id: str) -> _Redeemed:
        with self.ctx.database.transaction() as db:
            now = self.ctx.clock()
            # The inbound row (no body: the code is a credential) makes a re-delivered /start a
            # no-op; it is committed with the binding or not at all.
            inbound = messages.record_inbound(db, Channel.telegram, chat_id, provider_id, None,
                                              None, now)
            if inbound is None:
                return _Redeemed("duplicate")
            person = redeem_invite(db, code, chat_id, now)
            if person is None:
                db.rollback()  # keep nothing about a failed attempt
                return _Redeemed("failed")
            inbound.person_id = person.id
            first = person.display_name.split()[0] if person.display_name.strip() else ""
            return _Redeemed("bound", first, person.language)

    # -- sending ----------------------------------------------------------------------------

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        # PTB's AIORateLimiter has no priorities, so ``urgent`` is not used: at Telegram's ~30
        # messages a second, the few routine sends already waiting in it cost an alert ~0.1 s.
        del urgent
        if self.application is None:
            return RetryLater("telegram: not configured (TELEGRAM_BOT_TOKEN)")
        try:
            chat_id = int(address)
        except ValueError:
            return Undeliverable("telegram: address is not a chat id")
        if not await self._ensure_ready():
            outcome: SendOutcome = RetryLater(f"telegram: {self._last_error or 'not ready'}")
        else:
            outcome = await self._send_parts(chat_id, split_message(body))
        if isinstance(outcome, Sent):
            self._note_ok()
        self.streak.note(outcome)
        return outcome

    async def _send_parts(self, chat_id: int, parts: list[str]) -> SendOutcome:
        assert self.application is not None
        bot = self.application.bot
        message_id: int | None = None
        try:
            for part in parts:
                message = await bot.send_message(chat_id=chat_id, text=part)
                message_id = message.message_id if message_id is None else message_id
        except RetryAfter as exc:
            return RetryLater("telegram: rate limited", after_seconds=_retry_after_seconds(exc),
                              rate_limited=True)
        except Forbidden as exc:
            text = exc.message.lower()
            if "deactivated" in text:
                return Undeliverable("telegram: user deactivated")
            if "blocked" in text:
                return Undeliverable("telegram: blocked by user")
            return Undeliverable(f"telegram: forbidden ({self._scrub(exc.message)})")
        except BadRequest as exc:
            text = exc.message.lower()
            if any(s in text for s in ("chat not found", "user not found", "peer_id_invalid")):
                return Undeliverable("telegram: chat not found")
            return RetryLater(f"telegram: bad request ({self._scrub(exc.message)})")
        except TimedOut:
            return RetryLater("telegram: timed out")
        except NetworkError as exc:
            self._note_error(f"network error ({self._describe(exc)})")
            return RetryLater(f"telegram: network error ({self._describe(exc)})")
        except InvalidToken:
            self._note_error("bot token rejected by Telegram (check TELEGRAM_BOT_TOKEN)",
                             config=True)
            return RetryLater("telegram: bot token rejected")
        except ChatMigrated:
            return Undeliverable("telegram: chat migrated (not a private chat)")
        except TelegramError as exc:
            return RetryLater(f"telegram: {self._describe(exc)}")
        except Exception as exc:  # send never raises: the sender decides what to do
            log.warning("telegram: unexpected send error: %s", type(exc).__name__)
            return RetryLater(f"telegram: unexpected error ({type(exc).__name__})")
        return Sent(provider_id=f"{chat_id}:{message_id}")

    # -- health -----------------------------------------------------------------------------

    def health(self) -> dict[str, object]:
        return {
            "configured": self.configured,
            "mode": self.mode,
            "ready": self._ready,
            "bot_username": self.bot_username,
            "config_error": self._config_error,
            "last_error": self._last_error,
            "last_ok_at": self._last_ok_at.isoformat() if self._last_ok_at else None,
            "failing_in_a_row": self.streak.count,
        }

    def failing(self) -> str | None:
        return self.streak.health_reason(self.channel)

    def _note_ok(self) -> None:
        self._last_ok_at = self.ctx.clock()

    def _note_error(self, message: str, *, config: bool = False) -> None:
        self._last_error = self._scrub(message)
        if config:
            self._config_error = True

    def _describe(self, exc: BaseException) -> str:
        message = exc.message if isinstance(exc, TelegramError) else ""
        text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
        return self._scrub(text)

    def _scrub(self, text: str) -> str:
        """No error text we keep or log may carry the token (PTB's InvalidToken message does)."""
        return text.replace(self._token, "<token>") if self._token else text
