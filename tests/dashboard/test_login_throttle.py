"""Login throttling that cannot be turned against the people it protects: per (username, client
address), with a longer per-address limit, and the same answer for real and made-up usernames."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from storage.models import Role
from tests.dashboard.conftest import PASSWORD, Dash


def _client(dash: Dash, address: str) -> TestClient:
    """Another browser on the same app, seen from `address` (no lifespan: the app is running)."""
    return TestClient(dash.client.app, base_url="http://127.0.0.1", client=(address, 40000))


def _try(client: TestClient, username: str, password: str) -> tuple[int, str]:
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token
    response = client.post("/login", data={"username": username, "password": password,
                                           "login_token": token.group(1)},
                           follow_redirects=False)
    error = re.search(r'<p[^>]*class="[^"]*error[^"]*"[^>]*>(.*?)</p>', response.text, re.S)
    return response.status_code, (error.group(1).strip() if error else response.text)


def test_a_guesser_cannot_lock_out_the_account_from_elsewhere(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    allowed = dash.ctx.settings.login_failures_before_wait
    attacker = _client(dash, "203.0.113.9")
    for _ in range(allowed):
        assert _try(attacker, "sam", "a wrong guess!")[0] == 401
    # The attacker waits; one more try after each wait keeps only the attacker waiting.
    for _ in range(3):
        assert _try(attacker, "sam", PASSWORD)[0] == 429
        dash.clock.advance(minutes=15)
        assert _try(attacker, "sam", "a wrong guess!")[0] == 401
    office = _client(dash, "198.51.100.7")
    assert _try(office, "sam", PASSWORD)[0] == 303


def test_one_address_is_also_limited_across_usernames(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    allowed = dash.ctx.settings.login_failures_before_wait
    sprayer = _client(dash, "203.0.113.10")
    for i in range(allowed * 4):  # fewer than `allowed` per name, many names
        assert _try(sprayer, f"user{i % 8}", "a wrong guess!")[0] == 401
    assert _try(sprayer, "sam", PASSWORD)[0] == 429
    assert _try(_client(dash, "198.51.100.7"), "sam", PASSWORD)[0] == 303
    dash.clock.advance(seconds=61)
    assert _try(sprayer, "sam", PASSWORD)[0] == 303


def test_existing_and_missing_accounts_get_the_same_answer_at_every_attempt(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    allowed = dash.ctx.settings.login_failures_before_wait
    real, made_up = _client(dash, "203.0.113.20"), _client(dash, "203.0.113.21")
    for attempt in range(allowed + 3):
        a = _try(real, "sam", "a wrong guess!")
        b = _try(made_up, "nobody-here", "a wrong guess!")
        assert a == b, attempt
        assert a[0] == (401 if attempt < allowed else 429)
