"""`checkin db backup` while the service takes webhooks, and `checkin db restore` into a new one.

The service runs as in production (tests/bot/test_service.py's way: `create_app` served by
uvicorn on loopback, Twilio's real client against the fake provider). A thread sends mentees'
signed SMS replies, each a committed turn; in the middle of that load, `checkin db backup`
copies the database. The copy must be a consistent snapshot: every urgent answer in it has its
escalation in it (they are written in one transaction), and it passes SQLite's integrity check.
`checkin db restore` puts it into a fresh data folder; a new service started on that folder
shows a supervisor, after logging in, exactly the backup's escalation queue.

PostgreSQL: `checkin db backup` runs pg_dump, and pg_restore brings the same rows back.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlmodel import select

from bot.app import build_context, create_app
from bot.context import AppContext
from bot.dashboard.accounts import create_account
from bot.database import Database
from bot.runner import start_checkin
from bot.settings import load_settings
from storage.backup import pg_dump_command
from storage.models import Answer, Channel, Escalation, EscalationStatus, Role
from storage.queries import people
from tests.bot.helpers import NOW, enrol, wait_until
from tests.bot.test_cli import CHECKIN, run
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
)
from tests.pg import PgServer, _free_port

OUR_NUMBER = "+15005550006"
PASSWORD = "correct horse battery"
MENTEES = 30
# Each mentee's replies to the check-in: comfort 4, safety 1 (urgent), yes, no, no; then texts
# outside the check-in, each still a turn that stores a message.
REPLIES = ["4", "1", "yes", "no", "no"]
MAX_REQUESTS = 600  # the load's bound, whatever happens to the backup


def phone(n: int) -> str:
    return f"+1312555{n:04d}"


@dataclass
class Running:
    url: str
    ctx: AppContext
    twilio: FakeTwilio
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    @property
    def database(self) -> Database:
        return self.ctx.database

    def sms(self, sender: str, body: str) -> httpx.Response:
        form = inbound_sms_form(new_message_sid(), sender, OUR_NUMBER, body)
        url = f"{self.url}/webhooks/twilio/sms"
        return self.http.post(url, data=form,
                              headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})


@contextmanager
def service(database_url: str) -> Iterator[Running]:
    """The service on `database_url` as `checkin serve` builds it (the SQLite checkpointer
    thread included), SMS on, the scheduler off (the test starts the check-ins itself)."""
    twilio = FakeTwilio()
    with LoopbackServer(twilio) as tw_server:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        settings = load_settings(
            database_url=database_url, public_base_url=url, twilio_account_sid=TEST_ACCOUNT_SID,
            twilio_auth_token=TEST_AUTH_TOKEN, twilio_from_number=OUR_NUMBER,
            twilio_api_base_url=tw_server.url, sms_rate_per_second=1000,
            semantic_screening=False, web_simulator=False)
        ctx = build_context(settings)
        app = create_app(ctx, run_scheduler=False)
        running = Running(url, ctx, twilio)
        try:
            with LoopbackServer(app, port=port):
                yield running
        finally:
            running.http.close()


def enrol_program(running: Running) -> list[str]:
    """A supervisor with a dashboard login, and MENTEES mentees on SMS (consent given), each in
    a check-in that has asked its first question. Returns the mentees' numbers."""
    numbers = [phone(n) for n in range(MENTEES)]
    now = datetime.now(UTC)
    with running.database.transaction() as db:
        sam = enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.terminal, address="sam")
        create_account(db, sam, "sam", PASSWORD, NOW)
        for n, number in enumerate(numbers):
            person = enrol(db, Role.mentee, f"Mentee {n}", channel=Channel.sms, address=number)
            assert person.id is not None
            [contact] = people.contacts_for(db, person.id)
            contact.consent_at = now
            start_checkin(db, running.ctx.flows, person, "mentee_checkin", contact, now)
    return numbers


@dataclass
class Load:
    """Mentees' replies sent one after another from a thread, round-robin over the mentees,
    until told to stop (or MAX_REQUESTS)."""

    running: Running
    numbers: list[str]
    sent: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        turn = 0
        while not self.stop.is_set() and self.sent < MAX_REQUESTS:
            number = self.numbers[turn % len(self.numbers)]
            step = turn // len(self.numbers)
            body = REPLIES[step] if step < len(REPLIES) else f"thanks {step}"
            response = self.running.sms(number, body)
            if response.status_code != 200:
                self.failures.append(f"{response.status_code} {response.text[:200]}")
            self.sent += 1
            turn += 1


def urgent_answers_without_escalation(path: Path) -> list[int]:
    """People with a safety answer of 1 but no urgent escalation, in a SQLite file: a snapshot
    taken between a turn's writes would have some."""
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT a.person_id FROM answer a WHERE a.key = 'safety' AND a.value_num = 1 "
            "AND NOT EXISTS (SELECT 1 FROM escalation e WHERE e.person_id = a.person_id "
            "AND e.level = 'urgent')").fetchall()
    finally:
        conn.close()
    return [int(row[0]) for row in rows]


def counts(path: Path) -> tuple[int, int]:
    """(answers, escalations) in a SQLite file."""
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        answers = conn.execute("SELECT count(*) FROM answer").fetchone()[0]
        escalations = conn.execute("SELECT count(*) FROM escalation").fetchone()[0]
    finally:
        conn.close()
    return int(answers), int(escalations)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def queue_ids_through_the_dashboard(running: Running) -> set[int]:
    """The escalation ids the Queue page shows to the supervisor, logged in through /login."""
    with httpx.Client(base_url=running.url, timeout=30) as client:
        form = client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token, form.text[:500]
        login = client.post("/login", data={"username": "sam", "password": PASSWORD,
                                             "login_token": token.group(1), "next": "/queue"})
        assert login.status_code == 303, login.text[:500]
        page = client.get("/queue")
        assert page.status_code == 200, page.text[:500]
        return {int(found) for found in re.findall(r'href="/escalations/(\d+)"', page.text)}


def open_escalations(path: Path) -> set[int]:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id FROM escalation WHERE status IN (?, ?)",
                            (EscalationStatus.open.value,
                             EscalationStatus.acknowledged.value)).fetchall()
    finally:
        conn.close()
    return {int(row[0]) for row in rows}


def test_a_backup_taken_under_load_restores_into_a_service_with_the_same_queue(
    tmp_path: Path,
) -> None:
    live_dir, backup_dir, new_dir = (tmp_path / name for name in ("live", "backups", "new"))
    for folder in (live_dir, backup_dir, new_dir):
        folder.mkdir()
    live_url = f"sqlite:///{live_dir / 'peer-checkin.db'}"
    backup = backup_dir / "peer-checkin-backup.db"
    run("db", "upgrade", env={"DATABASE_URL": live_url})

    with service(live_url) as running:
        numbers = enrol_program(running)
        load = Load(running, numbers)
        thread = threading.Thread(target=load.run, name="sms-load")
        thread.start()
        try:
            # Under way: a third of the mentees have answered the safety question.
            assert wait_until(lambda: load.sent >= len(numbers) * 4 // 3, within=60), load.sent
            made = run("db", "backup", str(backup), env={"DATABASE_URL": live_url})
            sent_after = load.sent
            # ...and still going on: more turns are taken after the backup than before it ended.
            assert wait_until(lambda: load.sent >= sent_after + 30, within=60), load.sent
        finally:
            load.stop.set()
            thread.join(timeout=60)
        assert not thread.is_alive()
        assert made.returncode == 0, made.stderr
        assert "integrity check ok" in made.stdout
        assert load.failures == []
        live_answers, live_escalations = counts(live_dir / "peer-checkin.db")

    # The backup is a snapshot of some point during the load: not empty, not everything, and
    # consistent (an answer's escalation came with it), and whole.
    assert integrity(backup) == "ok"
    backed_answers, backed_escalations = counts(backup)
    assert 0 < backed_escalations and 0 < backed_answers < live_answers, (
        backed_answers, live_answers, backed_escalations, live_escalations)
    assert urgent_answers_without_escalation(backup) == []
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)

    new_url = f"sqlite:///{new_dir / 'peer-checkin.db'}"
    restored = run("db", "restore", str(backup), env={"DATABASE_URL": new_url})
    assert restored.returncode == 0, restored.stderr
    assert integrity(new_dir / "peer-checkin.db") == "ok"
    expected_queue = open_escalations(backup)
    assert expected_queue
    with service(new_url) as running:
        assert queue_ids_through_the_dashboard(running) == expected_queue
        with running.database.reading() as db:
            restored_answers = len(db.exec(select(Answer)).all())
            restored_escalations = len(db.exec(select(Escalation)).all())
        # The restored service takes new turns on the restored data.
        assert running.sms(numbers[-1], "thanks again").status_code == 200
    assert (restored_answers, restored_escalations) == (backed_answers, backed_escalations)


def test_restore_refuses_a_database_in_use_or_holding_data_unless_forced(tmp_path: Path) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    run("db", "upgrade", env={"DATABASE_URL": source_url})
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), env={"DATABASE_URL": source_url}).returncode == 0
    # A second backup to the same name is refused, not silently replaced.
    again = run("db", "backup", str(backup), env={"DATABASE_URL": source_url})
    assert again.returncode == 2 and "already exists" in again.stderr

    target = tmp_path / "target.db"
    target_url = f"sqlite:///{target}"
    run("db", "upgrade", env={"DATABASE_URL": target_url})
    database = Database.open(target_url)
    try:
        with database.transaction() as db:  # data, and a connection held open as a service's
            enrol(db, Role.mentee, "Keep Me", channel=Channel.sms, address="+13125550100")
        in_use = run("db", "restore", str(backup), env={"DATABASE_URL": target_url})
        assert in_use.returncode == 2 and "open in another process" in in_use.stderr
        # A running service is another process: the installed command sees it the same way.
        other = subprocess.run([CHECKIN, "db", "restore", str(backup)], capture_output=True,
                               text=True, timeout=120,
                               env={**os.environ, "DATABASE_URL": target_url})
        assert other.returncode == 2 and "open in another process" in other.stderr
    finally:
        database.close()
    holds_data = run("db", "restore", str(backup), env={"DATABASE_URL": target_url})
    assert holds_data.returncode == 2 and "already holds a database" in holds_data.stderr

    forced = run("db", "restore", "--force", str(backup), env={"DATABASE_URL": target_url})
    assert forced.returncode == 0, forced.stderr
    [saved] = list(tmp_path.glob("target.db.before-restore-*"))
    assert "saved as" in forced.stdout and str(saved) in forced.stdout
    conn = sqlite3.connect(saved)
    try:
        assert conn.execute("SELECT display_name FROM person").fetchall() == [("Keep Me",)]
    finally:
        conn.close()
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (0,)
    finally:
        conn.close()


def test_restore_refuses_a_file_that_is_not_a_whole_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    not_sqlite = tmp_path / "dump.pgdump"
    not_sqlite.write_bytes(b"PGDMP\x01\x0e")
    refused = run("db", "restore", str(not_sqlite), env={"DATABASE_URL": url})
    assert refused.returncode == 2 and "pg_restore" in refused.stderr
    unmigrated = tmp_path / "empty.db"
    sqlite3.connect(unmigrated).execute("CREATE TABLE t (x)").connection.close()
    refused = run("db", "restore", str(unmigrated), env={"DATABASE_URL": url})
    assert refused.returncode == 2 and "not a Peer Check-in database" in refused.stderr
    # A live database (WAL mode, commits still in its -wal), copied as a file: refused.
    live = tmp_path / "live.db"
    run("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{live}"})
    held = sqlite3.connect(live, isolation_level=None)
    try:
        held.execute("PRAGMA wal_autocheckpoint=0")
        held.execute("INSERT INTO program (name, timezone, quiet_start, quiet_end, settings) "
                     "VALUES ('Only in the log', 'UTC', '21:00', '08:00', '{}')")
        refused = run("db", "restore", str(live), env={"DATABASE_URL": url})
    finally:
        held.close()
    assert refused.returncode == 2 and "checkin db backup" in refused.stderr
    assert not (tmp_path / "new.db").exists() or (tmp_path / "new.db").stat().st_size == 0


def test_postgres_backup_runs_pg_dump_and_pg_restore_brings_the_rows_back(
    pg_server: PgServer, pg_db_url: str, tmp_path: Path,
) -> None:
    database = Database.open(pg_db_url)
    try:
        with database.transaction() as db:
            enrol(db, Role.mentee, "Ana Torres", channel=Channel.sms, address="+13125550143")
    finally:
        database.close()
    dump = tmp_path / "peer-checkin.pgdump"
    made = run("db", "backup", str(dump), env={"DATABASE_URL": pg_db_url})
    assert made.returncode == 0, made.stderr
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert oct(dump.stat().st_mode & 0o777) == oct(0o600)

    fresh = pg_server.url(pg_server.create_database())
    libpq_url = fresh.replace("postgresql+psycopg://", "postgresql://")
    done = subprocess.run(["pg_restore", "--no-owner", f"--dbname={libpq_url}", str(dump)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    restored = Database.open(fresh)
    try:
        with restored.reading() as db:
            assert [p.display_name for p in db.exec(select(people.Person)).all()] == [
                "Ana Torres"]
        # A restored PostgreSQL database is as migrated as the one dumped.
        assert run("db", "upgrade", env={"DATABASE_URL": fresh}).returncode == 0
    finally:
        restored.close()


def test_restore_into_postgres_says_to_use_pg_restore(pg_db_url: str, tmp_path: Path) -> None:
    refused = run("db", "restore", str(tmp_path / "x.db"), env={"DATABASE_URL": pg_db_url})
    assert refused.returncode == 2 and "pg_restore" in refused.stderr


def test_pg_dump_gets_the_password_in_its_environment_not_its_arguments() -> None:
    url = "postgresql://checkin:s3cret%25x@db.local:5433/pc?sslmode=require"
    command, env = pg_dump_command(url, Path("/tmp/x"))
    assert env == {"PGPASSWORD": "s3cret%x"}
    assert not any("s3cret" in part for part in command)
    assert "--dbname=postgresql://checkin@db.local:5433/pc?sslmode=require" in command


def test_postgres_backup_without_pg_dump_says_what_to_install(
    pg_db_url: str, tmp_path: Path,
) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    refused = run("db", "backup", str(tmp_path / "x.pgdump"),
                  env={"DATABASE_URL": pg_db_url, "PATH": str(empty)})
    assert refused.returncode == 2
    assert "pg_dump is not installed" in refused.stderr and "postgresql-client" in refused.stderr
    assert list(tmp_path.glob("*x.pgdump*")) == []  # no partial file left behind
