"""Answers per sender outside a check-in (issue 21, "abuse and cost"): a stranger's sentence
once a day, HELP three times an hour, nothing to an auto-responder; never a limit on safety nor
on a check-in's replies. Signed posts to our webhook on loopback, the real twilio client against
FakeTwilio, SQLite and PostgreSQL."""
# The rig fixtures are imported from test_twilio; their parameters "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot import sender_limits, texts
from storage.models import (
    AuditEvent,
    Channel,
    CheckinSession,
    Escalation,
    Lane,
    Message,
    Role,
    SessionStatus,
)
from storage.queries import people
from tests.bot.helpers import NOW, enrol, outbox
from tests.bot.test_twilio import (  # noqa: F401  (fixtures)
    MENTEE,
    STRANGER,
    TURN_AT,
    fake,
    fake_server,
    rig,
    send_pending,
    settings_urls,
    start_sms_checkin,
    web,
)
from tests.bot.twilio_fixtures import Rig, clock_at, sms_mentee

SUPERVISOR = "+12025550171"


def at(rig: Rig, when: datetime) -> None:
    rig.ctx.clock = clock_at(when)


def automated_events(db: Session) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(
        AuditEvent.action == sender_limits.AUTOMATED_ACTION).order_by(col(AuditEvent.id))).all())


def supervisor_on_sms(rig: Rig) -> None:
    with rig.ctx.database.transaction() as db:
        staff = enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.sms, address=SUPERVISOR)
        assert staff.id is not None
        people.contacts_for(db, staff.id)[0].consent_at = NOW


# -- a stranger ----------------------------------------------------------------------------------


async def test_thirty_texts_from_a_stranger_in_an_hour_get_one_reply_a_day(rig: Rig) -> None:
    """Before: 30 texts, 30 billed replies."""
    for n in range(30):  # two minutes apart: a person, not a machine
        at(rig, TURN_AT + timedelta(minutes=2 * n))
        assert (await rig.post_sms(STRANGER, f"hello? ({n})")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["unknown_sender"]
        assert automated_events(db) == []
    await send_pending(rig, STRANGER)
    assert rig.fake.bodies_to(STRANGER) == [texts.text("unknown_sender", "en")]
    # The next day, the sentence again (once).
    for n in range(3):
        at(rig, TURN_AT + timedelta(days=1, minutes=n))
        assert (await rig.post_sms(STRANGER, "anyone?")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["unknown_sender"] * 2


async def test_a_stranger_in_crisis_past_every_limit_still_gets_the_crisis_message(
    rig: Rig,
) -> None:
    supervisor_on_sms(rig)
    for n in range(30):  # all at once: past the day's sentence and looking like a machine
        assert (await rig.post_sms(STRANGER, f"hi {n}")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["unknown_sender"]
        [event] = automated_events(db)
        assert (event.detail["reason"], event.detail["unknown_sender"]) == ("rate", True)
        assert STRANGER not in str(event.detail)  # masked, as the Delivery page shows it
    assert (await rig.post_sms(STRANGER, "i want to die")).status_code == 200
    with rig.ctx.database.transaction() as db:
        crisis = outbox(db, STRANGER)[-1]
        assert (crisis.kind, crisis.lane) == ("crisis", Lane.urgent)
        assert texts.text("crisis", "en") in (crisis.body or "")
        [esc] = db.exec(select(Escalation)).all()
        assert (esc.sender_address, esc.level) == (STRANGER, "urgent")
        assert [m.kind for m in outbox(db, SUPERVISOR)] == ["alert"]


async def test_help_ten_times_from_a_stranger_gets_three_answers_an_hour(rig: Rig) -> None:
    for _ in range(10):
        assert (await rig.post_sms(STRANGER, "HELP")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["help"] * 3
        assert automated_events(db) == []  # ten in a minute is a person's pace
    await send_pending(rig, STRANGER)
    assert rig.fake.bodies_to(STRANGER) == [texts.text("generic_help", "en")] * 3
    at(rig, TURN_AT + timedelta(hours=1, minutes=1))
    assert (await rig.post_sms(STRANGER, "HELP")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["help"] * 4


# -- enrolled people -----------------------------------------------------------------------------


async def test_help_ten_times_from_a_mentee_outside_a_check_in_gets_three_answers(
    rig: Rig,
) -> None:
    with rig.ctx.database.transaction() as db:
        sms_mentee(db, MENTEE)
    for n in range(10):
        at(rig, TURN_AT + timedelta(minutes=3 * n))  # spread out: the HELP limit, not a machine
        assert (await rig.post_sms(MENTEE, "HELP")).status_code == 200
    with rig.ctx.database.transaction() as db:
        kinds = [m.kind for m in outbox(db, MENTEE)]
        assert kinds == ["help"] * 3


async def test_an_auto_responder_loop_ends_with_one_audit_event(rig: Rig) -> None:
    """A mentee's phone answers every text with the same away message, and we answered every
    away message with "no open check-in": a loop without end. Now the fifth identical text in
    ten minutes gets nothing, which ends it; the burst is audited once."""
    with rig.ctx.database.transaction() as db:
        person, contact = sms_mentee(db, MENTEE)
    away = "I'm driving right now, I'll get back to you later. (Auto-reply)"
    answered = []
    for n in range(12):
        at(rig, TURN_AT + timedelta(seconds=30 * n))
        assert (await rig.post_sms(MENTEE, away)).status_code == 200
        answered.append(len(await send_pending(rig, MENTEE)))
    assert answered == [1, 1, 1, 1] + [0] * 8
    assert rig.fake.bodies_to(MENTEE) == [texts.text("no_open_checkin", "en")] * 4
    with rig.ctx.database.transaction() as db:
        [event] = automated_events(db)
        assert (event.subject_type, event.subject_id) == ("contact_point", contact.id)
        assert event.detail["reason"] == "identical"
        assert event.detail["messages"] == sender_limits.IDENTICAL_IN_BURST
        assert event.detail["person_id"] == person.id
        assert MENTEE not in str(event.detail) and away not in str(event.detail)
    # Words of danger from that phone are still answered, and staff told.
    assert (await rig.post_sms(MENTEE, "i want to die")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert outbox(db, MENTEE)[-1].kind == "crisis"
        assert db.exec(select(Escalation)).first() is not None
    # Quiet for ten minutes: the person is answered again.
    at(rig, TURN_AT + timedelta(minutes=30))
    assert (await rig.post_sms(MENTEE, "hello, are you there?")).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert outbox(db, MENTEE)[-1].kind == "info"


async def test_a_supervisors_out_of_office_loop_ends_but_their_commands_still_act(
    rig: Rig,
) -> None:
    supervisor_on_sms(rig)
    out_of_office = "Out of office until Monday. For urgent matters call the front desk."
    for _ in range(8):
        assert (await rig.post_sms(SUPERVISOR, out_of_office)).status_code == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, SUPERVISOR)] == ["staff_reply"] * 4
        assert len(automated_events(db)) == 1


async def test_a_mentee_mid_check_in_gets_every_reply(rig: Rig) -> None:
    """Twenty identical HELPs in one minute: outside a check-in that is a machine and three
    HELPs too many; inside one, every reply is answered."""
    session_id = start_sms_checkin(rig)
    for _ in range(20):
        assert (await rig.post_sms(MENTEE, "help")).status_code == 200
    with rig.ctx.database.transaction() as db:
        replies = [m for m in outbox(db, MENTEE) if m.kind != "question"]
        assert [m.kind for m in replies] == ["help"] * 20
        assert all(m.session_id == session_id for m in replies)
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.status == SessionStatus.active
        assert automated_events(db) == []


async def test_a_mentee_answering_a_check_in_fast_gets_every_question(rig: Rig) -> None:
    """Answers typed quickly, the same digit each time: each one gets the next question."""
    session_id = start_sms_checkin(rig)
    for _ in range(20):
        with rig.ctx.database.transaction() as db:
            row = db.get(CheckinSession, session_id)
            assert row is not None
            if row.status != SessionStatus.active:
                break
            before = len(outbox(db, MENTEE))
        assert (await rig.post_sms(MENTEE, "3")).status_code == 200
        with rig.ctx.database.transaction() as db:
            assert len(outbox(db, MENTEE)) > before  # answered, every time
    with rig.ctx.database.transaction() as db:
        sent = db.exec(select(Message).where(Message.session_id == session_id)).all()
        assert any(m.kind == "closing" for m in sent)
        assert automated_events(db) == []


# -- the rules themselves ------------------------------------------------------------------------


def test_what_looks_automated() -> None:
    now = TURN_AT

    def rows(*items: tuple[int, str | None]) -> list[tuple[datetime, str | None]]:
        return [(now - timedelta(seconds=s), b) for s, b in items]

    same = "Auto-reply: away"
    assert sender_limits.burst_in(rows(*[(60 * n, same) for n in range(4)]), now) is None
    assert sender_limits.burst_in(rows(*[(60 * n, same) for n in range(5)]), now) == \
        sender_limits.Burst("identical", 5)
    # Case and spacing do not make a text another one; ten minutes ago is out of the window.
    assert sender_limits.burst_in(
        rows((0, same), (60, same.upper()), (120, f"  {same} "), (180, same), (700, same)),
        now) is None
    # Pace: more than ten a minute, whatever they say (a stranger's words are not kept).
    assert sender_limits.burst_in(rows(*[(5 * n, None) for n in range(10)]), now) is None
    assert sender_limits.burst_in(rows(*[(5 * n, None) for n in range(11)]), now) == \
        sender_limits.Burst("rate", 11)
    # Five different short answers are a person.
    assert sender_limits.burst_in(rows(*[(30 * n, str(n)) for n in range(5)]), now) is None


def test_a_telegram_stranger_is_answered_once_a_day_and_the_memory_is_bounded() -> None:
    chats = sender_limits.AnsweredChats(most=2)
    assert chats.may_answer("1", TURN_AT)
    assert not chats.may_answer("1", TURN_AT + timedelta(hours=23))
    assert chats.may_answer("1", TURN_AT + timedelta(days=1))
    assert chats.may_answer("2", TURN_AT)
    assert chats.may_answer("3", TURN_AT)  # past `most`: the oldest ("1") is forgotten
    assert chats.may_answer("1", TURN_AT + timedelta(days=1, minutes=1))
    assert not chats.may_answer("3", TURN_AT + timedelta(minutes=1))
