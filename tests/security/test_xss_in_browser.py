"""XSS payloads in what the outside world writes, viewed by staff in headless Chromium: a
mentee's name and the bodies of their texts (an answer, crisis words that become escalation
evidence, a reply after the check-in), on every page that shows them.

Each page is loaded once with every payload on it. A payload that ran would set
`window.__xss`, open a dialog or leave an element with an `xss-` id in the page; none may. The
payloads' text must still be on screen, as text: escaping, not dropping, is what keeps it safe
(the CSP would stop inline script too, so the element check is what proves the escaping).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from bot.runner import handle_inbound
from storage.models import Channel, Role
from tests.bot.twilio_fixtures import sms_mentee
from tests.dashboard.browser import Live, login, needs_chromium
from tests.dashboard.queue_builders import checkin

pytestmark = needs_chromium

PHONE = "+13125550142"
RAN = "window.__xss=(window.__xss||0)+1"
NAME = f'Ana <img id="xss-name" src="x" onerror="{RAN}"> Torres'
BODIES = [
    f'<script id="xss-script">{RAN}</script>',
    f'he hurt me <img id="xss-img" src="x" onerror="{RAN}">',
    f'<svg id="xss-svg" onload="{RAN}"></svg> i want to die',
    f'"><iframe id="xss-iframe" src="javascript:{RAN}"></iframe>',
    f"'><a id=\"xss-link\" href=\"javascript:{RAN}\">tap</a>",
    '<div id="xss-htmx" hx-post="/logout" hx-trigger="load">{{ 7*7 }}</div>',
]


@pytest.fixture
def hostile(live: Live) -> dict[str, Any]:
    """A mentee named with markup answers a check-in over SMS with markup: escalations raised
    (the crisis words carry a payload into the evidence), more texts after it."""
    live.staff(Role.admin, "ada", name="Ada Admin")
    now = live.ctx.clock()
    with live.db() as db:
        person, _contact = sms_mentee(db, PHONE, name=NAME)
        raised = checkin(db, live.ctx.flows, person, ["2", "1", *BODIES[:3]], now)
        for body in BODIES[3:]:
            handle_inbound(db, live.ctx.flows, channel=Channel.sms, address=PHONE, text=body,
                           provider_id=None, now=now)
    assert raised, "the answers raised no escalation"
    return {"person_id": person.id, "escalations": sorted(raised.values())}


def _nothing_ran(page: Any, where: str, dialogs: list[str]) -> None:
    assert page.evaluate("window.__xss") is None, where
    assert dialogs == [], where
    injected = page.evaluate(
        "Array.from(document.querySelectorAll('[id^=\"xss-\"]')).map(e => e.id)")
    assert injected == [], (where, injected)


def test_payloads_in_names_and_sms_bodies_show_as_text_and_never_run(
    page: Any, live: Live, hostile: dict[str, Any],
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live, "ada")
    person = hostile["person_id"]
    pages = {
        "/queue": [NAME],
        f"/escalations/{hostile['escalations'][-1]}": [NAME, *BODIES],
        f"/mentees/{person}": [NAME, *BODIES],
        "/people": [NAME],
        f"/people/{person}": [NAME],
    }
    for path, shown in pages.items():
        page.goto(live.url(path))
        expect(page.locator("main").first).to_be_visible()
        page.wait_for_load_state("networkidle")  # htmx and the page's own scripts have run
        _nothing_ran(page, path, dialogs)
        text = page.locator("body").inner_text()
        for payload in shown:
            # The payload's markup is on screen as characters (at least its element's id).
            marker = payload[payload.index('id="'):].split('"')[1] if 'id="' in payload else ""
            assert marker in text, (path, marker)
