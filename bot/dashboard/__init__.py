"""The dashboard: server-rendered pages (Jinja2), htmx for the live parts, Chart.js for charts,
both vendored under static/ so there is no front-end build step.

Each page module in `pages/` has a `router`; every route in it takes `StaffViewer` or
`AdminViewer` (or their `...PollViewer` twins for timed fragments; see access.py), and
`tests/dashboard/test_security.py` walks the route table to prove none answers a logged-out
request. (The simulator page is the web channel's: `bot.channels.web.page`, mounted with it.)
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from bot.dashboard import error_pages
from bot.dashboard.access import LoginRequired, login_redirect_target

PAGES = (
    "login",
    "queue",
    "mentees",
    "overview",
    "export",
    "people",
    "schedules",
    "program_settings",
    "delivery",
    "casework",
    "staff_reply",
)

STATIC = Path(__file__).parent / "static"


async def _login_required(request: Request, _exc: Exception) -> Response:
    if request.method == "GET" and "hx-request" not in request.headers:
        return RedirectResponse(login_redirect_target(request), status_code=303)
    # htmx follows HX-Redirect; other clients see a plain 401.
    return JSONResponse({"detail": "Log in first."}, status_code=401,
                        headers={"HX-Redirect": "/login"})


def mount_dashboard(app: FastAPI) -> None:
    router = APIRouter()
    for name in PAGES:
        module = import_module(f"bot.dashboard.pages.{name}")
        router.include_router(module.router)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    error_pages.install(app)
