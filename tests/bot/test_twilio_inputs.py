"""Every input Twilio can send is read (issue 21, "Inputs"): its own opt-out detection
(``OptOutType``), a STOP from a number enrolled nowhere, half an emoji in a body. Signed posts
to our webhook served on loopback, the real twilio client against FakeTwilio, SQLite and
PostgreSQL."""
# The rig fixtures are imported from test_twilio; their parameters "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlmodel import Session, col, select

from bot import texts
from storage.models import (
    AuditEvent,
    Channel,
    CheckinSession,
    Escalation,
    Lane,
    MessageStatus,
    Role,
    SessionStatus,
)
from storage.queries import people
from tests.bot.helpers import NOW, enrol, outbox
from tests.bot.test_twilio import (  # noqa: F401  (fixtures)
    MENTEE,
    STRANGER,
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
from tests.bot.twilio_fixtures import OUR_NUMBER, SMS_PATH, Rig, sms_mentee
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_AUTH_TOKEN,
    inbound_sms_form,
    new_message_sid,
    sign,
)

SUPERVISOR = "+12025550171"


async def post_sms(rig: Rig, from_: str, body: str, opt_out_type: str | None = None) -> int:
    form = inbound_sms_form(new_message_sid(), from_, OUR_NUMBER, body)
    if opt_out_type is not None:
        form["OptOutType"] = opt_out_type  # Twilio's Advanced Opt-Out recognised a keyword
    return (await rig.post_signed(SMS_PATH, form)).status_code


def kinds(db: Session, address: str) -> list[tuple[str, MessageStatus]]:
    return [(m.kind, m.status) for m in outbox(db, address)]


def escalations(db: Session) -> list[Escalation]:
    return list(db.exec(select(Escalation).order_by(col(Escalation.id))).all())


def supervisor_on_sms(rig: Rig) -> None:
    with rig.ctx.database.transaction() as db:
        staff = enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.sms, address=SUPERVISOR)
        assert staff.id is not None
        people.contacts_for(db, staff.id)[0].consent_at = NOW


# -- OptOutType ----------------------------------------------------------------------------------


async def test_opt_out_type_stop_inside_a_check_in_opts_out_whatever_the_body_says(
    rig: Rig,
) -> None:
    """"ARRET" is no word of ours, but Twilio recognised it and now refuses to send to the
    number: we agree with it (before: "ARRET" was read as an answer and re-asked)."""
    session_id = start_sms_checkin(rig)
    assert await post_sms(rig, MENTEE, "ARRET", opt_out_type="STOP") == 200
    with rig.ctx.database.transaction() as db:
        assert contact_of(db, MENTEE).opted_out
        assert kinds(db, MENTEE) == [("question", MessageStatus.cancelled),
                                     ("stopped", MessageStatus.pending)]
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.status == SessionStatus.stopped
        assert [m.body for m in inbound_rows(db)] == ["STOP"]


async def test_opt_out_type_stop_and_start_outside_a_check_in(rig: Rig) -> None:
    with rig.ctx.database.transaction() as db:
        sms_mentee(db, MENTEE)
    assert await post_sms(rig, MENTEE, "Arrêt", opt_out_type="STOP") == 200
    with rig.ctx.database.transaction() as db:
        assert contact_of(db, MENTEE).opted_out
        assert kinds(db, MENTEE) == [("stopped", MessageStatus.pending)]
    assert await post_sms(rig, MENTEE, "REPRENDRE", opt_out_type="START") == 200
    with rig.ctx.database.transaction() as db:
        assert not contact_of(db, MENTEE).opted_out
        last = outbox(db, MENTEE)[-1]
        assert (last.kind, last.body) == ("info", texts.text("started", "en"))


async def test_opt_out_type_help_gets_the_help(rig: Rig) -> None:
    with rig.ctx.database.transaction() as db:
        sms_mentee(db, MENTEE)
    assert await post_sms(rig, MENTEE, "AIDE", opt_out_type="HELP") == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, MENTEE)] == ["help"]
        assert not contact_of(db, MENTEE).opted_out


async def test_a_body_we_read_as_the_same_keyword_is_kept_as_written(rig: Rig) -> None:
    with rig.ctx.database.transaction() as db:
        sms_mentee(db, MENTEE)
    assert await post_sms(rig, MENTEE, "Stop.", opt_out_type="STOP") == 200
    with rig.ctx.database.transaction() as db:
        assert contact_of(db, MENTEE).opted_out
        assert [m.body for m in inbound_rows(db)] == ["Stop."]


# -- STOP from a number enrolled nowhere -----------------------------------------------------------


async def test_stop_from_an_unknown_number_is_confirmed_and_remembered(rig: Rig) -> None:
    """Before: "This number is for enrolled program members only", and every later message
    got that sentence again."""
    supervisor_on_sms(rig)
    assert await post_sms(rig, STRANGER, "STOP") == 200
    with rig.ctx.database.transaction() as db:
        [confirmation] = outbox(db, STRANGER)
        assert (confirmation.kind, confirmation.body, confirmation.person_id) == (
            "stopped", texts.text("stopped_unknown", "en"), None)
        [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "opted_out")).all()
        assert STRANGER not in str(event.detail)
    await send_pending(rig, STRANGER)
    assert rig.fake.bodies_to(STRANGER) == [texts.text("stopped_unknown", "en")]

    # Nothing else goes to that number: not the usual sentence, not a second confirmation, not
    # even the crisis message (staff are told).
    for body in ["hello?", "stop", "i want to kill myself tonight"]:
        assert await post_sms(rig, STRANGER, body) == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["stopped"]
        assert [e.sender_address for e in escalations(db)] == [STRANGER]
        assert [m.kind for m in outbox(db, SUPERVISOR)] == ["alert"]
        assert len(inbound_rows(db)) == 4

    # HELP is answered for anyone; START lifts the block.
    assert await post_sms(rig, STRANGER, "HELP") == 200
    assert await post_sms(rig, STRANGER, "START") == 200
    assert await post_sms(rig, STRANGER, "hello?") == 200
    with rig.ctx.database.transaction() as db:
        assert [(m.kind, m.body) for m in outbox(db, STRANGER)][1:] == [
            ("help", texts.text("generic_help", "en")),
            ("started", texts.text("unknown_sender", "en")),
            ("unknown_sender", texts.text("unknown_sender", "en")),
        ]


async def test_a_number_that_said_stop_stays_opted_out_when_enrolled(rig: Rig) -> None:
    assert await post_sms(rig, STRANGER, "STOP") == 200
    with rig.ctx.database.transaction() as db:
        _, contact = sms_mentee(db, STRANGER)
        assert contact.opted_out and contact.opted_out_at is not None
    # Their START is what lifts it, as for anyone enrolled.
    assert await post_sms(rig, STRANGER, "START") == 200
    with rig.ctx.database.transaction() as db:
        assert not contact_of(db, STRANGER).opted_out


async def test_a_number_that_said_start_after_stop_is_enrolled_opted_in(rig: Rig) -> None:
    for body in ["STOP", "START"]:
        assert await post_sms(rig, STRANGER, body) == 200
    with rig.ctx.database.transaction() as db:
        _, contact = sms_mentee(db, STRANGER)
        assert not contact.opted_out


async def test_stop_from_an_unknown_number_by_opt_out_type(rig: Rig) -> None:
    assert await post_sms(rig, STRANGER, "ARRET", opt_out_type="STOP") == 200
    with rig.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, STRANGER)] == ["stopped"]


# -- half an emoji ---------------------------------------------------------------------------------


async def test_a_body_with_half_an_emoji_is_stored_screened_and_answered(rig: Rig) -> None:
    """A lone surrogate percent-encoded as a careless UTF-16 to UTF-8 conversion writes it
    (%ED%A0%BD). Our form parser reads undecodable bytes as U+FFFD, so the message arrives
    whole; the signature is computed over the form as we read it."""
    with rig.ctx.database.transaction() as db:
        person, _ = sms_mentee(db, MENTEE)
    form = inbound_sms_form(new_message_sid(), MENTEE, OUR_NUMBER, "x")
    form["Body"] = "\ud83d i want to die"
    content = urlencode(form, errors="surrogatepass")
    assert "%ED%A0%BD" in content
    read = dict(parse_qsl(content, keep_blank_values=True))
    url = rig.public_url + SMS_PATH
    response = await rig.http.post(url, content=content, headers={
        SIGNATURE_HEADER: sign(url, read, TEST_AUTH_TOKEN),
        "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    with rig.ctx.database.transaction() as db:
        [esc] = escalations(db)
        assert (esc.person_id, esc.level) == (person.id, "urgent")
        crisis = [m for m in outbox(db, MENTEE) if m.kind == "crisis"]
        assert len(crisis) == 1 and crisis[0].lane == Lane.urgent
        [stored] = inbound_rows(db)
        assert stored.body is not None and stored.body.endswith(" i want to die")
        assert "\ufffd" in stored.body
