"""The toy channel's receiving side: `POST /webhooks/toy`, JSON {"from", "id", "text"},
authenticated by a shared secret header compared in constant time; deduplicated by "id"."""

from __future__ import annotations

import hmac
import json

from bot.context import AppContext
from bot.inbound import receive
from bot.web.front import WebhookHandler, WebhookRequest, WebhookResponse
from tests.bot.toy_channel.adapter import TOY

PATH = "/webhooks/toy"
SECRET_HEADER = "x-toy-secret"
SECRET = "toy-secret-0123456789"


def toy_webhooks(ctx: AppContext) -> dict[str, WebhookHandler]:
    async def inbound(request: WebhookRequest) -> WebhookResponse:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, SECRET.encode()):
            return WebhookResponse(403)
        try:
            data = json.loads(request.body)
            sender, message_id, text = str(data["from"]), str(data["id"]), str(data["text"])
        except (ValueError, KeyError, TypeError):
            return WebhookResponse(400)
        await receive(ctx, TOY.value, sender, text, message_id)
        return WebhookResponse(200)

    return {PATH: inbound}
