"""A program's own settings: the checks shared by `checkin programs set` and the dashboard's
settings page, so both accept and refuse exactly the same values with the same messages.

Each `check_*` function returns the value to store, or raises `SettingError` with a sentence
fit for an admin. Nothing here touches the database.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from bot.escalation.alert_messages import DETAIL_MODES
from bot.policy import ACK_LEVELS
from bot.webhook_events import INCLUDE_TEXT_SETTING, REF_KEY_SETTING, URL_SETTING
from flows.quiet_hours import parse_clock
from flows.recurrence import RuleError, check_timezone
from storage.models import Program

# The crisis message goes out by SMS with "A staff member has been told…" after it.
CRISIS_MAX_CHARS = 320
STAFF_TOLD_MAX_CHARS = 160
ACK_MAX_MINUTES = 30 * 24 * 60  # a deadline a month away is no deadline
# Outcomes to resolve an escalation with: a short list staff pick from at 2 a.m.
OUTCOMES_MAX = 12
OUTCOME_MAX_CHARS = 60
# The sign-off under a staff member's message to a mentee (`bot.staff_messages`): one short line.
SIGNOFF_SETTING = "staff_signoff"  # in Program.settings
SIGNOFF_MAX_CHARS = 40


class SettingError(ValueError):
    pass


def check_clock(text: str) -> str:
    """'21:00' -> '21:00', '8:05' -> '08:05'; anything else is refused."""
    try:
        return parse_clock(text).strftime("%H:%M")
    except ValueError:
        raise SettingError(f"'{text}' is not a time like 21:00 (24-hour HH:MM)") from None


def check_quiet_hours(start: str, end: str) -> tuple[str, str]:
    """Both ends of the quiet hours; the same time twice means no quiet hours."""
    return check_clock(start), check_clock(end)


def check_timezone_name(name: str) -> str:
    try:
        check_timezone(name)
    except (RuleError, OSError):  # ZoneInfo("America") raises IsADirectoryError
        raise SettingError(
            f"'{name}' is not a timezone name; use one like America/Chicago or Europe/Madrid"
        ) from None
    return name


def check_crisis_message(text: str) -> str | None:
    """None (empty) means the default crisis text is sent."""
    text = text.strip()
    if len(text) > CRISIS_MAX_CHARS:
        raise SettingError(f"keep the crisis message to {CRISIS_MAX_CHARS} characters (it goes "
                           f"out by SMS); this one has {len(text)}")
    return text or None


def check_staff_told(text: str) -> str | None:
    """The line after the crisis message ("A staff member has been told…"); None (empty)
    means the shipped one in the person's language."""
    text = text.strip()
    if len(text) > STAFF_TOLD_MAX_CHARS:
        raise SettingError(f"keep the \"staff have been told\" line to {STAFF_TOLD_MAX_CHARS} "
                           f"characters; this one has {len(text)}")
    return text or None


def language_text(item: str, languages: list[str]) -> tuple[str, str]:
    """`checkin programs set --crisis-message` takes 'es=Llama al 911' for one language, or a
    plain text for the first language (what the option meant before texts were per language).
    A prefix that is not a loaded flow language is part of the text."""
    code, sep, rest = item.partition("=")
    if sep and code.strip() in languages:
        return code.strip(), rest
    if sep and code.strip().isalpha() and 2 <= len(code.strip()) <= 3:
        raise SettingError(f"'{code.strip()}' is not a language of the loaded flows (they "
                           f"speak {', '.join(languages)})")
    return languages[0], item


def check_help_text(text: str) -> str | None:
    """None (empty) means the flow's own HELP answer is sent."""
    return text.strip() or None


def check_ack_minutes(level: str, minutes: str) -> int:
    if level not in ACK_LEVELS:
        raise SettingError(f"'{level}' is not a level: use urgent, concern or watch")
    text = minutes.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= ACK_MAX_MINUTES:
        raise SettingError(f"the {level} deadline is a whole number of minutes from 1 to "
                           f"{ACK_MAX_MINUTES} (e.g. urgent=15, concern=1440, watch=4320)")
    return int(text)


def check_alert_detail(value: str) -> str:
    if value not in DETAIL_MODES:
        raise SettingError("alert detail is 'discreet' (default) or 'reasons' (adds reason codes)")
    return value


def check_digest_hour(hour: int) -> int:
    if not 0 <= hour <= 23:
        raise SettingError("digest hour is 0 to 23")
    return hour



def check_outcomes(text: str) -> list[str]:
    """The outcomes staff choose from when resolving: one a line, blank lines ignored, 1 to
    12 of them, each up to 60 characters, no repeats."""
    items = [" ".join(line.split()) for line in text.splitlines()]
    items = [item for item in items if item]
    if not items:
        raise SettingError("list at least one outcome, one a line")
    if len(items) > OUTCOMES_MAX:
        raise SettingError(f"keep it to {OUTCOMES_MAX} outcomes (this list has {len(items)})")
    long = [item for item in items if len(item) > OUTCOME_MAX_CHARS]
    if long:
        raise SettingError(f"keep each outcome to {OUTCOME_MAX_CHARS} characters "
                           f"(\"{long[0][:20]}…\" is longer)")
    seen: set[str] = set()
    for item in items:
        if item.casefold() in seen:
            raise SettingError(f"\"{item}\" is listed twice")
        seen.add(item.casefold())
    return items
def check_staff_signoff(text: str) -> str | None:
    """The program's sign-off under staff messages ("— the Hope House team"); None (empty)
    means each staff member's first name ("— Sam")."""
    text = " ".join(text.split())
    if len(text) > SIGNOFF_MAX_CHARS:
        raise SettingError(f"keep the sign-off to {SIGNOFF_MAX_CHARS} characters (it ends every "
                           f"staff message); this one has {len(text)}")
    return text or None


# ---- outbound webhooks (bot.webhook_events) ---------------------------------------------------

WEBHOOK_URL_MAX_CHARS = 500
WEBHOOK_SECRET_MIN_CHARS = 24
WEBHOOK_SECRET_MAX_CHARS = 200
# Plain http only to this machine (a receiver beside the service, or a test): anywhere else the
# events would cross the network readable and the signature could be replayed by anyone on
# the path.
_LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def check_webhook_url(text: str) -> str | None:
    """None (empty) turns the program's webhooks off."""
    url = text.strip()
    if not url:
        return None
    if len(url) > WEBHOOK_URL_MAX_CHARS:
        raise SettingError(f"keep the webhook URL to {WEBHOOK_URL_MAX_CHARS} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SettingError("the webhook URL is an address like https://cases.example.org/hooks")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK_HOSTS:
        raise SettingError("the webhook URL must be https:// (plain http only to 127.0.0.1)")
    return url


def check_webhook_secret(text: str) -> str:
    secret = text.strip()
    if not WEBHOOK_SECRET_MIN_CHARS <= len(secret) <= WEBHOOK_SECRET_MAX_CHARS or any(
            ch.isspace() for ch in secret):
        raise SettingError(
            f"the webhook secret is {WEBHOOK_SECRET_MIN_CHARS} to {WEBHOOK_SECRET_MAX_CHARS} "
            "characters without spaces; make one with "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return secret


def check_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "on", "1"):
        return True
    if value in ("no", "false", "off", "0", ""):
        return False
    raise SettingError(f"'{text}' is not yes or no")


def secret_hint(secret: str | None) -> str:
    """How a stored secret is shown back: whether there is one and its last 4 characters."""
    return f"set (ends in …{secret[-4:]})" if secret else "not set"


def set_webhook(
    program: Program, *, url: str | None = None, turn_off: bool = False,
    secret: str | None = None, include_text: bool | None = None,
) -> list[str]:
    """Apply checked webhook values to ``program`` (not saved: the caller's transaction does);
    None leaves a value as it is, ``turn_off`` removes the URL. Returns the names changed (for
    the audit trail: names only, never the secret). A URL needs a secret, given now or stored
    before."""
    settings = dict(program.settings or {})
    changed: list[str] = []
    if turn_off:
        url = None
    if (turn_off or url is not None) and url != settings.get(URL_SETTING):
        if url is None:
            settings.pop(URL_SETTING, None)
        else:
            settings[URL_SETTING] = url
            # The pseudonyms' key is made once and kept: a receiver's references stay stable.
            settings.setdefault(REF_KEY_SETTING, secrets.token_hex(16))
        changed.append(URL_SETTING)
    if secret is not None and secret != program.webhook_secret:
        program.webhook_secret = secret
        changed.append("webhook_secret")
    if include_text is not None and include_text != (settings.get(INCLUDE_TEXT_SETTING) is True):
        if include_text:
            settings[INCLUDE_TEXT_SETTING] = True
        else:
            settings.pop(INCLUDE_TEXT_SETTING, None)
        changed.append(INCLUDE_TEXT_SETTING)
    if settings.get(URL_SETTING) and not program.webhook_secret:
        raise SettingError("a webhook URL needs a secret to sign with: set the webhook secret "
                           "too")
    program.settings = settings
    return changed
