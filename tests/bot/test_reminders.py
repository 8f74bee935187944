"""Mentor reminders: who gets one, when, on which contact, and that nothing of a mentee leaks."""

from __future__ import annotations

import itertools
import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.jobs.reminders import REMINDER_TEXT, run_mentor_reminders
from storage.models import (
    Channel,
    ContactPoint,
    Direction,
    Lane,
    Message,
    MessageStatus,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
    SessionStatus,
)
from storage.queries import escalations, people, sessions
from tests.bot.helpers import NOW, database_for, enrol

DAYS = 14
_ids = itertools.count(1)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def _pair(
    db: Session, *, paired_days_ago: int = 20, channel: Channel = Channel.telegram,
    mentor_name: str = "Marco Ruiz", mentee_name: str = "Lupe Diaz",
    program_name: str = "Hope House", language: str = "en",
) -> tuple[Person, Person, ContactPoint]:
    n = next(_ids)
    mentor = enrol(db, Role.mentor, mentor_name, channel=channel, address=f"m{n}",
                   program_name=program_name, language=language)
    mentee = enrol(db, Role.mentee, mentee_name, channel=Channel.telegram, address=f"e{n}",
                   program_name=program_name)
    assert mentor.id is not None and mentee.id is not None
    people.add_pairing(db, mentor.id, mentee.id, NOW - timedelta(days=paired_days_ago))
    contact = people.contacts_for(db, mentor.id)[0]
    if channel == Channel.sms:
        contact.consent_at = NOW - timedelta(days=100)
    return mentor, mentee, contact


def _met(db: Session, mentor_id: int, value: bool, days_ago: int) -> None:
    at = NOW - timedelta(days=days_ago)
    row = sessions.add_session(db, person_id=mentor_id, flow_id="mentor_checkin", now=at)
    row.status = SessionStatus.completed
    assert row.id is not None
    sessions.add_answer(db, session_id=row.id, person_id=mentor_id, key="met",
                        raw_text="yes" if value else "no", value=value, now=at)


def _run(database: Database, now: datetime = NOW, **kw: int) -> int:
    with database.transaction() as db:
        return run_mentor_reminders(db, now, default_days=kw.pop("default_days", DAYS), **kw)


def _reminders(database: Database, person_id: int | None = None) -> list[Message]:
    with database.transaction() as db:
        stmt = select(Message).where(Message.direction == Direction.outbound,
                                     Message.kind == "mentor_reminder")
        if person_id is not None:
            stmt = stmt.where(Message.person_id == person_id)
        return list(db.exec(stmt.order_by(col(Message.id))).all())


def test_mentor_paired_longer_than_n_days_gets_one_reminder(database: Database) -> None:
    with database.transaction() as db:
        mentor, _, contact = _pair(db)
        new_mentor, _, _ = _pair(db, paired_days_ago=10, mentor_name="Nina")
    assert _run(database) == 1
    [msg] = _reminders(database)
    assert msg.person_id == mentor.id and msg.address == contact.address
    assert msg.channel == Channel.telegram and msg.lane == Lane.routine
    assert msg.status == MessageStatus.pending
    assert msg.body == REMINDER_TEXT["en"].format(name="Marco", program="Hope House")
    assert _reminders(database, new_mentor.id) == []


def test_not_twice_within_n_days(database: Database) -> None:
    with database.transaction() as db:
        mentor, _, _ = _pair(db)
    assert _run(database) == 1
    assert _run(database) == 0
    assert _run(database, NOW + timedelta(days=DAYS - 1)) == 0
    assert _run(database, NOW + timedelta(days=DAYS, hours=1)) == 1
    assert len(_reminders(database, mentor.id)) == 2


def test_recent_met_yes_means_no_reminder(database: Database) -> None:
    with database.transaction() as db:
        met_recently, _, _ = _pair(db, mentor_name="A")
        _met(db, met_recently.id or 0, True, days_ago=3)
        said_no, _, _ = _pair(db, mentor_name="B")
        _met(db, said_no.id or 0, False, days_ago=3)
        met_long_ago, _, _ = _pair(db, mentor_name="C")
        _met(db, met_long_ago.id or 0, True, days_ago=DAYS + 2)
    assert _run(database) == 2
    assert {m.person_id for m in _reminders(database)} == {said_no.id, met_long_ago.id}


def test_quiet_hours_skip_and_a_later_run_sends(database: Database) -> None:
    with database.transaction() as db:
        _pair(db)
    late_evening = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # 22:00 in New York
    assert _run(database, late_evening) == 0
    assert _run(database, late_evening + timedelta(hours=4)) == 0  # 02:00
    assert _run(database, late_evening + timedelta(hours=10)) == 1  # 08:00
    with database.transaction() as db:
        tokyo, _, _ = _pair(db, mentor_name="Kenji")
        person = db.get(Person, tokyo.id)
        assert person is not None
        person.timezone = "Asia/Tokyo"
    assert _run(database, NOW) == 0  # 17:00 UTC is 02:00 in Tokyo: the mentor's own clock


def test_unusable_contacts_inactive_mentors_and_ended_pairings_are_skipped(
    database: Database,
) -> None:
    with database.transaction() as db:
        _, _, opted_out = _pair(db, mentor_name="A")
        opted_out.opted_out = True
        _, _, unreachable = _pair(db, mentor_name="B")
        unreachable.unreachable = True
        _, _, no_consent = _pair(db, mentor_name="C", channel=Channel.sms)
        no_consent.consent_at = None
        paused, _, _ = _pair(db, mentor_name="D")
        paused.status = PersonStatus.paused
        ended, _, _ = _pair(db, mentor_name="E")
        for pairing in db.exec(select(Pairing).where(Pairing.mentor_id == ended.id)).all():
            pairing.active_until = NOW - timedelta(days=1)
        sms_ok, _, sms_contact = _pair(db, mentor_name="F", channel=Channel.sms)
    assert _run(database) == 1
    [msg] = _reminders(database)
    assert msg.person_id == sms_ok.id and msg.channel == Channel.sms
    assert msg.address == sms_contact.address


def test_contact_of_the_latest_session_is_preferred(database: Database) -> None:
    with database.transaction() as db:
        mentor, _, telegram = _pair(db)
        assert mentor.id is not None
        people.add_contact(db, mentor.id, Channel.sms, "+15555550100", consent_at=NOW)
        both, _, _ = _pair(db, mentor_name="Ines")
        assert both.id is not None
        people.add_contact(db, both.id, Channel.sms, "+15555550101", consent_at=NOW)
        sessions.add_session(db, person_id=mentor.id, flow_id="mentor_checkin",
                             now=NOW - timedelta(days=30), channel=Channel.sms,
                             address="+15555550100")
    assert _run(database) == 2
    by_person = {m.person_id: m for m in _reminders(database)}
    assert by_person[mentor.id].channel == Channel.sms
    assert by_person[both.id].channel == Channel.telegram  # no session: telegram first
    assert telegram.channel == Channel.telegram


def test_program_override_and_spanish(database: Database) -> None:
    with database.transaction() as db:
        mentor, _, _ = _pair(db, paired_days_ago=5, program_name="Casa", language="es",
                             mentor_name="Rosa María")
        program = db.get(Program, mentor.program_id)
        assert program is not None
        program.settings["mentor_reminder_after_days"] = 3
        _pair(db, paired_days_ago=5, mentor_name="Other")  # Hope House: default 14 days
    assert _run(database) == 1
    [msg] = _reminders(database)
    assert msg.person_id == mentor.id
    assert msg.body is not None and msg.body.startswith("Hola Rosa, un recordatorio de Casa")


def test_limit_per_run(database: Database) -> None:
    with database.transaction() as db:
        for name in ("A", "B", "C"):
            _pair(db, mentor_name=name)
    assert _run(database, limit=2, page=1) == 2
    assert _run(database, limit=2, page=1) == 1
    assert _run(database, limit=2, page=1) == 0


# ---- privacy: nothing a mentee said, nor their name, ever reaches a mentor --------------------

_word = st.text(alphabet=string.ascii_letters + "áéíñü ", min_size=6, max_size=40).map(str.strip)
_secret = _word.filter(lambda s: len(s) >= 6)
_mentee = st.tuples(_secret, st.lists(_secret, min_size=1, max_size=4))  # (name, answers)
_scenario = st.lists(
    st.tuples(st.sampled_from(["Marco", "Rosa María", "Kim"]), st.sampled_from(["en", "es"]),
              st.lists(_mentee, min_size=1, max_size=3)),
    min_size=1, max_size=3,
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=_scenario)
def test_reminders_never_contain_a_mentees_words_or_name(
    database: Database, scenario: list[tuple[str, str, list[tuple[str, list[str]]]]],
) -> None:
    run = next(_ids)
    program_name = f"Program {run}"
    secrets: set[str] = set()
    mentor_ids: set[int] = set()
    with database.transaction() as db:
        for mentor_name, language, mentees in scenario:
            n = next(_ids)
            mentor = enrol(db, Role.mentor, mentor_name, channel=Channel.telegram,
                           address=f"pm{n}", program_name=program_name, language=language)
            assert mentor.id is not None and mentor.program_id is not None
            mentor_ids.add(mentor.id)
            for i, (mentee_name, answers) in enumerate(mentees):
                mentee = enrol(db, Role.mentee, mentee_name, channel=Channel.telegram,
                               address=f"pe{n}-{i}", program_name=program_name)
                assert mentee.id is not None
                people.add_pairing(db, mentor.id, mentee.id, NOW - timedelta(days=30))
                row = sessions.add_session(db, person_id=mentee.id, flow_id="mentee_checkin",
                                           now=NOW - timedelta(days=2))
                assert row.id is not None
                for answer in answers:
                    sessions.add_answer(db, session_id=row.id, person_id=mentee.id,
                                        key="anything_else", raw_text=answer, value=answer,
                                        now=NOW - timedelta(days=2))
                escalations.add_or_merge_escalation(
                    db, program_id=mentor.program_id, person_id=mentee.id, session_id=row.id,
                    level="concern", reasons=["pressured"],
                    evidence=[f"anything_else: {a}" for a in answers], now=NOW, due_at=NOW,
                    about_mentor_id=mentor.id)
                secrets.add(mentee_name)
                secrets.update(answers)
    # A secret that is part of what the reminder says anyway proves nothing either way.
    innocent = " ".join([*REMINDER_TEXT.values(), program_name, "Marco Rosa María Kim"])
    secrets = {s for s in secrets if s.casefold() not in innocent.casefold()}

    assert _run(database) == len(scenario)
    with database.transaction() as db:
        to_mentors = db.exec(select(Message).where(
            Message.direction == Direction.outbound, col(Message.person_id).in_(mentor_ids),
        )).all()
    assert len(to_mentors) == len(scenario)
    for msg in to_mentors:
        assert msg.body is not None
        for secret in secrets:
            assert secret.casefold() not in msg.body.casefold()
