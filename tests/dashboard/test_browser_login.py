"""Logging in with a real browser."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from storage.models import Role
from tests.dashboard.browser import Live, login, needs_chromium

pytestmark = needs_chromium


def test_log_in_and_out_in_the_browser(page: Any, live: Live) -> None:
    live.staff(Role.supervisor, "sam", name="Sam Rivera")
    page.goto(live.url("/queue"))
    expect(page).to_have_url(live.url("/login?next=%2Fqueue"))
    login(page, live, "sam")
    expect(page).to_have_url(live.url("/queue"))
    expect(page.get_by_text("Sam Rivera (supervisor)")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(live.url("/login"))


def test_a_wrong_password_is_told_plainly(page: Any, live: Live) -> None:
    live.staff(Role.supervisor, "sam")
    login_page = live.url("/login")
    page.goto(login_page)
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
