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
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.datastructures import FormData, UploadFile
from twilio.request_validator import RequestValidator

from bot import request_ids
from bot.channels.twilio_sms.adapter import INBOUND_PATH, STATUS_CALLBACK_PATH
from bot.channels.twilio_sms.status import apply_status_callback
from bot.context import AppContext
from bot.inbound import receive
from bot.phones import BadPhoneNumber, normalize_phone
from bot.web.front import WebhookHandler, WebhookRequest, WebhookResponse
from flows.parsing import Keyword, parse_keyword
from storage.models import Channel

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-twilio-signature"
SHARED_KEY_HEADER = "x-twilio-webhooks-signature-settings"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_EMPTY_TWIML_BYTES = EMPTY_TWIML.encode()
FORM_TYPE = "application/x-www-form-urlencoded"


def _forbidden() -> WebhookResponse:
    return WebhookResponse(403)


@lru_cache(maxsize=4)
def _validator(auth_token: str) -> RequestValidator:
    return RequestValidator(auth_token)


def _signed_form(ctx: AppContext, request: WebhookRequest) -> FormData | None:
    """The request's form if it is signed by our Twilio account; None otherwise."""
    token = ctx.settings.twilio_auth_token  # read per request: settings can be reloaded
    if token is None or not ctx.settings.public_base_url:
        return None
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return None
    if request.headers.get(SHARED_KEY_HEADER):
        # Signed with a Webhooks SharedKey, which we are not configured with.
        log.warning("twilio webhook signed with a SharedKey refused: configure the webhook to be "
                    "signed with the account auth token")
        return None
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        return None  # Twilio always posts a url-encoded form (never multipart, never JSON)
    try:
        pairs: list[tuple[str, str | UploadFile]] = list(
            parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        form = FormData(pairs)
    except (UnicodeDecodeError, ValueError):  # malformed body: treat as unsigned
        return None
    url = ctx.settings.public_base_url + request.path
    if request.query:
        url += "?" + request.query
    if not _validator(token.get_secret_value()).validate(url, form, signature):
        ctx.count("twilio_bad_signature")
        log.warning("twilio webhook with an invalid signature refused (%s)", request.path)
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


# Twilio's Advanced Opt-Out names the keyword it recognised (its own lists, in several
# languages: "ARRET", "PARAR"...) in ``OptOutType``; Twilio itself blocks further sends after a
# STOP, so we must agree with it whatever words the body holds.
_OPT_OUT_TYPES = {"STOP": Keyword.STOP, "START": Keyword.START, "HELP": Keyword.HELP}


def opt_out_text(body: str, opt_out_type: str) -> str:
    """The text of the turn: ``body``, or the keyword Twilio detected in it when we would not
    read ``body`` as that keyword ourselves. (The turn then stores that keyword, e.g. "STOP"
    for "ARRET": Twilio matches whole messages only, so no other words are lost.)"""
    keyword = _OPT_OUT_TYPES.get(opt_out_type.strip().upper())
    if keyword is None or parse_keyword(body) is keyword:
        return body
    return keyword.value.upper()


def _identifiers(*values: str) -> bool:
    """Whether each value can be a SID, a number or a status Twilio sends: present, and
    printable. A NUL or another control character is no sender or message id (signed or not,
    it is malformed: 400), and PostgreSQL cannot even look a NUL up, so it was a 500 on every
    retry. Bodies are different: their words are kept (bot.inbound.storable)."""
    return all(value and value.isprintable() for value in values)


def twilio_webhooks(ctx: AppContext) -> dict[str, WebhookHandler]:
    """The Twilio webhook handlers, by path."""
    async def inbound_sms(request: WebhookRequest) -> WebhookResponse:
        form = _signed_form(ctx, request)
        if form is None:
            return _forbidden()
        from_ = str(form.get("From") or "")
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        if not _identifiers(from_, sid):
            return WebhookResponse(400)
        body = opt_out_text(str(form.get("Body") or ""), str(form.get("OptOutType") or ""))
        address = _e164(from_, ctx.settings.default_country)
        try:
            result = await receive(ctx, Channel.sms.value, address, body, sid)
        except Exception as exc:
            # The type only: database errors can quote the statement's parameters (the body).
            log.error("inbound sms %s not stored (%s); answering 500 so Twilio retries",
                      sid, type(exc).__name__)
            return WebhookResponse(500)
        ctx.count(f"sms_inbound_{result.outcome}")
        return WebhookResponse(200, _EMPTY_TWIML_BYTES, "text/xml; charset=utf-8")

    async def status_callback(request: WebhookRequest) -> WebhookResponse:
        form = _signed_form(ctx, request)
        if form is None:
            return _forbidden()
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        status = str(form.get("MessageStatus") or form.get("SmsStatus") or "")
        error_code = str(form.get("ErrorCode") or "") or None
        if not _identifiers(sid, status, *([error_code] if error_code else [])):
            return WebhookResponse(400)

        def apply() -> tuple[int, str | None] | None:
            """The row the report changed (id, the request id that queued it), or None."""
            with ctx.database.transaction() as db:
                message = apply_status_callback(
                    db, sid, status, error_code, ctx.clock(),
                    dashboard_url=ctx.settings.dashboard_url)
                return None if message is None or message.id is None else (
                    message.id, message.request_id)

        try:
            changed = await asyncio.to_thread(apply)
        except Exception as exc:
            log.error("sms status %s for %s not stored (%s)", status, sid, type(exc).__name__)
            return WebhookResponse(500)
        ctx.count("sms_status_applied" if changed else "sms_status_ignored")
        if changed is not None:
            message_id, queued_by = changed
            # Tied back to the send: the line carries the id of the request that queued the
            # message (this callback's own id is on its response and its "webhook" line).
            with request_ids.bound(queued_by or request_ids.current()):
                log.info("send %d sms: provider reports %s", message_id, status,
                         extra={"event": "send_status", "message_id": message_id,
                                "channel": Channel.sms.value, "provider_status": status,
                                "error_code": error_code})
        return WebhookResponse(204)

    return {INBOUND_PATH: inbound_sms, STATUS_CALLBACK_PATH: status_callback}
