"""Errors as pages: a person in a browser who opens a record that is gone, or a page that is
not theirs, gets a page with the dashboard's look and a way back, not raw JSON.

Only requests that ask for HTML and are not htmx get the page: htmx swaps (and scripts) keep
the short JSON body they have always had, and the provider webhooks never get here (the front
answers them before FastAPI). The status code never changes, so every security test that
checks for 403/404 reads the same answer.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.dashboard.access import peek_viewer
from bot.dashboard.render import render

# The heading of each page; the exception's own detail (already written for people: "This page
# is for program admins.") is the sentence under it.
TITLES = {
    400: "That request was not understood",
    403: "Not allowed",
    404: "Page not found",
    405: "Not available here",
    409: "That cannot be done now",
    411: "That request was not understood",
    413: "Too large",
    422: "That was not understood",
}
# Details too bare to show as the sentence (Starlette's own "Not Found").
PLAIN = {"not found", "method not allowed"}
EXPLAIN = {
    403: "Your account cannot open this page. An admin can change what you can see.",
    404: "There is nothing here, or it is not in your program.",
}


def wants_page(request: Request) -> bool:
    """A browser navigating or submitting a form (Accept: text/html), not an htmx swap."""
    return ("text/html" in request.headers.get("accept", "")
            and "hx-request" not in request.headers
            and not request.url.path.startswith(("/webhooks/", "/static/")))


async def _find_viewer(request: Request) -> None:
    """The navigation for a logged-in viewer on a 404 of an unknown path, where no route
    dependency ran. A look only: it does not count as activity."""
    if getattr(request.state, "viewer", None) is None:
        request.state.viewer = await peek_viewer(request)


async def _page(request: Request, status: int, detail: str | None,
                headers: dict[str, str] | None) -> Response:
    await _find_viewer(request)
    sentence = detail if detail and detail.strip().casefold() not in PLAIN else None
    return render(request, "error.html", {
        "status": status,
        "title": TITLES.get(status, "Something went wrong"),
        "sentence": sentence or EXPLAIN.get(status, ""),
    }, status_code=status, headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not wants_page(request) or exc.status_code < 400:
        return await http_exception_handler(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return await _page(request, exc.status_code, detail,
                       dict(exc.headers) if exc.headers else None)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not wants_page(request):
        return await request_validation_exception_handler(request, exc)
    sentence = ("Check the address: a part of it is not one we use." if request.method == "GET"
                else "The form was missing something or had a value we cannot use. Go back, "
                     "check it and send it again.")
    return await _page(request, 422, sentence, None)


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
