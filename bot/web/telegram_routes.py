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

from fastapi import APIRouter, Request, Response

from bot.channels.telegram import (
    SECRET_TOKEN_HEADER,
    WEBHOOK_PATH,
    MalformedUpdate,
    TelegramChannel,
    TelegramNotReady,
    UpdateFailed,
)
from bot.context import AppContext

log = logging.getLogger(__name__)


def _secret_ok(given: str | None, expected: str) -> bool:
    if given is None:
        return False
    # compare_digest refuses non-ASCII str; bytes compare in constant time whatever they hold.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def telegram_router(ctx: AppContext, channel: TelegramChannel) -> APIRouter:
    router = APIRouter()

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        secret = ctx.settings.telegram_webhook_secret
        if not channel.configured or channel.mode != "webhook" or secret is None:
            return Response(status_code=404)
        if not _secret_ok(request.headers.get(SECRET_TOKEN_HEADER), secret.get_secret_value()):
            ctx.count("telegram_webhook_forbidden")
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return Response("body is not JSON", status_code=400)
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return Response("not a Telegram Update (no integer update_id)", status_code=400)
        try:
            await channel.process_webhook_update(data)
        except MalformedUpdate as exc:
            log.warning("telegram: update %s is malformed (%s)", update_id, exc)
            return Response("malformed Update", status_code=400)
        except TelegramNotReady:
            return Response("Telegram client not ready", status_code=503)
        except UpdateFailed:
            return Response("update failed; deliver it again", status_code=500)
        return Response(status_code=200)

    return router
