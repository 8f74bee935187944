"""The logs of a whole scenario, as `checkin serve` writes them with LOG_FORMAT=json.

The service runs as its own process (its root handler and uvicorn's loggers exactly as
configured for production), with the real Twilio and Telegram clients talking to the fake
provider servers. People are enrolled with the command line; a check-in goes out; the mentee's
replies come in over Twilio and Telegram, crisis words among them; an urgent escalation alerts
the supervisor, who acknowledges it by text; Twilio reports a delivery; an admin logs in to the
dashboard. Then every line the process wrote to stderr must be one JSON object, the webhook's
request id must be on its turn's and its sends' lines, and none of the people's words, numbers,
chat ids, names, the password, the provider secrets or the data key may appear anywhere.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.settings import get_settings
from tests.bot.helpers import wait_until
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import SECRET_TOKEN_HEADER, FakeTelegram, make_text_update
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
    status_callback_form,
)
from tests.pg import _free_port

BOT_TOKEN = "918273:LOGSCENARIO-bot-token-x9x9x9"
WEBHOOK_SECRET = "log-scenario-webhook-secret-4f4f4f"
OUR_NUMBER = "+15005550006"
PROGRAM = "Riverside Unit"
MENTEE = ("Anabel Quintero", "+1 312 555 0143", "+13125550143")
TG_MENTEE = ("Bartholomew Okafor", 918273645)
SUPERVISOR = ("Samira Lindqvist", "+1 312 555 0188", "+13125550188")
PASSWORD = "correct-horse-log-scenario-7"
QUERY_SECRET = "querytokenZZ41"
CRISIS_SMS = "honestly i want to kill myself tonight"
CRISIS_TG = "he said he will hurt me if i tell anyone"
ID_SMS_CRISIS = "req-sms-crisis-1"
ID_TG_CRISIS = "req-tg-crisis-1"
ID_ACK = "req-ack-1"
ID_STATUS = "req-status-1"


def _checkin(*args: str, env: dict[str, str], stdin: str = "", code: int = 0) -> str:
    """`checkin ARGS` in this process (typer's CliRunner), as the CLI tests run it."""
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, env=env, prog_name="checkin")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
    return result.stdout.strip()


@dataclass
class Scenario:
    url: str
    twilio: FakeTwilio
    telegram: FakeTelegram
    env: dict[str, str]
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))
    update_id: int = 5000
    said: list[str] = field(default_factory=list)  # every text sent in

    def sms(self, frm: str, body: str, request_id: str | None = None) -> httpx.Response:
        self.said.append(body)
        form = inbound_sms_form(new_message_sid(), frm, OUR_NUMBER, body)
        url = f"{self.url}/webhooks/twilio/sms"
        headers = {SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)}
        if request_id:
            headers["X-Request-ID"] = request_id
        response = self.http.post(url, data=form, headers=headers)
        assert response.status_code == 200, response.text
        return response

    def telegram_text(self, text: str, request_id: str | None = None) -> httpx.Response:
        self.said.append(text)
        self.update_id += 1
        headers = {SECRET_TOKEN_HEADER: WEBHOOK_SECRET}
        if request_id:
            headers["X-Request-ID"] = request_id
        response = self.http.post(
            f"{self.url}/webhooks/telegram", headers=headers,
            json=make_text_update(self.update_id, TG_MENTEE[1], text, first_name="Bartholomew"))
        assert response.status_code == 200, response.text
        return response

    def sms_to(self, number: str) -> list[dict[str, Any]]:
        return [m for m in self.twilio.sent if m["to"] == number]

    def sms_texts(self, number: str) -> list[str]:
        return [m["body"] for m in self.sms_to(number)]


@pytest.fixture
def providers() -> Iterator[tuple[FakeTwilio, FakeTelegram, str, str]]:
    twilio, telegram = FakeTwilio(), FakeTelegram(BOT_TOKEN)
    with LoopbackServer(twilio) as tw, LoopbackServer(telegram) as tg:
        yield twilio, telegram, tw.url, tg.url


def _run_scenario(
    db_url: str, level: str, providers: tuple[FakeTwilio, FakeTelegram, str, str],
) -> tuple[list[str], Scenario, str]:
    """Enrol, serve, converse, stop: (stderr lines, the scenario, the data key)."""
    twilio, telegram, tw_url, tg_url = providers
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    data_key = Fernet.generate_key().decode()
    env = {
        "DATABASE_URL": db_url, "PORT": str(port), "PUBLIC_BASE_URL": url,
        "LOG_FORMAT": "json", "LOG_LEVEL": level, "ACCESS_LOG": "true", "DATA_KEYS": data_key,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET, "TELEGRAM_API_BASE_URL": f"{tg_url}/bot",
        "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": tw_url,
        "SMS_RATE_PER_SECOND": "100", "SEMANTIC_SCREENING": "false",
    }
    # Enrolled over the command line, before the service starts (it migrates the database).
    _checkin("db", "upgrade", env=env)
    _checkin("programs", "add", PROGRAM, env=env)
    mentee = _checkin("people", "add", "--role", "mentee", "--name", MENTEE[0], "--program",
                      PROGRAM, "--phone", MENTEE[1], env=env)
    tg_mentee = _checkin("people", "add", "--role", "mentee", "--name", TG_MENTEE[0],
                         "--program", PROGRAM, "--telegram", str(TG_MENTEE[1]), env=env)
    supervisor = _checkin("people", "add", "--role", "supervisor", "--name", SUPERVISOR[0],
                          "--program", PROGRAM, "--phone", SUPERVISOR[1], env=env)
    _checkin("admin", "create", "samira", "--person", supervisor, "--password-stdin",
             stdin=f"{PASSWORD}\n", env=env)

    checkin = str(Path(sys.executable).with_name("checkin"))
    proc = subprocess.Popen([checkin, "serve"], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    scenario = Scenario(url, twilio, telegram, env)
    try:
        assert wait_until(lambda: _healthy(url), within=60), "the service did not start"
        _converse(scenario, mentee, tg_mentee)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        scenario.http.close()
    assert proc.returncode == 0, err[-3000:]
    return err.splitlines(), scenario, data_key


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _converse(s: Scenario, mentee: str, tg_mentee: str) -> None:
    ana, sam = MENTEE[2], SUPERVISOR[2]
    # The supervisor agrees to alerts by text (asked when enrolled).
    assert wait_until(lambda: len(s.sms_texts(sam)) == 1), s.sms_texts(sam)
    s.sms(sam, "YES")
    # Check-ins start from the command line; the running service's sender delivers them.
    # Over SMS the consent request goes first; the check-in starts at the mentee's YES.
    _checkin("start", mentee, env=s.env, code=1)
    _checkin("start", tg_mentee, env=s.env)
    assert wait_until(lambda: any("YES" in t for t in s.sms_texts(ana))), s.sms_texts(ana)
    s.sms(ana, "yes")
    assert wait_until(lambda: any("comfortable" in t for t in s.sms_texts(ana)))
    s.sms(ana, "four out of five")
    assert wait_until(lambda: any("safe" in t for t in s.sms_texts(ana)[-1:]))
    answered = s.sms(ana, CRISIS_SMS, ID_SMS_CRISIS)
    assert answered.headers["x-request-id"] == ID_SMS_CRISIS
    assert wait_until(lambda: any("988" in t for t in s.sms_texts(ana)))
    # The urgent alert reaches the supervisor; ACK from the phone.
    assert wait_until(lambda: any("ACK" in t for t in s.sms_texts(sam))), s.sms_texts(sam)
    alert = next(m for m in s.sms_to(sam) if "ACK" in m["body"])
    number = re.search(r"ACK (\d+)", alert["body"])
    assert number
    before = len(s.sms_texts(sam))
    s.sms(sam, f"ACK {number.group(1)}", ID_ACK)
    assert wait_until(lambda: len(s.sms_texts(sam)) > before)
    # Twilio reports the alert delivered: tied back to the request that queued it.
    form = status_callback_form(alert["sid"], "delivered", sam, OUR_NUMBER)
    url = f"{s.url}/webhooks/twilio/status"
    reported = s.http.post(url, data=form, headers={
        SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN), "X-Request-ID": ID_STATUS})
    assert reported.status_code == 204

    # Telegram: the question, then crisis words instead of a number.
    chat = TG_MENTEE[1]
    assert wait_until(lambda: any("comfortable" in t for t in s.telegram.texts_to(chat)))
    s.telegram_text("3")
    assert wait_until(lambda: any("safe" in t for t in s.telegram.texts_to(chat)[-1:]))
    s.telegram_text(CRISIS_TG, ID_TG_CRISIS)
    assert wait_until(lambda: len([t for t in s.sms_texts(sam) if "ACK" in t]) >= 2)

    # An id that is not sane is replaced; the dashboard's login carries the password; a query
    # string with a token goes by the access log.
    odd = s.http.get(f"{s.url}/healthz", headers={"X-Request-ID": "x" * 80})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["x-request-id"])
    form_page = s.http.get(f"{s.url}/login?token={QUERY_SECRET}")
    token = re.search(r'name="login_token" value="([^"]+)"', form_page.text)
    assert token, form_page.text
    logged_in = s.http.post(f"{s.url}/login", data={
        "username": "samira", "password": PASSWORD, "login_token": token.group(1),
        "next": "/queue"}, follow_redirects=False)
    assert logged_in.status_code == 303
    assert wait_until(lambda: s.telegram.texts_to(chat) and s.sms_texts(ana)
                      and _all_sent(s))


def _all_sent(s: Scenario) -> bool:
    """Nothing left for the sender: every queued message reached a provider (checked by the
    service's own health report)."""
    outbox = httpx.get(f"{s.url}/healthz", timeout=2).json()["outbox"]
    return outbox["sending"] == 0 and not any(
        count for lane in outbox["pending"].values() for count in lane.values())


def _secrets(s: Scenario, data_key: str) -> list[str]:
    """Everything that must never be in a log line. Replies of a few characters ("3", "yes")
    are left out: they occur in any text; every longer body in or out is in."""
    names = [part for name in (MENTEE[0], TG_MENTEE[0], SUPERVISOR[0]) for part in
             (name, *name.split())]
    numbers = [MENTEE[1], MENTEE[2], MENTEE[2][1:], MENTEE[2][-10:], SUPERVISOR[1],
               SUPERVISOR[2], SUPERVISOR[2][1:], SUPERVISOR[2][-10:]]
    bodies = [*s.said, *(m["body"] for m in s.twilio.sent),
              *(m["text"] for m in s.telegram.sent)]
    return [*names, *numbers, str(TG_MENTEE[1]), PASSWORD, TEST_AUTH_TOKEN, BOT_TOKEN,
            BOT_TOKEN.split(":")[1], WEBHOOK_SECRET, data_key, QUERY_SECRET,
            *(b for b in bodies if len(b) >= 8)]


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_json_logs_of_a_whole_scenario_hold_request_ids_and_no_secrets(
    db_url: str, level: str, providers: tuple[FakeTwilio, FakeTelegram, str, str],
) -> None:
    lines, scenario, data_key = _run_scenario(db_url, level, providers)
    if os.environ.get("JSON_LOGS_DUMP"):
        Path(os.environ["JSON_LOGS_DUMP"]).write_text("\n".join(lines))
    assert lines, "the service logged nothing"
    entries = []
    for line in lines:
        entry = json.loads(line)  # every line, uvicorn's included, is one JSON object
        assert isinstance(entry, dict), line
        assert {"time", "level", "logger", "message"} <= set(entry), line
        assert entry["time"].endswith("Z"), line
        entries.append(entry)
    loggers = {e["logger"] for e in entries}
    assert "uvicorn.error" in loggers and "uvicorn.access" in loggers, loggers

    def of(request_id: str) -> list[dict[str, Any]]:
        return [e for e in entries if e.get("request_id") == request_id]

    def events(request_id: str) -> list[str]:
        return [e.get("event", "") for e in of(request_id)]

    # The SMS crisis: its webhook, its turn, the escalation, and the sends it queued (the
    # crisis reply to the mentee, the alert to the supervisor), then Twilio's report on the
    # alert, all under the one id.
    crisis = events(ID_SMS_CRISIS)
    for expected in ("turn_applied", "escalation_raised", "send_done", "send_status"):
        assert expected in crisis, (expected, of(ID_SMS_CRISIS))
    # An answered webhook's own line is DEBUG (its turn's line says what became of it).
    assert ("webhook" in crisis) == (level == "DEBUG")
    sends = [e for e in of(ID_SMS_CRISIS) if e.get("event") == "send_done"]
    # The crisis reply and the alert (urgent lane), the next question (routine).
    assert {e["lane"] for e in sends} == {"urgent", "routine"}
    assert len({e["message_id"] for e in sends if e["lane"] == "urgent"}) >= 2
    assert all(e["channel"] == "sms" and e["provider_status"] == "sent" and e["attempt"] == 1
               for e in sends)
    raised = next(e for e in of(ID_SMS_CRISIS) if e.get("event") == "escalation_raised")
    assert raised["escalation_level"] == "urgent" and raised["level"] == "INFO"
    assert isinstance(raised["escalation_id"], int)
    turn = next(e for e in of(ID_SMS_CRISIS) if e.get("event") == "turn_applied")
    assert turn["channel"] == "sms" and turn["outcome"] == "reply"
    # The status callback's own request is answered under its own id; its line about the
    # send carries the id of the request that queued the alert.
    assert "send_status" not in events(ID_STATUS)
    assert ("webhook" in events(ID_STATUS)) == (level == "DEBUG")
    # The Telegram crisis: the same chain on its own id.
    tg = events(ID_TG_CRISIS)
    for expected in ("turn_applied", "escalation_raised", "send_done"):
        assert expected in tg, (expected, of(ID_TG_CRISIS))
    assert {e["channel"] for e in of(ID_TG_CRISIS) if e.get("event") == "send_done"} == {
        "telegram", "sms"}  # the crisis reply on Telegram, the alert by SMS
    # The ACK: acknowledged, and its confirmation sent, under the ACK's id.
    ack = events(ID_ACK)
    assert "escalation_acknowledged" in ack and "send_done" in ack, of(ID_ACK)
    # Every webhook request got an id of its own (generated when none was sent).
    webhooks = [e for e in entries if e.get("event") in ("webhook", "turn_applied")]
    assert webhooks and all(e.get("request_id") for e in webhooks)
    assert len({e["request_id"] for e in webhooks if e["event"] == "turn_applied"}) == len(
        [e for e in webhooks if e["event"] == "turn_applied"])
    # The access log: requests by path, never the query.
    access = [e for e in entries if e["logger"] == "uvicorn.access"]
    assert any(e.get("path") == "/login" for e in access), access

    everything = "\n".join(lines)
    leaked = [secret for secret in _secrets(scenario, data_key) if secret in everything]
    assert leaked == [], leaked
    if level == "DEBUG":
        assert any(e["level"] == "DEBUG" for e in entries)
