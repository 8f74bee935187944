"""axe-core (vendored, tests/dashboard/vendor/axe-core) on every dashboard page in Chromium: no
serious or critical accessibility violation anywhere.

The pages are found by walking the app's route table as test_accessibility.py does (every GET
page an admin can open, plus one record of each kind), then the login page, and the 403 and 404
pages. One test, one live server, one browser page: each page costs a load and an axe run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from bot.people_import import pair
from storage.models import Channel, Role
from tests.dashboard.browser import Live, login, needs_chromium
from tests.dashboard.queue_builders import checkin
from tests.dashboard.test_security import _routes

pytestmark = needs_chromium

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
FAILING = ("serious", "critical")
# Rules that fail at any impact: problems this test was written to keep fixed.
ALWAYS_FAILING = {"empty-table-header"}
# Fragments the pages fetch into themselves (htmx), not pages of their own.
FRAGMENTS = {"/queue/rows"}


def _violations(page: Any) -> list[str]:
    """axe's serious and critical violations on the page as loaded, one line each."""
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}"
            for v in found if v["impact"] in FAILING or v["id"] in ALWAYS_FAILING]


def _pages(live: Live) -> list[str]:
    return sorted({route.path for route in _routes(live.app.routes)
                   if "GET" in (route.methods or ()) and "{" not in route.path
                   and not route.path.startswith(("/webhooks", "/healthz", "/logout", "/login"))
                   and not route.path.endswith(".csv") and route.path not in FRAGMENTS})


def test_no_serious_or_critical_axe_violation_on_any_page(page: Any, live: Live) -> None:
    live.staff(Role.admin, "alex", name="Alex Admin")
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    ana = live.person(Role.mentee, "Ana Torres", channel=Channel.web, address="web-ana")
    jordan = live.person(Role.mentor, "Jordan Lee", channel=Channel.web, address="web-jordan")
    with live.db() as db:
        pair(db, jordan.id or 0, ana.id or 0, now=live.ctx.clock(), actor="test")
        raised = checkin(db, live.ctx.flows, ana, ["2", "1", "yes", "no",
                                                   "he said he would hurt me"], live.ctx.clock())
    esc = raised["urgent"]
    found: dict[str, list[str]] = {}
    # Added to every document the page opens, through the DevTools protocol: the page's
    # Content-Security-Policy (no inline or foreign script) does not stop it, and the service
    # never serves axe.
    page.add_init_script(AXE)

    def check(path: str, heading: str | None = None) -> None:
        page.goto(live.url(path))
        expect(page.locator("h1")).to_have_count(1)
        if heading is not None:
            expect(page.locator("h1")).to_contain_text(heading)
        bad = _violations(page)
        if bad:
            found[path] = bad

    check("/login", "Log in")
    login(page, live, "alex")
    walked = _pages(live)
    assert {"/queue", "/people", "/delivery", "/simulator", "/overview"} <= set(walked)
    for path in walked:
        if path != "/":  # a redirect to /queue
            check(path)
    # Ana's person page has the "End pairing" button (she is paired with Jordan).
    for path in (f"/mentees/{ana.id}", f"/people/{ana.id}", f"/escalations/{esc}",
                 f"/simulator/{ana.id}"):
        check(path)
    check("/escalations/99999", "Page not found")
    # The 403 page, as a supervisor opening an admin's page.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: "/login" in url)
    login(page, live, "sam")
    check("/people", "Not allowed")

    assert found == {}, "\n".join(f"{path}:\n  " + "\n  ".join(lines)
                                  for path, lines in found.items())
