"""SMS words are read whoever sends them (issue 18, points 7-9): MMS text, an unknown number
in crisis, and a number marked unreachable writing in again. Signed posts to our webhook
served on loopback, the real twilio client against FakeTwilio, SQLite and PostgreSQL."""
# The rig fixtures are imported from test_twilio; their parameters "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot import texts
from bot.escalation import lifecycle
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    ContactPoint,
    Escalation,
    Lane,
    Message,
    MessageStatus,
    Role,
)
from storage.queries import people
from tests.bot.helpers import NOW, enrol, outbox
from tests.bot.test_twilio import (  # noqa: F401  (fixtures)
    MENTEE,
    STRANGER,
    TURN_AT,
    contact_of,
    fake,
    fake_server,
    inbound_rows,
    rig,
    send_pending,
    settings_urls,
    start_sms_checkin,
    web,
)
from tests.bot.twilio_fixtures import OUR_NUMBER, SMS_PATH, Rig, clock_at, sms_mentee
from tests.fakes.twilio_api import inbound_mms_form, new_message_sid

SUICIDAL = {"en": "i dont want to live anymore", "es": "ya no quiero vivir"}
SUPERVISORS = {"Hope House": "+12025550171", "Riverside Unit": "+12025550172"}


async def post_mms(rig: Rig, from_: str, body: str, media: list[str] | None = None) -> int:
    form = inbound_mms_form(new_message_sid(), from_, OUR_NUMBER, body, media)
    return (await rig.post_signed(SMS_PATH, form)).status_code


def escalations(db: Session) -> list[Escalation]:
    return list(db.exec(select(Escalation).order_by(col(Escalation.id))).all())


def staff_on_sms(rig: Rig) -> dict[str, int]:
    """A supervisor who agreed to SMS alerts in each of two programs; program ids by name."""
    ids: dict[str, int] = {}
    with rig.ctx.database.transaction() as db:
        for program, phone in SUPERVISORS.items():
            staff = enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.sms, address=phone,
                          program_name=program)
            assert staff.id is not None
            people.contacts_for(db, staff.id)[0].consent_at = NOW
            ids[program] = staff.program_id
    return ids


# -- MMS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["4", "four"])
async def test_the_words_of_an_mms_answer_the_question(rig: Rig, body: str) -> None:
    session_id = start_sms_checkin(rig)
    assert await post_mms(rig, MENTEE, body, ["image/jpeg", "image/png"]) == 200
    with rig.ctx.database.transaction() as db:
        [answer] = db.exec(select(Answer).where(Answer.session_id == session_id)).all()
        assert (answer.key, answer.value) == ("comfort", 4)
        assert [m.body for m in inbound_rows(db)] == [body]


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_words_of_an_mms_are_screened(rig: Rig, language: str) -> None:
    with rig.ctx.database.transaction() as db:
        person, _ = sms_mentee(db, MENTEE)
        person.language = language
    assert await post_mms(rig, MENTEE, SUICIDAL[language]) == 200
    with rig.ctx.database.transaction() as db:
        [esc] = escalations(db)
        assert (esc.person_id, esc.level) == (person.id, "urgent")
        crisis = [m for m in outbox(db, MENTEE) if m.kind == "crisis"]
        assert len(crisis) == 1 and texts.text("crisis", language) in (crisis[0].body or "")


async def test_an_mms_without_words_gets_the_usual_reply(rig: Rig) -> None:
    start_sms_checkin(rig)
    assert await post_mms(rig, MENTEE, "") == 200
    with rig.ctx.database.transaction() as db:
        assert escalations(db) == []
        assert [m.kind for m in outbox(db, MENTEE)] == ["question", "reprompt"]


# -- an unknown number -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_unknown_number_in_crisis_gets_the_crisis_message_and_staff_are_told(
    rig: Rig, language: str
) -> None:
    programs = staff_on_sms(rig)
    with rig.ctx.database.transaction() as db:  # a program on Telegram only shares no number
        enrol(db, Role.supervisor, "Kim Lee", channel=Channel.telegram, address="8001",
              program_name="Telegram Only")
    assert (await rig.post_sms(STRANGER, SUICIDAL[language])).status_code == 200
    with rig.ctx.database.transaction() as db:
        found = escalations(db)
        assert sorted(e.program_id for e in found) == sorted(programs.values())
        for esc in found:
            assert (esc.person_id, esc.sender_channel, esc.sender_address, esc.level) == (
                None, "sms", STRANGER, "urgent")
            assert esc.reasons == ["suicide_self_harm"]
        # No consent asked of a stranger: the crisis message answers their own message.
        [crisis] = outbox(db, STRANGER)
        assert (crisis.kind, crisis.lane) == ("crisis", Lane.urgent)
        assert crisis.body == (f"{texts.text('crisis', language)} "
                               f"{texts.text('staff_told_unknown', language)}")
        for phone in SUPERVISORS.values():
            [alert] = outbox(db, phone)
            assert alert.kind == "alert" and alert.lane == Lane.urgent
            assert "unknown sender" in (alert.body or "")
            assert STRANGER not in (alert.body or "") and STRANGER[-4:] not in (alert.body or "")
        assert [(m.body, m.person_id) for m in inbound_rows(db)] == [(SUICIDAL[language], None)]
        raised = db.exec(select(AuditEvent).where(AuditEvent.action == "escalation_raised")).all()
        assert len(raised) == 2 and all(STRANGER not in str(e.detail) for e in raised)


@pytest.mark.parametrize("body", ["hi who is this", "HELP", "quiero ayuda con mi tarea"])
async def test_an_unknown_number_not_in_crisis_gets_todays_reply(rig: Rig, body: str) -> None:
    staff_on_sms(rig)
    assert (await rig.post_sms(STRANGER, body)).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert escalations(db) == []
        [reply] = outbox(db, STRANGER)
        expected = "generic_help" if body == "HELP" else "unknown_sender"
        assert reply.body == texts.text(expected, "en") and reply.lane == Lane.routine
        assert [m.body for m in inbound_rows(db)] == [None]  # no words kept


async def test_a_stranger_gets_one_crisis_reply_per_ten_minutes_and_new_news_after_ack(
    rig: Rig,
) -> None:
    programs = staff_on_sms(rig)
    for minutes in (0, 5):
        rig.ctx.clock = clock_at(TURN_AT + timedelta(minutes=minutes))
        assert (await rig.post_sms(STRANGER, SUICIDAL["en"])).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["crisis"]
        assert len(escalations(db)) == 2  # merged: one per program, nobody has acted yet
        first = next(e for e in escalations(db) if e.program_id == programs["Hope House"])
        assert first.id is not None
        lifecycle.acknowledge(db, first.id, actor="cli", by_person_id=None,
                              now=TURN_AT + timedelta(minutes=6))

    rig.ctx.clock = clock_at(TURN_AT + timedelta(minutes=11))
    assert (await rig.post_sms(STRANGER, SUICIDAL["es"])).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["crisis", "crisis"]
        assert texts.text("crisis", "es") in (outbox(db, STRANGER)[1].body or "")
        by_program = [(e.program_id, e.status.value) for e in escalations(db)]
        # Hope House's was acknowledged: the new message is new news there. Riverside's is
        # still open and unacknowledged: merged.
        assert sorted(by_program) == sorted([
            (programs["Hope House"], "acknowledged"), (programs["Riverside Unit"], "open"),
            (programs["Hope House"], "open")])


async def test_a_redelivered_message_from_a_stranger_in_crisis_is_one_turn(rig: Rig) -> None:
    staff_on_sms(rig)
    sid = new_message_sid()
    for _ in range(2):
        assert (await rig.post_sms(STRANGER, SUICIDAL["en"], sid=sid)).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert len(escalations(db)) == 2 and len(outbox(db, STRANGER)) == 1
        assert len(inbound_rows(db)) == 1


# -- unreachable, then writing in ---------------------------------------------------------------


async def mark_unreachable_by_twilio(rig: Rig, address: str) -> None:
    """Deliver what is pending to ``address`` and have Twilio report 30003 for it."""
    for sid in await send_pending(rig, address):
        url, form, headers = rig.fake.status_callback_request(sid, "undelivered", 30003)
        assert (await rig.http.post(url, data=form, headers=headers)).status_code == 204
    with rig.ctx.database.transaction() as db:
        assert contact_of(db, address).unreachable


@pytest.mark.parametrize(("language", "answer"), [("en", "4"), ("es", "cuatro")])
async def test_a_number_marked_unreachable_that_writes_in_is_reachable_again(
    rig: Rig, language: str, answer: str
) -> None:
    start_sms_checkin(rig)
    with rig.ctx.database.transaction() as db:
        people.list_people(db)[0].language = language
    await mark_unreachable_by_twilio(rig, MENTEE)
    assert (await rig.post_sms(MENTEE, answer)).status_code == 200
    with rig.ctx.database.transaction() as db:
        contact = contact_of(db, MENTEE)
        assert not contact.unreachable and contact.unreachable_reason is None
        [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "contact_reachable")).all()
        assert event.subject_id == contact.id
        assert event.detail["previous_reason"].startswith("twilio 30003")
        pending = outbox(db, MENTEE, MessageStatus.pending)
        assert [m.kind for m in pending] == ["question"]  # the next question goes out


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_unreachable_number_in_crisis_gets_the_crisis_message(
    rig: Rig, language: str
) -> None:
    with rig.ctx.database.transaction() as db:
        person, _ = sms_mentee(db, MENTEE)
        person.language = language
        contact = db.exec(select(ContactPoint)).one()
        contact.unreachable, contact.unreachable_reason = True, "twilio 30003: x"
    assert (await rig.post_sms(MENTEE, SUICIDAL[language])).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, MENTEE)] == ["crisis", "info"]
        assert not contact_of(db, MENTEE).unreachable


async def test_an_unreachable_supervisor_gets_the_confirmation_of_their_ack(rig: Rig) -> None:
    programs = staff_on_sms(rig)
    assert (await rig.post_sms(STRANGER, SUICIDAL["en"])).status_code == 200
    phone = SUPERVISORS["Hope House"]
    with rig.ctx.database.transaction() as db:
        esc = next(e for e in escalations(db) if e.program_id == programs["Hope House"])
    await mark_unreachable_by_twilio(rig, phone)
    assert (await rig.post_sms(phone, f"ACK {esc.id}")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert not contact_of(db, phone).unreachable
        reply = outbox(db, phone)[-1]
        assert (reply.kind, reply.status, reply.lane) == ("staff_reply", MessageStatus.pending,
                                                          Lane.urgent)
        assert f"#{esc.id}" in (reply.body or "")
        acked = db.get(Escalation, esc.id)
        assert acked is not None and acked.status.value == "acknowledged"
        alerts = db.exec(select(Message).where(Message.kind == "alert")).all()
        assert all(STRANGER not in (a.body or "") for a in alerts)
