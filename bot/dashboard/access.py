"""Who is looking: the logged-in staff member behind a request, their role, their programs, and
the CSRF check on every form.

Every dashboard route takes `StaffViewer` or `AdminViewer` as a parameter; a test walks the
app's route table and fails on any route that answers a logged-out request. Logged out, a page
request is sent to /login; an htmx or form request gets 401.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from bot.context import AppContext
from bot.dashboard import sessions
from bot.escalation.lifecycle import programs_for
from storage.models import Person, Role, StaffAccount

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The largest form the dashboard takes (a CSV import is at most 1 MB). Checked before the body
# is read: Starlette would otherwise receive and spool an upload of any size.
MAX_FORM_BYTES = 2 * 1024 * 1024


class LoginRequired(Exception):
    """Raised by the dependencies; turned into a redirect or 401 by `login_required_handler`."""


@dataclass(frozen=True)
class Viewer:
    account_id: int
    person_id: int
    username: str
    name: str
    role: Role
    program_ids: tuple[int, ...]
    csrf_token: str

    @property
    def actor(self) -> str:
        """How audit events name this person (as the CLI and phone commands do)."""
        return f"person:{self.person_id}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    def sees(self, program_id: int | None) -> bool:
        return program_id is not None and program_id in self.program_ids

    def check_program(self, program_id: int | None) -> None:
        """404, not 403, for another program's records: do not even confirm they exist."""
        if not self.sees(program_id):
            raise HTTPException(status_code=404, detail="Not found")


def context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def is_https(request: Request) -> bool:
    """Whether the browser reached us over https, so cookies are `Secure`.

    True for a request that arrived as https (directly, or as uvicorn reports it from a
    trusted proxy's X-Forwarded-Proto), and for every request when PUBLIC_BASE_URL is https:
    the service knows its public address. A proxy left at its default headers forwards plain
    http with its upstream's Host, and the cookie lost `Secure` there. (Browsers keep a Secure
    cookie set over plain http on 127.0.0.1/localhost, so a direct look on the machine still
    logs in; over plain http from elsewhere it does not, which is the point.)"""
    return request.url.scheme == "https" or context(request).settings.public_https


def cookie_name(request: Request) -> str:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, path=/ and
    # host-only: no subdomain or plain-http page can set or overwrite it.
    return "__Host-checkin" if is_https(request) else "checkin"


def _lookup(ctx: AppContext, token: str | None, *, activity: bool = True) -> Viewer | None:
    """The viewer behind a session cookie. `activity=False` for background polls: they are
    answered but do not move the idle clock, or a Queue tab left open would never log out."""
    now = ctx.clock()
    idle = timedelta(minutes=ctx.settings.dashboard_idle_minutes)
    with ctx.database.reading() as db:
        found = sessions.find(db, token, now, idle)
        if found is None:
            return None
        account = db.get(StaffAccount, found.account_id)
        person = db.get(Person, account.person_id) if account else None
        if account is None or person is None or person.id is None:
            return None
        program_ids = tuple(programs_for(db, person))
        if not program_ids:  # paused, exited, or no longer staff: the door is closed
            return None
        viewer = Viewer(account_id=found.account_id, person_id=person.id,
                        username=account.username, name=person.display_name, role=person.role,
                        program_ids=program_ids, csrf_token=found.csrf_token)
    if activity and found.needs_touch:
        with ctx.database.transaction() as db:
            sessions.touch(db, found.session_id, now)
    return viewer


async def _check_csrf(request: Request, viewer: Viewer) -> None:
    if request.method not in UNSAFE:
        return
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
        raise HTTPException(status_code=413, detail="That is too large to send here "
                            "(at most 2 MB).")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            if length is None:
                raise HTTPException(status_code=411, detail="Forms must say their size.")
            form = await request.form()  # cached by Starlette: the route's Form() reads it again
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), viewer.csrf_token.encode()):
        raise HTTPException(status_code=403, detail="The form had expired. Reload the page "
                            "and try again.")


async def _viewer(request: Request, *, activity: bool) -> Viewer:
    ctx = context(request)
    token = request.cookies.get(cookie_name(request))
    viewer = (await run_in_threadpool(partial(_lookup, ctx, token, activity=activity))
              if token else None)
    if viewer is None:
        raise LoginRequired()
    await _check_csrf(request, viewer)
    request.state.viewer = viewer
    return viewer


async def peek_viewer(request: Request) -> Viewer | None:
    """Who is logged in, if anyone, without requiring it or counting it as activity (an error
    page shows the navigation to a logged-in viewer)."""
    token = request.cookies.get(cookie_name(request))
    if not token:
        return None
    return await run_in_threadpool(partial(_lookup, context(request), token, activity=False))


async def staff(request: Request) -> Viewer:
    """A logged-in supervisor or admin (and, for forms, a valid CSRF token)."""
    return await _viewer(request, activity=True)


async def staff_polling(request: Request) -> Viewer:
    """As `staff`, for a fragment the page fetches on a timer (not someone at the keyboard)."""
    return await _viewer(request, activity=False)


def _admin_only(viewer: Viewer) -> Viewer:
    if not viewer.is_admin:
        raise HTTPException(status_code=403, detail="This page is for program admins.")
    return viewer


async def admin(request: Request) -> Viewer:
    return _admin_only(await staff(request))


async def admin_polling(request: Request) -> Viewer:
    return _admin_only(await staff_polling(request))


StaffViewer = Annotated[Viewer, Depends(staff)]
AdminViewer = Annotated[Viewer, Depends(admin)]
# Background polls: the same checks, but the request does not count as activity.
StaffPollViewer = Annotated[Viewer, Depends(staff_polling)]
AdminPollViewer = Annotated[Viewer, Depends(admin_polling)]


def login_redirect_target(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return "/login?next=" + quote(path, safe="")


def safe_next(value: str | None) -> str:
    """Only same-site paths after login (no open redirect to another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
