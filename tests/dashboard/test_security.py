"""The dashboard's doors: found by walking the app's route table, not by a hand-kept list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from storage.models import Role
from tests.dashboard.conftest import Dash

# Routes anyone may call: the login form, provider webhooks (they authenticate by signature
# or secret token, tested in tests/bot), the health check and static files.
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz")}
PUBLIC_PREFIXES = ("/webhooks/",)


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every API route, also inside included routers (FastAPI nests them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)


def _dashboard_routes(dash: Dash) -> list[tuple[str, str]]:
    found = []
    for route in _routes(dash.client.app.routes):  # type: ignore[attr-defined]
        for method in sorted(route.methods or ()):
            if method == "HEAD" or (method, route.path) in PUBLIC:
                continue
            if route.path.startswith(PUBLIC_PREFIXES):
                continue
            found.append((method, route.path))
    return found


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_the_walk_finds_the_pages(sqlite_dash: Dash) -> None:
    routes = _dashboard_routes(sqlite_dash)
    assert ("GET", "/queue") in routes and ("POST", "/logout") in routes
    assert ("GET", "/simulator/{person_id}") in routes


def test_every_dashboard_route_refuses_a_logged_out_request(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.client.cookies.clear()
    for method, path in _dashboard_routes(dash):
        response = dash.client.request(method, _fill(path), follow_redirects=False)
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login"), (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)


def test_every_post_refuses_a_missing_or_wrong_csrf_token(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    posts = [path for method, path in _dashboard_routes(dash) if method == "POST"]
    assert posts
    for path in posts:
        missing = dash.client.post(_fill(path), data={}, follow_redirects=False)
        assert missing.status_code == 403, (path, missing.status_code)
        wrong = dash.client.post(_fill(path), data={"csrf_token": "x" * 43},
                                 follow_redirects=False)
        assert wrong.status_code == 403, (path, wrong.status_code)
        header = dash.client.post(_fill(path), headers={"X-CSRF-Token": "nope"},
                                  follow_redirects=False)
        assert header.status_code == 403, (path, header.status_code)


def test_a_csrf_token_of_another_session_is_refused(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.admin, "ada")
    dash.staff(Role.admin, "bea")
    theirs = dash.login("bea")
    dash.login("ada")
    response = dash.client.post("/logout", data={"csrf_token": theirs}, follow_redirects=False)
    assert response.status_code == 403


def test_supervisors_get_403_on_every_admin_page(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    admin_only = ("/people", "/schedules", "/settings", "/delivery", "/simulator", "/flows")
    checked = 0
    for method, path in _dashboard_routes(dash):
        if not path.startswith(admin_only):
            continue
        response = (dash.client.get(_fill(path), follow_redirects=False) if method == "GET"
                    else dash.post(_fill(path)))
        assert response.status_code == 403, (method, path, response.status_code)
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("path", ["/queue", "/simulator"])
def test_pages_name_the_viewer_and_never_another_programs_people(dash: Dash, path: str) -> None:
    dash.staff(Role.admin, "ada", program="Hope House")
    dash.person(Role.mentee, "Zed Elsewhere", program="Other Place")
    dash.person(Role.mentee, "Ana Here", program="Hope House")
    dash.login("ada")
    page = dash.client.get(path)
    assert page.status_code == 200
    assert "Zed Elsewhere" not in page.text


def test_an_oversized_post_is_refused_before_its_body_is_read(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    big = b"x" * (3 * 1024 * 1024)
    response = dash.client.post("/people/import", files={"file": ("big.csv", big, "text/csv")},
                                data={"csrf_token": dash.csrf}, follow_redirects=False)
    assert response.status_code == 413
