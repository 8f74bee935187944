"""The supervisor's casework in a real browser, with SMS through the real twilio client and the
fake Twilio server, in the order a supervisor works a case (issue 22): Ana's urgent escalation
(from her SMS answers) -> on a phone, level, who, why, Acknowledge and the reply box are on the
first screen -> Sam acknowledges (he owns it) -> writes "Hi Ana, it's Sam. Are you safe right
now?" -> the fake Twilio receives it signed "— Sam" -> Ana's SMS answer (posted to our webhook as
Twilio would) shows in the page's conversation and is not read as a check-in answer -> a note ->
a follow-up tomorrow (the queue shows owner and follow-up) -> resolved with an outcome. Then a
message from the phone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from bot.app import build_context, create_app
from bot.runner import start_checkin
from bot.settings import load_settings
from storage.models import Channel, CheckinSession, Escalation, Program, Role
from storage.queries import people
from tests.bot.helpers import enrol, wait_until
from tests.dashboard.browser import Live, login, needs_chromium, screenshot
from tests.fakes.loopback_http import loopback_client
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
)
from tests.pg import _free_port

pytestmark = needs_chromium

OUR_NUMBER = "+15005550006"
ANA_PHONE = "+13125550143"
WORDS = "Hi Ana, it's Sam. Are you safe right now?"
NOTE = "Called Ana at 9:40; her aunt picks her up tonight."
PHONE = {"width": 390, "height": 844}


@dataclass
class SmsLive(Live):
    twilio: FakeTwilio | None = None

    def sms_from_ana(self, body: str) -> None:
        """Ana's text, as Twilio posts it to our webhook (signed)."""
        url = self.url("/webhooks/twilio/sms")
        form = inbound_sms_form(new_message_sid(), ANA_PHONE, OUR_NUMBER, body)
        response = loopback_client().post(url, data=form, headers={
            SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)}, timeout=10)
        assert response.status_code == 200, response.text

    def texts_to_ana(self) -> list[str]:
        assert self.twilio is not None
        return self.twilio.bodies_to(ANA_PHONE)


@pytest.fixture
def sms_live(sqlite_db_url: str) -> Iterator[SmsLive]:
    """The service with its outbox sender, SMS through the fake Twilio on loopback."""
    twilio = FakeTwilio()
    with LoopbackServer(twilio) as tw_server:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        ctx = build_context(load_settings(
            database_url=sqlite_db_url, public_base_url=url, telegram_bot_token=None,
            twilio_account_sid=TEST_ACCOUNT_SID, twilio_auth_token=TEST_AUTH_TOKEN,
            twilio_from_number=OUR_NUMBER, twilio_api_base_url=tw_server.url,
            sms_rate_per_second=100))
        with LoopbackServer(create_app(ctx, run_scheduler=False), port=port, lifespan="on"):
            yield SmsLive(ctx, url, twilio=twilio)


def _new_page(browser: Any, **options: Any) -> Any:
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context.new_page()


def test_sam_works_anas_urgent_escalation_from_acknowledge_to_outcome_on_desktop_and_phone(
    _browser: Any, sms_live: SmsLive,
) -> None:
    live = sms_live
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    with live.db() as db:
        ana = enrol(db, Role.mentee, "Ana Torres", channel=Channel.sms, address=ANA_PHONE)
        assert ana.id is not None
        [contact] = people.contacts_for(db, ana.id)
        contact.consent_at = live.ctx.clock()
        session = start_checkin(db, live.ctx.flows, ana, "mentee_checkin", contact,
                                live.ctx.clock())
        assert session is not None
        session_id = session.id
        program = db.get(Program, ana.program_id)
        assert program is not None
        timezone = program.timezone
    # Ana answers her check-in by SMS: comfort 2, safety 1 -> an urgent escalation.
    assert wait_until(lambda: len(live.texts_to_ana()) == 1)
    live.sms_from_ana("2")
    live.sms_from_ana("1")
    with live.db() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None
        waiting_on = row.current_state
        [esc_id] = db.exec(select(Escalation.id).where(Escalation.person_id == ana.id,
                                                       Escalation.level == "urgent")).all()
    assert waiting_on == "safety_followup"

    # On a phone, before anyone acted: level, who, why, Acknowledge and the reply box are all
    # on the first screen, and nothing scrolls sideways.
    phone = _new_page(_browser, viewport=PHONE, is_mobile=True, has_touch=True)
    login(phone, live, "sam")
    phone.goto(live.url(f"/escalations/{esc_id}"))
    essentials = {
        "level": phone.locator(".esc-title .level"),
        "who": phone.locator(".esc-who"),
        "why": phone.locator(".esc-why"),
        "acknowledge": phone.get_by_role("button", name="Acknowledge"),
        "reply": phone.get_by_label("Message to Ana Torres"),
    }
    expect(essentials["who"]).to_contain_text("Ana Torres")
    for what, locator in essentials.items():
        box = locator.bounding_box()
        assert box is not None, what
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (what, box)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "escalation-phone")

    # At the desk: Acknowledge makes Sam the owner.
    page = _new_page(_browser, viewport={"width": 1200, "height": 900})
    login(page, live, "sam")
    page.goto(live.url(f"/escalations/{esc_id}"))
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#esc-status")).to_have_text("Acknowledged")
    expect(page.locator("#esc-owner")).to_contain_text("Sam Rivera (you)")

    # He writes to Ana; the provider receives it, signed with his first name.
    page.get_by_label("Message to Ana Torres").fill(WORDS)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#reply-notice")).to_contain_text("Sent.")
    expect(page.locator("#conversation-state")).to_contain_text("Conversation open until")
    assert wait_until(lambda: f"{WORDS}\n— Sam" in live.texts_to_ana()), live.texts_to_ana()

    # Ana answers Sam. "Yes" would answer the waiting check-in question: here it is not.
    live.sms_from_ana("Yes I'm safe, I'm at my aunt's")
    page.reload()
    thread = page.locator("#staff-thread")
    expect(thread).to_contain_text("Are you safe right now?")
    expect(thread).to_contain_text("Yes I'm safe, I'm at my aunt's")
    expect(thread).to_contain_text("Sam Rivera")
    screenshot(page, "escalation-reply")
    with live.db() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.current_state == waiting_on

    # A note only staff see, and a follow-up tomorrow that the queue shows with the owner.
    page.get_by_label("Add a note").fill(NOTE)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added. Only staff see it.")
    expect(page.locator(".case-notes")).to_contain_text(NOTE)
    tomorrow = (live.ctx.clock() + timedelta(days=1)).astimezone(ZoneInfo(timezone))
    page.locator("#follow_up").fill(tomorrow.strftime("%Y-%m-%dT09:00"))
    page.get_by_role("button", name="Set follow-up").click()
    expect(page.locator("#esc-follow-up")).to_contain_text(tomorrow.strftime("%a %d %b 09:00"))
    page.goto(live.url("/queue"))
    queue_row = page.locator(f"#escalation-{esc_id}")
    expect(queue_row.locator('[data-label="Owner"]')).to_have_text("Sam Rivera")
    expect(queue_row.locator('[data-label="Follow-up"]')).to_contain_text(
        tomorrow.strftime("%a %d %b 09:00"))
    screenshot(page, "queue-follow-up")

    # From the phone, a second message goes out too.
    phone.reload()
    phone.get_by_label("Message to Ana Torres").fill("I'll call you in 5 minutes.")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator("#reply-notice")).to_contain_text("Sent.")
    assert wait_until(lambda: "I'll call you in 5 minutes.\n— Sam" in live.texts_to_ana())
    screenshot(phone, "escalation-reply-phone")

    # Resolved with an outcome; the note stays, the follow-up goes.
    page.goto(live.url(f"/escalations/{esc_id}"))
    page.get_by_label("Outcome").select_option("safety plan made")
    page.get_by_label("Resolution note").fill("Safety plan with Ana and her aunt.")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#esc-status")).to_have_text("Resolved")
    expect(page.locator("#esc-outcome")).to_have_text("safety plan made")
    expect(page.locator("#esc-follow-up")).to_have_count(0)
    expect(page.locator(".case-notes")).to_contain_text(NOTE)
    screenshot(page, "escalation-casework")
    phone.context.close()
    page.context.close()
