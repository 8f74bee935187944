"""RFC 5545 recurrence rules evaluated in the person's local wall time.

A rule such as `FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0` means 18:00 on the person's clock,
before and after a daylight-saving change: occurrences are computed as naive local times and
only then converted to UTC. A local time that does not exist (the spring-forward gap) moves
forward by the gap; an ambiguous one (the autumn repeat) is the first of the two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

# A fixed Monday: rules with INTERVAL > 1 ("every other week") keep the same parity forever.
_FIXED_ANCHOR = datetime(2024, 1, 1)
_MAX_LOOKAHEAD = timedelta(days=800)


class RuleError(ValueError):
    pass


def normalize_rule(rule: str) -> str:
    """Validate a rule and return it in canonical form (no RRULE: prefix, upper-case)."""
    text = rule.strip().removeprefix("RRULE:").removeprefix("rrule:").strip().upper()
    if not text:
        raise RuleError("the rule is empty; e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0")
    try:
        parsed = _parse(text)
    except (ValueError, TypeError) as exc:
        raise RuleError(
            f"'{rule}' is not a recurrence rule ({exc}); "
            "e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0"
        ) from None
    if _freq(parsed) not in (0, 1, 2, 3):  # YEARLY..DAILY; no hourly check-ins by accident
        raise RuleError("check-ins can repeat daily, weekly, monthly or yearly, not more often")
    return text


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder: OSError
        raise RuleError(
            f"'{name}' is not a timezone name; use one like America/Chicago or Europe/Madrid"
        ) from None


def _freq(rule: rrule) -> int:
    # dateutil keeps the parsed parts private; they are stable across its releases.
    return int(rule._freq)  # type: ignore[attr-defined]


def _interval(rule: rrule) -> int:
    return int(rule._interval)  # type: ignore[attr-defined]


@lru_cache(maxsize=1024)
def _parse(text: str) -> rrule:
    rule = rrulestr(text, dtstart=_FIXED_ANCHOR)
    assert isinstance(rule, rrule)
    return rule


def _anchor_near(rule: rrule, local_after: datetime) -> rrule:
    """Iterating from 2024 costs time per call; a rule with INTERVAL 1 gives the same
    occurrences from any anchor on a week boundary, so start shortly before `after`."""
    if _interval(rule) != 1:
        return rule
    monday = (local_after - timedelta(days=local_after.weekday() + 7)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    if _freq(rule) in (1, 0):  # MONTHLY, YEARLY: anchor on the 1st of a month
        monday = monday.replace(day=1)
        if _freq(rule) == 0:
            monday = monday.replace(month=1)
    return rule.replace(dtstart=monday)


@lru_cache(maxsize=65536)
def next_occurrence(rule: str, timezone: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (aware), as an aware UTC datetime, or None
    when the rule has ended. Cached: a fan-out of many people on one rule computes it once."""
    if after.tzinfo is None:
        raise ValueError("`after` must be timezone-aware")
    tz = check_timezone(timezone)
    local_after = after.astimezone(tz).replace(tzinfo=None)
    parsed = _anchor_near(_parse(normalize_rule(rule)), local_after)
    candidate = local_after
    while True:
        found = parsed.after(candidate, inc=False)
        if found is None or found - local_after > _MAX_LOOKAHEAD:
            return None
        aware = found.replace(tzinfo=tz).astimezone(UTC)  # fold=0: gap moves forward
        if aware > after:
            return aware
        candidate = found  # an ambiguous hour can map before `after`: keep looking
