"""The first run, as a newcomer meets it: `checkin seed-demo` and `checkin serve` as real
processes on an empty database, then in the browser: log in with the printed demo login, answer a
check-in in the simulator, see the escalation in the queue, acknowledge it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bot.seed import DEMO_LOGINS_NAME, read_demo_logins
from tests.dashboard.browser import _free_port, needs_chromium

pytestmark = needs_chromium
CHECKIN = str(Path(sys.executable).with_name("checkin"))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str], float]]:
    """An empty database seeded and served; (base url, seed-demo output, env, start time)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/var/peer-checkin.db",
           "HOST": "127.0.0.1", "PORT": str(port)}
    started = time.monotonic()
    for args in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([CHECKIN, *args], env=env, capture_output=True, text=True,
                              timeout=60, check=True)
    seeded = done.stdout
    proc = subprocess.Popen([CHECKIN, "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("checkin serve did not start") from None
                time.sleep(0.1)
        yield base, seeded, env, started
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
        assert "Dashboard: http://127.0.0.1:" in out
        # Passwords are shown once, by seed-demo; serve says only where they are kept.
        logins = read_demo_logins(tmp_path / "var" / DEMO_LOGINS_NAME)
        assert logins and all(f"{user} / {password}" in seeded
                              for user, password in logins.items())
        assert "Demo logins: alex, sam (passwords in " in out
        assert not any(password in out for password in logins.values())


def test_first_run_simulator_answer_reaches_the_queue_and_is_acknowledged(
    page: Any, served: tuple[str, str, dict[str, str], float]
) -> None:
    base, seeded, _env, started = served
    found = re.search(r"alex / (\S+)", seeded)
    assert found, seeded
    page.goto(base + "/")
    page.get_by_label("Username").fill("alex")
    page.get_by_label("Password").fill(found.group(1))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing open")
    # A mark on this tab: it survives only if the queue never reloads.
    page.evaluate("window.__notReloaded = true")

    # A second tab of the same login plays Ana in the simulator.
    sim = page.context.new_page()
    sim.goto(base + "/simulator")
    sim.get_by_role("link", name="Chat as Ana Torres").click()
    sim.get_by_role("button", name="Start a check-in now").click()
    # The chat holds Ana's twelve weeks of demo history: what counts is its newest message.
    newest = sim.locator("#chat .bubble").last
    expect(newest).to_contain_text("How comfortable")
    message = sim.get_by_label("Message from Ana Torres")
    message.fill("4")
    message.press("Enter")
    expect(newest).to_contain_text("How safe")
    message.fill("1")
    message.press("Enter")
    expect(newest).to_contain_text("staff member")

    # The first tab shows the urgent escalation by itself.
    row = page.locator("tr.queue-urgent", has_text="Ana Torres")
    expect(row).to_be_visible(timeout=15_000)
    assert page.evaluate("window.__notReloaded === true")
    row.get_by_role("link", name=re.compile(r"Open #\d+")).click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#esc-status")).to_have_text(re.compile("acknowledged", re.I))
    expect(page.locator("main")).to_contain_text("by Alex Morgan")
    elapsed = time.monotonic() - started
    print(f"first run: seed + serve + simulator answer → acknowledged in {elapsed:.1f} s")
