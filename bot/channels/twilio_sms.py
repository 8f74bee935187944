"""SMS through Twilio: the real `twilio` client, mapped onto the three send outcomes.

The client is synchronous (requests), so each send runs in a worker thread; sends are spaced to
`SMS_RATE_PER_SECOND` for our one sender (the from number or the messaging service). Error
mapping, in short:

- accepted -> `Sent(sid)`;
- 429, 5xx, time-outs, connection errors -> `RetryLater` (429 honours `Retry-After`);
- errors about the destination number (invalid, unsubscribed, not a mobile...) -> `Undeliverable`,
  so the sender marks that contact point unreachable;
- any other 4xx (bad credentials, bad From, region permissions...) is *our* configuration, never
  the contact's: `RetryLater` with a reason that says so, and `health()` shows it.

Nothing here logs a message body, a phone number or the auth token.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import re
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from bot.channels.base import RetryLater, SendOutcome, Sent, Undeliverable
from bot.channels.pacing import LanePacer
from bot.settings import Settings
from storage.models import Channel

log = logging.getLogger(__name__)

REAL_API_BASE_URL = "https://api.twilio.com"
STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
INBOUND_PATH = "/webhooks/twilio/sms"
DEFAULT_TIMEOUT = 10.0
_PHONE_LIKE = re.compile(r"\+?\d[\d ()-]{5,}\d")

# Twilio error codes that are about the destination number itself: at send time (21xxx) or in
# a delivery status callback (30xxx). These make a contact point unreachable.
PERMANENT_ADDRESS_CODES: dict[int, str] = {
    21211: "invalid 'To' number",
    21217: "phone number does not appear to be valid",
    21610: "recipient unsubscribed (replied STOP to the carrier)",
    21612: "'To' number not reachable by SMS",
    21614: "'To' number is not a mobile number",
    30003: "unreachable destination handset",
    30005: "unknown destination handset",
    30006: "landline or unreachable carrier",
}

# 4xx codes that say what to fix in our configuration (anything else 4xx is reported generically).
CONFIG_HINTS: dict[int, str] = {
    20003: "authentication failed: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
    20404: "account or resource not found: check TWILIO_ACCOUNT_SID",
    21408: "SMS to this region is not enabled in the Twilio console (geo permissions)",
    21603: "no sender: set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID",
    21606: "TWILIO_FROM_NUMBER is not an SMS-capable number of this account",
    21659: "TWILIO_FROM_NUMBER is not a Twilio number of this account",
    21705: "TWILIO_MESSAGING_SERVICE_SID is not valid",
}


class RedirectingTwilioHttpClient(TwilioHttpClient):
    """`TwilioHttpClient` that can send `https://*.twilio.com` calls to another base URL
    (staging, tests) and remembers the last response's headers per thread (`Retry-After`:
    the library's exceptions do not carry headers)."""

    def __init__(self, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/") if base_url else None
        self._local = threading.local()
        if self.session is not None:
            # With trust_env, requests reads every environment variable (for proxies and a CA
            # bundle) again on every request: a third of an SMS send's CPU, measured on a
            # machine that sets REQUESTS_CA_BUNDLE. They are read once here instead, for the one
            # host this client talks to; the twilio client always sends its own credentials,
            # so .netrc (the other thing trust_env reads) never applied.
            target = self.base_url or REAL_API_BASE_URL
            self.session.proxies.update(requests.utils.get_environ_proxies(target))
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if bundle:
                self.session.verify = bundle
            self.session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        self._local.headers = {}
        if self.base_url is not None:
            parts = urlsplit(url)
            if (parts.hostname or "").endswith(".twilio.com"):
                url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        response = super().request(method, url, *args, **kwargs)
        self._local.headers = dict(response.headers or {})
        return response

    def last_headers(self) -> dict[str, str]:
        """Headers of the last response received by the calling thread."""
        return dict(getattr(self._local, "headers", {}) or {})

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TwilioChannel:
    """The SMS `ChannelAdapter`. Build it from settings; `send` never raises."""

    channel = Channel.sms

    def __init__(self, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.settings = settings
        self.from_number = settings.twilio_from_number
        self.messaging_service_sid = settings.twilio_messaging_service_sid
        self.rate_per_second = float(settings.sms_rate_per_second)
        self.configured = bool(
            settings.twilio_account_sid
            and settings.twilio_auth_token
            and (self.from_number or self.messaging_service_sid)
        )
        base = settings.twilio_api_base_url or REAL_API_BASE_URL
        self._http = RedirectingTwilioHttpClient(
            None if base.rstrip("/") == REAL_API_BASE_URL else base, timeout=timeout
        )
        self._client: Client | None = None
        if self.configured:
            assert settings.twilio_auth_token is not None
            self._client = Client(
                settings.twilio_account_sid,
                settings.twilio_auth_token.get_secret_value(),
                http_client=self._http,
            )
        self.status_callback = (
            settings.public_base_url + STATUS_CALLBACK_PATH if settings.public_base_url else None
        )
        self._limiter: LanePacer | None = None
        self._limiter_loop: asyncio.AbstractEventLoop | None = None
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None
        self.last_ok_at: datetime | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Nothing to open: the HTTP session connects on first use."""

    async def stop(self) -> None:
        self._http.close()

    # -- sending --------------------------------------------------------------------------------

    def _limiter_for_loop(self) -> LanePacer:
        # One message per 1/rate seconds, no bursts, urgent first; a pacer belongs to one loop.
        loop = asyncio.get_running_loop()
        if self._limiter is None or self._limiter_loop is not loop:
            self._limiter = LanePacer(self.rate_per_second)
            self._limiter_loop = loop
        return self._limiter

    async def send(self, address: str, body: str, *, urgent: bool = False) -> SendOutcome:
        if self._client is None:
            return self._our_problem(
                "twilio not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"
            )
        try:
            await self._limiter_for_loop().acquire(urgent=urgent)
            outcome = await asyncio.to_thread(self._send_sync, address, body)
        except Exception as exc:  # never raise to the sender (e.g. cancelled thread pool)
            log.warning("twilio send failed unexpectedly: %s", type(exc).__name__)
            outcome = RetryLater(f"twilio: unexpected {type(exc).__name__}")
        if isinstance(outcome, Sent):
            self.last_ok_at = datetime.now(UTC)
        return outcome

    def _send_sync(self, address: str, body: str) -> SendOutcome:
        assert self._client is not None
        kwargs: dict[str, Any] = {"to": address, "body": body}
        if self.messaging_service_sid:
            kwargs["messaging_service_sid"] = self.messaging_service_sid
        if self.from_number:
            kwargs["from_"] = self.from_number
        if self.status_callback:
            kwargs["status_callback"] = self.status_callback
        try:
            message = self._client.messages.create(**kwargs)
        except (TwilioRestException, TwilioServiceException) as exc:
            return self._from_error(exc.status, exc.code, _error_text(exc))
        except requests.Timeout:
            return self._provider_problem("twilio: request timed out")
        except requests.ConnectionError:
            return self._provider_problem("twilio: connection failed")
        except (requests.RequestException, TwilioException) as exc:
            return self._provider_problem(f"twilio: {type(exc).__name__}")
        return Sent(provider_id=message.sid)

    def _from_error(self, status: int, code: int | None, text: str) -> SendOutcome:
        label = f"twilio {code if code is not None else status}"
        if code in PERMANENT_ADDRESS_CODES:
            return Undeliverable(f"{label}: {PERMANENT_ADDRESS_CODES[code]}")
        if status == 429 or code == 20429:
            after = retry_after_seconds(self._header("Retry-After"))
            return self._provider_problem(f"{label}: rate limited by Twilio", after)
        if status >= 500 or status < 400:
            return self._provider_problem(f"{label}: Twilio error (HTTP {status})")
        hint = CONFIG_HINTS.get(code or 0) or f"request refused: {_short(text)}"
        return self._our_problem(f"{label}: configuration problem, not the contact's: {hint}")

    def _header(self, name: str) -> str | None:
        for key, value in self._http.last_headers().items():
            if key.lower() == name.lower():
                return value
        return None

    def _provider_problem(self, reason: str, after: float | None = None) -> RetryLater:
        self._note_error(reason)
        return RetryLater(reason, after_seconds=after)

    def _our_problem(self, reason: str) -> RetryLater:
        self._note_error(reason, logging.ERROR)
        return RetryLater(reason)

    def _note_error(self, reason: str, level: int = logging.WARNING) -> None:
        self.last_error = reason
        self.last_error_at = datetime.now(UTC)
        log.log(level, "sms send not accepted: %s", reason)

    # -- status -------------------------------------------------------------------------------

    def health(self) -> dict[str, object]:
        return {
            "configured": self.configured,
            "sender": self.messaging_service_sid or self.from_number,
            "rate_per_second": self.rate_per_second,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "last_ok_at": self.last_ok_at.isoformat() if self.last_ok_at else None,
        }


def _error_text(exc: TwilioRestException | TwilioServiceException) -> str:
    """The provider's message without the phone number it may quote."""
    if isinstance(exc, TwilioServiceException):
        text = exc.detail or exc.title or ""
    else:
        text = str(exc.msg or "")
    text = text.removeprefix("Unable to create record: ")
    return _PHONE_LIKE.sub("<number>", text)


__all__ = [
    "CONFIG_HINTS",
    "INBOUND_PATH",
    "PERMANENT_ADDRESS_CODES",
    "STATUS_CALLBACK_PATH",
    "RedirectingTwilioHttpClient",
    "TwilioChannel",
    "retry_after_seconds",
]
