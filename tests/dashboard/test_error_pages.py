"""403 and 404 as pages for a person in a browser, the short JSON answer for htmx and scripts,
and the favicon every page links to."""

from __future__ import annotations

from storage.models import Role
from tests.dashboard.conftest import Dash

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_gets_pages_for_404_and_403_with_the_same_status(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")

    missing = dash.client.get("/escalations/999", headers=BROWSER)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in missing.text
    assert 'href="/queue"' in missing.text  # the navigation: a way back

    unknown = dash.client.get("/no-such-page", headers=BROWSER)
    assert unknown.status_code == 404 and "<h1>Page not found</h1>" in unknown.text
    assert 'href="/queue"' in unknown.text  # the viewer is found from the cookie here too

    admin_only = dash.client.get("/people", headers=BROWSER)
    assert admin_only.status_code == 403
    assert "<h1>Not allowed</h1>" in admin_only.text
    assert "This page is for program admins." in admin_only.text

    expired = dash.client.post("/escalations/1/ack", data={"csrf_token": "x" * 43},
                               headers=BROWSER, follow_redirects=False)
    assert expired.status_code == 403 and "Reload the page and try again" in expired.text

    not_a_number = dash.client.get("/mentees/abc", headers=BROWSER)
    assert not_a_number.status_code == 422 and "<h1>" in not_a_number.text


def test_htmx_and_scripts_keep_the_json_answer(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    script = dash.client.get("/escalations/999")
    assert script.status_code == 404 and script.json() == {"detail": "Not found"}
    htmx = dash.client.get("/people", headers={**BROWSER, "HX-Request": "true"})
    assert htmx.status_code == 403 and htmx.json() == {"detail": "This page is for program admins."}


def test_logged_out_404_offers_the_login(sqlite_dash: Dash) -> None:
    response = sqlite_dash.client.get("/no-such-page", headers=BROWSER)
    assert response.status_code == 404
    assert '<a href="/login">Log in</a>' in response.text
    assert 'href="/queue"' not in response.text


def test_the_favicon_is_linked_and_served_as_svg(sqlite_dash: Dash) -> None:
    login = sqlite_dash.client.get("/login")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login.text
    icon = sqlite_dash.client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
