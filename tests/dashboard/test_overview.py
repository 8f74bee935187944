"""The program overview and its CSV: figures on a small known dataset, weeks on the program's
clock, scoping, bad filters, and no names or free text in the export.

The app's clock is tests.bot.helpers.NOW, Monday 2 March 2026 17:00 UTC (12:00 in New York, the
programs' time zone), so the current week starts Monday 2 March 00:00 in New York (05:00 UTC)
and the 12 weeks shown start on 15 December 2025.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from storage.models import AuditEvent, Person, PersonStatus, Role, SessionStatus
from tests.bot.helpers import NOW
from tests.dashboard.conftest import Dash
from tests.dashboard.mentee_data import checkin, escalation

DAY = timedelta(days=1)
MIN = timedelta(minutes=1)
THIS_WEEK = datetime(2026, 3, 2, tzinfo=UTC)
LAST_WEEK = datetime(2026, 2, 23, tzinfo=UTC)
HEADER = ["week_start", "program", "checkins_started", "completed", "expired", "response_rate",
          "avg_comfort", "avg_safety", "escalations_urgent", "escalations_concern",
          "escalations_watch"]


def _known_dataset(dash: Dash) -> dict[str, int]:
    """Hope House: 2 active mentees (+1 paused), 1 active mentor (+1 exited); check-ins this
    week and last week; five escalations in the last 30 days and one older; noise in another
    program and from a mentor's own check-in."""
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    ben = dash.person(Role.mentee, "Ben Okafor")
    cy = dash.person(Role.mentee, "Cy Paused")
    mo = dash.person(Role.mentor, "Mo Mentor")
    mx = dash.person(Role.mentor, "Max Gone")
    far = dash.person(Role.mentee, "Olga Elsewhere", program="Far Away")
    hope = ana.program_id
    with dash.db() as db:
        for pid, status in ((cy.id, PersonStatus.paused), (mx.id, PersonStatus.exited)):
            person = db.get(Person, pid)
            assert person is not None
            person.status = status
        # This week: 3 started, 2 completed, 1 expired; comfort 4 and 1, safety 5 and 2.
        checkin(db, ana.id, NOW - timedelta(hours=1), comfort=4, safety=5)
        checkin(db, ben.id, NOW - timedelta(hours=2), SessionStatus.expired)
        # 05:30 UTC Monday is 00:30 Monday in New York: this week.
        checkin(db, ben.id, datetime(2026, 3, 2, 5, 30, tzinfo=UTC), comfort=1, safety=2)
        # Last week: 3 started, 2 completed, 1 stopped (neither way); comfort 2, 4; safety 3, 4.
        checkin(db, ana.id, datetime(2026, 2, 24, 10, tzinfo=UTC), comfort=2, safety=3)
        checkin(db, ben.id, datetime(2026, 2, 25, 10, tzinfo=UTC), comfort=4, safety=4)
        checkin(db, ana.id, datetime(2026, 2, 26, 10, tzinfo=UTC), SessionStatus.stopped)
        # Monday 04:59 UTC is Sunday 23:59 in New York: last week, not this one.
        checkin(db, ana.id, datetime(2026, 3, 2, 4, 59, tzinfo=UTC), SessionStatus.active)
        # Long ago: counts in "all time" only.
        checkin(db, ana.id, NOW - 100 * DAY, SessionStatus.expired)
        # Not counted: a mentor's own check-in, another program's mentee.
        checkin(db, mo.id, NOW - timedelta(hours=3), SessionStatus.expired, flow="mentor_checkin")
        checkin(db, far.id, NOW - timedelta(hours=3), SessionStatus.expired)
        checkin(db, far.id, NOW - timedelta(hours=4), comfort=1, safety=1)
        # Escalations: urgent acked after 4, 10 and 20 min; concern acked after 2 h, and one
        # not acked; a watch 40 days ago (outside the 30 days); another program's urgent.
        for days, minutes in ((1, 4), (2, 10), (3, 20)):
            escalation(db, hope, ana.id, "urgent", NOW - days * DAY,
                       acknowledged_after=minutes * MIN)
        escalation(db, hope, ben.id, "concern", NOW - 5 * DAY, acknowledged_after=120 * MIN)
        escalation(db, hope, ben.id, "concern", NOW - 6 * DAY)
        escalation(db, hope, ana.id, "watch", NOW - 40 * DAY, acknowledged_after=60 * MIN)
        escalation(db, far.program_id, far.id, "urgent", NOW - DAY,
                   acknowledged_after=1 * MIN)
    return {"hope": hope, "far": far.program_id}


def _search(pattern: str, text: str) -> str:
    found = re.search(pattern, text, re.S)
    assert found, pattern
    return found.group(1)


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_overview_figures_on_a_known_dataset(dash: Dash) -> None:
    ids = _known_dataset(dash)
    dash.login("sam")
    page = dash.client.get("/overview")
    assert page.status_code == 200
    html = page.text

    def figure(name: str) -> str:
        found = re.search(rf'data-figure="{name}">([^<]*)<', html)
        assert found, name
        return found.group(1)

    assert figure("rate-recent") == "80%"  # last 30 days: 4 completed, 1 expired
    assert figure("rate-all") == "67%"     # all time: 4 completed, 2 expired
    assert figure("mentees") == "2" and figure("mentors") == "1"

    chart = json.loads(_search(
        rf'<script type="application/json" id="overview-chart-data-{ids["hope"]}">(.*?)</script>',
        html))
    assert len(chart["labels"]) == 12
    assert chart["labels"][0] == "15 Dec" and chart["labels"][-1] == "02 Mar"
    assert chart["comfort"] == [None] * 10 + [3.0, 2.5]
    assert chart["safety"] == [None] * 10 + [3.5, 3.5]

    levels = dict(re.findall(r'<tr data-level="(\w+)">.*?<td class="num">(\d+)</td>', html,
                             re.S))
    assert levels == {"urgent": "3", "concern": "2", "watch": "0"}
    urgent = _search(r'<tr data-level="urgent">(.*?)</tr>', html)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                      urgent, re.S)]
    assert cells == ["3", "3", "10 min", "18 min"]  # median 10, p90 10 + 0.8 * (20 - 10)
    concern = _search(r'<tr data-level="concern">(.*?)</tr>', html)
    assert "2 h" in concern
    assert "Ana Torres" not in html and "Olga" not in html
    assert '<canvas id="overview-chart-' in html and "aria-label=" in html
    assert '<select id="program"' not in html, "one program: no filter"
    with dash.db() as db:
        viewed = select(AuditEvent).where(col(AuditEvent.action).startswith("mentee"))
        assert db.exec(viewed).all() == [], "aggregates only: nothing to audit"


def test_the_csv_has_the_weekly_figures_in_the_programs_weeks_and_no_names(dash: Dash) -> None:
    _known_dataset(dash)
    dash.login("sam")
    response = dash.client.get("/overview.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="overview-2026-03-02.csv"')
    rows = _csv(response.text)
    assert rows[0] == HEADER
    body = {row[0]: row for row in rows[1:]}
    assert len(rows) == 13 and all(row[1] == "Hope House" for row in rows[1:])
    assert rows[1][0] == "2025-12-15" and rows[-1][0] == "2026-03-02"
    assert body["2026-03-02"] == ["2026-03-02", "Hope House", "3", "2", "1", "0.667", "2.50",
                                  "3.50", "0", "0", "0"]
    assert body["2026-02-23"] == ["2026-02-23", "Hope House", "4", "2", "0", "1.000", "3.00",
                                  "3.50", "3", "2", "0"]
    assert body["2026-01-19"] == ["2026-01-19", "Hope House", "0", "0", "0", "", "", "", "0",
                                  "0", "1"]
    for name in ("Ana", "Ben", "Cy", "Mo", "Max", "Olga", "Sam", "Far Away", "SECRET"):
        assert name not in response.text


def test_another_programs_filter_is_not_found_and_a_bad_one_is_explained(dash: Dash) -> None:
    ids = _known_dataset(dash)
    dash.login("sam")
    assert dash.client.get(f"/overview?program={ids['far']}").status_code == 404
    assert dash.client.get(f"/overview.csv?program={ids['far']}").status_code == 404
    bad = dash.client.get("/overview?program=drop%20table")
    assert bad.status_code == 400
    assert "Choose a program from the list." in bad.text
    bad_csv = dash.client.get("/overview.csv?program=x")
    assert bad_csv.status_code == 400 and "Choose a program" in bad_csv.text
    own = dash.client.get(f"/overview?program={ids['hope']}")
    assert own.status_code == 200 and 'data-figure="rate-all">67%<' in own.text


def test_a_viewer_of_two_programs_gets_a_filter(dash: Dash,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _known_dataset(dash)
    # Staff cover one program today (lifecycle.programs_for); pretend sam covers both.
    monkeypatch.setattr("bot.dashboard.access.programs_for",
                        lambda db, person: sorted(ids.values()))
    dash.login("sam")
    page = dash.client.get("/overview").text
    assert '<label for="program">Program</label>' in page and '<select id="program"' in page
    assert "Hope House</h2>" in page and "Far Away</h2>" in page
    assert 'name="csrf_token"' not in page.split("<main", 1)[1], "no token in a GET form"
    one = dash.client.get(f"/overview?program={ids['far']}").text
    assert "Far Away</h2>" in one and "Hope House</h2>" not in one
    assert f'<option value="{ids["far"]}" selected>' in one
    both = _csv(dash.client.get("/overview.csv").text)
    assert {row[1] for row in both[1:]} == {"Hope House", "Far Away"} and len(both) == 25
    far_only = _csv(dash.client.get(f"/overview.csv?program={ids['far']}").text)
    assert {row[1] for row in far_only[1:]} == {"Far Away"}
    this_week = next(row for row in far_only if row[0] == "2026-03-02")
    assert this_week[2:8] == ["2", "1", "1", "0.500", "1.00", "1.00"]


def test_an_empty_program_shows_dashes_not_errors(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    page = dash.client.get("/overview")
    assert page.status_code == 200
    assert 'data-figure="rate-all">—<' in page.text
    rows = _csv(dash.client.get("/overview.csv").text)
    assert len(rows) == 13 and rows[-1][2:] == ["0", "0", "0", "", "", "", "0", "0", "0"]


def test_the_overview_needs_a_login(dash: Dash) -> None:
    for path in ("/overview", "/overview.csv"):
        response = dash.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_a_program_name_cannot_become_a_spreadsheet_formula(sqlite_dash: Dash) -> None:
    sqlite_dash.staff(Role.supervisor, "sam", program="=HYPERLINK(\"x\")")
    sqlite_dash.login("sam")
    rows = _csv(sqlite_dash.client.get("/overview.csv").text)
    assert rows[1][1] == "'=HYPERLINK(\"x\")"


def test_a_sunday_evening_check_in_belongs_to_that_week_on_the_programs_clock(
    dash: Dash,
) -> None:
    """23:30 on Sunday 1 March in New York is 04:30 UTC on Monday 2 March: it counts in the
    week of 23 February (the program's), not the UTC week of 2 March."""
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        checkin(db, ana.id, datetime(2026, 3, 2, 4, 30, tzinfo=UTC), comfort=2, safety=3)
    dash.login("sam")
    body = {row[0]: row for row in _csv(dash.client.get("/overview.csv").text)[1:]}
    assert body["2026-02-23"][2:8] == ["1", "1", "0", "1.000", "2.00", "3.00"]
    assert body["2026-03-02"][2] == "0"
    html = dash.client.get("/overview").text
    assert "Week of (America/New_York)" in html
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)</td>', html)
    assert rows[:2] == [("02 Mar 2026", "0"), ("23 Feb 2026", "1")]
