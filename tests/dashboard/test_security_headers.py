"""Security headers on every response, `no-store` on every page but the static files, HSTS only
over https, and templates free of inline script (so the CSP needs no 'unsafe-inline')."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.dashboard.render import HERE
from storage.models import Role
from tests.dashboard.conftest import PASSWORD, Dash, make_dash
from tests.dashboard.test_security import _dashboard_routes, _fill


def _check_common(response_headers: dict[str, str], where: str) -> None:
    csp = response_headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, where
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, where
    assert response_headers.get("x-frame-options") == "DENY", where
    assert response_headers.get("x-content-type-options") == "nosniff", where
    assert response_headers.get("referrer-policy") == "same-origin", where


def test_every_logged_in_page_has_the_headers_and_is_never_stored(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    pages = [path for method, path in _dashboard_routes(dash) if method == "GET"]
    assert "/escalations/{esc_id}" in pages and "/queue/rows" in pages
    for path in pages:
        response = dash.client.get(_fill(path), follow_redirects=False)
        headers = dict(response.headers)
        _check_common(headers, path)
        assert headers.get("cache-control") == "no-store", path
        assert "strict-transport-security" not in headers, path  # plain http


def test_public_responses_have_the_headers_and_static_files_may_be_cached(dash: Dash) -> None:
    for path in ("/login", "/healthz", "/no-such-page", "/static/app.css"):
        response = dash.client.get(path, follow_redirects=False)
        _check_common(dict(response.headers), path)
        assert (response.headers.get("cache-control") == "no-store") == (
            not path.startswith("/static/")), path
    logged_out = dash.client.get("/queue", follow_redirects=False)
    assert logged_out.status_code == 303
    _check_common(dict(logged_out.headers), "redirect")


def test_hsts_only_over_https(dash: Dash) -> None:
    assert "strict-transport-security" not in dash.client.get("/login").headers
    secure = dash.client.get("https://127.0.0.1/login")
    assert secure.headers["strict-transport-security"].startswith("max-age=")


def test_templates_carry_no_inline_script_or_event_handlers() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
    handler = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
    for template in sorted((HERE / "templates").glob("*.html")):
        text = template.read_text()
        assert not inline_script.search(text), template.name
        assert not handler.search(text), template.name
        assert "javascript:" not in text, template.name
        assert " style=" not in text, template.name


@pytest.fixture
def behind_https_proxy(sqlite_db_url: str) -> Iterator[Dash]:
    """The service with an https public address, reached over plain http as a proxy at its
    default headers forwards it (no X-Forwarded-Proto), with Twilio on."""
    yield from make_dash(sqlite_db_url, public_base_url="https://checkin.example.org",
                         twilio_account_sid="AC" + "0" * 32, twilio_auth_token="token",
                         twilio_from_number="+15005550006")


def test_an_https_public_address_makes_the_cookies_secure_and_sends_hsts(
    behind_https_proxy: Dash,
) -> None:
    dash = behind_https_proxy
    dash.staff(Role.supervisor, "sam")
    form = dash.client.get("/login")
    assert form.headers["strict-transport-security"].startswith("max-age=")
    login_cookie = form.headers["set-cookie"]
    assert "Secure" in login_cookie
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token
    # httpx keeps a Secure cookie from plain http but does not send it back; a browser behind
    # the proxy talks https and does.
    response = dash.client.post("/login", data={"username": "sam", "password": PASSWORD,
                                                "login_token": token.group(1)},
                                headers={"cookie": login_cookie.split(";")[0]},
                                follow_redirects=False)
    assert response.status_code == 303
    session_cookie = next(cookie for cookie in response.headers.get_list("set-cookie")
                          if cookie.startswith("__Host-checkin="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_the_provider_webhooks_answers_carry_the_headers_too(behind_https_proxy: Dash) -> None:
    client = behind_https_proxy.client
    for response in (client.get("/webhooks/twilio/sms"),
                     client.post("/webhooks/twilio/sms", data={"Body": "hi"})):
        assert response.status_code in (403, 405), response.text
        _check_common(dict(response.headers), f"webhook {response.status_code}")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["strict-transport-security"].startswith("max-age=")
