"""SMS through Twilio: the real `twilio` client, mapped onto the three send outcomes.

Sends use the library's async API (`create_async`) on an aiohttp session of ours
(`client.AiohttpTwilioClient`). Sends are spaced to `SMS_RATE_PER_SECOND` for
our one sender (the from number or the messaging service). Error mapping, in short:

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
import re
from datetime import UTC, datetime
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.rest import Client

from bot.channels.base import (
    FailureStreak,
    LookupFailed,
    RetryLater,
    SendOutcome,
    Sent,
    Undeliverable,
)
from bot.channels.pacing import LanePacer
from bot.channels.twilio_sms.client import DEFAULT_TIMEOUT, REAL_API_BASE_URL, AiohttpTwilioClient
from bot.settings import Settings
from storage.models import Channel

log = logging.getLogger(__name__)

STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
INBOUND_PATH = "/webhooks/twilio/sms"
_PHONE_LIKE = re.compile(r"\+?\d[\d ()-]{5,}\d")
# How many of the newest messages to one number a crash look-up reads (one page): far more
# than we send one person within a lease.
LOOKUP_LIMIT = 20
# Twilio statuses that mean it did not take the message on (it will never go out).
_NOT_ACCEPTED = {"failed", "canceled"}

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
        self._http = AiohttpTwilioClient(
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
        self.streak = FailureStreak()

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Nothing to open: the HTTP session connects on first use."""

    async def stop(self) -> None:
        await self._http.close()

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
            outcome = await self._send_now(address, body)
        except Exception as exc:  # never raise to the sender
            log.warning("twilio send failed unexpectedly: %s", type(exc).__name__)
            outcome = RetryLater(f"twilio: unexpected {type(exc).__name__}")
        if isinstance(outcome, Sent):
            self.last_ok_at = datetime.now(UTC)
        self.streak.note(outcome)
        return outcome

    async def _send_now(self, address: str, body: str) -> SendOutcome:
        assert self._client is not None
        kwargs: dict[str, Any] = {"to": address, "body": body}
        if self.messaging_service_sid:
            kwargs["messaging_service_sid"] = self.messaging_service_sid
        if self.from_number:
            kwargs["from_"] = self.from_number
        if self.status_callback:
            kwargs["status_callback"] = self.status_callback
        try:
            message = await self._client.messages.create_async(**kwargs)
        except (TwilioRestException, TwilioServiceException) as exc:
            return self._from_error(exc.status, exc.code, _error_text(exc))
        except TimeoutError:  # before ClientError: aiohttp's time-outs are both
            return self._provider_problem("twilio: request timed out")
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError):
            return self._provider_problem("twilio: connection failed")
        except (aiohttp.ClientError, TwilioException) as exc:
            return self._provider_problem(f"twilio: {type(exc).__name__}")
        return Sent(provider_id=message.sid)

    # -- after a crash ----------------------------------------------------------------------------

    async def accepted_since(self, address: str, body: str, since: datetime) -> list[str]:
        """SIDs of messages Twilio took from us to ``address`` with exactly ``body``, created at
        or after ``since``, oldest first (`bot.channels.base.AcceptedLookup`).

        One GET of the Messages list, filtered by To (and From when we send from a number),
        newest first, at most `LOOKUP_LIMIT`. Not filtered by DateSent, though the API offers
        it: a message still queued at Twilio has no DateSent yet and would be missed (the
        filter also only promises whole days). The StatusCallback URL could carry our row id,
        but a Message resource does not return it, so it cannot be looked up; the body, the
        recipient, our sender and the creation time are what Twilio keeps and returns."""
        if self._client is None:
            raise LookupFailed("twilio not configured")
        filters: dict[str, Any] = {"to": address, "limit": LOOKUP_LIMIT}
        if self.from_number:
            filters["from_"] = self.from_number
        floor = since.astimezone(UTC).replace(microsecond=0)  # Twilio's dates are whole seconds
        try:
            found = await self._client.messages.list_async(**filters)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise LookupFailed(f"twilio {exc.code or exc.status}") from None
        except TimeoutError:
            raise LookupFailed("twilio: request timed out") from None
        except (aiohttp.ClientError, TwilioException) as exc:  # TwilioException: a non-200 page
            raise LookupFailed(f"twilio: {type(exc).__name__}") from None
        except Exception as exc:  # the sender must still send; never raise anything else
            raise LookupFailed(f"twilio: unexpected {type(exc).__name__}") from None
        # Oldest first; Twilio's dates are whole seconds, so within one second its own order
        # (newest first) decides.
        sids = [
            (m.date_created, -position, m.sid) for position, m in enumerate(found)
            if m.sid and m.body == body and m.to == address
            and str(m.direction or "").startswith("outbound")
            and str(m.status or "") not in _NOT_ACCEPTED
            and (m.from_ == self.from_number if self.from_number
                 else m.messaging_service_sid == self.messaging_service_sid)
            and m.date_created is not None and m.date_created >= floor
        ]
        return [sid for _created, _position, sid in sorted(sids)]

    def _from_error(self, status: int, code: int | None, text: str) -> SendOutcome:
        label = f"twilio {code if code is not None else status}"
        if code in PERMANENT_ADDRESS_CODES:
            return Undeliverable(f"{label}: {PERMANENT_ADDRESS_CODES[code]}")
        if status == 429 or code == 20429:
            after = retry_after_seconds(self._header("Retry-After"))
            return self._provider_problem(f"{label}: rate limited by Twilio", after,
                                          rate_limited=True)
        if status >= 500 or status < 400:
            return self._provider_problem(f"{label}: Twilio error (HTTP {status})")
        hint = CONFIG_HINTS.get(code or 0) or f"request refused: {_short(text)}"
        return self._our_problem(f"{label}: configuration problem, not the contact's: {hint}")

    def _header(self, name: str) -> str | None:
        for key, value in self._http.last_headers().items():
            if key.lower() == name.lower():
                return value
        return None

    def _provider_problem(
        self, reason: str, after: float | None = None, *, rate_limited: bool = False
    ) -> RetryLater:
        self._note_error(reason)
        return RetryLater(reason, after_seconds=after, rate_limited=rate_limited)

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
            "failing_in_a_row": self.streak.count,
        }

    def failing(self) -> str | None:
        return self.streak.health_reason(self.channel)


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
    "TwilioChannel",
    "retry_after_seconds",
]
