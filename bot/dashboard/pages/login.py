"""Log in, log out, and the front door.

The login form is protected from cross-site posting with a double-submit token: a random value
in a short-lived cookie and the same value in the form. After login every form uses the
session's own CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.dashboard import sessions
from bot.dashboard.access import (
    StaffViewer,
    context,
    cookie_name,
    is_https,
    safe_next,
)
from bot.dashboard.accounts import LoginThrottle, authenticate
from bot.dashboard.render import duration, render
from storage.models import StaffAccount

router = APIRouter()

LOGIN_CSRF_COOKIE = "checkin_login"


def _throttle(request: Request) -> LoginThrottle:
    state = request.app.state
    if not hasattr(state, "login_throttle"):
        allowed = context(request).settings.login_failures_before_wait
        state.login_throttle = LoginThrottle(allowed)
    throttle: LoginThrottle = state.login_throttle
    return throttle


def _login_page(request: Request, next_path: str, *, error: str | None = None,
                status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html",
                      {"next": safe_next(next_path), "login_token": token, "error": error},
                      status_code=status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="lax",
                        secure=is_https(request), path="/login")
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    login_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), login_token.encode()):
        return _login_page(request, next, error="The login form had expired. Please try again.",
                           status_code=403)
    ctx = context(request)
    client = request.client.host if request.client else "unknown"
    old_token = request.cookies.get(cookie_name(request))

    def check() -> tuple[str | None, str | None]:
        now = ctx.clock()
        with ctx.database.transaction() as db:
            result = authenticate(db, username, password, client=client, now=now,
                                  throttle=_throttle(request))
            if not result.ok:
                if result.wait:
                    return None, (f"Too many failed logins. Try again in "
                                  f"{duration(result.wait)}.")
                return None, "That username and password do not match an active account."
            account = db.get(StaffAccount, result.account_id)
            assert account is not None
            sessions.end(db, old_token)  # a fresh session id at every login
            return sessions.start(db, account, now), None

    token, error = await run_in_threadpool(check)
    if token is None:
        return _login_page(request, next, error=error, status_code=401 if error and
                           error.startswith("That") else 429)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(cookie_name(request), token, httponly=True, samesite="lax",
                        secure=is_https(request), path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request, viewer: StaffViewer) -> Response:
    ctx = context(request)
    token = request.cookies.get(cookie_name(request))

    def end() -> None:
        with ctx.database.transaction() as db:
            sessions.end(db, token)

    await run_in_threadpool(end)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(cookie_name(request), path="/", secure=is_https(request),
                           httponly=True, samesite="lax")
    return response


@router.get("/")
async def home(viewer: StaffViewer) -> Response:
    return RedirectResponse("/queue", status_code=303)
