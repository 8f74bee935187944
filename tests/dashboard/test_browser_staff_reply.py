"""Replying to a mentee in a real browser, with SMS through the real twilio client and the fake
Twilio server: Ana has an urgent escalation, Sam writes to her from its page, the fake receives
the text signed "— Sam", and Ana's SMS answer (posted to our webhook as Twilio would) shows in
the page's conversation without being read as a check-in answer. Then the same on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from bot.app import build_context, create_app
from bot.runner import start_checkin
from bot.settings import load_settings
from storage.models import Channel, CheckinSession, Escalation, Role
from storage.queries import people
from tests.bot.helpers import enrol, wait_until
from tests.dashboard.browser import Live, login, needs_chromium, screenshot
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


@dataclass
class SmsLive(Live):
    twilio: FakeTwilio | None = None

    def sms_from_ana(self, body: str) -> None:
        """Ana's text, as Twilio posts it to our webhook (signed)."""
        url = self.url("/webhooks/twilio/sms")
        form = inbound_sms_form(new_message_sid(), ANA_PHONE, OUR_NUMBER, body)
        response = httpx.post(url, data=form, headers={
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


def test_sam_replies_to_ana_from_her_urgent_escalation_on_desktop_and_phone(
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

    page = _new_page(_browser, viewport={"width": 1200, "height": 900})
    login(page, live, "sam")
    page.goto(live.url(f"/escalations/{esc_id}"))
    page.get_by_label("Message to Ana Torres").fill(WORDS)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#reply-notice")).to_contain_text("Sent.")
    expect(page.locator("#conversation-state")).to_contain_text("Conversation open until")
    # The fake Twilio received it, signed with Sam's first name.
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

    # On a phone: the box is reachable and sends.
    phone = _new_page(_browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True)
    login(phone, live, "sam")
    phone.goto(live.url(f"/escalations/{esc_id}"))
    box = phone.get_by_label("Message to Ana Torres")
    box.scroll_into_view_if_needed()
    expect(box).to_be_in_viewport()
    box.fill("I'll call you in 5 minutes.")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator("#reply-notice")).to_contain_text("Sent.")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert wait_until(lambda: "I'll call you in 5 minutes.\n— Sam" in live.texts_to_ana())
    screenshot(phone, "escalation-reply-phone")
    phone.context.close()
    page.context.close()
