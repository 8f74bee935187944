"""Every word a Telegram user sends is read: captions, edits, strangers in crisis, and a chat
that was marked unreachable writing in again (issue 18, points 7-9). The real
python-telegram-bot against FakeTelegram, updates posted to our webhook with the secret, on
SQLite and PostgreSQL."""
# The served-bot fixtures are imported from test_telegram; their parameters "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from bot import texts
from bot.channels.telegram.adapter import ALLOWED_UPDATES
from bot.channels.telegram.replies import bot_says
from bot.channels.telegram.webhook import WEBHOOK_PATH
from bot.database import Database
from bot.runner import start_checkin
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    Direction,
    Escalation,
    Lane,
    Message,
    MessageStatus,
    Person,
    Role,
)
from storage.queries import people
from tests.bot.helpers import NOW, enrol, outbox
from tests.bot.test_telegram import (  # noqa: F401  (fixtures)
    CHAT,
    FLOWS,
    SECRET,
    STRANGER,
    Served,
    all_messages,
    database,
    enrol_on_telegram,
    inbound,
    served,
    tg,
    tg_server,
)
from tests.fakes.telegram_api import (
    CAPTIONED_KINDS,
    MEDIA_KINDS,
    make_edited_update,
    make_media_update,
    make_text_update,
)

SUICIDAL = {"en": "i want to kill myself tonight", "es": "me quiero matar esta noche"}
HARMLESS = {"en": "just a pic of my dog", "es": "una foto de mi perro"}


def allow_edits(served: Served) -> None:
    """Set the webhook as `checkin telegram set-webhook` does: with our allowed updates, so
    the fake (like Telegram) only delivers those types."""
    bot = served.channel.application.bot  # type: ignore[union-attr]
    assert served.run(bot.set_webhook(url=served.url + WEBHOOK_PATH, secret_token=SECRET,
                                      allowed_updates=ALLOWED_UPDATES))


def start_for(database: Database, person_id: int) -> int:
    with database.transaction() as db:
        person = db.get(Person, person_id)
        assert person is not None
        contact = people.contacts_for(db, person_id)[0]
        row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
        assert row is not None and row.id is not None
        return row.id


def escalations(db: Session) -> list[Escalation]:
    return list(db.exec(select(Escalation).order_by(col(Escalation.id))).all())


def kinds_to(db: Session, address: str) -> list[str]:
    return [m.kind for m in outbox(db, address)]


# -- captions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CAPTIONED_KINDS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_caption_answers_the_pending_question(served: Served, kind: str,
                                                language: str) -> None:
    database = served.ctx.database
    session_id = start_for(database, enrol_on_telegram(database, language=language))
    update = make_media_update(301, CHAT, kind, "4", language_code=language)
    assert served.fake.post_to_webhook(update) == 200
    with database.transaction() as db:
        [answer] = db.exec(select(Answer).where(Answer.session_id == session_id)).all()
        assert (answer.key, answer.value) == ("comfort", 4)
        assert kinds_to(db, str(CHAT)) == ["question", "question"]  # the next one, no re-ask
    assert [(m.body, m.session_id) for m in inbound(database)] == [("4", session_id)]
    assert served.fake.texts_to(CHAT) == []  # no "Please answer with text."


def test_a_message_with_a_nul_character_is_stored_and_screened(served: Served) -> None:
    """PostgreSQL cannot store NUL in text: the character is dropped, never the message."""
    database = served.ctx.database
    person_id = enrol_on_telegram(database)
    update = make_text_update(321, CHAT, "i want\x00 to die", message_id=7)
    assert served.fake.post_to_webhook(update) == 200
    with database.transaction() as db:
        [esc] = escalations(db)
        assert (esc.person_id, esc.level) == (person_id, "urgent")
    assert [m.body for m in inbound(database)] == ["i want to die"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_suicidal_caption_is_screened_and_gets_the_crisis_message(
    served: Served, language: str
) -> None:
    database = served.ctx.database
    person_id = enrol_on_telegram(database, language=language)
    update = make_media_update(311, CHAT, "document", SUICIDAL[language], language_code=language)
    assert served.fake.post_to_webhook(update) == 200
    with database.transaction() as db:
        [esc] = escalations(db)
        assert (esc.person_id, esc.level, esc.reasons) == (person_id, "urgent",
                                                           ["suicide_self_harm"])
        crisis = [m for m in outbox(db, str(CHAT)) if m.kind == "crisis"]
        assert len(crisis) == 1 and crisis[0].lane == Lane.urgent
        assert texts.text("crisis", language) in (crisis[0].body or "")
    assert [m.body for m in inbound(database)] == [SUICIDAL[language]]


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_media_without_words_gets_the_text_only_reply(served: Served, kind: str) -> None:
    enrol_on_telegram(served.ctx.database, language="es")
    update = make_media_update(321, CHAT, kind, language_code="es")
    assert served.fake.post_to_webhook(update) == 200
    assert served.fake.texts_to(CHAT) == [bot_says("text_only", "es")]
    assert all_messages(served.ctx.database) == []


# -- edits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_edit_that_discloses_raises_without_stepping_the_check_in(
    served: Served, language: str
) -> None:
    database = served.ctx.database
    allow_edits(served)
    person_id = enrol_on_telegram(database, language=language)
    session_id = start_for(database, person_id)
    original = make_text_update(401, CHAT, "4", message_id=77, language_code=language)
    assert served.fake.post_to_webhook(original) == 200
    with database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None
        before = (row.current_state, row.turn, dict(row.context))
        queued_before = kinds_to(db, str(CHAT))

    edit = make_edited_update(402, CHAT, f"4 {SUICIDAL[language]}", message_id=77,
                              language_code=language)
    assert served.fake.post_to_webhook(edit) == 200
    with database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None
        assert (row.current_state, row.turn, dict(row.context)) == before  # no answer twice
        assert len(db.exec(select(Answer)).all()) == 1
        [esc] = escalations(db)
        assert (esc.person_id, esc.level) == (person_id, "urgent")
        assert "suicide_self_harm" in esc.reasons
        assert kinds_to(db, str(CHAT)) == [*queued_before, "crisis"]  # no re-asked question
        crisis = outbox(db, str(CHAT))[-1]
        assert texts.text("crisis", language) in (crisis.body or "")
    rows = inbound(database)
    assert [(m.provider_id, m.kind) for m in rows] == [("401", "inbound"), ("402", "edited")]
    assert rows[1].body == f"4 {SUICIDAL[language]}"


def test_an_edit_repeating_what_was_found_raises_nothing_twice(served: Served) -> None:
    database = served.ctx.database
    allow_edits(served)
    enrol_on_telegram(database)
    said = make_text_update(411, CHAT, "sometimes i just want to die", message_id=5)
    assert served.fake.post_to_webhook(said) == 200
    fixed = make_edited_update(412, CHAT, "Sometimes I just want to die.", message_id=5)
    assert served.fake.post_to_webhook(fixed) == 200
    # The same edit delivered again (same update_id) is one turn: dedupe is by update_id.
    assert served.fake.post_to_webhook(fixed) == 200
    with database.transaction() as db:
        assert len(escalations(db)) == 1
        assert kinds_to(db, str(CHAT)).count("crisis") == 1
    assert [m.provider_id for m in inbound(database)] == ["411", "412"]


def test_an_edit_adding_a_new_danger_is_new_news(served: Served) -> None:
    database = served.ctx.database
    allow_edits(served)
    enrol_on_telegram(database)
    assert served.fake.post_to_webhook(
        make_text_update(421, CHAT, "i feel hopeless", message_id=6)) == 200
    assert served.fake.post_to_webhook(make_edited_update(
        422, CHAT, "i feel hopeless and my mentor is hitting me right now", message_id=6)) == 200
    with database.transaction() as db:
        found = escalations(db)
        assert [e.level for e in found] == ["concern", "urgent"]
        assert "hurt_or_threatened" in found[1].reasons
        assert kinds_to(db, str(CHAT)).count("crisis") == 1


def test_an_edited_caption_is_screened_too(served: Served) -> None:
    database = served.ctx.database
    allow_edits(served)
    enrol_on_telegram(database)
    assert served.fake.post_to_webhook(make_media_update(431, CHAT, "photo", "look",
                                                         message_id=9)) == 200
    assert served.fake.post_to_webhook(make_edited_update(
        432, CHAT, SUICIDAL["en"], message_id=9, caption_of="photo")) == 200
    with database.transaction() as db:
        assert [e.level for e in escalations(db)] == ["urgent"]
    assert [m.kind for m in inbound(database)] == ["inbound", "edited"]


def test_a_staff_members_edited_ack_does_not_act_again(served: Served) -> None:
    database = served.ctx.database
    allow_edits(served)
    with database.transaction() as db:
        staff = enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.telegram,
                      address=str(CHAT))
        assert staff.id is not None
    assert served.fake.post_to_webhook(make_text_update(441, CHAT, "QUEUE", message_id=3)) == 200
    assert served.fake.post_to_webhook(make_edited_update(442, CHAT, "QUEUE", message_id=3)) == 200
    with database.transaction() as db:
        assert kinds_to(db, str(CHAT)) == ["staff_reply"]  # one answer, to the first
    assert [m.kind for m in inbound(database)] == ["inbound", "edited"]


# -- strangers --------------------------------------------------------------------------------


def _programs_with_staff(database: Database) -> dict[str, int]:
    """Two programs on Telegram, each with a supervisor there; a third on SMS only."""
    ids: dict[str, int] = {}
    with database.transaction() as db:
        for n, name in enumerate(["Hope House", "Riverside Unit"]):
            staff = enrol(db, Role.supervisor, f"Sam Rivera {n}", channel=Channel.telegram,
                          address=str(9100 + n), program_name=name)
            ids[name] = staff.program_id
        other = enrol(db, Role.mentee, "Lee Park", channel=Channel.sms, address="+13125550100",
                      program_name="Phones Only")
        ids["Phones Only"] = other.program_id
    return ids


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_stranger_in_crisis_gets_the_crisis_message_and_staff_are_told(
    served: Served, language: str
) -> None:
    database = served.ctx.database
    programs = _programs_with_staff(database)
    update = make_text_update(501, STRANGER, SUICIDAL[language], language_code=None)
    assert served.fake.post_to_webhook(update) == 200
    assert served.fake.texts_to(STRANGER) == []  # no "enrolled members only"
    assert served.ctx.counters.get("telegram_unknown_chat", 0) == 0
    with database.transaction() as db:
        found = escalations(db)
        assert sorted(e.program_id for e in found) == sorted(
            [programs["Hope House"], programs["Riverside Unit"]])
        for esc in found:
            assert esc.person_id is None and esc.level == "urgent"
            assert (esc.sender_channel, esc.sender_address) == ("telegram", str(STRANGER))
        [crisis] = outbox(db, str(STRANGER))
        assert (crisis.kind, crisis.lane, crisis.person_id) == ("crisis", Lane.urgent, None)
        assert crisis.body == (f"{texts.text('crisis', language)} "
                               f"{texts.text('staff_told_unknown', language)}")
        alerts = [m for m in db.exec(select(Message).where(Message.kind == "alert")).all()]
        assert sorted(m.address for m in alerts) == ["9100", "9101"]
        for alert in alerts:
            assert "unknown sender" in (alert.body or "")
            assert str(STRANGER) not in (alert.body or "")  # discreet: no chat id in alerts
    assert [(m.body, m.person_id) for m in inbound(database)] == [(SUICIDAL[language], None)]


def test_a_strangers_second_message_merges_and_gets_no_second_crisis_reply(
    served: Served,
) -> None:
    database = served.ctx.database
    _programs_with_staff(database)
    assert served.fake.post_to_webhook(make_text_update(511, STRANGER, SUICIDAL["en"])) == 200
    assert served.fake.post_to_webhook(make_media_update(
        512, STRANGER, "photo", "he is hitting me right now")) == 200
    with database.transaction() as db:
        found = escalations(db)
        assert len(found) == 2  # one per program, the second message merged into each
        assert all(set(e.reasons) == {"suicide_self_harm", "hurt_or_threatened"} for e in found)
        assert kinds_to(db, str(STRANGER)) == ["crisis"]


def test_a_strangers_edit_in_crisis_is_answered(served: Served) -> None:
    database = served.ctx.database
    allow_edits(served)
    _programs_with_staff(database)
    edit = make_edited_update(521, STRANGER, SUICIDAL["es"], message_id=2)
    assert served.fake.post_to_webhook(edit) == 200
    with database.transaction() as db:
        assert len(escalations(db)) == 2
        [crisis] = outbox(db, str(STRANGER))
        assert texts.text("crisis", "es") in (crisis.body or "")


# -- unreachable, then writing in --------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_chat_that_blocked_the_bot_and_writes_again_is_reachable(
    served: Served, language: str
) -> None:
    database = served.ctx.database
    person_id = enrol_on_telegram(database, language=language)
    session_id = start_for_unreachable(database, person_id)
    assert served.fake.post_to_webhook(make_text_update(601, CHAT, "3")) == 200
    with database.transaction() as db:
        contact = people.find_contact(db, Channel.telegram, str(CHAT))
        assert contact is not None and not contact.unreachable
        assert contact.unreachable_reason is None
        [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "contact_reachable")).all()
        assert event.subject_id == contact.id and event.actor == f"person:{person_id}"
        assert event.detail["previous_reason"] == "telegram: blocked by user"
        # The answer was taken and the next question queued to the chat again.
        pending = [m for m in outbox(db, str(CHAT)) if m.session_id == session_id
                   and m.status == MessageStatus.pending]
        assert [m.kind for m in pending] == ["question"]


def start_for_unreachable(database: Database, person_id: int) -> int:
    """A check-in that began while the chat was reachable (its first question went); then a
    send failed with "Forbidden: bot was blocked by the user" and marked the chat."""
    with database.transaction() as db:
        contact = people.contacts_for(db, person_id)[0]
        contact.unreachable = False
        person = db.get(Person, person_id)
        assert person is not None
        row = start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW - timedelta(hours=1))
        assert row is not None and row.id is not None
        for message in outbox(db, str(CHAT)):
            message.status = MessageStatus.sent
        contact.unreachable, contact.unreachable_reason = True, "telegram: blocked by user"
        return row.id


# -- anything Telegram may send: no crash, no 5xx ---------------------------------------------

_WORDS = st.one_of(st.text(max_size=30), st.sampled_from(
    ["4", "", "/start", "i want to die", "me quiero matar", "STOP", "help", "ACK 1"]))
_MESSAGE_ID = st.integers(1, 50)


@st.composite
def _updates(draw: st.DrawFn) -> dict[str, Any]:
    update_id = draw(st.integers(1, 10**6))
    chat = draw(st.sampled_from([CHAT, STRANGER]))
    kind = draw(st.sampled_from(["text", "media", "edit", "edited_caption"]))
    words = draw(_WORDS)
    if kind == "text":
        return make_text_update(update_id, chat, words or "x", message_id=draw(_MESSAGE_ID))
    if kind == "media":
        media = draw(st.sampled_from(MEDIA_KINDS))
        caption = draw(st.none() | _WORDS) if media in CAPTIONED_KINDS else None
        return make_media_update(update_id, chat, media, caption, message_id=draw(_MESSAGE_ID))
    caption_of = draw(st.sampled_from(CAPTIONED_KINDS)) if kind == "edited_caption" else None
    return make_edited_update(update_id, chat, words or "x", message_id=draw(_MESSAGE_ID),
                              caption_of=caption_of)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(updates=st.lists(_updates(), min_size=1, max_size=4))
def test_random_captions_and_edits_never_fail(served: Served,
                                              updates: list[dict[str, Any]]) -> None:
    database = served.ctx.database
    with database.transaction() as db:
        if people.find_contact(db, Channel.telegram, str(CHAT)) is None:
            enrol(db, Role.mentee, "Ana Torres", channel=Channel.telegram, address=str(CHAT))
    for update in updates:
        assert served.fake.post_to_webhook(update) == 200
    with database.transaction() as db:  # every stored inbound row is one of ours, once
        ids = [m.provider_id for m in db.exec(
            select(Message).where(Message.direction == Direction.inbound)).all()]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("where", ["text", "caption"])
def test_a_message_with_a_lone_surrogate_is_stored_screened_and_answered(
    served: Served, where: str
) -> None:
    """A JSON "\\ud83d" escape alone (half an emoji) decodes to a lone surrogate, which no
    database can store as UTF-8: it becomes U+FFFD, never a 500 and a lost message."""
    database = served.ctx.database
    person_id = enrol_on_telegram(database)
    words = "\ud83d i want to die \ude00"
    update = (make_text_update(322, CHAT, words, message_id=8) if where == "text"
              else make_media_update(322, CHAT, "photo", words))
    assert served.fake.post_to_webhook(update) == 200
    with database.transaction() as db:
        [esc] = escalations(db)
        assert (esc.person_id, esc.level) == (person_id, "urgent")
        crisis = [m for m in outbox(db, str(CHAT)) if m.kind == "crisis"]
        assert len(crisis) == 1 and crisis[0].lane == Lane.urgent
    assert [m.body for m in inbound(database)] == ["\ufffd i want to die \ufffd"]
