"""The queue in a real browser: a new escalation appears without reloading (htmx polls every
5 s), and a supervisor acknowledges and resolves it; and the queue on a phone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from storage.models import Role
from tests.dashboard.browser import Live, login, needs_chromium, screenshot
from tests.dashboard.queue_builders import bare_escalation, checkin

pytestmark = needs_chromium

POLL_WAIT = 15_000  # ms: the list polls every 5 s
REPLIES = ("2", "1", "yes", "no", "my roommate said he would hurt me if I told anyone")


def raise_escalations(live: Live, name: str = "Ana Torres") -> dict[str, int]:
    """A mentee answers a check-in through the real runner: one urgent and one concern."""
    mentee = live.person(Role.mentee, name)
    with live.db() as db:
        return checkin(db, live.ctx.flows, mentee, REPLIES, live.ctx.clock())


def test_a_new_escalation_appears_live_and_is_worked_to_resolved(page: Any, live: Live) -> None:
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    bea = live.person(Role.mentee, "Bea Lind")
    login(page, live, "sam")
    page.goto(live.url("/queue"))
    expect(page.get_by_text("Nothing open right now.")).to_be_visible()
    page.evaluate("window.queueNotReloaded = true")

    # While the page is open, a mentee answers "not safe" (and a quieter one needs a look).
    raised = raise_escalations(live)
    with live.db() as db:
        bare_escalation(db, bea, "watch", at=live.ctx.clock(), reasons=["missed_checkins"],
                        evidence=[])

    urgent_row = page.locator(f"#escalation-{raised['urgent']}")
    expect(urgent_row).to_be_visible(timeout=POLL_WAIT)
    expect(page.locator(f"#escalation-{raised['concern']}")).to_be_visible()
    assert page.evaluate("window.queueNotReloaded") is True  # it came in without a reload
    expect(urgent_row).to_contain_text("Ana Torres")
    expect(urgent_row).to_contain_text("Feels unsafe")
    expect(urgent_row).to_contain_text(re.compile(r"1[45] min left"))
    screenshot(page, "queue")

    urgent_row.get_by_role("link", name=re.compile(rf"Open #{raised['urgent']}\b")).click()
    expect(page).to_have_url(live.url(f"/escalations/{raised['urgent']}"))
    expect(page.get_by_role("heading", name="Conversation")).to_be_visible()
    expect(page.locator(".transcript")).to_contain_text("How safe do you feel right now?")
    expect(page.locator(".transcript")).to_contain_text("hurt me if I told anyone")
    # In their words: the matched phrase marked inside the sentence, answers under questions.
    expect(page.locator("#their-words mark").first).to_be_visible()
    expect(page.locator("#their-words")).to_contain_text("How safe do you feel right now?")
    screenshot(page, "escalation")

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Acknowledged. Re-alerts have stopped.")
    expect(page.locator("#esc-status")).to_have_text("Acknowledged")
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)

    page.get_by_label("Outcome").select_option("spoke with them, safe")
    page.get_by_label("Resolution note").fill("Called Ana; she is safe at her aunt's tonight.")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#esc-status")).to_have_text("Resolved")
    expect(page.get_by_text("she is safe at her aunt's tonight").first).to_be_visible()
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()

    page.get_by_role("link", name="Back to the queue").click()
    expect(page.locator(f"#escalation-{raised['urgent']}")).to_have_count(0)
    expect(page.locator(f"#escalation-{raised['concern']}")).to_be_visible()


def test_the_queue_is_usable_on_a_phone(phone_page: Any, live: Live) -> None:
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    raised = raise_escalations(live, "Ana María Torres-Villanueva")
    login(phone_page, live, "sam")
    phone_page.goto(live.url("/queue"))

    row = phone_page.locator(f"#escalation-{raised['urgent']}")
    expect(row).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(phone_page.get_by_label("Level")).to_be_visible()
    phone_page.get_by_label("Level").select_option("urgent")
    phone_page.get_by_role("button", name="Filter").click()
    expect(phone_page.locator(f"#escalation-{raised['concern']}")).to_have_count(0)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    row.get_by_role("link", name=re.compile(r"Open #")).click()
    expect(phone_page.get_by_role("button", name="Acknowledge")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
