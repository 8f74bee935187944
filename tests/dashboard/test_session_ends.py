"""Sessions that end: a new password and a pause end every session of the account, and lifting
the pause does not bring the old cookies back."""

from __future__ import annotations

from sqlmodel import select

from bot.dashboard.accounts import set_password
from storage.models import Role, StaffAccount, WebSession
from tests.dashboard.conftest import PASSWORD, Dash


def _sessions_of(dash: Dash, username: str) -> int:
    with dash.db() as db:
        account = db.exec(select(StaffAccount).where(StaffAccount.username == username)).one()
        return len(db.exec(select(WebSession).where(WebSession.account_id == account.id)).all())


def test_a_new_password_ends_every_session_of_the_account(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    first = dash.client.cookies["checkin"]
    dash.login("sam")  # a second browser (login clears the client's cookies first)
    second = dash.client.cookies["checkin"]
    assert _sessions_of(dash, "sam") == 2
    with dash.db() as db:
        account = db.exec(select(StaffAccount).where(StaffAccount.username == "sam")).one()
        set_password(db, account, "a brand new passphrase", dash.clock())
    assert _sessions_of(dash, "sam") == 0
    for cookie in (first, second):
        dash.client.cookies.clear()
        dash.client.cookies.set("checkin", cookie)
        assert dash.client.get("/queue", follow_redirects=False).status_code == 303
    dash.login("sam", "a brand new passphrase")
    assert dash.client.get("/queue", follow_redirects=False).status_code == 200


def test_a_pause_ends_the_sessions_and_a_resume_does_not_revive_them(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    dash.staff(Role.admin, "ada")
    dash.login("sam")
    sams_cookie = dash.client.cookies["checkin"]
    dash.login("ada")
    form = {"name": "Sam", "language": "en", "timezone": ""}
    assert dash.post(f"/people/{sam.id}", {**form, "status": "paused"}).status_code == 303
    assert _sessions_of(dash, "sam") == 0
    assert dash.post(f"/people/{sam.id}", {**form, "status": "active"}).status_code == 303
    ada_cookie = dash.client.cookies["checkin"]
    dash.client.cookies.clear()
    dash.client.cookies.set("checkin", sams_cookie)
    assert dash.client.get("/queue", follow_redirects=False).status_code == 303
    # The admin's own session is untouched, and Sam can log in afresh.
    dash.client.cookies.set("checkin", ada_cookie)
    assert dash.client.get("/queue", follow_redirects=False).status_code == 200
    dash.login("sam", PASSWORD)
    assert dash.client.get("/queue", follow_redirects=False).status_code == 200


def test_the_queue_poll_is_not_activity_so_an_open_queue_still_times_out(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    idle = dash.ctx.settings.dashboard_idle_minutes
    poll = {"HX-Request": "true"}
    for _ in range(idle - 1):  # a Queue tab left open: htmx polls the rows (every 5 s)
        dash.clock.advance(minutes=1)
        assert dash.client.get("/queue/rows", headers=poll).status_code in (200, 204)
    dash.clock.advance(minutes=2)
    gone = dash.client.get("/queue/rows", headers=poll)
    assert gone.status_code == 401 and gone.headers["HX-Redirect"] == "/login"
    assert dash.client.get("/queue", follow_redirects=False).status_code == 303


def test_a_page_a_person_opens_still_counts_as_activity(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    idle = dash.ctx.settings.dashboard_idle_minutes
    for _ in range(3):
        dash.clock.advance(minutes=idle - 1)
        assert dash.client.get("/queue", follow_redirects=False).status_code == 200
