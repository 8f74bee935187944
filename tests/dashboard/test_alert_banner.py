""""Nobody can be alerted" is loud: the red banner on Queue and Delivery names the person and the
fix, /healthz says "degraded" with the reasons (HTTP 200, no names), and the queue row of an
escalation whose alert round reached nobody says "Not alerted" -- until the contacts are fixed
and the next round gets through."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from bot.channels.base import FAILING_SENDS, RetryLater, Sent
from bot.channels.twilio_sms.adapter import TwilioChannel
from bot.jobs.realert import run_realerts
from storage.models import AlertStatus, Channel, Escalation, Role
from storage.queries import people
from tests.bot.helpers import NOW
from tests.dashboard.conftest import Dash, make_dash
from tests.dashboard.queue_builders import UNSAFE_REPLIES, checkin
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN

SAM_PHONE = "+13125550201"
TWILIO = {"twilio_account_sid": TEST_ACCOUNT_SID, "twilio_auth_token": TEST_AUTH_TOKEN,
          "twilio_from_number": "+15005550006", "public_base_url": "http://127.0.0.1"}


@pytest.fixture
def sms_dash(db_url: str) -> Iterator[Dash]:
    """The dashboard of a service with SMS set up (Twilio settings; nothing is sent)."""
    yield from make_dash(db_url, **TWILIO)


def banners(page_html: str) -> list[str]:
    found = re.findall(r'<div class="alarm alert-banner".*?</div>', page_html, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", b)).split()) for b in found]


def not_alerted_cell(page_html: str, esc_id: int) -> bool:
    row = re.search(rf'<tr id="escalation-{esc_id}".*?</tr>', page_html, re.S)
    assert row, f"no row for #{esc_id}"
    return '<span class="not-alerted">Not alerted</span>' in row.group(0)


def test_queue_and_delivery_name_the_person_and_the_fix_when_no_channel_is_set_up(
    dash: Dash,
) -> None:
    dash.staff(Role.supervisor, "sam", name="Sam Rivera")  # a terminal contact only
    dash.staff(Role.admin, "alex", name="Alex Morgan")
    dash.login("alex")

    for path in ("/queue", "/delivery"):
        [banner] = banners(dash.client.get(path).text)
        assert banner.startswith("Nobody on call can be alerted in Hope House."), banner
        assert "SMS is not set up, and neither is Telegram" in banner
        assert "Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER" in banner
        assert "Sam Rivera has no phone or Telegram." in banner
        assert "Add a mobile number for Sam Rivera" in banner
        assert "checkin people invite" in banner


def test_a_phone_that_has_not_agreed_is_named_and_a_fixed_contact_clears_the_banner(
    sms_dash: Dash,
) -> None:
    dash = sms_dash
    sam = dash.staff(Role.supervisor, "sam", name="Sam Rivera")
    with dash.db() as db:
        people.add_contact(db, sam.id or 0, Channel.sms, SAM_PHONE, now=NOW)  # no YES yet
    dash.login("sam")
    [banner] = banners(dash.client.get("/queue").text)
    assert "Sam Rivera has not agreed to texts yet." in banner
    assert "Ask Sam Rivera to text YES to the service's number." in banner
    assert "not set up" not in banner  # SMS is set up on this service
    health = dash.client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"

    with dash.db() as db:
        contact = people.find_contact(db, Channel.sms, SAM_PHONE)
        assert contact is not None
        contact.consent_at = NOW
    assert banners(dash.client.get("/queue").text) == []
    assert dash.client.get("/healthz").json()["status"] == "ok"


def test_healthz_is_degraded_with_the_reasons_and_still_200(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam", name="Sam Rivera")
    response = dash.client.get("/healthz")
    assert response.status_code == 200  # load balancers keep the instance
    body = response.json()
    assert body["status"] == "degraded" and body["database"] == {"ok": True}
    program = sam.program_id
    assert body["reasons"] == [f"program {program}: no_alert_channel",
                               f"program {program}: no_phone_or_telegram (person {sam.id})"]
    assert "Sam" not in response.text and "Rivera" not in response.text  # no login: no names


def test_healthz_is_degraded_while_a_provider_fails_every_send(sms_dash: Dash) -> None:
    sms = sms_dash.ctx.channels[Channel.sms]
    assert isinstance(sms, TwilioChannel)
    for _ in range(FAILING_SENDS):  # what the adapter notes for each send Twilio answers 503
        sms.streak.note(RetryLater("twilio 20503: Twilio error (HTTP 503)"))
    body = sms_dash.client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert (f"sms: the last {FAILING_SENDS} sends failed (twilio 20503: Twilio error (HTTP 503))"
            in body["reasons"])
    assert body["channels"]["sms"]["failing_in_a_row"] == FAILING_SENDS
    sms.streak.note(Sent("SM1"))
    assert not any(r.startswith("sms:") for r in sms_dash.client.get("/healthz").json()["reasons"])


def test_an_escalation_that_reached_nobody_is_marked_until_a_round_gets_through(
    sms_dash: Dash,
) -> None:
    dash = sms_dash
    sam = dash.staff(Role.supervisor, "sam", name="Sam Rivera")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        raised = checkin(db, dash.ctx.flows, ana, UNSAFE_REPLIES, dash.clock())
        urgent = db.get(Escalation, raised["urgent"])
        assert urgent is not None and urgent.alert_status == AlertStatus.not_alerted
    dash.login("sam")
    page = dash.client.get("/queue").text
    assert not_alerted_cell(page, raised["urgent"]) and not_alerted_cell(page, raised["concern"])
    [banner] = banners(page)
    assert "2 open escalations reached nobody" in banner
    assert f"#{raised['urgent']}" in banner and "Sam Rivera has no phone or Telegram" in banner
    assert "escalation_not_alerted" in " ".join(dash.client.get("/healthz").json()["reasons"])

    # Sam gets a phone that agreed; the re-alert five minutes later reaches it.
    with dash.db() as db:
        people.add_contact(db, sam.id or 0, Channel.sms, SAM_PHONE, consent_at=NOW, now=NOW)
    dash.clock.advance(minutes=5)
    with dash.db() as db:
        assert run_realerts(db, dash.clock(), dashboard_url=None) == 1
        urgent = db.get(Escalation, raised["urgent"])
        assert urgent is not None and urgent.alert_status == AlertStatus.queued
    page = dash.client.get("/queue").text
    assert not not_alerted_cell(page, raised["urgent"])
    assert not_alerted_cell(page, raised["concern"])  # its next round is at its deadline
    [banner] = banners(page)
    assert banner.startswith("Alerts in Hope House reached nobody.")
    assert "1 open escalation reached nobody" in banner and "no phone" not in banner

    dash.clock.advance(hours=24, minutes=1)  # the concern's deadline: its next round
    with dash.db() as db:
        run_realerts(db, dash.clock(), dashboard_url=None)
    assert banners(dash.client.get("/queue").text) == []
