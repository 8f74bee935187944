"""Quiet hours: routine sends (check-in starts, nudges, reminders) wait for the morning.

Urgent alerts and crisis replies never pass through here. Times are the person's local wall
clock; a window such as 21:00-08:00 wraps midnight.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_clock(text: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"'{text}' is not a time like 21:00") from None


def quiet_until(when: datetime, timezone: str, start: str, end: str) -> datetime | None:
    """If `when` falls inside quiet hours, the UTC moment they end; otherwise None."""
    begin, finish = parse_clock(start), parse_clock(end)
    if begin == finish:
        return None  # no quiet hours
    tz = ZoneInfo(timezone)
    local = when.astimezone(tz)
    now = local.time().replace(tzinfo=None)
    wraps = begin > finish
    inside = (now >= begin or now < finish) if wraps else (begin <= now < finish)
    if not inside:
        return None
    end_date = local.date()
    if wraps and now >= begin:
        end_date += timedelta(days=1)
    ends = datetime.combine(end_date, finish).replace(tzinfo=tz)
    return ends.astimezone(UTC)


def outside_quiet_hours(when: datetime, timezone: str, start: str, end: str) -> datetime:
    """`when`, or the end of the quiet hours it falls in."""
    return quiet_until(when, timezone, start, end) or when
