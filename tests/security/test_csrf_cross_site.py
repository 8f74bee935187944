"""CSRF from another site, in headless Chromium: a logged-in supervisor opens a page on another
site that posts a form to the dashboard (acknowledge an escalation, log out). The browser does
not send the SameSite=Lax cookie on that cross-site POST, and the form has no CSRF token
either: nothing happens. (Missing, wrong and another session's tokens are refused route by
route in tests/dashboard/test_security.py.)"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlmodel import select
from starlette.responses import HTMLResponse
from starlette.types import Receive, Scope, Send

from storage.models import AuditEvent, Escalation, EscalationStatus, Role
from tests.dashboard.browser import Live, login, needs_chromium
from tests.dashboard.queue_builders import bare_escalation
from tests.fakes.server import LoopbackServer

pytestmark = needs_chromium


def evil_site(html: str) -> LoopbackServer:
    """Another site on this machine: served on 127.0.0.1 and opened as "localhost", which is
    not the same site as "127.0.0.1" (a real server, so Chromium's local-network checks see a
    loopback page and let its requests through to ours: what is tested is our refusal)."""
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await HTMLResponse(html)(scope, receive, send)

    return LoopbackServer(app)


def test_a_form_posted_from_another_site_changes_nothing(page: Any, live: Live) -> None:
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    ana = live.person(Role.mentee, "Ana Torres")
    with live.db() as db:
        esc_id = bare_escalation(db, ana, "urgent", at=live.ctx.clock())
    login(page, live, "sam")
    forms = "".join(
        f'<form method="post" action="{live.url(path)}" target="f{n}"></form>'
        f'<iframe name="f{n}"></iframe>'
        for n, path in enumerate([f"/escalations/{esc_id}/ack", "/logout"]))
    evil = (f"<!doctype html><title>You won</title>{forms}"
            "<script>for (const f of document.forms) f.submit()</script>")
    answers: list[int] = []
    page.on("response", lambda response: answers.append(response.status)
            if response.request.method == "POST" else None)
    with evil_site(evil) as site:
        page.goto(site.url.replace("127.0.0.1", "localhost") + "/prize")
        for _ in range(100):  # both forms answered (10 s at most)
            if len(answers) >= 2:
                break
            page.wait_for_timeout(100)
    assert len(answers) == 2 and all(status in (401, 403) for status in answers), answers
    with live.db() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None and esc.status == EscalationStatus.open
        assert esc.acknowledged_at is None
        actions = db.exec(select(AuditEvent.action)).all()
    assert not any("ack" in action for action in actions), actions
    page.goto(live.url("/queue"))  # still logged in: the cross-site logout did nothing
    expect(page).to_have_url(live.url("/queue"))
    expect(page.locator(f"#escalation-{esc_id}")).to_be_visible()
