"""Two instances against one PostgreSQL database: every due check-in starts exactly once.

2,000 mentees are due at the same moment (half SMS with consent, half Telegram); 200 of them
have a second schedule due too, so two instances can claim two schedules of one person at
once. Two separate processes dispatch. Whatever the interleaving: one session per person, one
first question per session, every schedule advanced once.

- `test_two_dispatch_processes_...`: two processes loop `run_dispatch` in small batches, started
  together, so their batches interleave.
- `test_two_served_instances_...`: two real `checkin serve` processes (uvicorn, lifespan,
  APScheduler, outbox sender talking to fake Telegram/Twilio servers) on different ports.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, Table, func, insert, select

from storage.db import make_engine
from storage.models import (
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Message,
    Person,
    PersonStatus,
    Program,
    Role,
    Schedule,
)
from tests.bot.helpers import wait_until
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, FakeTwilio
from tests.pg import _free_port

pytestmark = pytest.mark.postgresql

MENTEES = 2000
TWICE = 200  # mentees with a second schedule due at the same time
RULE = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0"
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:MULTITOKEN"
SECRET = "multi-instance-secret-0123456789"
PROGRAMS: Table = Program.__table__  # type: ignore[attr-defined]
PEOPLE: Table = Person.__table__  # type: ignore[attr-defined]
CONTACTS: Table = ContactPoint.__table__  # type: ignore[attr-defined]
SCHEDULES: Table = Schedule.__table__  # type: ignore[attr-defined]
SESSIONS: Table = CheckinSession.__table__  # type: ignore[attr-defined]
MESSAGES: Table = Message.__table__  # type: ignore[attr-defined]

# One dispatching "instance": waits for the go file, then runs the service's dispatch job until a
# run finds nothing it can claim; prints how many schedules it handled.
DISPATCHER = textwrap.dedent("""
    import json, os, sys, time
    from datetime import datetime
    from bot.context import AppContext
    from bot.database import Database
    from bot.flow_registry import load_configured_flows
    from bot.jobs.dispatch import run_dispatch
    from bot.settings import load_settings

    url, now, go = sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3]
    settings = load_settings(database_url=url)
    ctx = AppContext(settings=settings, database=Database.open(url),
                     flows=load_configured_flows(settings), clock=lambda: now)
    deadline = time.monotonic() + 30
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    handled = 0
    while n := run_dispatch(ctx, limit=25, workers=1):
        handled += n
    print(json.dumps({"handled": handled}))
""")

# `checkin serve`, with the dispatch job registered every second if bot/app.py does not run it
# yet (once it does, DISPATCH_INTERVAL_SECONDS=1 sets its interval and this adds nothing).
SERVE = textwrap.dedent("""
    import sys
    import bot.app
    from bot.jobs.dispatch import run_dispatch
    if not any("dispatch" in getattr(job, "__name__", "") for job, _ in bot.app.JOBS):
        bot.app.JOBS.append((run_dispatch, 1))
    from bot.cli import app
    app(["serve", "--port", sys.argv[1]])
""")


@pytest.fixture
def engine(pg_db_url: str) -> Iterator[Engine]:
    eng = make_engine(pg_db_url)
    yield eng
    eng.dispose()


def enrol_due(engine: Engine, due: datetime) -> None:
    """MENTEES mentees with one schedule due at `due` (TWICE of them with two), in bulk."""
    created = due - timedelta(days=30)
    with engine.begin() as conn:
        program_id = conn.execute(insert(PROGRAMS).returning(PROGRAMS.c.id), [{
            "name": "Two Instances", "timezone": "America/New_York", "settings": {},
            # no quiet hours: the served instances run on the real clock, at any hour
            "quiet_start": "00:00", "quiet_end": "00:00", "created_at": created,
        }]).scalar_one()
        ids = list(conn.execute(
            insert(PEOPLE).returning(PEOPLE.c.id, sort_by_parameter_order=True),
            [{"program_id": program_id, "role": Role.mentee, "display_name": f"Mentee {i}",
              "language": "en", "status": PersonStatus.active, "created_at": created}
             for i in range(MENTEES)],
        ).scalars())
        conn.execute(insert(CONTACTS), [
            {"person_id": pid, "channel": Channel.sms if i % 2 else Channel.telegram,
             "address": f"+1312555{i:04d}" if i % 2 else str(50_000_000 + i),
             "opted_out": False, "unreachable": False, "consent_at": created,
             "created_at": created}
            for i, pid in enumerate(ids)
        ])
        schedules = [{"person_id": pid, "flow_id": "mentee_checkin", "rule": RULE,
                      "timezone": "America/New_York", "next_due_at": due, "paused": False,
                      "created_at": created} for pid in ids]
        schedules += [dict(row, flow_id="mentor_checkin") for row in schedules[:TWICE]]
        conn.execute(insert(SCHEDULES), schedules)


def assert_each_started_once(engine: Engine, now: datetime) -> None:
    s, m, sc = SESSIONS.c, MESSAGES.c, SCHEDULES.c
    with engine.connect() as conn:
        per_person = conn.execute(
            select(s.person_id, func.count()).group_by(s.person_id)).all()
        assert len(per_person) == MENTEES, "every mentee has a session"
        assert {n for _, n in per_person} == {1}, "and exactly one"
        per_session = conn.execute(
            select(m.session_id, func.count())
            .where(m.direction == Direction.outbound, m.kind == "question")
            .group_by(m.session_id)).all()
        assert len(per_session) == MENTEES and {n for _, n in per_session} == {1}
        assert conn.scalar(select(func.count()).select_from(MESSAGES)) == MENTEES
        advanced = conn.scalar(select(func.count()).where(sc.next_due_at > now))
        assert advanced == MENTEES + TWICE, "every schedule advanced"


def test_two_dispatch_processes_start_each_checkin_exactly_once(
    pg_db_url: str, engine: Engine, tmp_path: Path,
) -> None:
    now = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    enrol_due(engine, now)
    go = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", DISPATCHER, pg_db_url, now.isoformat(), str(go)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    time.sleep(1.5)  # both have imported everything and are waiting at the barrier
    go.touch()
    handled = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        handled.append(json.loads(out.strip().splitlines()[-1])["handled"])
    print(f"schedules handled per instance: {handled}")  # shown with -s; the split varies
    assert sum(handled) == MENTEES + TWICE, "each schedule was claimed by exactly one instance"
    assert_each_started_once(engine, now)


def test_two_served_instances_start_each_checkin_exactly_once(
    pg_db_url: str, engine: Engine,
) -> None:
    now = datetime.now(UTC)
    enrol_due(engine, now - timedelta(minutes=1))
    telegram, twilio = FakeTelegram(TOKEN), FakeTwilio()
    procs: list[subprocess.Popen[str]] = []
    with LoopbackServer(telegram) as tg_server, LoopbackServer(twilio) as tw_server:
        try:
            for _ in range(2):
                port = _free_port()
                env = {
                    **os.environ, "DATABASE_URL": pg_db_url, "PUBLIC_BASE_URL":
                    f"http://127.0.0.1:{port}", "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
                    "TELEGRAM_API_BASE_URL": f"{tg_server.url}/bot",
                    "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
                    "TWILIO_FROM_NUMBER": "+15005550006", "TWILIO_API_BASE_URL": tw_server.url,
                    "SMS_RATE_PER_SECOND": "1000", "DISPATCH_INTERVAL_SECONDS": "1",
                    "LOG_LEVEL": "INFO",
                }
                procs.append(subprocess.Popen(
                    [sys.executable, "-c", SERVE, str(port)], cwd=ROOT, env=env,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            sc = SCHEDULES.c
            with engine.connect() as conn:
                def left() -> int:
                    return int(conn.scalar(
                        select(func.count()).where(sc.next_due_at <= now)) or 0)
                assert wait_until(lambda: left() == 0 or any(p.poll() is not None
                                                             for p in procs), within=40)
                assert left() == 0, "the instances did not dispatch everything in time"
        finally:
            outputs = [stop(proc) for proc in procs]
    for out in outputs:
        # The instance logs every Twilio request at INFO: show the traceback, not the tail.
        assert "Traceback" not in out, out[max(0, out.find("Traceback") - 500):][:4000]
    claimed = [sum(int(n) for n in re.findall(r"dispatch: (\d+) claimed", out))
               for out in outputs]
    print(f"schedules claimed per served instance: {claimed}")  # the split varies
    assert sum(claimed) == MENTEES + TWICE
    assert_each_started_once(engine, now - timedelta(minutes=1))


def stop(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out
