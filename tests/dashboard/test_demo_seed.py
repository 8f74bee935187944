"""`checkin seed-demo`'s twelve weeks of history: made by the real runner and applier, the same
rows for the same "now", nothing of it sent or alerted when the service starts, and the
Overview and mentee pages show it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.database import Database
from bot.demo_history import WEEKS, checkin_times
from bot.escalation.casework import outcomes
from bot.escalation.routing import local_time
from bot.jobs.digest import digest_hour, run_watch_digest
from bot.jobs.dispatch import dispatch_due_checkins
from bot.jobs.realert import run_realerts
from bot.jobs.timers import fire_due_timers
from bot.seed import seed_demo
from storage.models import (
    Answer,
    AuditEvent,
    CheckinSession,
    ContactPoint,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    Pairing,
    Person,
    Program,
    Role,
    Schedule,
    SessionStatus,
)
from tests.bot.helpers import NOW
from tests.conftest import sqlite_url
from tests.dashboard.conftest import Dash

# Everything the seed writes but the dashboard accounts (their password hashes are salted).
TABLES = (Person, ContactPoint, Pairing, Schedule, CheckinSession, Answer, Message, Escalation,
          AuditEvent)
MENTEES = ("Ana Torres", "Marcus Hill", "Sofía Díaz", "Tyler Brooks")


@pytest.fixture
def other_db_url(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        path = tmp_path / "other.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield sqlite_url(path)
        return
    server = request.getfixturevalue("pg_server")
    name = server.create_database(template=request.getfixturevalue("pg_template"))
    yield server.url(name)
    server.drop_database(name)


def _snapshot(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    return {table.__tablename__: [tuple(row) for row in db.execute(  # type: ignore[attr-defined]
        core_select(table.__table__).order_by(table.__table__.c.id)).all()]  # type: ignore[attr-defined]
        for table in TABLES}


def test_seed_demo_history_is_deterministic_and_looks_like_a_running_program(
    dash: Dash, other_db_url: str,
) -> None:
    flows = dash.ctx.flows
    with dash.db() as db:
        logins = seed_demo(db, NOW, flows)
        first = _snapshot(db)
    other = Database.open(other_db_url)
    try:
        with other.transaction() as db:
            seed_demo(db, NOW, flows)
            assert _snapshot(db) == first, "the same now gives the same history"
    finally:
        other.close()

    with dash.db() as db:
        # Twelve weekly check-ins per demo mentee, at Monday 18:00 in the program's time zone.
        times = checkin_times(NOW, "America/New_York")
        assert len(times) == WEEKS
        assert all(t.astimezone(NOW.tzinfo) + timedelta(hours=24) < NOW for t in times)
        everyone = db.exec(select(Person)).all()
        by_name = {p.display_name: p for p in everyone}
        by_id = {p.id: p for p in everyone}
        sessions = db.exec(select(CheckinSession)).all()
        assert {by_id[s.person_id].role for s in sessions} == {Role.mentee}
        missed = 0
        for name in MENTEES:
            rows = db.exec(select(CheckinSession).where(
                CheckinSession.person_id == by_name[name].id).order_by(
                col(CheckinSession.started_at))).all()
            assert [r.started_at for r in rows] == times, name
            assert {r.status for r in rows} <= {SessionStatus.completed, SessionStatus.expired}
            missed += sum(r.status == SessionStatus.expired for r in rows)
        assert 4 <= missed <= 12, "some missed, most answered"
        # Marcus's comfort falls over the weeks.
        comfort = [a.value_num for a in db.exec(
            select(Answer).where(Answer.person_id == by_name["Marcus Hill"].id,
                                 Answer.key == "comfort").order_by(col(Answer.id)))]
        assert comfort[:3] == [5, 5, 4] and comfort[-3:] == [2, 2, 2]

        # Past escalations, at each level, all acknowledged and resolved with an outcome, none
        # alerting again.
        escalations = db.exec(select(Escalation)).all()
        demo_outcomes = outcomes(db.exec(select(Program)).one())
        assert {e.level for e in escalations} == {"urgent", "concern", "watch"}
        for esc in escalations:
            assert esc.status == EscalationStatus.resolved
            assert esc.acknowledged_by == by_name["Sam Rivera"].id
            assert esc.raised_at <= esc.acknowledged_at <= esc.resolved_at < NOW  # type: ignore[operator]
            assert esc.outcome in demo_outcomes and esc.resolution_note
            assert esc.next_alert_at is None
        pressured = [e for e in escalations if "pressured" in e.reasons]
        assert pressured and pressured[0].about_mentor_id == by_name["Lucía Gómez"].id

        # Nothing of the past waits in the outbox, and no inbound row waits for a second read.
        outbound = db.exec(select(Message).where(Message.direction == Direction.outbound)).all()
        assert len(outbound) > 100
        assert {m.status for m in outbound} == {MessageStatus.sent}
        assert all(m.sent_at == m.created_at for m in outbound)
        assert db.exec(select(Message).where(Message.direction == Direction.inbound,
                                             col(Message.semantic_screened_at).is_(None))
                       ).first() is None
        # The service's jobs find nothing to send: re-alerts now and tomorrow, the watch
        # digest at the program's digest hour.
        program = db.exec(select(Program)).one()
        for at in (NOW, NOW + timedelta(days=1)):
            assert run_realerts(db, at, dashboard_url=None) == 0
        digest_at = next(NOW + timedelta(hours=h) for h in range(24)
                         if local_time(program, NOW + timedelta(hours=h)).hour
                         == digest_hour(program))
        assert run_watch_digest(db, digest_at, dashboard_url=None) == 0
        assert fire_due_timers(db, flows, NOW) == 0
        assert dispatch_due_checkins(db, flows, NOW).claimed == 0
        assert db.exec(select(Message).where(
            Message.direction == Direction.outbound,
            Message.status != MessageStatus.sent)).first() is None

    # The pages a coordinator opens first show the weeks.
    dash.login("sam", logins["sam"])
    overview = dash.client.get("/overview")
    started = re.findall(r'<th scope="row">\d\d \w{3} \d{4}</th>\s*<td class="num">(\d+)</td>',
                         overview.text)
    # Newest week first: this week's check-in (Monday 18:00 in New York) is still to come.
    assert started == ["0"] + ["4"] * 11
    ana = by_name["Ana Torres"]
    mentee = dash.client.get(f"/mentees/{ana.id}")
    assert mentee.status_code == 200
    assert mentee.text.count("<tr") >= WEEKS

