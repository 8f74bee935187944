"""The whole service as it runs in production: `create_app` served on loopback by uvicorn, with
its lifespan starting the real Telegram and Twilio adapters and the outbox sender, which deliver
through the real client libraries to fake provider servers. A mentee's check-in goes end to end:
webhook → one committed turn → outbox → provider."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.app import build_context, create_app
from bot.database import Database
from bot.runner import start_checkin
from bot.settings import load_settings
from storage.models import Answer, Channel, ContactPoint, Escalation, Role
from storage.queries import people
from tests.bot.helpers import database_for, enrol, wait_until
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
)
from tests.pg import _free_port

TOKEN = "123456:TESTTOKEN"
SECRET = "service-test-secret-0123456789"
OUR_NUMBER = "+15005550006"
MENTEE_PHONE = "+13125550143"
MENTEE_CHAT = 777001


class Service:
    def __init__(self, database: Database, telegram: FakeTelegram, twilio: FakeTwilio,
                 tg_url: str, tw_url: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings = load_settings(
            database_url=database.url, public_base_url=self.url,
            telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET, telegram_mode="webhook",
            telegram_api_base_url=f"{tg_url}/bot",
            twilio_account_sid=TEST_ACCOUNT_SID, twilio_auth_token=TEST_AUTH_TOKEN,
            twilio_from_number=OUR_NUMBER, twilio_api_base_url=tw_url, sms_rate_per_second=100,
        )
        self.ctx = build_context(settings)
        self.ctx.database = database
        self.app = create_app(self.ctx, run_scheduler=False)
        self.server = LoopbackServer(self.app, port=self.port)
        self.telegram, self.twilio, self.database = telegram, twilio, database
        self.http = httpx.Client(timeout=10)
        self.update_id = 1000

    def sms(self, body: str, sid: str | None = None) -> httpx.Response:
        form = inbound_sms_form(sid or new_message_sid(), MENTEE_PHONE, OUR_NUMBER, body)
        url = f"{self.url}/webhooks/twilio/sms"
        return self.http.post(url, data=form, headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})

    def telegram_text(self, text: str) -> httpx.Response:
        self.update_id += 1
        return self.http.post(f"{self.url}/webhooks/telegram",
                              json=make_text_update(self.update_id, MENTEE_CHAT, text),
                              headers={SECRET_TOKEN_HEADER: SECRET})

    def sms_texts(self) -> list[str]:
        return [m["body"] for m in self.twilio.sent if m["to"] == MENTEE_PHONE]

    def telegram_texts(self) -> list[str]:
        return self.telegram.texts_to(MENTEE_CHAT)


@pytest.fixture
def service(db_url: str, engine: Engine) -> Iterator[Service]:
    telegram, twilio = FakeTelegram(TOKEN), FakeTwilio()
    with LoopbackServer(telegram) as tg_server, LoopbackServer(twilio) as tw_server:
        svc = Service(database_for(db_url, engine), telegram, twilio, tg_server.url, tw_server.url)
        with svc.server:
            yield svc
        svc.http.close()


def enrol_mentee(svc: Service, channel: Channel, *, consent: bool = True) -> int:
    address = MENTEE_PHONE if channel == Channel.sms else str(MENTEE_CHAT)
    with svc.database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres", channel=channel, address=address)
        assert person.id is not None
        [contact] = people.contacts_for(db, person.id)
        if consent:
            contact.consent_at = datetime.now(UTC)
        start_checkin(db, svc.ctx.flows, person, "mentee_checkin", contact, datetime.now(UTC))
        person_id = person.id
    assert svc.ctx.sender is not None
    svc.ctx.sender.wake()
    return person_id


@pytest.mark.parametrize("channel", [Channel.sms, Channel.telegram])
def test_whole_checkin_end_to_end(service: Service, channel: Channel) -> None:
    person_id = enrol_mentee(service, channel)
    texts = service.sms_texts if channel == Channel.sms else service.telegram_texts
    send = service.sms if channel == Channel.sms else service.telegram_text
    assert wait_until(lambda: len(texts()) == 1), texts()
    assert "How comfortable" in texts()[0]
    for n, reply in enumerate(["4", "1", "yes", "no", "no"], start=2):
        response = send(reply)
        assert response.status_code == 200, response.text
        # After each reply, the next message has reached the provider before we go on.
        assert wait_until(lambda n=n: len(texts()) >= n), texts()
    assert wait_until(lambda: any("Thank you, Ana" in t for t in texts()))
    sent = texts()
    # The crisis reply went out on the urgent lane, before the follow-up question.
    crisis = next(i for i, t in enumerate(sent) if "988" in t)
    follow_up = next(i for i, t in enumerate(sent) if "reach out to you today" in t)
    assert crisis < follow_up
    assert len(sent) == len(set(sent)), "a message was delivered twice"
    with service.database.transaction() as db:
        answers = db.exec(select(Answer).where(Answer.person_id == person_id)).all()
        assert {a.key: a.value for a in answers}["safety"] == 1
        [esc] = db.exec(select(Escalation)).all()
        assert esc.level == "urgent"


def test_sms_consent_comes_before_any_checkin_content(service: Service) -> None:
    enrol_mentee(service, Channel.sms, consent=False)
    assert wait_until(lambda: len(service.sms_texts()) == 1)
    [request] = service.sms_texts()
    assert "Reply YES to agree" in request and "comfortable" not in request
    assert service.sms("yes").status_code == 200
    assert wait_until(lambda: any("How comfortable" in t for t in service.sms_texts()))
    with service.database.transaction() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == MENTEE_PHONE)).one()
        assert contact.consent_at is not None


def test_healthz_reports_database_sender_and_channels(service: Service) -> None:
    body = service.http.get(f"{service.url}/healthz").json()
    assert body["status"] == "ok" and body["database"] == {"ok": True}
    assert body["sender"]["running"] is True
    assert set(body["channels"]) == {"sms", "telegram", "web", "webhook"}
    assert TOKEN not in json.dumps(body) and TEST_AUTH_TOKEN not in json.dumps(body)


def test_unsigned_and_unauthenticated_webhooks_change_nothing(service: Service) -> None:
    enrol_mentee(service, Channel.sms)
    form = inbound_sms_form(new_message_sid(), MENTEE_PHONE, OUR_NUMBER, "1")
    assert service.http.post(f"{service.url}/webhooks/twilio/sms", data=form).status_code == 403
    update = make_text_update(5, MENTEE_CHAT, "1")
    assert service.http.post(f"{service.url}/webhooks/telegram", json=update,
                             headers={SECRET_TOKEN_HEADER: "wrong"}).status_code == 403
    with service.database.transaction() as db:
        assert db.exec(select(Answer)).all() == []


def test_serve_starts_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """`checkin serve` as a process: healthy, then SIGTERM ends it through the lifespan
    (scheduler and sender stopped, channels closed)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/s.db", "PORT": str(port),
           "LOG_LEVEL": "INFO"}
    checkin = str(Path(sys.executable).with_name("checkin"))
    proc = subprocess.Popen([checkin, "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        ok = wait_until(lambda: _healthy(port), within=30)
        assert ok, "service did not become healthy"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # uvicorn re-raises SIGTERM after its server returns; after a clean shutdown that is a
    # success (before: status -15, which service managers count as a failure).
    assert proc.returncode == 0, out
    assert "peer-checkin stopped cleanly" in out
    assert "Traceback" not in out


def test_serve_that_cannot_start_exits_with_a_failure(tmp_path: Path) -> None:
    """Exit status 0 is kept for a clean stop: a server that never started (its port taken)
    still fails, as `uvicorn.run` made it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/s.db", "PORT": str(port)}
        checkin = str(Path(sys.executable).with_name("checkin"))
        done = subprocess.run([checkin, "serve"], env=env, capture_output=True, text=True,
                              timeout=60, check=False)
    assert done.returncode == 3, done.stdout + done.stderr


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_shutdown_waits_for_a_running_job_before_closing_the_database(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    """A scheduler job caught by SIGTERM mid-run finishes its transaction first; the database
    is closed after it, and nothing is logged as an error."""
    import logging
    import threading

    import bot.app

    order: list[str] = []
    started, release = threading.Event(), threading.Event()

    def slow_job(ctx: object) -> None:
        started.set()
        release.wait(timeout=2)  # still running when the shutdown begins
        order.append("job done")

    monkeypatch.setattr(bot.app, "JOBS", [(slow_job, 1)])
    ctx = build_context(load_settings(database_url=db_url))
    ctx.database = database_for(db_url, engine)
    real_close = ctx.database.close
    monkeypatch.setattr(ctx.database, "close", lambda: (order.append("database closed"),
                                                          real_close()))
    app = create_app(ctx, run_sender=False)
    caplog.set_level(logging.INFO)
    server = LoopbackServer(app, port=_free_port()).start()
    try:
        assert started.wait(timeout=10), "the job did not start"
        threading.Timer(0.3, release.set).start()  # lets the job end while shutdown waits
    finally:
        server.stop()
    assert order == ["job done", "database closed"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
