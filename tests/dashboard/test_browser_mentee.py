"""The mentee chart and the program overview in a real browser: Chart.js draws from the JSON
embedded in the page, the table beside it shows the same scores. Then the seeded demo: Overview,
Mentees and a mentee's chart with twelve weeks of history (the README's pictures), and the
simulator's notes on what the service did with a message, in a chat log that shows its newest
message."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect
from sqlmodel import select

from bot.seed import seed_demo
from storage.models import Person, Role, SessionStatus
from tests.dashboard.browser import Live, login, needs_chromium, screenshot
from tests.dashboard.mentee_data import checkin, escalation

pytestmark = needs_chromium

WEEK = timedelta(days=7)
# (weeks ago, status, comfort, safety): six check-ins, one missed.
HISTORY = [
    (6, SessionStatus.completed, 4, 5),
    (5, SessionStatus.completed, 3, 4),
    (4, SessionStatus.expired, None, None),
    (3, SessionStatus.completed, 2, 2),
    (2, SessionStatus.completed, 3, 3),
    (1, SessionStatus.completed, 5, 4),
]

CHART_DRAWN = """(id) => {
  const canvas = document.getElementById(id);
  return !!(canvas && window.Chart && window.Chart.getChart(canvas)
            && canvas.width > 0 && canvas.height > 0);
}"""


def _mentee_with_history(live: Live) -> int:
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    ana = live.person(Role.mentee, "Ana Torres")
    live.person(Role.mentor, "Mo Mentor")
    now = live.ctx.clock()
    with live.db() as db:
        for weeks, status, comfort, safety in HISTORY:
            checkin(db, ana.id, now - weeks * WEEK, status, comfort, safety)
        escalation(db, ana.program_id, ana.id, "concern", now - 3 * WEEK,
                   acknowledged_after=timedelta(minutes=40))
    assert ana.id is not None
    return ana.id


def _watch_errors(page: Any) -> list[str]:
    """Script errors and failed requests (the browser's own /favicon.ico aside)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def failed(response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("response", failed)
    return errors


def test_a_supervisor_opens_a_mentee_chart(page: Any, live: Live) -> None:
    ana_id = _mentee_with_history(live)
    errors = _watch_errors(page)
    login(page, live, "sam")
    page.goto(live.url("/mentees"))
    page.get_by_role("link", name="Ana Torres").click()
    expect(page).to_have_url(live.url(f"/mentees/{ana_id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Torres")
    page.wait_for_function(CHART_DRAWN, arg="mentee-chart")
    chart = page.evaluate("""() => {
      const c = window.Chart.getChart(document.getElementById('mentee-chart'));
      return c.data.datasets.map(d => d.data);
    }""")
    assert chart == [[4, 3, None, 2, 3, 5], [5, 4, None, 2, 3, 4]]
    expect(page.get_by_role("img", name="Line chart of Ana Torres")).to_be_visible()
    rows = page.locator("#checkins tbody tr")
    expect(rows).to_have_count(6)
    # Newest first: (status, comfort, safety) as text.
    expected = [(s, "—" if c is None else str(c), "—" if f is None else str(f))
                for _, s, c, f in reversed(HISTORY)]
    for i, (status, comfort, safety) in enumerate(expected):
        cells = rows.nth(i).locator("td")
        expect(cells.nth(1)).to_have_text("missed" if status == "expired" else status)
        expect(cells.nth(2)).to_have_text(comfort)
        expect(cells.nth(3)).to_have_text(safety)
    expect(page.locator("#rate-all")).to_have_text("83%")  # 5 of 6
    expect(page.locator("#missed li")).to_have_count(1)
    expect(page.locator("#escalations").get_by_role("link")).to_have_count(1)
    assert errors == []


def test_the_mentee_page_fits_a_phone(phone_page: Any, live: Live) -> None:
    ana_id = _mentee_with_history(live)
    login(phone_page, live, "sam")
    phone_page.goto(live.url(f"/mentees/{ana_id}"))
    phone_page.wait_for_function(CHART_DRAWN, arg="mentee-chart")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"


def test_the_program_overview_draws_its_chart(page: Any, live: Live) -> None:
    _mentee_with_history(live)
    errors = _watch_errors(page)
    login(page, live, "sam")
    page.goto(live.url("/overview"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Program overview")
    canvas_id = page.locator("canvas[data-chart]").first.get_attribute("id")
    assert canvas_id is not None
    page.wait_for_function(CHART_DRAWN, arg=canvas_id)
    expect(page.locator("[data-figure=mentees]")).to_have_text("1")
    expect(page.locator("[data-figure=mentors]")).to_have_text("1")
    expect(page.locator("table.weekly tbody tr")).to_have_count(12)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the weekly figures (CSV)").click()
    assert download.value.suggested_filename.startswith("overview-")
    assert errors == []


AT_NEWEST = """() => {
  const chat = document.getElementById('chat');
  return chat.scrollHeight > chat.clientHeight
         && chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 2;
}"""


def test_the_demo_shows_twelve_weeks_and_the_simulator_explains_each_message(
    page: Any, live: Live,
) -> None:
    with live.db() as db:
        logins = seed_demo(db, live.ctx.clock(), live.ctx.flows)
        ids = {p.display_name: p.id for p in db.exec(select(Person))}
    login(page, live, "alex", logins["alex"])

    page.goto(live.url("/overview"))
    page.wait_for_function(CHART_DRAWN, arg=page.locator("canvas[data-chart]").first
                           .get_attribute("id"))
    weeks_with_checkins = page.evaluate("""() => {
      const c = window.Chart.getChart(document.querySelector('canvas[data-chart]'));
      return c.data.datasets[0].data.filter(v => v !== null).length;
    }""")
    assert weeks_with_checkins >= 11
    screenshot(page, "overview")

    page.goto(live.url("/mentees"))
    expect(page.get_by_role("link", name="Marcus Hill")).to_be_visible()
    screenshot(page, "mentees")
    page.get_by_role("link", name="Marcus Hill").click()
    page.wait_for_function(CHART_DRAWN, arg="mentee-chart")
    expect(page.locator("#checkins tbody tr")).to_have_count(12)
    screenshot(page, "mentee", full_page=False)  # the chart and the check-ins, not all messages

    # Ana's twelve weeks of messages fill the log: it opens at the newest.
    page.goto(live.url(f"/simulator/{ids['Ana Torres']}"))
    page.wait_for_function(AT_NEWEST)
    page.get_by_role("button", name="Start a check-in now").click()
    message = page.get_by_label("Message from Ana Torres")
    message.fill("1")
    message.press("Enter")
    last = page.locator("#chat .turn-details").last
    expect(last).to_contain_text("Screening: none")
    expect(last).to_contain_text("Concern escalation")
    expect(last.get_by_role("link").first).to_have_attribute("href", re.compile(r"^/escalations/\d+$"))
    expect(last).to_contain_text("Nobody was alerted (on call: Sam Rivera)")
    page.wait_for_function(AT_NEWEST)
    screenshot(page, "simulator")
