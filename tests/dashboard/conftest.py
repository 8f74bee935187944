"""The dashboard in-process: the real app (`create_app`) on a fresh database of each kind,
driven by Starlette's TestClient, with a clock the test moves.

`dash.staff(role, username)` enrols a supervisor or admin with an account (password PASSWORD);
`dash.login(username)` logs the client in and returns the session's CSRF token;
`dash.post(path, data)` posts a form with that token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from bot.app import build_context, create_app
from bot.context import AppContext
from bot.dashboard import passwords
from bot.dashboard.accounts import create_account
from bot.settings import Settings
from storage.models import Channel, Person, Role
from tests.bot.helpers import NOW, enrol

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True, scope="module")
def _cheap_password_hashing() -> Iterator[None]:
    """Most dashboard tests create an account and log in: at argon2's production cost each
    hash and check took 0.1-0.4 s here, about 40 % of these tests' time. What they check is
    who may see what, not the cost; argon2id itself stays (test_login checks the hash form,
    tests/bot/test_passwords.py the production parameters)."""
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(previous)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class Dash:
    ctx: AppContext
    client: TestClient
    clock: Clock
    csrf: str = ""
    _accounts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.ctx.database.transaction() as db:
            yield db

    def staff(self, role: Role = Role.supervisor, username: str = "sam",
              program: str = "Hope House", name: str | None = None) -> Person:
        """An active staff member with a dashboard account `username` / PASSWORD."""
        with self.db() as db:
            person = enrol(db, role, name or username.title(), program_name=program,
                           channel=Channel.terminal, address=f"staff-{username}")
            create_account(db, person, username, PASSWORD, self.clock())
            return person

    def person(self, role: Role, name: str, program: str = "Hope House",
               channel: Channel = Channel.terminal, address: str | None = None) -> Person:
        with self.db() as db:
            return enrol(db, role, name, program_name=program, channel=channel,
                         address=address)

    def login(self, username: str = "sam", password: str = PASSWORD) -> str:
        """Log the client in; returns (and remembers) the session's CSRF token."""
        self.client.cookies.clear()
        form = self.client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token, form.text
        response = self.client.post("/login", data={
            "username": username, "password": password, "login_token": token.group(1),
            "next": "/queue"}, follow_redirects=False)
        assert response.status_code == 303, response.text
        landing = self.client.get("/queue")
        found = CSRF_RE.search(landing.text)
        assert found, "every logged-in page carries the CSRF token"
        self.csrf = found.group(1)
        return self.csrf

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        form = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(path, data=form, follow_redirects=False, **kwargs)


def make_dash(db_url: str, **settings: Any) -> Iterator[Dash]:
    clock = Clock()
    ctx = build_context(Settings(database_url=db_url, **settings), clock=clock)
    app = create_app(ctx, run_sender=False, run_scheduler=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield Dash(ctx, client, clock)


@pytest.fixture
def dash(db_url: str) -> Iterator[Dash]:
    """The dashboard on a fresh database, [sqlite] and [postgresql]."""
    yield from make_dash(db_url)


@pytest.fixture
def sqlite_dash(sqlite_db_url: str) -> Iterator[Dash]:
    """The dashboard on SQLite only (for page details that do not depend on the database)."""
    yield from make_dash(sqlite_db_url)


# The browser fixtures (tests/dashboard/browser.py) for every test module here.
from tests.dashboard.browser import _browser, live, page, phone_page  # noqa: E402, F401
