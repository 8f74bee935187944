"""The service killed outright (SIGKILL: no lifespan, no clean shutdown) between claiming a
message and the provider accepting it. The claim was committed, so the row is `sending` under a
lease; a new process claims it again once the lease has run out and delivers it exactly once.

Real processes (`checkin serve`), a real database file or server, the real twilio client: the
first instance's Twilio address is a socket that takes the request and never answers, so the
kill lands while that send is still waiting for its reply (the provider never accepted it)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.flow_registry import load_configured_flows
from bot.runner import start_checkin
from bot.settings import load_settings
from storage.models import Channel, Message, MessageStatus, Role
from storage.queries import people
from tests.bot.helpers import enrol, wait_until
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, FakeTwilio
from tests.pg import _free_port

PHONE = "+13125550177"
LEASE_SECONDS = 5  # the shortest the settings allow, so the test waits little


class SilentProvider:
    """A TCP server on 127.0.0.1 that reads every request and never answers one."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = 0  # connections on which a request arrived
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> SilentProvider:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        with contextlib.suppress(OSError):  # wakes the thread blocked in accept()
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for conn in self._conns:
            conn.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed: the test is over
                return
            self._conns.append(conn)
            conn.settimeout(10)
            try:
                if conn.recv(65536):
                    self.requests += 1
            except OSError:
                pass


def serve(db_url: str, twilio_url: str, log: Path) -> subprocess.Popen[bytes]:
    """`checkin serve` as its own process, its output in `log` (a pipe nobody reads could fill
    and stall it)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "PORT": str(port),
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "INFO",
           "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
           "TWILIO_FROM_NUMBER": "+15005550006", "TWILIO_API_BASE_URL": twilio_url,
           "SMS_RATE_PER_SECOND": "100", "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS)}
    checkin = str(Path(sys.executable).with_name("checkin"))
    with open(log, "wb") as out:  # the child keeps its own handle
        return subprocess.Popen([checkin, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)


def question(engine: Engine) -> Message:
    with Session(engine) as db:
        return db.exec(select(Message).where(Message.address == PHONE)).one()


@pytest.fixture
def first_question_queued(db_url: str, engine: Engine) -> Iterator[int]:
    """A mentee on SMS (consented) with a check-in started: its first question is queued."""
    now = datetime.now(UTC)
    flows = load_configured_flows(load_settings(database_url=db_url))
    with Session(engine) as db:
        person = enrol(db, Role.mentee, "Ana Torres", channel=Channel.sms, address=PHONE)
        assert person.id is not None
        [contact] = people.contacts_for(db, person.id)
        contact.consent_at = now
        start_checkin(db, flows, person, "mentee_checkin", contact, now)
        db.commit()
    message = question(engine)
    assert message.status == MessageStatus.pending
    assert message.id is not None
    yield message.id


def test_a_message_claimed_by_a_killed_process_is_sent_once_after_restart(
    db_url: str, engine: Engine, first_question_queued: int, tmp_path: Path,
) -> None:
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with SilentProvider() as silent:
            first = serve(db_url, silent.url, tmp_path / "first.log")
            procs.append(first)
            # Claimed and committed, and the request is out: the process waits for a reply.
            assert wait_until(lambda: silent.requests == 1 or first.poll() is not None, 30)
            assert silent.requests == 1, (tmp_path / "first.log").read_text()[-3000:]
            claimed = question(engine)
            assert claimed.status == MessageStatus.sending
            assert claimed.lease_until is not None
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)

        fake = FakeTwilio()
        with LoopbackServer(fake) as provider:
            second = serve(db_url, provider.url, tmp_path / "second.log")
            procs.append(second)
            assert wait_until(lambda: len(fake.sent_to(PHONE)) == 1, LEASE_SECONDS + 30), (
                "the message claimed by the killed process was never sent")
            assert wait_until(lambda: question(engine).status == MessageStatus.sent, 10)
            time.sleep(1.5)  # a few more polls of the sender: nothing is sent again
            [delivered] = fake.sent_to(PHONE)
            assert "How comfortable" in delivered["body"]
            after = question(engine)
            assert after.id == first_question_queued
            assert after.provider_id == delivered["sid"]
            # Not claimed again before the dead process's lease ran out: had that process only
            # been slow, the two would have sent the message twice.
            # (The column type returns aware UTC datetimes on both databases.)
            assert after.sent_at is not None and after.sent_at >= claimed.lease_until
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()


def test_a_message_twilio_accepted_before_the_kill_is_not_sent_again_after_restart(
    db_url: str, engine: Engine, first_question_queued: int, tmp_path: Path,
) -> None:
    """The window issue 21 found: Twilio accepted the question, then the process died before
    recording it. The next process takes the row over, finds the message at Twilio (the list
    API) and records it sent with that SID, instead of texting the person a second time."""
    fake = FakeTwilio()
    # Accepted and stored at once; the answer comes too late for the process that sent it.
    fake.silent_after_accept(PHONE, 10)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with LoopbackServer(fake) as provider:
            first = serve(db_url, provider.url, tmp_path / "first.log")
            procs.append(first)
            assert wait_until(lambda: len(fake.sent_to(PHONE)) == 1 or first.poll() is not None,
                              30), (tmp_path / "first.log").read_text()[-3000:]
            [accepted] = fake.sent_to(PHONE)
            assert question(engine).status == MessageStatus.sending
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            fake.recovered(PHONE)

            second = serve(db_url, provider.url, tmp_path / "second.log")
            procs.append(second)
            assert wait_until(lambda: question(engine).status == MessageStatus.sent,
                              LEASE_SECONDS + 30), (tmp_path / "second.log").read_text()[-3000:]
            time.sleep(1.5)  # a few more polls of the sender: nothing is sent
            assert fake.sent_to(PHONE) == [accepted]
            assert [r["method"] for r in fake.requests] == ["POST", "GET"]
            assert question(engine).provider_id == accepted["sid"]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
