"""Logging in and out: argon2id hashes, throttling, fresh session ids, idle timeout, cookies."""

from __future__ import annotations

import logging
import re

import pytest
from sqlmodel import select

from bot.dashboard.accounts import AccountError, create_account
from storage.models import AuditEvent, Role, StaffAccount, WebSession
from tests.dashboard.conftest import PASSWORD, Dash


def _login_token(dash: Dash) -> str:
    page = dash.client.get("/login")
    found = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _try(dash: Dash, username: str, password: str) -> int:
    token = _login_token(dash)
    return dash.client.post("/login", data={"username": username, "password": password,
                                            "login_token": token},
                            follow_redirects=False).status_code


def test_login_reaches_the_queue_and_logout_ends_the_session(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    assert dash.client.get("/queue", follow_redirects=False).status_code == 303
    dash.login("sam")
    assert dash.client.get("/queue").status_code == 200
    assert dash.post("/logout").status_code == 303
    assert dash.client.get("/queue", follow_redirects=False).status_code == 303
    with dash.db() as db:
        assert db.exec(select(WebSession)).all() == []


def test_password_is_stored_only_as_an_argon2id_hash_and_never_logged(
    dash: Dash, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    assert _try(dash, "ada", "wrong " + PASSWORD) == 401
    with dash.db() as db:
        account = db.exec(select(StaffAccount)).one()
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
        rows = [str(e.detail) for e in db.exec(select(AuditEvent)).all()]
    assert not any(PASSWORD in row for row in rows)
    assert PASSWORD not in caplog.text


def test_wrong_password_and_unknown_user_get_the_same_answer(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    token = _login_token(dash)
    wrong = dash.client.post("/login", data={"username": "sam", "password": "nope nope nope",
                                             "login_token": token})
    token = _login_token(dash)
    unknown = dash.client.post("/login", data={"username": "nobody", "password": "nope",
                                               "login_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.text and "do not match" in unknown.text


def test_login_is_throttled_after_repeated_failures_then_allowed_again(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    allowed = dash.ctx.settings.login_failures_before_wait
    for _ in range(allowed):
        assert _try(dash, "sam", "wrong password!") == 401
    # Now even the right password waits (and the wait is not counted as a failure).
    assert _try(dash, "sam", PASSWORD) == 429
    dash.clock.advance(seconds=61)
    assert _try(dash, "sam", PASSWORD) == 303


def test_the_throttle_wait_doubles_and_is_capped(dash: Dash) -> None:
    from datetime import timedelta

    from bot.dashboard.accounts import wait_after

    now = dash.clock()
    assert wait_after(4, 5, now, now) == timedelta(0)
    assert wait_after(5, 5, now, now) == timedelta(minutes=1)
    assert wait_after(6, 5, now, now) == timedelta(minutes=2)
    assert wait_after(30, 5, now, now) == timedelta(minutes=15)


def test_a_fresh_session_id_at_every_login(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    first = dash.client.cookies["checkin"]
    # Logging in again from the same browser replaces the session: the old id is gone.
    token = _login_token(dash)
    dash.client.post("/login", data={"username": "sam", "password": PASSWORD,
                                     "login_token": token}, follow_redirects=False)
    second = dash.client.cookies["checkin"]
    assert first != second
    assert dash.client.get("/queue", follow_redirects=False).status_code == 200
    dash.client.cookies.clear()
    dash.client.cookies.set("checkin", first)
    assert dash.client.get("/queue", follow_redirects=False).status_code == 303


def test_session_cookie_flags_over_http_and_https(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    token = _login_token(dash)
    plain = dash.client.post("/login", data={"username": "sam", "password": PASSWORD,
                                             "login_token": token}, follow_redirects=False)
    cookie = plain.headers["set-cookie"]
    assert cookie.startswith("checkin=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback: a Secure cookie would be dropped

    dash.client.cookies.clear()
    page = dash.client.get("https://127.0.0.1/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    secure = dash.client.post("https://127.0.0.1/login", data={
        "username": "sam", "password": PASSWORD, "login_token": token}, follow_redirects=False)
    set_cookies = secure.headers.get_list("set-cookie")
    session_cookie = next(c for c in set_cookies if c.startswith("__Host-checkin="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert "Path=/" in session_cookie and "Domain" not in session_cookie


def test_idle_sessions_end(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    idle = dash.ctx.settings.dashboard_idle_minutes
    dash.clock.advance(minutes=idle - 1)
    assert dash.client.get("/queue", follow_redirects=False).status_code == 200
    dash.clock.advance(minutes=idle - 1)  # still within idle of the last request
    assert dash.client.get("/queue", follow_redirects=False).status_code == 200
    dash.clock.advance(minutes=idle + 1)
    response = dash.client.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_login_form_needs_its_token(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.client.cookies.clear()
    response = dash.client.post("/login", data={"username": "sam", "password": PASSWORD,
                                                "login_token": "forged"})
    assert response.status_code == 403


def test_after_login_only_same_site_paths(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    token = _login_token(dash)
    response = dash.client.post("/login", data={"username": "sam", "password": PASSWORD,
                                                "login_token": token,
                                                "next": "//evil.example/x"},
                                follow_redirects=False)
    assert response.headers["location"] == "/"


def test_paused_staff_cannot_log_in_or_stay_logged_in(dash: Dash) -> None:
    from storage.models import Person, PersonStatus

    person = dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    with dash.db() as db:
        row = db.get(Person, person.id)
        assert row is not None
        row.status = PersonStatus.paused
    assert dash.client.get("/queue", follow_redirects=False).status_code == 303
    assert _try(dash, "sam", PASSWORD) == 401


def test_mentors_and_mentees_never_get_an_account(dash: Dash) -> None:
    mentor = dash.person(Role.mentor, "Jordan")
    with dash.db() as db, pytest.raises(AccountError, match="only supervisors and admins"):
        create_account(db, mentor, "jordan", PASSWORD, dash.clock())


def test_short_passwords_are_refused(dash: Dash) -> None:
    person = dash.person(Role.supervisor, "Sam")
    with dash.db() as db, pytest.raises(AccountError, match="at least"):
        create_account(db, person, "sam", "short", dash.clock())
