"""Schedules in the dashboard: the list, pause and resume, and setting a rule with the picker or
a raw RRULE; admins only, and only their own programs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.dashboard.pages.schedules import rule_from_picker
from bot.scheduling.rule_words import describe_rule
from storage.models import AuditEvent, Person, Role, Schedule
from storage.queries import schedules
from tests.dashboard.conftest import Dash

MONDAY_6PM = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0"


def _admin(dash: Dash) -> Person:
    admin = dash.staff(Role.admin, "ada")
    dash.login("ada")
    return admin


def _scheduled(dash: Dash, name: str, program: str = "Hope House",
               rule: str = MONDAY_6PM, timezone: str = "America/Chicago") -> Schedule:
    person = dash.person(Role.mentee, name, program=program)
    with dash.db() as db:
        return schedules.set_schedule(db, person_id=person.id or 0, flow_id="mentee_checkin",
                                      rule=rule, timezone=timezone, now=dash.clock())


def _schedule(dash: Dash, schedule_id: int | None) -> Schedule:
    with dash.db() as db:
        found = db.get(Schedule, schedule_id)
        assert found is not None
        return found


def _events(dash: Dash, action: str) -> list[AuditEvent]:
    with dash.db() as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)
                            .order_by(col(AuditEvent.id))).all())


def test_the_list_shows_the_rule_in_words_and_the_next_time_locally(dash: Dash) -> None:
    _admin(dash)
    _scheduled(dash, "Ana Ruiz")
    _scheduled(dash, "Ben Carter", rule="FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
               timezone="Europe/Madrid")
    _scheduled(dash, "Zed Outsider", program="Elm Street")
    page = dash.client.get("/schedules")
    assert page.status_code == 200
    assert "Ana Ruiz" in page.text and "Every Monday at 18:00" in page.text
    # NOW is Mon 2 March 2026 17:00 UTC = 11:00 in Chicago: due today at 18:00 local.
    assert "Mon 02 Mar 18:00" in page.text and "America/Chicago" in page.text
    # a rule with no words shown as it is; Madrid local time
    assert "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0" in page.text
    assert "Wed 01 Apr 09:00" in page.text
    assert "Zed Outsider" not in page.text
    # the check-in by name, not by its file's id
    assert "<td>Mentee check-in</td>" in page.text and "<td>mentee_checkin</td>" not in page.text


def test_pause_and_resume_from_the_list_are_audited(dash: Dash) -> None:
    admin = _admin(dash)
    schedule = _scheduled(dash, "Ana Ruiz")
    response = dash.post(f"/schedules/{schedule.id}/pause")
    assert response.status_code == 303
    assert response.headers["location"] == "/schedules?done=schedule_paused"
    assert _schedule(dash, schedule.id).paused
    page = dash.client.get(response.headers["location"])
    assert "The schedule is paused." in page.text and "Resume" in page.text
    dash.clock.advance(minutes=10)
    response = dash.post(f"/schedules/{schedule.id}/resume", {"back": "person"})
    assert response.headers["location"] == (f"/people/{schedule.person_id}"
                                            "?done=schedule_resumed")
    resumed = _schedule(dash, schedule.id)
    assert not resumed.paused and resumed.next_due_at > dash.clock()
    [paused] = _events(dash, "schedules_paused")
    [again] = _events(dash, "schedules_resumed")
    assert paused.actor == again.actor == f"person:{admin.id}"
    assert paused.subject_id == schedule.person_id and paused.detail["flow"] == "mentee_checkin"


def test_setting_a_rule_with_the_weekday_and_time_picker(dash: Dash) -> None:
    admin = _admin(dash)
    schedule = _scheduled(dash, "Ana Ruiz")
    response = dash.post(f"/people/{schedule.person_id}/schedule",
                         {"flow": "mentee_checkin", "weekday": "TU", "time": "09:30",
                          "rrule": ""})
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{schedule.person_id}?done=schedule_set"
    changed = _schedule(dash, schedule.id)
    assert changed.rule == "FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=30"
    # the person's timezone is the program's (America/New_York): Tue 3 March 09:30 EST
    assert changed.next_due_at == datetime(2026, 3, 3, 14, 30, tzinfo=UTC)
    [event] = _events(dash, "schedule_set")
    assert event.actor == f"person:{admin.id}" and event.subject_id == schedule.id
    assert event.detail["rule"] == changed.rule
    page = dash.client.get(response.headers["location"])
    assert "Every Tuesday at 09:30" in page.text


def test_a_raw_rrule_wins_over_the_picker(dash: Dash) -> None:
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    response = dash.post(f"/people/{ana.id}/schedule",
                         {"flow": "mentee_checkin", "weekday": "MO", "time": "18:00",
                          "rrule": "rrule:freq=weekly;byday=mo,th;byhour=18;byminute=30"})
    assert response.status_code == 303
    with dash.db() as db:
        [row] = db.exec(select(Schedule).where(Schedule.person_id == ana.id)).all()
    assert row.rule == "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=30"


@pytest.mark.parametrize(("form", "message"), [
    ({"rrule": "FREQ=SOMETIMES"}, "That rule does not work"),
    ({"rrule": "FREQ=HOURLY;BYMINUTE=0"}, "not more often"),
    ({"rrule": "FREQ=DAILY;COUNT=1;BYHOUR=1"}, "has no occurrence after"),
    ({"time": "25:00"}, "Give a time as hours and minutes"),
    ({"time": ""}, "Give a time as hours and minutes"),
    ({"weekday": "XX"}, "Choose a day of the week"),
    ({"flow": "no_such_flow"}, "There is no flow named"),
])
def test_a_bad_schedule_gets_a_clear_message_and_changes_nothing(
        sqlite_dash: Dash, form: dict[str, str], message: str) -> None:
    dash = sqlite_dash
    _admin(dash)
    schedule = _scheduled(dash, "Ana Ruiz")
    fields = {"flow": "mentee_checkin", "weekday": "MO", "time": "18:00", "rrule": "", **form}
    response = dash.post(f"/people/{schedule.person_id}/schedule", fields)
    assert response.status_code == 400
    assert message in response.text
    assert _schedule(dash, schedule.id).rule == MONDAY_6PM
    assert _events(dash, "schedule_set") == []


def test_supervisors_get_403_on_schedules(dash: Dash) -> None:
    schedule = _scheduled(dash, "Ana Ruiz")
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    assert dash.client.get("/schedules").status_code == 403
    assert dash.post(f"/schedules/{schedule.id}/pause").status_code == 403
    assert dash.post(f"/schedules/{schedule.id}/resume").status_code == 403
    assert dash.post(f"/people/{schedule.person_id}/schedule",
                     {"flow": "mentee_checkin", "weekday": "TU", "time": "09:00"}
                     ).status_code == 403
    assert _schedule(dash, schedule.id) == schedule


def test_another_programs_schedule_answers_404(dash: Dash) -> None:
    _admin(dash)
    schedule = _scheduled(dash, "Zed Outsider", program="Elm Street")
    assert dash.post(f"/schedules/{schedule.id}/pause").status_code == 404
    assert dash.post("/schedules/999999/pause").status_code == 404
    for form in ({"flow": "mentee_checkin", "weekday": "TU", "time": "09:00"},
                 {"flow": "nope", "time": "x"}):  # a bad form still answers 404 first
        response = dash.post(f"/people/{schedule.person_id}/schedule", form)
        assert response.status_code == 404 and "Zed" not in response.text
    unchanged = _schedule(dash, schedule.id)
    assert not unchanged.paused and unchanged.rule == MONDAY_6PM


@pytest.mark.parametrize(("rule", "words"), [
    (MONDAY_6PM, "Every Monday at 18:00"),
    ("FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=5", "Every Monday, Thursday at 09:05"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=17;BYMINUTE=0",
     "Every 2 weeks on Friday at 17:00"),
    ("FREQ=DAILY;BYHOUR=8;BYMINUTE=0", "Every day at 08:00"),
    ("FREQ=DAILY;INTERVAL=3;BYHOUR=8;BYMINUTE=0", "Every 3 days at 08:00"),
    ("FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0", None),
    ("FREQ=WEEKLY;BYDAY=MO", None),  # no time: shown as the rule
    ("FREQ=WEEKLY;BYDAY=1MO;BYHOUR=9;BYMINUTE=0", None),
])
def test_rules_in_words(rule: str, words: str | None) -> None:
    assert describe_rule(rule) == words


def test_the_picker_builds_rrules() -> None:
    assert rule_from_picker("MO", "18:00") == (MONDAY_6PM, None)
    assert rule_from_picker("DAILY", "7:05") == ("FREQ=DAILY;BYHOUR=7;BYMINUTE=5", None)
    assert rule_from_picker("MO", "18:60")[0] is None
