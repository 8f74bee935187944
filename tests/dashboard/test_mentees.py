"""The mentee list and one mentee's page: scoping, conflict of interest, audit, chart data,
response rate and missed check-ins."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.runner import handle_inbound, start_checkin
from storage.models import (
    AuditEvent,
    Channel,
    EscalationStatus,
    Pairing,
    Person,
    Role,
    SessionStatus,
)
from storage.queries import people
from tests.bot.helpers import NOW
from tests.dashboard.conftest import Dash
from tests.dashboard.mentee_data import checkin, escalation, pair

DAY = timedelta(days=1)
NEW_YORK = ZoneInfo("America/New_York")  # the programs' default time zone
WEEK = timedelta(days=7)
CHART_RE = re.compile(
    r'<script type="application/json" id="mentee-chart-data">(.*?)</script>', re.S)


def _chart(html: str) -> dict[str, list[object]]:
    found = CHART_RE.search(html)
    assert found, "the chart data block is on the page"
    data: dict[str, list[object]] = json.loads(found.group(1))
    return data


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    found = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert found, f"table {table_id} is on the page"
    body = found.group(1).split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def _audits(dash: Dash, action: str) -> list[AuditEvent]:
    with dash.db() as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)
                            .order_by(col(AuditEvent.id))).all())


# ---- the list -------------------------------------------------------------------------------


def test_the_list_shows_the_programs_mentees_with_no_scores(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    dash.person(Role.mentee, "Bea Quiet")
    other = dash.person(Role.mentee, "Olga Elsewhere", program="Far Away")
    mine = dash.person(Role.mentee, "Mina Mentored")
    with dash.db() as db:
        checkin(db, ana.id, NOW - 2 * WEEK, comfort=3, safety=4)
        checkin(db, ana.id, NOW - WEEK, SessionStatus.expired)
        escalation(db, ana.program_id, ana.id, "concern", NOW - WEEK)
        escalation(db, ana.program_id, ana.id, "watch", NOW - 2 * WEEK,
                   acknowledged_after=timedelta(hours=1))
        escalation(db, ana.program_id, ana.id, "urgent", NOW - 3 * WEEK,
                   status=EscalationStatus.resolved)
        pair(db, sam.program_id, sam.id, mine.id, NOW - 10 * WEEK)
    dash.login("sam")
    page = dash.client.get("/mentees")
    assert page.status_code == 200
    html = page.text
    assert f'href="/mentees/{ana.id}"' in html
    assert "Bea Quiet" in html
    assert "Olga Elsewhere" not in html and f"/mentees/{other.id}" not in html
    assert "Mina Mentored" not in html, "a mentee the supervisor mentors is not listed"
    rows = {r[0]: r for r in _table_rows(html.replace('<table>', '<table id="list">', 1),
                                          "list")}
    ana_row = rows["Ana Torres"]
    assert ana_row[1] == "Hope House"
    assert ana_row[2] == "active"
    assert "(missed)" in ana_row[3]
    assert ana_row[4] == "2", "open and acknowledged escalations count; resolved ones do not"
    assert rows["Bea Quiet"][3] == "none yet"
    # No scores: no comfort/safety column, no answers of any kind.
    lowered = html.lower()
    assert "comfort" not in lowered and "safety" not in lowered
    assert "SECRET-WORDS" not in html
    assert _audits(dash, "mentee_list_viewed") == [] and _audits(dash, "mentee_viewed") == []


def test_the_list_needs_a_login(dash: Dash) -> None:
    response = dash.client.get("/mentees", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


# ---- one mentee -----------------------------------------------------------------------------


def test_the_chart_has_each_checkins_scores_oldest_first(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    history = [  # (weeks ago, status, comfort, safety)
        (6, SessionStatus.completed, 4, 5),
        (5, SessionStatus.completed, 3, 4),
        (4, SessionStatus.expired, None, None),
        (3, SessionStatus.completed, 2, 2),
        (2, SessionStatus.stopped, 1, None),
        (1, SessionStatus.completed, 5, 5),
    ]
    with dash.db() as db:
        # Inserted out of order: the chart follows the session time, not the insert order.
        for weeks, status, comfort, safety in reversed(history):
            checkin(db, ana.id, NOW - weeks * WEEK, status, comfort, safety)
    dash.login("sam")
    page = dash.client.get(f"/mentees/{ana.id}")
    assert page.status_code == 200
    chart = _chart(page.text)
    assert chart["comfort"] == [4.0, 3.0, None, 2.0, 1.0, 5.0]
    assert chart["safety"] == [5.0, 4.0, None, 2.0, None, 5.0]
    # Labels are the session dates in the program's time zone (America/New_York).
    assert chart["labels"] == [(NOW - w * WEEK).astimezone(
        NEW_YORK).strftime("%d %b %Y")
        for w, *_ in history]
    assert 'role="img"' in page.text and 'aria-label="Line chart of Ana Torres' in page.text
    assert '<script src="/static/vendor/chart.umd.min.js" defer></script>' in page.text
    assert '<script src="/static/charts.js" defer></script>' in page.text
    # The table is the text alternative: newest first, the same scores.
    rows = _table_rows(page.text, "checkins")
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("completed", "5", "5"), ("stopped", "1", "—"), ("completed", "2", "2"),
        ("missed", "—", "—"), ("completed", "3", "4"), ("completed", "4", "5"),
    ]
    assert "SECRET-WORDS" not in page.text, "free-text answers and evidence are not shown"


def test_response_rate_counts_completed_over_completed_and_expired(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        checkin(db, ana.id, NOW - 60 * DAY, SessionStatus.expired)       # old miss
        checkin(db, ana.id, NOW - 50 * DAY, SessionStatus.completed, 4, 4)
        checkin(db, ana.id, NOW - 20 * DAY, SessionStatus.completed, 4, 4)
        checkin(db, ana.id, NOW - 13 * DAY, SessionStatus.expired)
        checkin(db, ana.id, NOW - 6 * DAY, SessionStatus.completed, 3, 3)
        checkin(db, ana.id, NOW - 5 * DAY, SessionStatus.stopped)        # neither way
        checkin(db, ana.id, NOW - 1 * DAY, SessionStatus.active)         # not finished
    dash.login("sam")
    html = dash.client.get(f"/mentees/{ana.id}").text
    assert re.search(r'id="rate-all">60%<', html)  # 3 of 5
    assert "3 answered of 5 finished" in html
    assert re.search(r'id="rate-recent">67%<', html)  # last 30 days: 2 of 3
    assert "2 answered of 3 finished" in html
    assert re.search(r'id="missed-count">2<', html)
    missed = re.search(r'<ul class="missed" id="missed">(.*?)</ul>', html, re.S)
    assert missed
    items = re.findall(r"<li>(.*?)</li>", missed.group(1))
    tz = NEW_YORK
    assert items == [(NOW - 13 * DAY).astimezone(tz).strftime("%a %d %b %Y"),
                     (NOW - 60 * DAY).astimezone(tz).strftime("%a %d %b %Y")]


def test_a_mentee_with_no_checkins_gets_a_plain_page(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    dash.login("sam")
    page = dash.client.get(f"/mentees/{ana.id}")
    assert page.status_code == 200
    assert "No check-ins yet." in page.text and "No comfort or safety answers yet." in page.text
    assert "<canvas" not in page.text
    assert 'id="rate-all">—<' in page.text


def test_viewing_a_mentee_writes_an_audit_event(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        checkin(db, ana.id, NOW - WEEK, comfort=2, safety=3)
    dash.login("sam")
    dash.clock.advance(minutes=5)
    assert dash.client.get(f"/mentees/{ana.id}").status_code == 200
    [event] = _audits(dash, "mentee_viewed")
    assert event.actor == f"person:{sam.id}"
    assert event.subject_type == "person" and event.subject_id == ana.id
    assert event.at == dash.clock()
    assert event.detail == {"program_id": ana.program_id, "messages": True}
    assert "SECRET" not in json.dumps(event.detail)
    dash.client.get(f"/mentees/{ana.id}")
    assert len(_audits(dash, "mentee_viewed")) == 2, "every view is recorded"


def test_another_programs_mentee_is_not_found(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    olga = dash.person(Role.mentee, "Olga Elsewhere", program="Far Away")
    with dash.db() as db:
        checkin(db, olga.id, NOW - WEEK, comfort=2, safety=3)
    dash.login("sam")
    response = dash.client.get(f"/mentees/{olga.id}")
    assert response.status_code == 404
    assert "Olga" not in response.text
    assert _audits(dash, "mentee_viewed") == [], "nothing was viewed"


def test_a_supervisor_who_mentors_the_mentee_is_not_shown_them(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        checkin(db, ana.id, NOW - WEEK, comfort=2, safety=3)
        pair(db, sam.program_id, sam.id, ana.id, NOW - 4 * WEEK)
    dash.login("sam")
    assert dash.client.get(f"/mentees/{ana.id}").status_code == 404
    assert _audits(dash, "mentee_viewed") == []
    # Another supervisor of the program sees her.
    dash.staff(Role.supervisor, "kim")
    dash.login("kim")
    assert dash.client.get(f"/mentees/{ana.id}").status_code == 200


def test_an_ended_pairing_is_no_conflict(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        pair(db, sam.program_id, sam.id, ana.id, NOW - 10 * WEEK)
        for pairing in db.exec(select(Pairing)).all():
            pairing.active_until = NOW - 2 * WEEK
    dash.login("sam")
    assert dash.client.get(f"/mentees/{ana.id}").status_code == 200


def test_only_mentees_have_a_mentee_page(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    mentor = dash.person(Role.mentor, "Mo Mentor")
    dash.login("sam")
    assert dash.client.get(f"/mentees/{mentor.id}").status_code == 404
    assert dash.client.get("/mentees/999999").status_code == 404
    bad = dash.client.get("/mentees/not-a-number")
    assert bad.status_code == 422


def test_past_escalations_are_listed_with_links(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        first = escalation(db, ana.program_id, ana.id, "urgent", NOW - 3 * WEEK,
                           acknowledged_after=timedelta(minutes=3))
        second = escalation(db, ana.program_id, ana.id, "watch", NOW - WEEK)
        hidden = escalation(db, ana.program_id, ana.id, "concern", NOW - 2 * WEEK,
                            about_mentor_id=sam.id)
    dash.login("sam")
    html = dash.client.get(f"/mentees/{ana.id}").text
    rows = _table_rows(html, "escalations")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (f"#{second}", "watch", "open"), (f"#{first}", "urgent", "acknowledged")]
    assert f'href="/escalations/{first}"' in html
    assert f"/escalations/{hidden}" not in html, "an escalation about the viewer is hidden"
    assert "SECRET-WORDS" not in html


def test_scores_answered_through_the_real_runner_reach_the_chart(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.terminal, address="ana-term")
    start = NOW - 2 * DAY
    with dash.db() as db:
        contact = people.find_contact(db, Channel.terminal, "ana-term")
        assert contact is not None
        person = db.get(Person, ana.id)
        assert person is not None
        row = start_checkin(db, dash.ctx.flows, person, "mentee_checkin", contact, start)
        assert row is not None
    for i, text in enumerate(["4", "five", "no", "no"]):
        with dash.db() as db:
            handle_inbound(db, dash.ctx.flows, channel="terminal", address="ana-term",
                           text=text, provider_id=f"t{i}", now=start + timedelta(minutes=i + 1))
    dash.login("sam")
    html = dash.client.get(f"/mentees/{ana.id}").text
    chart = _chart(html)
    assert chart["comfort"] == [4.0] and chart["safety"] == [5.0]
    assert _table_rows(html, "checkins") == [[
        start.astimezone(NEW_YORK)
        .strftime("%a %d %b %H:%M"), "completed", "4", "5"]]
    assert re.search(r'id="rate-all">100%<', html)


def test_an_admin_of_the_program_sees_the_page_and_it_is_not_cached(dash: Dash) -> None:
    boss = dash.staff(Role.admin, "ada")
    ana = dash.person(Role.mentee, "Ana Torres")
    dash.login("ada")
    page = dash.client.get(f"/mentees/{ana.id}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    [event] = _audits(dash, "mentee_viewed")
    assert event.actor == f"person:{boss.id}"
