"""Re-alerts (urgent every 5 minutes, then the backup list; concern once at its deadline; never
after ACK) and the daily watch digest."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.jobs.digest import run_watch_digest
from bot.jobs.realert import claim_due, run_realerts
from storage.db import make_engine
from storage.models import (
    AuditEvent,
    Channel,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    Person,
    Program,
    Role,
)
from tests.bot.helpers import NOW, database_for
from tests.bot.test_routing import (
    alert_rows,
    make_person,
    make_program,
    raise_and_alert,
    raise_escalation,
)

URL = "https://checkin.example.org"


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def realert(database: Database, at: datetime) -> int:
    with database.transaction() as db:
        return run_realerts(db, at, dashboard_url=URL)


def rounds(database: Database, esc_id: int | None) -> dict[datetime, Counter[int | None]]:
    """Alert messages by the time they were queued: {time: {person_id: messages}}."""
    out: dict[datetime, Counter[int | None]] = {}
    with database.transaction() as db:
        for m in alert_rows(db, esc_id):
            out.setdefault(m.created_at, Counter())[m.person_id] += 1
    return out


def _team(db: Session) -> tuple[Program, Person, Person, Person, Person]:
    """No rota: both supervisors on call, the admin is the backup list."""
    program = make_program(db)
    a = make_person(db, program, Role.supervisor, "Ann Sup")
    b = make_person(db, program, Role.supervisor, "Bob Sup", telegram=False)
    admin = make_person(db, program, Role.admin, "Ada Admin")
    mentee = make_person(db, program, Role.mentee, "Ana Torres")
    return program, a, b, admin, mentee


def minutes(n: float) -> datetime:
    return NOW + timedelta(minutes=n)


# ---- urgent ---------------------------------------------------------------------------------


def test_urgent_without_ack_re_alerts_every_5_minutes_then_brings_in_the_backup_list(
    database: Database,
) -> None:
    with database.transaction() as db:
        _program, a, b, admin, mentee = _team(db)
        esc = raise_and_alert(db, mentee, "urgent")
    assert realert(database, minutes(4.9)) == 0
    for n in (5, 10, 15):
        assert realert(database, minutes(n)) == 3  # Ann on two channels, Bob on one
        assert realert(database, minutes(n + 1)) == 0
    assert realert(database, minutes(20)) == 5  # three re-sends unanswered: Ada too
    assert realert(database, minutes(25)) == 5  # and from then on
    by_time = rounds(database, esc.id)
    on_call = Counter({a.id: 2, b.id: 1})
    assert by_time == {
        NOW: on_call, minutes(5): on_call, minutes(10): on_call, minutes(15): on_call,
        minutes(20): on_call + Counter({admin.id: 2}),
        minutes(25): on_call + Counter({admin.id: 2}),
    }
    with database.transaction() as db:
        row = db.get(Escalation, esc.id)
        assert row is not None
        assert row.alert_round == 6 and row.backup_alerted_at == minutes(20)
        assert row.next_alert_at == minutes(30)
        trail = db.exec(select(AuditEvent).where(
            AuditEvent.subject_id == esc.id, AuditEvent.action == "alert_round",
        ).order_by(col(AuditEvent.id))).all()
        assert [(e.detail["round"], e.detail["tier"]) for e in trail] == [
            (1, "oncall"), (2, "oncall"), (3, "oncall"), (4, "oncall"),
            (5, "oncall+backup"), (6, "oncall+backup"),
        ]


def test_an_acknowledged_or_resolved_escalation_never_re_alerts(database: Database) -> None:
    with database.transaction() as db:
        *_rest, mentee = _team(db)
        acked = raise_and_alert(db, mentee, "urgent")
        resolved = raise_and_alert(db, mentee, "concern")
    assert realert(database, minutes(5)) == 3
    with database.transaction() as db:
        for esc_id, status in ((acked.id, EscalationStatus.acknowledged),
                               (resolved.id, EscalationStatus.resolved)):
            row = db.get(Escalation, esc_id)
            assert row is not None
            row.status = status  # next_alert_at left set on purpose: the status alone stops it
    for n in (10, 15, 20, 60 * 25):
        assert realert(database, minutes(n)) == 0
    assert len(rounds(database, acked.id)) == 2 and len(rounds(database, resolved.id)) == 1


# ---- concern and watch ----------------------------------------------------------------------


def test_concern_past_its_deadline_alerts_on_call_and_backup_once(database: Database) -> None:
    with database.transaction() as db:
        _program, a, b, admin, mentee = _team(db)
        esc = raise_and_alert(db, mentee, "concern")
    assert realert(database, minutes(60 * 24 - 1)) == 0
    assert realert(database, minutes(60 * 24)) == 3  # one contact each: Ann, Bob, Ada
    assert realert(database, minutes(60 * 24 + 5)) == 0
    assert realert(database, minutes(60 * 48)) == 0
    assert rounds(database, esc.id) == {
        NOW: Counter({a.id: 1, b.id: 1}),
        minutes(60 * 24): Counter({a.id: 1, b.id: 1, admin.id: 1}),
    }
    with database.transaction() as db:
        row = db.get(Escalation, esc.id)
        assert row is not None and row.next_alert_at is None
        assert row.backup_alerted_at == minutes(60 * 24)


def test_watch_is_never_alerted_one_by_one(database: Database) -> None:
    with database.transaction() as db:
        *_rest, mentee = _team(db)
        esc = raise_escalation(db, mentee, "watch")
        esc.next_alert_at = NOW  # as a reopen would leave it
    assert realert(database, minutes(1)) == 0
    with database.transaction() as db:
        row = db.get(Escalation, esc.id)
        assert row is not None and row.next_alert_at is None
        assert alert_rows(db) == []


def test_a_reopened_escalation_gets_a_first_round_again(database: Database) -> None:
    with database.transaction() as db:
        *_rest, mentee = _team(db)
        esc = raise_and_alert(db, mentee, "urgent")
        esc.status = EscalationStatus.open
        esc.reopened_at = minutes(30)
        esc.alert_round = 0
        esc.backup_alerted_at = None
        esc.next_alert_at = minutes(30)
    assert realert(database, minutes(30)) == 3
    with database.transaction() as db:
        row = db.get(Escalation, esc.id)
        assert row is not None and row.alert_round == 1
        assert row.next_alert_at == minutes(35)


def test_two_instances_never_claim_the_same_escalation(pg_db_url: str) -> None:
    # PostgreSQL only: SQLite serialises writers, so there is nothing to race there.
    engine = make_engine(pg_db_url)
    database = database_for(pg_db_url, engine)
    with database.transaction() as db:
        *_rest, mentee = _team(db)
        first = raise_and_alert(db, mentee, "urgent")
        second = raise_and_alert(db, mentee, "concern", at=minutes(-60 * 24))
    with database.transaction() as one, database.transaction() as two:
        mine = [e.id for e in claim_due(one, minutes(5), 1)]
        theirs = [e.id for e in claim_due(two, minutes(5), 10)]
        assert len(mine) == 1 and len(theirs) == 1
        assert set(mine + theirs) == {first.id, second.id}
    engine.dispose()


# ---- the watch digest -----------------------------------------------------------------------


def at_local(hour: int, minute: int = 0, day: int = 0) -> datetime:
    """NOW is 12:00 in New York (UTC-5 in early March)."""
    return NOW + timedelta(days=day, hours=hour - 12, minutes=minute)


def digests(database: Database) -> list[Message]:
    with database.transaction() as db:
        return list(db.exec(
            select(Message).where(Message.kind == "digest").order_by(col(Message.id))
        ).all())


def digest(database: Database, at: datetime) -> int:
    with database.transaction() as db:
        return run_watch_digest(db, at, dashboard_url=URL)


def test_digest_once_a_day_at_the_hour_only_with_open_watch_items(database: Database) -> None:
    with database.transaction() as db:
        program, a, b, _admin, mentee = _team(db)
        other = make_person(db, program, Role.mentee, "Leo Park")
    assert digest(database, at_local(9)) == 0  # nothing open yet
    with database.transaction() as db:
        for person in (mentee, other):
            raise_escalation(db, person, "watch", at=at_local(7))
        raise_escalation(db, mentee, "urgent", at=at_local(7))  # not a watch item
    assert digest(database, at_local(8, 59)) == 0
    assert digest(database, at_local(9)) == 2  # Ann and Bob, one message each
    assert digest(database, at_local(9, 30)) == 0  # never twice a day
    assert digest(database, at_local(10)) == 0
    sent = digests(database)
    assert [(m.person_id, m.channel, m.lane) for m in sent] == [
        (a.id, Channel.telegram, Lane.routine), (b.id, Channel.sms, Lane.routine)
    ]
    assert sent[0].body == f"Hope House: 2 watch items to review: {URL}/queue?level=watch"
    assert "Ana" not in (sent[0].body or "") and "A.T." not in (sent[0].body or "")
    assert digest(database, at_local(9, 5, day=1)) == 2  # the next day again
    with database.transaction() as db:
        for esc in db.exec(select(Escalation).where(Escalation.level == "watch")).all():
            esc.status = EscalationStatus.acknowledged
    assert digest(database, at_local(9, 5, day=2)) == 0  # nothing open: nothing sent


def test_digest_hour_is_a_program_setting(database: Database) -> None:
    with database.transaction() as db:
        program, *_rest, mentee = _team(db)
        program.settings = {"digest_hour": 14}
        raise_escalation(db, mentee, "watch", at=at_local(7))
    assert digest(database, at_local(9)) == 0
    assert digest(database, at_local(14, 10)) == 2
