"""Settings: every one documented in .env.example, and bad values fail naming the setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings

ENV_EXAMPLE = Path(__file__).parents[2] / ".env.example"


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    text = ENV_EXAMPLE.read_text()
    documented = set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_every_documented_line_has_a_comment_above_it() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]+=", line):
            assert lines[i - 1].startswith("#") or re.match(r"^[A-Z_]+=", lines[i - 1]), line


def test_env_example_values_load() -> None:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if re.match(r"^[A-Z][A-Z0-9_]+=", line):
            key, _, value = line.partition("=")
            if value:
                values[key.lower()] = value
    settings = load_settings(**values)
    assert settings.database_url.startswith("sqlite:///")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"database_url": "mysql://x"}, "DATABASE_URL: must start with sqlite:///"),
        ({"port": "99999"}, "PORT:"),
        ({"default_country": "ZZ"}, "DEFAULT_COUNTRY: must be a two-letter country code"),
        ({"public_base_url": "example.org"}, "PUBLIC_BASE_URL: 'example.org' must be a full address"),
        ({"telegram_bot_token": "1:a"}, "TELEGRAM_MODE=webhook needs PUBLIC_BASE_URL"),
        ({"telegram_bot_token": "1:a", "telegram_mode": "polling",
          "telegram_webhook_secret": "short"}, "TELEGRAM_WEBHOOK_SECRET: must be 16 to 256"),
        ({"twilio_account_sid": "AC1"}, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together"),
        ({"twilio_account_sid": "AC1", "twilio_auth_token": "t", "public_base_url": "https://x.org"},
         "Twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"),
        ({"environment": "production", "telegram_bot_token": "changeme",
          "telegram_mode": "polling"}, "TELEGRAM_BOT_TOKEN is still a placeholder"),
        ({"sms_rate_per_second": "0"}, "SMS_RATE_PER_SECOND:"),
    ],
)
def test_bad_values_fail_with_the_setting_name(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(SystemExit) as err:
        load_settings(**overrides)
    assert message in str(err.value)
    assert "See .env.example" in str(err.value)


def test_secrets_never_appear_in_the_settings_repr() -> None:
    settings = load_settings(telegram_bot_token="123:SECRETTOKEN", telegram_mode="polling")
    assert "SECRETTOKEN" not in repr(settings) and "SECRETTOKEN" not in str(settings)
