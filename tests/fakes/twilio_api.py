"""A fake Twilio Messaging REST API that the real ``twilio`` client (v9) talks to.

Pointing ``twilio.rest.Client`` at another host
-----------------------------------------------
The client builds absolute URLs from each domain's ``base_url`` (``https://api.twilio.com``,
``https://messaging.twilio.com``...), optionally rewritten by ``edge``/``region`` (or the
``TWILIO_EDGE``/``TWILIO_REGION`` environment variables) into ``api.<edge>.<region>.twilio.com``,
and then hands every request to ``client.http_client.request(method, url, ...)``. The cleanest
supported hook is therefore the public ``http_client=`` constructor argument: a small
``TwilioHttpClient`` subclass that swaps scheme+host of any ``*.twilio.com`` URL for a
configured base URL (path and query kept). It covers every domain, is immune to edge/region
settings, and keeps the library's own auth, headers, form encoding and error handling.
(Setting ``client.api.base_url`` also works but only for the ``api`` domain and relies on a
lazily created attribute.) Recommended snippet for production (``bot/channels/``)::

    from urllib.parse import urlsplit
    from twilio.http.http_client import TwilioHttpClient

    class RedirectingTwilioHttpClient(TwilioHttpClient):
        \"\"\"Send Twilio REST calls to ``base_url`` instead of https://*.twilio.com.\"\"\"

        def __init__(self, base_url: str, **kwargs):
            super().__init__(**kwargs)
            self.base_url = base_url.rstrip("/")

        def request(self, method, url, *args, **kwargs):
            parts = urlsplit(url)
            if (parts.hostname or "").endswith(".twilio.com"):
                url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
            return super().request(method, url, *args, **kwargs)

    client = Client(sid, token, http_client=RedirectingTwilioHttpClient(settings.base_url))
    # only when base_url differs from "https://api.twilio.com"; otherwise plain Client(sid, token)

``make_twilio_client`` below does exactly this. For ``await client.messages.create_async(...)``
the same override on ``twilio.http.async_http_client.AsyncTwilioHttpClient`` (``async def
request``) works: see ``RedirectingAsyncTwilioHttpClient`` / ``make_async_twilio_client`` (create
it inside the running event loop and ``await http_client.close()`` at shutdown; aiohttp emits
DeprecationWarnings about BasicAuth from inside twilio, harmless).

Errors as the real client raises them
-------------------------------------
Any status outside 200-399 makes ``messages.create`` / ``.fetch`` raise
``twilio.base.exceptions.TwilioRestException`` with ``.status`` (HTTP status), ``.code`` (the
Twilio error code from the JSON body, e.g. 21211, 21610, 20429, 20003; the HTTP status if the body
is not JSON), ``.msg`` ("Unable to create record: <message>"), ``.uri`` and ``.method``. (A body
in RFC-9457 shape - type/title/status/code - would give ``TwilioServiceException`` instead; this
fake uses Twilio's classic error body ``{"code", "message", "more_info", "status"}``.) The sync
client does not retry by itself.

``FakeTwilio`` is itself an ASGI app: ``LoopbackServer(FakeTwilio(sid, token))``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.utils
import json
import math
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes.loopback_http import loopback_client

__all__ = [
    "API_VERSION",
    "SIGNATURE_HEADER",
    "TEST_ACCOUNT_SID",
    "TEST_AUTH_TOKEN",
    "FakeTwilio",
    "RedirectingAsyncTwilioHttpClient",
    "RedirectingTwilioHttpClient",
    "inbound_sms_form",
    "make_async_twilio_client",
    "make_twilio_client",
    "new_message_sid",
    "redirect_url",
    "sign",
    "status_callback_form",
]

API_VERSION = "2010-04-01"
SIGNATURE_HEADER = "X-Twilio-Signature"
TEST_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TEST_AUTH_TOKEN = "fake-twilio-auth-token-0000000000"

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXT = "\f^{}\\[~]|€"
_MAX_BODY = 1600


# -- client side ------------------------------------------------------------------------------


def redirect_url(url: str, base_url: str) -> str:
    """``https://api.twilio.com/2010-04-01/...`` -> ``{base_url}/2010-04-01/...`` (any
    ``*.twilio.com`` host, so edge/region hostnames are covered too); other URLs unchanged."""
    parts = urlsplit(url)
    if (parts.hostname or "").endswith(".twilio.com"):
        return base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
    return url


class RedirectingTwilioHttpClient(TwilioHttpClient):
    """``TwilioHttpClient`` that sends every ``https://*.twilio.com`` request to ``base_url``."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        return super().request(method, redirect_url(url, self.base_url), *args, **kwargs)


class RedirectingAsyncTwilioHttpClient(AsyncTwilioHttpClient):
    """Async twin of ``RedirectingTwilioHttpClient`` (for ``create_async``/``fetch_async``)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    async def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> TwilioResponse:
        return await super().request(method, redirect_url(url, self.base_url), *args, **kwargs)


def make_twilio_client(
    account_sid: str, auth_token: str, base_url: str, *, timeout: float | None = 10.0
) -> Client:
    """A real ``twilio.rest.Client`` whose REST calls go to ``base_url``."""
    http_client = RedirectingTwilioHttpClient(base_url, timeout=timeout)
    return Client(account_sid, auth_token, http_client=http_client)


def make_async_twilio_client(
    account_sid: str, auth_token: str, base_url: str, *, timeout: float | None = 10.0
) -> Client:
    """Like ``make_twilio_client`` but for the ``*_async`` methods. Call inside the event loop;
    ``await client.http_client.close()`` when done."""
    http_client = RedirectingAsyncTwilioHttpClient(base_url, timeout=timeout)
    return Client(account_sid, auth_token, http_client=http_client)


# -- webhook helpers --------------------------------------------------------------------------


def new_message_sid(prefix: str = "SM") -> str:
    """``SM`` + 32 lowercase hex digits, like a real Message SID."""
    return prefix + uuid.uuid4().hex


def sign(url: str, params: dict[str, Any], auth_token: str) -> str:
    """The ``X-Twilio-Signature`` Twilio would send for a form POST of ``params`` to ``url``
    (computed by the library's own ``RequestValidator``)."""
    return RequestValidator(auth_token).compute_signature(url, params)


def status_callback_form(
    message_sid: str,
    status: str,
    to: str,
    from_: str,
    error_code: int | str | None = None,
    *,
    account_sid: str = TEST_ACCOUNT_SID,
    messaging_service_sid: str | None = None,
) -> dict[str, str]:
    """The form a Twilio message status callback POSTs (``MessageStatus`` is e.g. queued, sent,
    delivered, undelivered, failed). ``ErrorCode`` only appears for failures."""
    form = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "From": from_,
        "MessageSid": message_sid,
        "MessageStatus": status,
        "SmsSid": message_sid,
        "SmsStatus": status,
        "To": to,
    }
    if messaging_service_sid:
        form["MessagingServiceSid"] = messaging_service_sid
    if error_code is not None:
        form["ErrorCode"] = str(error_code)
    return form


def inbound_sms_form(
    message_sid: str,
    from_: str,
    to: str,
    body: str,
    account_sid: str = TEST_ACCOUNT_SID,
    *,
    messaging_service_sid: str | None = None,
) -> dict[str, str]:
    """The form Twilio POSTs to an incoming-message webhook for a plain SMS."""
    form = {
        "ToCountry": "US",
        "ToState": "",
        "SmsMessageSid": message_sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": message_sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "US",
        "To": to,
        "ToZip": "",
        "NumSegments": str(_segments(body)),
        "ReferralNumMedia": "0",
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        form["MessagingServiceSid"] = messaging_service_sid
    return form


def inbound_mms_form(
    message_sid: str,
    from_: str,
    to: str,
    body: str,
    media: list[str] | None = None,
    account_sid: str = TEST_ACCOUNT_SID,
) -> dict[str, str]:
    """The form Twilio POSTs for an MMS: a picture (or several) with ``body`` as the words
    typed under it (often empty). ``media`` are content types ("image/jpeg"); each gets a
    MediaUrlN on Twilio's media host and a MediaContentTypeN."""
    media = media if media is not None else ["image/jpeg"]
    form = inbound_sms_form(message_sid, from_, to, body, account_sid)
    form["NumMedia"] = str(len(media))
    for n, content_type in enumerate(media):
        form[f"MediaContentType{n}"] = content_type
        form[f"MediaUrl{n}"] = (f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/"
                                f"Messages/{message_sid}/Media/ME{n:032x}")
    return form


# -- server side ------------------------------------------------------------------------------


def _segments(body: str) -> int:
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXT for ch in body):
        units = sum(2 if ch in _GSM7_EXT else 1 for ch in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return math.ceil(units / multi)


def _rfc2822(ts: float) -> str:
    return email.utils.format_datetime(datetime.fromtimestamp(int(ts), UTC))


def _date_filter(value: str | None) -> tuple[datetime, bool] | None:
    """A DateSent filter value: (instant, whole_day). ``YYYY-MM-DD`` is a whole day (GMT);
    ``YYYY-MM-DDTHH:MM:SSZ`` (how twilio-python serialises a datetime) is that instant."""
    if not value:
        return None
    if len(value) == 10:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), True
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), False


def _date_matches(sent: datetime, day: tuple[datetime, bool]) -> bool:
    at, whole_day = day
    return sent.date() == at.date() if whole_day else sent == at


def _upper(before: tuple[datetime, bool]) -> datetime:
    at, whole_day = before
    return at + timedelta(days=1) - timedelta(seconds=1) if whole_day else at


def _twilio_error(
    status: int, code: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JSONResponse(body, status_code=status, headers=headers)


_FAIL_DEFAULTS = {
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    502: (20500, "Bad Gateway"),
    503: (20503, "Service Unavailable"),
}


class FakeTwilio:
    """In-memory Twilio Messages API: ``POST /2010-04-01/Accounts/{Sid}/Messages.json``,
    ``GET /2010-04-01/Accounts/{Sid}/Messages/{MessageSid}.json`` and the list
    ``GET .../Messages.json`` (To, From, DateSent filters, newest first, paged), with HTTP basic auth
    (``account_sid`` / ``auth_token``; anything else gets 401 code 20003). Thread-safe.

    Read-only account calls, as `checkin doctor` makes them: the account fetch
    ``GET /2010-04-01/Accounts/{Sid}.json`` (status ``account_status``, "active" by default) and
    the number list ``GET .../IncomingPhoneNumbers.json`` (``PhoneNumber`` filter), answering
    the numbers added with ``add_incoming_number`` in the shapes the twilio library reads."""

    def __init__(
        self, account_sid: str = TEST_ACCOUNT_SID, auth_token: str = TEST_AUTH_TOKEN
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._lock = threading.RLock()
        prefix = f"/{API_VERSION}/Accounts/{{account_sid}}"
        self.app = Starlette(
            routes=[
                Route(f"{prefix}/Messages.json", self._create, methods=["POST"]),
                Route(f"{prefix}/Messages.json", self._list, methods=["GET"]),
                Route(f"{prefix}/Messages/{{sid}}.json", self._fetch, methods=["GET"]),
                Route(f"{prefix}/IncomingPhoneNumbers.json", self._numbers, methods=["GET"]),
                Route(f"{prefix}.json", self._account, methods=["GET"]),
            ]
        )
        self._init_state()

    def _init_state(self) -> None:
        #: every accepted message resource (dict as returned, plus "status_callback" and "at").
        self.sent: list[dict[str, Any]] = []
        #: every call: method, path, params, status, code (Twilio error code or None), at.
        self.requests: list[dict[str, Any]] = []
        self._by_sid: dict[str, dict[str, Any]] = {}
        self._fail: list[tuple[int, int, str, int | None]] = []
        self._down = False
        self._invalid: set[str] = set()
        self._unsubscribed: set[str] = set()
        self._delay = 0.0
        self._failing_to: dict[str, int] = {}
        self._hanging_to: dict[str, float] = {}
        self._silent_after_accept: dict[str, float] = {}
        self._fail_lists: list[int] = []
        #: the account's status in the account fetch: active, suspended or closed.
        self.account_status = "active"
        #: the account's numbers, by E.164 number (see ``add_incoming_number``).
        self.incoming_numbers: dict[str, dict[str, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # -- fault injection & control ------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self._init_state()

    def fail_next(
        self, n: int, status: int = 429, retry_after: int | None = None, *, code: int | None = None
    ) -> None:
        """The next ``n`` message creations answer ``status`` (429 -> code 20429, 500 -> 20500,
        503 -> 20503). ``retry_after`` adds a ``Retry-After`` header."""
        default_code, message = _FAIL_DEFAULTS.get(status, (status, f"HTTP {status}"))
        with self._lock:
            self._fail.extend([(status, code or default_code, message, retry_after)] * n)

    def set_down(self, down: bool = True) -> None:
        """While down, every request answers 503 (code 20503)."""
        with self._lock:
            self._down = down

    def invalid_number(self, to: str) -> None:
        """Sends to ``to`` answer 400 code 21211 (numbers not in E.164 form always do)."""
        with self._lock:
            self._invalid.add(to)

    def unsubscribed(self, to: str) -> None:
        """Sends to ``to`` answer 400 code 21610 (recipient replied STOP)."""
        with self._lock:
            self._unsubscribed.add(to)

    def resubscribed(self, to: str) -> None:
        with self._lock:
            self._unsubscribed.discard(to)

    def delay(self, seconds: float) -> None:
        with self._lock:
            self._delay = float(seconds)

    def failing_to(self, to: str, status: int = 500) -> None:
        """Every message creation to ``to`` answers ``status`` (500 -> code 20500, 503 ->
        20503: Twilio failing) until ``recovered(to)``. Nothing is stored."""
        with self._lock:
            self._failing_to[to] = status

    def hanging_to(self, to: str, seconds: float) -> None:
        """Message creations to ``to`` get no answer for ``seconds`` (longer than the client's
        time-out: a time-out), then a 504 (code 20504); nothing is stored. Until
        ``recovered(to)``."""
        with self._lock:
            self._hanging_to[to] = float(seconds)

    def silent_after_accept(self, to: str, seconds: float) -> None:
        """Message creations to ``to`` are accepted and stored (Twilio will send them) but the
        answer comes only after ``seconds``: the sender dies or times out not knowing. Until
        ``recovered(to)``."""
        with self._lock:
            self._silent_after_accept[to] = float(seconds)

    def fail_next_lists(self, n: int, status: int = 503) -> None:
        """The next ``n`` list requests (GET .../Messages.json) answer ``status``."""
        with self._lock:
            self._fail_lists.extend([status] * n)

    def add_incoming_number(self, number: str, sms_url: str | None,
                            sms_method: str = "POST") -> dict[str, Any]:
        """A number of the account, with its "a message comes in" webhook."""
        sid = new_message_sid("PN")
        now = _rfc2822(time.time())
        resource = {
            "account_sid": self.account_sid, "address_requirements": "none",
            "address_sid": None, "api_version": API_VERSION, "beta": False,
            "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
            "date_created": now, "date_updated": now, "emergency_status": "Inactive",
            "emergency_address_sid": None, "emergency_address_status": "unregistered",
            "friendly_name": number, "identity_sid": None, "origin": "twilio",
            "phone_number": number, "sid": sid, "sms_application_sid": "",
            "sms_fallback_method": "POST", "sms_fallback_url": "", "sms_method": sms_method,
            "sms_url": sms_url or "", "status_callback": "", "status_callback_method": "POST",
            "trunk_sid": None, "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/"
                                     f"IncomingPhoneNumbers/{sid}.json",
            "voice_application_sid": None, "voice_caller_id_lookup": False,
            "voice_fallback_method": "POST", "voice_fallback_url": None, "voice_method": "POST",
            "voice_url": None, "bundle_sid": None, "voice_receive_mode": "voice",
            "status": "in-use", "subresource_uris": {},
        }
        with self._lock:
            self.incoming_numbers[number] = resource
        return resource

    def recovered(self, to: str) -> None:
        with self._lock:
            self._failing_to.pop(to, None)
            self._hanging_to.pop(to, None)
            self._silent_after_accept.pop(to, None)

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> dict[str, Any]:
        """Change a stored message's status (what a later GET returns)."""
        with self._lock:
            msg = self._by_sid[sid]
            msg["status"] = status
            msg["error_code"] = error_code
            msg["date_updated"] = _rfc2822(time.time())
            if status in ("sent", "delivered") and msg["date_sent"] is None:
                msg["date_sent"] = msg["date_updated"]
            return dict(msg)

    # -- status callbacks ---------------------------------------------------------------------

    def status_callback_request(
        self, sid: str, status: str, error_code: int | None = None
    ) -> tuple[str, dict[str, str], dict[str, str]]:
        """``(url, form, headers)`` of the signed status callback Twilio would POST for message
        ``sid`` (to the ``StatusCallback`` given at creation). Also updates the stored status."""
        msg = self.set_status(sid, status, error_code)
        url = msg.get("status_callback")
        if not url:
            raise RuntimeError(f"message {sid} was created without a StatusCallback")
        form = status_callback_form(
            sid,
            status,
            msg["to"],
            msg["from"] or "",
            error_code,
            account_sid=self.account_sid,
            messaging_service_sid=msg.get("messaging_service_sid"),
        )
        headers = {SIGNATURE_HEADER: sign(url, form, self.auth_token)}
        return url, form, headers

    def post_status_callback(
        self, sid: str, status: str, error_code: int | None = None, timeout: float = 10.0
    ) -> int:
        """POST the signed status callback (loopback URLs only); returns the HTTP status."""
        url, form, headers = self.status_callback_request(sid, status, error_code)
        return loopback_client().post(url, data=form, headers=headers, timeout=timeout).status_code

    # -- inspection ---------------------------------------------------------------------------

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent if m["to"] == to]

    def bodies_to(self, to: str) -> list[str]:
        return [m["body"] for m in self.sent_to(to)]

    def get(self, sid: str) -> dict[str, Any] | None:
        with self._lock:
            msg = self._by_sid.get(sid)
            return dict(msg) if msg else None

    def wait_for(self, predicate: Callable[[FakeTwilio], bool], within: float = 5.0) -> bool:
        deadline = time.monotonic() + within
        while True:
            with self._lock:
                if predicate(self):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    async def await_for(self, predicate: Callable[[FakeTwilio], bool], within: float = 5.0) -> bool:
        deadline = time.monotonic() + within
        while True:
            with self._lock:
                if predicate(self):
                    return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)

    def wait_for_sent(self, n: int, within: float = 5.0) -> bool:
        return self.wait_for(lambda fake: len(fake.sent) >= n, within)

    async def await_sent(self, n: int, within: float = 5.0) -> bool:
        return await self.await_for(lambda fake: len(fake.sent) >= n, within)

    # -- request handling ---------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == self.account_sid and password == self.auth_token

    def _gate(self, request: Request) -> JSONResponse | None:
        """Auth, account and outage checks shared by all endpoints (call under the lock)."""
        if not self._authorized(request):
            return _twilio_error(401, 20003, "Authenticate")
        if request.path_params["account_sid"] != self.account_sid:
            return _twilio_error(
                404, 20404, f"The requested resource {request.url.path} was not found"
            )
        if self._down:
            return _twilio_error(503, 20503, "Service Unavailable")
        return None

    def _log(self, request: Request, params: dict[str, Any], response: JSONResponse) -> None:
        code = None
        if response.status_code >= 400:
            code = json.loads(bytes(response.body)).get("code")
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "params": params,
                "status": response.status_code,
                "code": code,
                "at": time.time(),
            }
        )

    async def _create(self, request: Request) -> JSONResponse:
        body = await request.body()
        params: dict[str, Any] = {}
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if key == "MediaUrl":
                params.setdefault(key, []).append(value)
            else:
                params[key] = value
        with self._lock:
            delay = self._delay
            hang = self._hanging_to.get(params.get("To", ""))
        if delay:
            await asyncio.sleep(delay)
        if hang is not None:
            await asyncio.sleep(hang)
            with self._lock:
                response = _twilio_error(504, 20504, "Gateway Timeout")
                self._log(request, params, response)
            return response
        with self._lock:
            response = self._gate(request) or self._create_locked(params)
            self._log(request, params, response)
            silent = self._silent_after_accept.get(params.get("To", ""))
        if silent is not None and response.status_code == 201:
            await asyncio.sleep(silent)
        return response

    def _create_locked(self, params: dict[str, Any]) -> JSONResponse:
        if self._fail:
            status, code, message, retry_after = self._fail.pop(0)
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
            return _twilio_error(status, code, message, headers)
        failing = self._failing_to.get(params.get("To", ""))
        if failing is not None:
            code, message = _FAIL_DEFAULTS.get(failing, (failing, f"HTTP {failing}"))
            return _twilio_error(failing, code, message)
        to = params.get("To", "")
        from_ = params.get("From") or None
        service_sid = params.get("MessagingServiceSid") or None
        body = params.get("Body", "")
        if not to:
            return _twilio_error(400, 21604, "A 'To' phone number is required.")
        if not from_ and not service_sid:
            return _twilio_error(400, 21603, "A 'From' phone number is required.")
        if not body and not params.get("MediaUrl"):
            return _twilio_error(400, 21602, "Message body is required.")
        if to in self._invalid or not _E164.match(to):
            return _twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to in self._unsubscribed:
            return _twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
        if len(body) > _MAX_BODY:
            return _twilio_error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        sid = new_message_sid()
        now = time.time()
        created = _rfc2822(now)
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        resource: dict[str, Any] = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": created,
            "date_sent": None,
            "date_updated": created,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": service_sid,
            "num_media": str(len(params.get("MediaUrl", []))),
            "num_segments": str(_segments(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
        }
        stored = {**resource, "status_callback": params.get("StatusCallback"), "at": now}
        self.sent.append(stored)
        self._by_sid[sid] = stored
        return JSONResponse(resource, status_code=201)

    async def _list(self, request: Request) -> JSONResponse:
        """The Messages list as Twilio answers it: ``{"messages": [...], page metadata}``, newest
        first. ``To``/``From`` match exactly; ``DateSent`` (a day or, as the library sends it,
        ``YYYY-MM-DDTHH:MM:SSZ``), ``DateSent<`` (on or before) and ``DateSent>`` (on or after)
        compare the send date, so a message not sent yet (``date_sent`` null) never matches
        them. ``PageSize`` (default 50, max 1000) and ``Page`` page through the result."""
        query = dict(request.query_params)
        with self._lock:
            delay = self._delay
        if delay:
            await asyncio.sleep(delay)
        with self._lock:
            response = self._gate(request)
            if response is None and self._fail_lists:
                status = self._fail_lists.pop(0)
                code, message = _FAIL_DEFAULTS.get(status, (status, f"HTTP {status}"))
                response = _twilio_error(status, code, message)
            if response is None:
                response = self._list_locked(request.url.path, query)
            self._log(request, query, response)
        return response

    def _list_locked(self, path: str, query: dict[str, str]) -> JSONResponse:
        try:
            page_size = min(max(int(query.get("PageSize", "50")), 1), 1000)
            page = max(int(query.get("Page", "0")), 0)
            day, before, after = (_date_filter(query.get(key)) for key in
                                  ("DateSent", "DateSent<", "DateSent>"))
        except ValueError:
            return _twilio_error(400, 20001, "Invalid filter or paging parameter")
        matching = []
        for msg in reversed(self.sent):  # newest first
            if "To" in query and msg["to"] != query["To"]:
                continue
            if "From" in query and msg["from"] != query["From"]:
                continue
            if day or before or after:
                if msg["date_sent"] is None:
                    continue
                sent = email.utils.parsedate_to_datetime(msg["date_sent"])
                if day and not _date_matches(sent, day):
                    continue
                if before and sent > _upper(before):
                    continue
                if after and sent < after[0]:
                    continue
            matching.append({k: v for k, v in msg.items() if k not in ("status_callback", "at")})
        start = page * page_size
        chunk = matching[start : start + page_size]
        base = {k: v for k, v in query.items() if k not in ("Page", "PageToken")}

        def uri(n: int) -> str:
            return path + "?" + urlencode({**base, "PageSize": page_size, "Page": n})

        more = start + page_size < len(matching)
        return JSONResponse({
            "messages": chunk,
            "start": start,
            "end": start + max(len(chunk) - 1, 0),
            "page": page,
            "page_size": page_size,
            "first_page_uri": uri(0),
            "previous_page_uri": uri(page - 1) if page > 0 else None,
            "next_page_uri": uri(page + 1) if more else None,
            "uri": uri(page),
        })

    async def _account(self, request: Request) -> JSONResponse:
        """The account fetch (``client.api.v2010.accounts(sid).fetch()``), as Twilio answers
        it: the real one includes the auth token too."""
        with self._lock:
            response = self._gate(request)
            if response is None:
                now = _rfc2822(time.time())
                response = JSONResponse({
                    "auth_token": self.auth_token, "date_created": now, "date_updated": now,
                    "friendly_name": "Peer Check-in test account",
                    "owner_account_sid": self.account_sid, "sid": self.account_sid,
                    "status": self.account_status, "type": "Full",
                    "uri": f"/{API_VERSION}/Accounts/{self.account_sid}.json",
                    "subresource_uris": {
                        "messages": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json",
                        "incoming_phone_numbers": f"/{API_VERSION}/Accounts/"
                                                  f"{self.account_sid}/IncomingPhoneNumbers.json",
                    },
                })
            self._log(request, {}, response)
        return response

    async def _numbers(self, request: Request) -> JSONResponse:
        """The number list, one page; ``PhoneNumber`` matches any part of the number."""
        query = dict(request.query_params)
        with self._lock:
            response = self._gate(request)
            if response is None:
                wanted = query.get("PhoneNumber", "")
                found = [n for number, n in self.incoming_numbers.items() if wanted in number]
                page_size = int(query.get("PageSize", "50"))
                uri = f"{request.url.path}?{urlencode(query)}"
                response = JSONResponse({
                    "incoming_phone_numbers": found[:page_size], "start": 0,
                    "end": max(len(found[:page_size]) - 1, 0), "page": 0,
                    "page_size": page_size, "first_page_uri": uri, "previous_page_uri": None,
                    "next_page_uri": None, "uri": uri,
                })
            self._log(request, query, response)
        return response

    async def _fetch(self, request: Request) -> JSONResponse:
        with self._lock:
            delay = self._delay
        if delay:
            await asyncio.sleep(delay)
        with self._lock:
            response = self._gate(request)
            if response is None:
                msg = self._by_sid.get(request.path_params["sid"])
                if msg is None:
                    response = _twilio_error(
                        404, 20404, f"The requested resource {request.url.path} was not found"
                    )
                else:
                    public = {k: v for k, v in msg.items() if k not in ("status_callback", "at")}
                    response = JSONResponse(public)
            self._log(request, {}, response)
        return response
