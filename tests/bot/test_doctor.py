"""`checkin doctor`, run in-process (typer's CliRunner): the same checks as the dashboard banner
and /healthz, with the fix for each problem, and an exit code that says whether anything is
wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from storage.models import Channel, Role
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN

SAM_PHONE = "+13125550201"


@pytest.fixture
def doctor_env(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The environment `checkin doctor` reads: this test's database, SMS set up, no Telegram."""
    env = {"DATABASE_URL": db_url, "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID,
           "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN, "TWILIO_FROM_NUMBER": "+15005550006",
           "PUBLIC_BASE_URL": "https://checkin.example.org"}
    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_MESSAGING_SERVICE_SID"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


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
