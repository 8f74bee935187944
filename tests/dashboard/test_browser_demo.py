"""The seeded demo in a real browser: Overview, Mentees and a mentee's chart with twelve weeks
of history (the README's screenshots), and the simulator's notes on what the service did with
a message, in a chat log that shows its newest message."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from sqlmodel import select

from bot.seed import seed_demo
from storage.models import Person
from tests.dashboard.browser import Live, login, needs_chromium, screenshot
from tests.dashboard.test_browser_mentee import CHART_DRAWN

pytestmark = needs_chromium

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
