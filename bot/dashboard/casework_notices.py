"""What the escalation page says after a casework action (owner, note, follow-up), and the
follow-up time as the page's date-and-time field shows and sends it: wall-clock time in the
program's timezone, "2026-03-03T09:00"."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NOTICES = {
    "assigned": "Reassigned. They have been sent a message.",
    "assigned-untold": "Reassigned, but they have no usable contact: tell them yourself.",
    "noted": "Note added. Only staff see it.",
    "follow-up": "Follow-up set. It goes to the top of the owner's queue when due.",
    "follow-up-cleared": "Follow-up cleared.",
}
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def local_input(moment: datetime, timezone: str) -> str:
    """A UTC moment as the field's value in the program's timezone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime(INPUT_FORMAT)


def parse_local(text: str, timezone: str) -> datetime:
    """The field's value (program wall-clock time) as a UTC moment; ValueError if it is not
    a date and time."""
    value = datetime.strptime(text.strip()[:16], INPUT_FORMAT)
    return value.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
