"""Recurrence rules in local wall time, and quiet hours: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.quiet_hours import outside_quiet_hours, quiet_until
from flows.recurrence import RuleError, check_timezone, next_occurrence, normalize_rule

NY = "America/New_York"
MADRID = "Europe/Madrid"
MONDAY_18 = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def occurrences(rule: str, tz: str, after: datetime, n: int) -> list[datetime]:
    found: list[datetime] = []
    when: datetime | None = after
    while len(found) < n:
        when = next_occurrence(rule, tz, when)  # type: ignore[arg-type]
        assert when is not None
        found.append(when)
    return found


# --- recurrence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "start", "expected_utc_hours"),
    [
        # US: spring forward 2026-03-08, fall back 2026-11-01.
        (NY, utc(2026, 3, 1), [23, 22, 22]),
        (NY, utc(2026, 10, 25), [22, 23, 23]),
        # EU: spring forward 2026-03-29, fall back 2026-10-25.
        (MADRID, utc(2026, 3, 22), [17, 16, 16]),
        (MADRID, utc(2026, 10, 18), [16, 17, 17]),
    ],
)
def test_weekly_stays_at_local_wall_time_across_dst(
    tz: str, start: datetime, expected_utc_hours: list[int]
) -> None:
    found = occurrences(MONDAY_18, tz, start, 3)
    assert [w.astimezone(ZoneInfo(tz)).time() for w in found] == [time(18, 0)] * 3
    assert all(w.astimezone(ZoneInfo(tz)).weekday() == 0 for w in found)
    assert [w.hour for w in found] == expected_utc_hours  # the UTC instant moves by an hour
    assert all(w.tzinfo == UTC for w in found)


def test_nonexistent_local_time_moves_forward_by_the_gap() -> None:
    when = next_occurrence("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", NY, utc(2026, 3, 8, 5))
    assert when is not None
    assert when.astimezone(ZoneInfo(NY)).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)
    assert when == utc(2026, 3, 8, 7, 30)


def test_ambiguous_local_time_is_the_first_and_not_repeated() -> None:
    rule = "FREQ=DAILY;BYHOUR=1;BYMINUTE=30"
    first, second = occurrences(rule, NY, utc(2026, 11, 1, 4), 2)
    assert first == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST an hour later
    assert second == utc(2026, 11, 2, 6, 30)  # the next day, not the repeated hour
    # Asked from inside the repeated hour (01:00 EST), the next one is also the next day.
    assert next_occurrence(rule, NY, utc(2026, 11, 1, 6)) == second


def test_every_other_week_keeps_its_parity() -> None:
    rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=0"
    first = next_occurrence(rule, NY, utc(2026, 1, 1))
    assert first is not None
    for months in (1, 2, 5, 13):  # asking later lands on the same fortnightly grid
        later = next_occurrence(rule, NY, first + timedelta(days=30 * months))
        assert later is not None
        local_gap = later.astimezone(ZoneInfo(NY)).date() - first.astimezone(ZoneInfo(NY)).date()
        assert local_gap.days % 14 == 0
        assert later.astimezone(ZoneInfo(NY)).time() == time(9, 0)


def test_monthly_on_the_31st_skips_short_months() -> None:
    found = occurrences("FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=9;BYMINUTE=0", NY, utc(2026, 1, 1), 4)
    assert [w.astimezone(ZoneInfo(NY)).date() for w in found] == [
        date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31),
    ]


def test_after_exactly_at_an_occurrence_returns_the_next() -> None:
    first = next_occurrence(MONDAY_18, NY, utc(2026, 3, 10))
    assert first == utc(2026, 3, 16, 22)
    assert next_occurrence(MONDAY_18, NY, first) == utc(2026, 3, 23, 22)


def test_ended_rule_gives_none() -> None:
    rule = "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;UNTIL=20250101T000000"
    assert next_occurrence(rule, NY, utc(2026, 1, 1)) is None


def test_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrence(MONDAY_18, NY, datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "empty"),
        ("FREQ=SOMETIMES", "is not a recurrence rule"),
        ("BYDAY=MO;BYHOUR=25", "is not a recurrence rule"),
        ("FREQ=HOURLY", "not more often"),
    ],
)
def test_bad_rule_is_a_helpful_rule_error(rule: str, message: str) -> None:
    with pytest.raises(RuleError, match=message) as caught:
        next_occurrence(rule, NY, utc(2026, 1, 1))
    assert isinstance(caught.value, ValueError)
    if rule:
        assert "FREQ=WEEKLY;BYDAY=MO" in str(caught.value) or "daily" in str(caught.value)


def test_bad_timezone_is_a_helpful_rule_error() -> None:
    with pytest.raises(RuleError, match="'Mars/Olympus' is not a timezone name; use one like"):
        next_occurrence(MONDAY_18, "Mars/Olympus", utc(2026, 1, 1))
    with pytest.raises(RuleError):
        check_timezone("../etc/passwd")


def test_normalize_rule_is_canonical() -> None:
    assert normalize_rule(" rrule:freq=weekly;byday=mo ") == "FREQ=WEEKLY;BYDAY=MO"


ZONES = [
    "UTC", NY, MADRID, "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata",
    "Asia/Kathmandu", "Pacific/Auckland", "America/St_Johns",
]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _exists(day: date, wall: time, tz: ZoneInfo) -> bool:
    naive = datetime.combine(day, wall)
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


@settings(max_examples=150, deadline=None)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY"]),
    days=st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    zone=st.sampled_from(ZONES),
    after=st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
)
def test_next_occurrence_is_later_and_at_the_rule_wall_time(
    freq: str, days: list[str], hour: int, minute: int, zone: str, after: datetime
) -> None:
    rule = f"FREQ={freq};BYHOUR={hour};BYMINUTE={minute}"
    if freq == "WEEKLY":
        rule += f";BYDAY={','.join(days)}"
    found = next_occurrence(rule, zone, after)
    if found is None:
        return
    assert found > after
    tz = ZoneInfo(zone)
    local = found.astimezone(tz)
    wall = time(hour, minute)
    if freq == "WEEKLY":
        assert DAYS[local.weekday()] in days
    if _exists(local.date(), wall, tz):
        assert local.time().replace(tzinfo=None) == wall
    else:  # moved forward by the gap, never backwards or to another day's slot
        assert local.time().replace(tzinfo=None) > wall
    assert found - after <= timedelta(days=8)


# --- quiet hours -----------------------------------------------------------------------------


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(NY))


@pytest.mark.parametrize(
    ("start", "end", "when", "until"),
    [
        ("21:00", "08:00", ny(2026, 5, 4, 20, 59), None),
        ("21:00", "08:00", ny(2026, 5, 4, 21, 0), ny(2026, 5, 5, 8, 0)),
        ("21:00", "08:00", ny(2026, 5, 4, 23, 30), ny(2026, 5, 5, 8, 0)),
        ("21:00", "08:00", ny(2026, 5, 5, 3, 0), ny(2026, 5, 5, 8, 0)),
        ("21:00", "08:00", ny(2026, 5, 5, 7, 59), ny(2026, 5, 5, 8, 0)),
        ("21:00", "08:00", ny(2026, 5, 5, 8, 0), None),
        ("13:00", "14:00", ny(2026, 5, 5, 12, 59), None),
        ("13:00", "14:00", ny(2026, 5, 5, 13, 0), ny(2026, 5, 5, 14, 0)),
        ("13:00", "14:00", ny(2026, 5, 5, 14, 0), None),
        ("13:00", "14:00", ny(2026, 5, 5, 23, 0), None),
        ("22:00", "22:00", ny(2026, 5, 5, 22, 0), None),
        ("22:00", "22:00", ny(2026, 5, 5, 3, 0), None),
    ],
)
def test_quiet_until(start: str, end: str, when: datetime, until: datetime | None) -> None:
    got = quiet_until(when.astimezone(UTC), NY, start, end)
    assert got == until
    if got is not None:
        assert got.tzinfo == UTC
    assert outside_quiet_hours(when, NY, start, end) == (until or when)


def test_quiet_hours_end_on_the_spring_forward_morning_is_correct_in_utc() -> None:
    # Saturday 23:00 EST; the clocks jump at 02:00, so Sunday 08:00 is EDT = 12:00 UTC.
    assert quiet_until(utc(2026, 3, 8, 4), NY, "21:00", "08:00") == utc(2026, 3, 8, 12)
    # Sunday 23:00 EDT -> Monday 08:00 EDT.
    assert quiet_until(utc(2026, 3, 9, 3), NY, "21:00", "08:00") == utc(2026, 3, 9, 12)
    # And the autumn night: Saturday 23:00 EDT -> Sunday 08:00 EST = 13:00 UTC.
    assert quiet_until(utc(2026, 11, 1, 3), NY, "21:00", "08:00") == utc(2026, 11, 1, 13)


def test_quiet_hours_bad_clock_text() -> None:
    with pytest.raises(ValueError, match="is not a time like 21:00"):
        quiet_until(utc(2026, 1, 1), NY, "9pm", "08:00")
