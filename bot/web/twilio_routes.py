"""Twilio webhooks: inbound SMS and delivery status callbacks.

Every request must carry a valid `X-Twilio-Signature` for `PUBLIC_BASE_URL` + path (the address
Twilio was given), checked by the twilio library's own validator; anything else gets an empty
403 and nothing is stored. Inbound SMS goes through `bot.inbound.receive`, which commits the
turn before we answer, so Twilio only gets 200 for a message that is safely stored; if that
fails we answer 500 and Twilio retries. Replies go out through the outbox, so the TwiML answer
is always empty.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from bot.channels.twilio_sms import INBOUND_PATH, STATUS_CALLBACK_PATH
from bot.context import AppContext
from bot.delivery import apply_status_callback
from bot.inbound import receive
from bot.phones import BadPhoneNumber, normalize_phone
from storage.models import Channel

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
SHARED_KEY_HEADER = "X-Twilio-Webhooks-Signature-Settings"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _forbidden() -> Response:
    return Response(status_code=403)


async def _signed_form(ctx: AppContext, request: Request) -> FormData | None:
    """The request's form if it is signed by our Twilio account; None otherwise."""
    settings = ctx.settings
    token = settings.twilio_auth_token
    if token is None or not settings.public_base_url:
        return None
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return None
    if request.headers.get(SHARED_KEY_HEADER):
        # Signed with a Webhooks SharedKey, which we are not configured with.
        log.warning("twilio webhook signed with a SharedKey refused: configure the webhook to be "
                    "signed with the account auth token")
        return None
    try:
        form = await request.form()
    except Exception:  # malformed body: treat as unsigned
        return None
    if any(not isinstance(value, str) for _, value in form.multi_items()):
        return None  # file uploads: Twilio never sends multipart
    url = settings.public_base_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not RequestValidator(token.get_secret_value()).validate(url, form, signature):
        ctx.count("twilio_bad_signature")
        log.warning("twilio webhook with an invalid signature refused (%s)", request.url.path)
        return None
    return form


def _e164(raw: str, default_country: str) -> str:
    raw = raw.strip()
    if raw.startswith("+"):
        return raw
    try:
        return normalize_phone(raw, default_country)
    except BadPhoneNumber:
        return raw  # short codes and alphanumeric senders stay as they are


def twilio_router(ctx: AppContext) -> APIRouter:
    router = APIRouter()

    @router.post(INBOUND_PATH, include_in_schema=False)
    async def inbound_sms(request: Request) -> Response:
        form = await _signed_form(ctx, request)
        if form is None:
            return _forbidden()
        from_ = str(form.get("From") or "")
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        if not from_ or not sid:
            return Response(status_code=400)
        body = str(form.get("Body") or "")
        address = _e164(from_, ctx.settings.default_country)
        try:
            result = await receive(ctx, Channel.sms.value, address, body, sid)
        except Exception as exc:
            # The type only: database errors can quote the statement's parameters (the body).
            log.error("inbound sms %s not stored (%s); answering 500 so Twilio retries",
                      sid, type(exc).__name__)
            return Response(status_code=500)
        ctx.count(f"sms_inbound_{result.outcome}")
        return Response(content=EMPTY_TWIML, media_type="text/xml")

    @router.post(STATUS_CALLBACK_PATH, include_in_schema=False)
    async def status_callback(request: Request) -> Response:
        form = await _signed_form(ctx, request)
        if form is None:
            return _forbidden()
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        status = str(form.get("MessageStatus") or form.get("SmsStatus") or "")
        if not sid or not status:
            return Response(status_code=400)
        error_code = str(form.get("ErrorCode") or "") or None

        def apply() -> bool:
            with ctx.database.transaction() as db:
                return apply_status_callback(db, sid, status, error_code, ctx.clock()) is not None

        try:
            changed = await asyncio.to_thread(apply)
        except Exception as exc:
            log.error("sms status %s for %s not stored (%s)", status, sid, type(exc).__name__)
            return Response(status_code=500)
        ctx.count("sms_status_applied" if changed else "sms_status_ignored")
        return Response(status_code=204)

    return router
