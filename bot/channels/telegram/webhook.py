"""`POST /webhooks/telegram`: Telegram's updates, authenticated by the secret token.

Answers: 404 when Telegram is not configured for webhooks here, 403 for a missing or wrong
secret (nothing stored, nothing processed), 400 for a body that is not an Update, 503 when the
Bot API could not be reached to initialise, 500 when processing failed (Telegram delivers the
update again; its update_id makes that safe), and 200 once the update's turn is committed.
"""

from __future__ import annotations

import hmac
import json
import logging

from bot.channels.telegram.adapter import (
    MalformedUpdate,
    TelegramChannel,
    TelegramNotReady,
    UpdateFailed,
)
from bot.context import AppContext
from bot.web.front import WebhookHandler, WebhookRequest, WebhookResponse

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _secret_ok(given: str | None, expected: str) -> bool:
    if given is None:
        return False
    # compare_digest refuses non-ASCII str; bytes compare in constant time whatever they hold.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def telegram_webhooks(ctx: AppContext, channel: TelegramChannel) -> dict[str, WebhookHandler]:
    """The Telegram webhook handler, by path."""
    header = SECRET_TOKEN_HEADER.lower()

    async def telegram_webhook(request: WebhookRequest) -> WebhookResponse:
        secret = ctx.settings.telegram_webhook_secret
        if not channel.configured or channel.mode != "webhook" or secret is None:
            return WebhookResponse(404)
        if not _secret_ok(request.headers.get(header), secret.get_secret_value()):
            ctx.count("telegram_webhook_forbidden")
            return WebhookResponse(403)
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return WebhookResponse(400, b"body is not JSON")
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return WebhookResponse(400, b"not a Telegram Update (no integer update_id)")
        try:
            await channel.process_webhook_update(data)
        except MalformedUpdate as exc:
            log.warning("telegram: update %s is malformed (%s)", update_id, exc)
            return WebhookResponse(400, b"malformed Update")
        except TelegramNotReady:
            return WebhookResponse(503, b"Telegram client not ready")
        except UpdateFailed:
            return WebhookResponse(500, b"update failed; deliver it again")
        return WebhookResponse(200)

    return {WEBHOOK_PATH: telegram_webhook}
