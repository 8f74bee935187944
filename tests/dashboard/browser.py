"""Browser tests: the real service on 127.0.0.1 in a thread, driven by Playwright in Debian's
Chromium (headless; `--no-sandbox` when running as root, as CI does).

Without /usr/bin/chromium these tests are skipped with a message saying how to enable them
(`.ci/run` installs it). Playwright's own browser download is never used.

Fixtures: `live` (the running service on a fresh SQLite database, its outbox sender running so
the web simulator's messages are delivered; scheduler off), `page` (a fresh browser page).
`login(page, live, username)` logs in through the form. `screenshot(page, name)` saves
docs/screenshots/<name>.png for the README when UPDATE_SCREENSHOTS=1 (else a temporary folder).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlmodel import Session

from bot.app import build_context, create_app
from bot.context import AppContext
from bot.dashboard.accounts import create_account
from bot.settings import Settings
from storage.models import Channel, Person, Role
from tests.bot.helpers import enrol
from tests.dashboard.conftest import PASSWORD
from tests.pg import _free_port as free_loopback_port

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"browser tests need Chromium at {CHROMIUM}: `apt-get install chromium` "
           "(.ci/run does this), or set CHROMIUM_PATH",
)


def _free_port() -> int:
    return free_loopback_port()  # below the ephemeral range: see tests/pg.py


@dataclass
class Live:
    ctx: AppContext
    base_url: str
    app: Any = None  # the served app (its route table: tests that walk every page)

    def url(self, path: str) -> str:
        return self.base_url + path

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.ctx.database.transaction() as db:
            yield db

    def staff(self, role: Role = Role.admin, username: str = "sam",
              program: str = "Hope House", name: str | None = None) -> Person:
        with self.db() as db:
            # A Telegram chat, so alerts are queued to them as in a real program (the test
            # server has no Telegram configured, so they wait in the outbox, unsent).
            person = enrol(db, role, name or username.title(), program_name=program,
                           channel=Channel.telegram, address=f"9{abs(hash(username)) % 10**8}")
            create_account(db, person, username, PASSWORD, self.ctx.clock())
            return person

    def person(self, role: Role, name: str, program: str = "Hope House",
               channel: Channel = Channel.web, address: str | None = None) -> Person:
        with self.db() as db:
            return enrol(db, role, name, program_name=program, channel=channel, address=address)


@pytest.fixture
def live(sqlite_db_url: str) -> Iterator[Live]:
    ctx = build_context(Settings(database_url=sqlite_db_url))
    app = create_app(ctx, run_sender=True, run_scheduler=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Live(ctx, f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture(scope="module")
def _browser() -> Iterator[Any]:
    # Module scope, not session: while sync Playwright runs it keeps an event loop running in
    # the main thread, and every pytest-asyncio test collected after it would fail to start.
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}: `apt-get install chromium` "
                    "(.ci/run does this), or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    args = ["--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser: Any, live: Live) -> Iterator[Any]:
    context = _browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone_page(_browser: Any, live: Live) -> Iterator[Any]:
    """A phone-sized page (a supervisor on call)."""
    context = _browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                   has_touch=True)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def login(page: Any, live: Live, username: str, password: str = PASSWORD) -> None:
    page.goto(live.url("/login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """The page as a PNG (``full_page=False``: only what the window shows, for a page whose
    long tail would make the README's picture a thin strip). Only ``UPDATE_SCREENSHOTS=1`` writes the README's tracked copies in
    docs/screenshots/; otherwise it goes to a temporary folder, so a test run leaves a clean
    checkout (the picture is still taken: a page that cannot render fails here)."""
    folder = (SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1"
              else Path(tempfile.gettempdir()) / "peer-checkin-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
