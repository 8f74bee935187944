"""Casework in a real browser: on a phone the escalation page shows level, who, why and
Acknowledge on the first screen; then sam acknowledges Ana's urgent escalation (and owns it),
adds a note, sets a follow-up for tomorrow and resolves it with an outcome."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from storage.models import Program, Role
from tests.dashboard.browser import Live, login, needs_chromium, screenshot
from tests.dashboard.queue_builders import checkin

pytestmark = needs_chromium

REPLIES = ("2", "1", "yes", "no", "my roommate said he would hurt me if I told anyone")
PHONE_HEIGHT = 844  # the phone_page viewport: 390 x 844
NOTE = "Called Ana at 9:40; her aunt picks her up tonight."


def test_sam_works_anas_urgent_escalation_and_the_phone_shows_the_essentials_first(
    page: Any, phone_page: Any, live: Live
) -> None:
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    live.staff(Role.supervisor, "kim", name="Kim Lee")
    ana = live.person(Role.mentee, "Ana Torres")
    with live.db() as db:
        esc_id = checkin(db, live.ctx.flows, ana, REPLIES, live.ctx.clock())["urgent"]
        program = db.get(Program, ana.program_id)
        assert program is not None
        timezone = program.timezone

    # On a phone: level, who, why and Acknowledge are within the first screen.
    login(phone_page, live, "sam")
    phone_page.goto(live.url(f"/escalations/{esc_id}"))
    essentials = {
        "level": phone_page.locator(".esc-title .level"),
        "who": phone_page.locator(".esc-who"),
        "why": phone_page.locator(".esc-why"),
        "acknowledge": phone_page.get_by_role("button", name="Acknowledge"),
    }
    expect(essentials["who"]).to_contain_text("Ana Torres")
    expect(essentials["why"]).to_contain_text("Feels unsafe")
    for what, locator in essentials.items():
        box = locator.bounding_box()
        assert box is not None, what
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_HEIGHT, (what, box)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone_page, "escalation-phone")

    # At the desk: acknowledge (sam owns it), a note, a follow-up tomorrow, resolve.
    login(page, live, "sam")
    page.goto(live.url(f"/escalations/{esc_id}"))
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#esc-status")).to_have_text("Acknowledged")
    expect(page.locator("#esc-owner")).to_contain_text("Sam Rivera (you)")

    page.get_by_label("Add a note").fill(NOTE)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added. Only staff see it.")
    expect(page.locator(".case-notes")).to_contain_text(NOTE)
    expect(page.locator(".case-notes")).to_contain_text("Sam Rivera")

    tomorrow = (live.ctx.clock() + timedelta(days=1)).astimezone(ZoneInfo(timezone))
    page.locator("#follow_up").fill(tomorrow.strftime("%Y-%m-%dT09:00"))
    page.get_by_role("button", name="Set follow-up").click()
    expect(page.locator("#esc-follow-up")).to_contain_text(tomorrow.strftime("%a %d %b 09:00"))
    page.goto(live.url("/queue"))
    row = page.locator(f"#escalation-{esc_id}")
    expect(row.locator('[data-label="Owner"]')).to_have_text("Sam Rivera")
    expect(row.locator('[data-label="Follow-up"]')).to_contain_text(
        tomorrow.strftime("%a %d %b 09:00"))
    screenshot(page, "queue-follow-up")
    page.goto(live.url(f"/escalations/{esc_id}"))

    page.get_by_label("Outcome").select_option("safety plan made")
    page.get_by_label("Resolution note").fill("Safety plan with Ana and her aunt.")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#esc-status")).to_have_text("Resolved")
    expect(page.locator("#esc-outcome")).to_have_text("safety plan made")
    expect(page.locator("#esc-follow-up")).to_have_count(0)  # nothing left to follow up
    expect(page.locator(".case-notes")).to_contain_text(NOTE)
    screenshot(page, "escalation-casework")
