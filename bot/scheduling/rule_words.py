"""A schedule's rule in words, for the pages that list schedules (the schedules page and a
person's page)."""

from __future__ import annotations

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}


def describe_rule(rule: str) -> str | None:
    """Simple rules in words ("Every Monday at 18:00"); None when it is more than that."""
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        key, _, value = item.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    if not set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE"}:
        return None
    hour, minute = parts.get("BYHOUR", ""), parts.get("BYMINUTE", "0")
    if not (hour.isdigit() and minute.isdigit()):
        return None
    at = f"at {int(hour):02d}:{int(minute):02d}"
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        return None
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if any(d not in DAY_NAMES for d in days):
        return None
    names = ", ".join(DAY_NAMES[d] for d in days)
    every = "Every" if interval == "1" else f"Every {interval}"
    freq = parts.get("FREQ")
    if freq == "DAILY" and not days:
        return f"Every day {at}" if interval == "1" else f"{every} days {at}"
    if freq == "WEEKLY" and days:
        if interval == "1":
            return f"Every {names} {at}"
        return f"{every} weeks on {names} {at}"
    return None
