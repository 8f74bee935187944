"""One turn, one transaction: the runner on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.runner import handle_inbound, handle_timer, start_checkin
from bot.settings import load_settings
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Escalation,
    Lane,
    Message,
    MessageStatus,
    Person,
    Role,
    SessionStatus,
)
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol, outbox

FLOWS = load_configured_flows(load_settings())


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def start(database: Database, role: Role = Role.mentee, **kw: object) -> tuple[int, str, int]:
    with database.transaction() as db:
        person = enrol(db, role, "Ana Torres", **kw)  # type: ignore[arg-type]
        assert person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        flow = "mentee_checkin" if role == Role.mentee else "mentor_checkin"
        row = start_checkin(db, FLOWS, person, flow, contact, NOW)
        assert row is not None and row.id is not None
        return person.id, contact.address, row.id


def reply(database: Database, address: str, text: str, n: int, provider_id: str | None = None):
    with database.transaction() as db:
        return handle_inbound(db, FLOWS, channel=Channel.terminal, address=address, text=text,
                              provider_id=provider_id or f"p{n}", now=NOW + timedelta(minutes=n))


def test_whole_checkin_stores_answers_and_queues_every_message(database: Database) -> None:
    _, address, session_id = start(database)
    for n, text in enumerate(["4", "five", "nope", "no"], start=1):
        assert reply(database, address, text, n).outcome == "reply"
    with database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.status == SessionStatus.completed
        assert row.ended_at is not None and row.nudge_at is None and row.expire_at is None
        answers = db.exec(select(Answer).where(Answer.session_id == session_id)).all()
        assert {a.key: a.value for a in answers} == {
            "comfort": 4, "safety": 5, "pressure": False, "anything_else": None,
        }
        assert [a.value_num for a in answers if a.key == "comfort"] == [4.0]
        sent = outbox(db, address)
        assert [m.kind for m in sent] == ["question"] * 4 + ["closing"]
        assert all(m.status == MessageStatus.pending and m.session_id == session_id for m in sent)
        assert db.exec(select(Escalation)).all() == []


def test_safety_one_queues_urgent_escalation_and_crisis_reply_in_the_same_turn(
    database: Database,
) -> None:
    person_id, address, session_id = start(database)
    reply(database, address, "4", 1)
    reply(database, address, "1", 2)
    with database.transaction() as db:
        [esc] = db.exec(select(Escalation)).all()
        assert (esc.level, esc.reasons, esc.person_id, esc.session_id) == (
            "urgent", ["feels_unsafe"], person_id, session_id,
        )
        assert esc.due_at == NOW + timedelta(minutes=2 + 15)
        crisis = [m for m in outbox(db, address) if m.kind == "crisis"]
        assert len(crisis) == 1 and crisis[0].lane == Lane.urgent and crisis[0].priority == 0
        assert "988" in (crisis[0].body or "")
        actions = db.exec(select(AuditEvent.action)).all()
        assert "escalation_raised" in actions


def test_pressure_escalation_names_the_mentor_for_conflict_routing(database: Database) -> None:
    with database.transaction() as db:
        mentor = enrol(db, Role.mentor, "Jordan Lee")
        assert mentor.id is not None
        mentor_id = mentor.id
    person_id, address, _ = start(database)
    with database.transaction() as db:
        people.add_pairing(db, mentor_id, person_id, NOW - timedelta(days=1))
    for n, text in enumerate(["4", "4", "yes"], start=1):
        reply(database, address, text, n)
    with database.transaction() as db:
        [esc] = db.exec(select(Escalation)).all()
        assert esc.reasons == ["pressured"] and esc.about_mentor_id == mentor_id


def test_same_provider_id_is_processed_once(database: Database) -> None:
    _, address, session_id = start(database)
    outcomes = [reply(database, address, "4", 1, provider_id="dup").outcome for _ in range(3)]
    assert outcomes == ["reply", "duplicate", "duplicate"]
    with database.transaction() as db:
        assert len(db.exec(select(Answer)).all()) == 1
        inbound = db.exec(select(Message).where(Message.direction == Direction.inbound)).all()
        assert len(inbound) == 1 and inbound[0].session_id == session_id


def test_a_failed_turn_leaves_no_trace(database: Database) -> None:
    _, address, session_id = start(database)
    with pytest.raises(RuntimeError), database.transaction() as db:
        handle_inbound(db, FLOWS, channel=Channel.terminal, address=address, text="1",
                       provider_id="crash", now=NOW)
        raise RuntimeError("crash after the step, before commit")
    with database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.current_state == "comfort" and row.turn == 1
        assert db.exec(select(Answer)).all() == []
        assert db.exec(select(Message).where(Message.provider_id == "crash")).all() == []
    # The provider retries the same message: now it is processed, exactly once.
    assert reply(database, address, "1", 1, provider_id="crash").outcome == "reply"


def test_stop_opts_out_cancels_queued_sends_and_start_resubscribes(database: Database) -> None:
    _, address, _ = start(database)
    reply(database, address, "STOP", 1)
    with database.transaction() as db:
        contact = people.find_contact(db, Channel.terminal, address)
        assert contact is not None and contact.opted_out
        sent = outbox(db, address)
        assert [(m.kind, m.status) for m in sent] == [
            ("question", MessageStatus.cancelled), ("stopped", MessageStatus.pending),
        ]
    assert reply(database, address, "how are you", 2).outcome == "opted_out"
    with database.transaction() as db:
        assert len(outbox(db, address)) == 2  # nothing more to an opted-out contact
    assert reply(database, address, "start", 3).outcome == "opted_in"
    with database.transaction() as db:
        contact = people.find_contact(db, Channel.terminal, address)
        assert contact is not None and not contact.opted_out
        assert outbox(db, address)[-1].kind == "info"


def test_help_works_without_a_session(database: Database) -> None:
    _, address, _ = start(database)
    reply(database, address, "stop", 1)
    reply(database, address, "start", 2)
    assert reply(database, address, "HELP", 3).outcome == "help"
    with database.transaction() as db:
        assert "STOP" in (outbox(db, address)[-1].body or "")


def test_unknown_sender_gets_one_sentence_and_no_words_are_kept(database: Database) -> None:
    with database.transaction() as db:
        result = handle_inbound(db, FLOWS, channel=Channel.terminal, address="stranger",
                                text="my secret", provider_id="x1", now=NOW)
    assert result.outcome == "unknown_sender"
    with database.transaction() as db:
        inbound = db.exec(select(Message).where(Message.direction == Direction.inbound)).one()
        assert inbound.body is None and inbound.person_id is None
        assert len(outbox(db, "stranger")) == 1


def test_crisis_text_outside_a_session_still_reaches_staff(database: Database) -> None:
    _, address, _ = start(database)
    for n, text in enumerate(["4", "5", "no", "no"], start=1):
        reply(database, address, text, n)
    assert reply(database, address, "i want to kill myself", 9).outcome == "no_session"
    with database.transaction() as db:
        [esc] = db.exec(select(Escalation)).all()
        assert esc.level == "urgent" and esc.session_id is None
        kinds = [m.kind for m in outbox(db, address)][-2:]
        assert kinds == ["crisis", "info"]


def test_opted_out_person_in_danger_raises_escalation_without_messaging(
    database: Database,
) -> None:
    _, address, _ = start(database)
    reply(database, address, "stop", 1)
    reply(database, address, "he is going to kill me", 2)
    with database.transaction() as db:
        [esc] = db.exec(select(Escalation)).all()
        assert esc.level == "urgent"
        assert [m.kind for m in outbox(db, address)] == ["question", "stopped"]


def test_nudge_timer_for_the_current_turn_only(database: Database) -> None:
    _, address, session_id = start(database)
    with database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.nudge_at == NOW + timedelta(hours=4)
        assert handle_timer(db, FLOWS, row, "nudge", row.turn - 1, NOW) is not None
        assert [m.kind for m in outbox(db, address)] == ["question"]
        handle_timer(db, FLOWS, row, "nudge", row.turn, NOW + timedelta(hours=4))
        assert [m.kind for m in outbox(db, address)] == ["question", "nudge"]
        assert row.nudge_at is None and row.expire_at == NOW + timedelta(hours=24)


def test_no_second_session_while_one_is_active(database: Database) -> None:
    person_id, address, _ = start(database)
    with database.transaction() as db:
        person = db.get(Person, person_id)
        assert person is not None
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == address)).one()
        assert start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW) is None
        assert len(db.exec(select(CheckinSession).where(
            col(CheckinSession.person_id) == person_id)).all()) == 1


def test_a_nudge_that_would_land_in_quiet_hours_waits_for_the_morning(database: Database) -> None:
    # Early March, New York is on EST (UTC-5). A check-in started at 19:00 local (00:00 UTC)
    # would be nudged at 23:00 local, inside 21:00-08:00: it moves to 08:00 local (13:00 UTC).
    evening = NOW.replace(hour=0) + timedelta(days=1)
    with database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres")
        assert person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, evening)
        assert row is not None
        assert row.nudge_at == evening.replace(hour=13)
        assert row.expire_at == evening + timedelta(hours=24)


def test_missed_in_a_row_and_falling_scores_reach_staff_as_watch_items(database: Database) -> None:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres")
        assert person.id is not None
        person_id = person.id
    when = NOW
    for _ in range(2):  # two check-ins expire unanswered
        with database.transaction() as db:
            person = db.get(Person, person_id)
            assert person is not None
            contact = people.contacts_for(db, person_id)[0]
            row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, when)
            assert row is not None and row.expire_at is not None
            handle_timer(db, FLOWS, row, "expire", row.turn, row.expire_at)
        when += timedelta(days=7)
    with database.transaction() as db:
        watches = db.exec(select(Escalation).where(Escalation.level == "watch")).all()
        assert [w.reasons for w in watches] == [["missed_checkins"]]
    address = f"person-{person_id}"
    for week, safety in enumerate(["5", "5", "1"]):
        with database.transaction() as db:
            person = db.get(Person, person_id)
            assert person is not None
            contact = people.contacts_for(db, person_id)[0]
            start_checkin(db, FLOWS, person, "mentee_checkin", contact, when)
        for n, text in enumerate(["4", safety, "no", "no", "no"]):
            reply(database, address, text, 100 * week + n)
        when += timedelta(days=7)
    with database.transaction() as db:
        reasons = [e.reasons for e in db.exec(select(Escalation)).all()]
        assert ["falling_safety"] in reasons


def test_supervisor_acks_from_the_phone_once(database: Database) -> None:
    _, address, _ = start(database)
    reply(database, address, "4", 1)
    reply(database, address, "1", 2)  # urgent escalation
    with database.transaction() as db:
        supervisor = enrol(db, Role.supervisor, "Sam Rivera")
        sup_address = f"person-{supervisor.id}"
        [esc] = db.exec(select(Escalation)).all()
        esc_id = esc.id
    for _ in range(2):  # the provider delivers the same ACK twice
        with database.transaction() as db:
            result = handle_inbound(db, FLOWS, channel=Channel.terminal, address=sup_address,
                                    text=f"ACK {esc_id}", provider_id="ack-1", now=NOW)
    assert result.outcome == "duplicate"
    with database.transaction() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None and esc.status == "acknowledged" and esc.next_alert_at is None
        [answer] = outbox(db, sup_address)
        assert answer.lane == Lane.urgent and f"#{esc_id}" in (answer.body or "")
        body = answer.body or ""
        assert "safety" not in body and "Ana" not in body  # initials only, no answers


def test_a_supervisors_yes_by_sms_is_consent_then_commands_work(database: Database) -> None:
    with database.transaction() as db:
        enrol(db, Role.supervisor, "Rosa Diaz", channel=Channel.sms, address="+13125550188")

    def sms(text: str, n: int) -> str:
        with database.transaction() as db:
            return handle_inbound(db, FLOWS, channel=Channel.sms, address="+13125550188",
                                  text=text, provider_id=f"rosa-{n}", now=NOW).outcome

    assert sms("yes", 1) == "consent_given"  # not "Not a command"
    with database.transaction() as db:
        contact = people.find_contact(db, Channel.sms, "+13125550188")
        assert contact is not None and contact.consent_at == NOW
    assert sms("QUEUE", 2) == "staff"
