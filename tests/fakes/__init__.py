"""Fake Telegram Bot API and Twilio REST servers on loopback, for tests and benchmarks.

The real python-telegram-bot and twilio clients talk to these over HTTP::

    from tests.fakes import FakeTelegram, FakeTwilio, LoopbackServer, make_twilio_client

    tg = FakeTelegram()
    with LoopbackServer(tg) as srv:
        bot = telegram.Bot("123:abc", base_url=f"{srv.url}/bot")
"""

from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import (
    SECRET_TOKEN_HEADER,
    FakeTelegram,
    make_callback_update,
    make_text_update,
)
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    RedirectingAsyncTwilioHttpClient,
    RedirectingTwilioHttpClient,
    inbound_sms_form,
    make_async_twilio_client,
    make_twilio_client,
    new_message_sid,
    sign,
    status_callback_form,
)

__all__ = [
    "SECRET_TOKEN_HEADER",
    "SIGNATURE_HEADER",
    "TEST_ACCOUNT_SID",
    "TEST_AUTH_TOKEN",
    "FakeTelegram",
    "FakeTwilio",
    "LoopbackServer",
    "RedirectingAsyncTwilioHttpClient",
    "RedirectingTwilioHttpClient",
    "inbound_sms_form",
    "make_async_twilio_client",
    "make_callback_update",
    "make_text_update",
    "make_twilio_client",
    "new_message_sid",
    "sign",
    "status_callback_form",
]
