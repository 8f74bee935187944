"""`checkin doctor`, run in-process (typer's CliRunner): the settings, the database and its
migrations, each provider's credentials and webhook registration by a read-only call (the real
python-telegram-bot and twilio clients against FakeTelegram and FakeTwilio on 127.0.0.1), then
the same checks as the dashboard banner and /healthz, with the fix for each problem, and an exit
code that says whether anything is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from storage.migrate import head, upgrade
from storage.models import Channel, Role
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, FakeTwilio

SAM_PHONE = "+13125550201"
OUR_NUMBER = "+15005550006"
PUBLIC = "https://checkin.example.org"
SMS_URL = f"{PUBLIC}/webhooks/twilio/sms"
TG_TOKEN = "5150:DOCTORTOKEN-right"
TG_SECRET = "doctor-webhook-secret-0123456789"


@pytest.fixture
def twilio() -> Iterator[tuple[FakeTwilio, str]]:
    """A Twilio account whose number sends texts to our webhook."""
    fake = FakeTwilio()
    fake.add_incoming_number(OUR_NUMBER, SMS_URL)
    with LoopbackServer(fake) as server:
        yield fake, server.url


@pytest.fixture
def doctor_env(
    db_url: str, monkeypatch: pytest.MonkeyPatch, twilio: tuple[FakeTwilio, str],
) -> Iterator[dict[str, str]]:
    """The environment `checkin doctor` reads: this test's database, SMS set up (against
    FakeTwilio), no Telegram."""
    env = {"DATABASE_URL": db_url, "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID,
           "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN, "TWILIO_FROM_NUMBER": OUR_NUMBER,
           "TWILIO_API_BASE_URL": twilio[1], "PUBLIC_BASE_URL": PUBLIC}
    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_MESSAGING_SERVICE_SID"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


@pytest.fixture
def telegram_env(doctor_env: dict[str, str]) -> Iterator[tuple[FakeTelegram, dict[str, str]]]:
    """Telegram set up too (webhook mode), against a FakeTelegram that knows only TG_TOKEN and
    has our webhook registered."""
    fake = FakeTelegram(token=TG_TOKEN)
    fake.webhook = {"url": f"{PUBLIC}/webhooks/telegram", "secret_token": TG_SECRET}
    with LoopbackServer(fake) as server:
        yield fake, {**doctor_env, "TELEGRAM_BOT_TOKEN": TG_TOKEN,
                     "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "TELEGRAM_MODE": "webhook",
                     "TELEGRAM_API_BASE_URL": f"{server.url}/bot"}


def reachable_supervisor(db_url: str, engine: Engine) -> None:
    with database_for(db_url, engine).transaction() as db:
        sam = enrol(db, Role.supervisor, "Sam Rivera")
        assert sam.id is not None
        people.add_contact(db, sam.id, Channel.sms, SAM_PHONE, consent_at=NOW, now=NOW)


def doctor(env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["doctor"], env=env)
    get_settings.cache_clear()
    return result.exit_code, result.output


def test_doctor_names_the_problem_and_the_fix_and_fails_until_fixed(
    doctor_env: dict[str, str], db_url: str, engine: Engine,
) -> None:
    database = database_for(db_url, engine)
    with database.transaction() as db:
        sam = enrol(db, Role.supervisor, "Sam Rivera")  # a terminal contact only
        enrol(db, Role.admin, "Alex Morgan")
        assert sam.id is not None

    code, out = doctor(doctor_env)
    assert code == 1, out
    assert "SMS: set up" in out and "Telegram: not set up. Set TELEGRAM_BOT_TOKEN" in out
    assert "PROBLEM: Nobody on call can be alerted in Hope House." in out
    assert "- Sam Rivera has no phone or Telegram." in out
    assert f"Fix: Add a mobile number for Sam Rivera (People → Sam Rivera), or send a " \
           f"Telegram invite: checkin people invite {sam.id}." in out
    assert "cannot   Alex Morgan has no phone or Telegram" in out  # the backup, listed
    assert "Alerts are not getting through in 1 of 1 program" in out

    with database.transaction() as db:
        people.add_contact(db, sam.id, Channel.sms, SAM_PHONE, consent_at=NOW, now=NOW)
    code, out = doctor(doctor_env)
    assert code == 0, out
    assert "ok       Sam Rivera: alerts by sms" in out
    assert "OK: an alert raised now reaches someone on call." in out
    assert "All programs can alert someone on call." in out and "PROBLEM" not in out


def test_doctor_names_an_unset_channel_that_the_only_contact_needs(
    doctor_env: dict[str, str], db_url: str, engine: Engine,
) -> None:
    database = database_for(db_url, engine)
    with database.transaction() as db:
        enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.telegram, address="700201")
    code, out = doctor(doctor_env)
    assert code == 1, out
    assert "- Sam Rivera's Telegram cannot get alerts: Telegram is not set up." in out
    assert "Fix: Set TELEGRAM_BOT_TOKEN and restart the service" in out


def test_doctor_without_programs_says_so_and_passes(doctor_env: dict[str, str]) -> None:
    code, out = doctor(doctor_env)
    assert code == 0 and "No programs yet" in out


# ---- the setup: settings, database, migrations, providers -----------------------------------


def test_doctor_all_good_checks_each_provider_with_a_read_only_call(
    telegram_env: tuple[FakeTelegram, dict[str, str]], twilio: tuple[FakeTwilio, str],
    db_url: str, engine: Engine,
) -> None:
    fake_telegram, env = telegram_env
    reachable_supervisor(db_url, engine)
    code, out = doctor(env)
    assert code == 0, out
    assert "Settings: loaded." in out and "Not set" not in out
    assert "Database: ok, reachable" in out
    assert f"Migrations: ok, at the newest revision ({head()})" in out
    assert "Telegram: ok, the bot @peer_checkin_bot answers (getMe)" in out
    assert f"Telegram webhook: ok, Telegram calls {PUBLIC}/webhooks/telegram" in out
    assert f"SMS (Twilio): ok, the account {TEST_ACCOUNT_SID[:6]}… is active" in out
    assert f"SMS number: ok, texts to {OUR_NUMBER} come to {SMS_URL}" in out
    assert "PROBLEM" not in out and "All programs can alert someone on call." in out
    # Read-only: what was asked of each provider, and nothing sent.
    assert {r["method"] for r in fake_telegram.requests} == {"getMe", "getWebhookInfo"}
    assert fake_telegram.sent == []
    fake_twilio = twilio[0]
    assert {(r["method"], r["path"].rsplit("/", 1)[-1]) for r in fake_twilio.requests} == {
        ("GET", f"{TEST_ACCOUNT_SID}.json"), ("GET", "IncomingPhoneNumbers.json")}
    assert fake_twilio.sent == []
    for secret in (TG_TOKEN, TG_SECRET, TEST_AUTH_TOKEN):
        assert secret not in out


def test_doctor_says_a_bad_telegram_token_and_how_to_fix_it(
    telegram_env: tuple[FakeTelegram, dict[str, str]], db_url: str, engine: Engine,
) -> None:
    _fake, env = telegram_env
    reachable_supervisor(db_url, engine)
    wrong = "5150:DOCTORTOKEN-wrong"
    code, out = doctor({**env, "TELEGRAM_BOT_TOKEN": wrong})
    assert code == 1, out
    assert "Telegram: PROBLEM: Telegram rejected TELEGRAM_BOT_TOKEN (getMe)." in out
    assert "Fix: copy the bot's token from @BotFather" in out
    assert wrong not in out
    assert "1 problem with the setup: see the fixes at the top." in out


def test_doctor_says_bad_twilio_credentials(
    doctor_env: dict[str, str], db_url: str, engine: Engine,
) -> None:
    reachable_supervisor(db_url, engine)
    code, out = doctor({**doctor_env, "TWILIO_AUTH_TOKEN": "not-the-token-000000000000"})
    assert code == 1, out
    assert "SMS (Twilio): PROBLEM: Twilio rejected TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN" in out
    assert "not-the-token" not in out


def test_doctor_says_where_the_webhooks_point_when_they_point_elsewhere(
    telegram_env: tuple[FakeTelegram, dict[str, str]], twilio: tuple[FakeTwilio, str],
    db_url: str, engine: Engine,
) -> None:
    fake_telegram, env = telegram_env
    fake_telegram.webhook = {"url": "https://old-host.example.org/webhooks/telegram"}
    twilio[0].add_incoming_number(OUR_NUMBER, "https://demo.twilio.com/welcome/sms/reply")
    reachable_supervisor(db_url, engine)
    code, out = doctor(env)
    assert code == 1, out
    assert ("Telegram webhook: PROBLEM: Telegram calls "
            "https://old-host.example.org/webhooks/telegram, not "
            f"{PUBLIC}/webhooks/telegram.") in out
    assert "Fix: run `checkin telegram set-webhook`" in out
    assert (f"SMS number: PROBLEM: texts to {OUR_NUMBER} go to "
            f"https://demo.twilio.com/welcome/sms/reply, not {SMS_URL}.") in out
    assert f'under Messaging set "A message comes in" to Webhook, HTTP POST, {SMS_URL}' in out
    assert "2 problems with the setup" in out


def test_doctor_says_a_from_number_that_is_not_the_accounts(
    doctor_env: dict[str, str], db_url: str, engine: Engine,
) -> None:
    reachable_supervisor(db_url, engine)
    code, out = doctor({**doctor_env, "TWILIO_FROM_NUMBER": "+15005550009"})
    assert code == 1, out
    assert "SMS number: PROBLEM: +15005550009 is not a number of this Twilio account." in out


def test_doctor_says_migrations_are_behind_and_stops_before_the_alert_checks(
    doctor_env: dict[str, str], empty_db_url: str,
) -> None:
    upgrade(empty_db_url, "0012")
    code, out = doctor({**doctor_env, "DATABASE_URL": empty_db_url})
    assert code == 1, out
    assert "Database: ok, reachable" in out
    assert (f"Migrations: PROBLEM: the database is at revision 0012, this version needs {head()}."
            in out)
    assert "Fix: run `checkin db upgrade`" in out
    assert "SMS (Twilio): ok" in out  # the providers are still checked
    assert "Who can be alerted is checked once the database is upgraded." in out

    upgrade(empty_db_url)
    code, out = doctor({**doctor_env, "DATABASE_URL": empty_db_url})
    assert code == 0 and f"Migrations: ok, at the newest revision ({head()})" in out, out


def test_doctor_names_the_settings_left_empty_and_refuses_ones_that_do_not_load(
    db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                 "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    code, out = doctor({"DATABASE_URL": db_url})
    assert code == 0, out
    assert ("Not set: TELEGRAM_BOT_TOKEN (Telegram is off); TWILIO_ACCOUNT_SID (SMS is off); "
            "PUBLIC_BASE_URL (providers cannot call the service") in out
    code, out = doctor({"DATABASE_URL": "mysql://nope"})
    assert code == 1
    assert "Settings: PROBLEM: they do not load:" in out and "DATABASE_URL" in out


def test_doctor_says_an_unreachable_database(doctor_env: dict[str, str]) -> None:
    closed = "postgresql://checkin:pw-not-shown@127.0.0.1:9/peer_checkin"  # discard port
    code, out = doctor({**doctor_env, "DATABASE_URL": closed})
    assert code == 1
    assert "Database: PROBLEM: cannot be reached (OperationalError)." in out
    assert "Fix: check DATABASE_URL and that the database server is running" in out
    assert "pw-not-shown" not in out
