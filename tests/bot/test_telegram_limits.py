"""Answers per sender on Telegram (issue 21): as on SMS, without the cost argument. A stranger
chat gets the "enrolled members only" sentence once a day, and words of danger always get the
crisis message; HELP three times an hour; nothing to a chat that looks automated; replies inside
a check-in never limited. The real python-telegram-bot against FakeTelegram, updates posted to
our webhook, on SQLite and PostgreSQL."""
# The served-bot fixtures are imported from test_telegram; their parameters "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from sqlmodel import col, select

from bot import sender_limits, texts
from bot.channels.telegram.replies import bot_says
from storage.models import AuditEvent, Channel, Escalation, Lane, Role
from tests.bot.helpers import enrol, outbox
from tests.bot.test_telegram import (  # noqa: F401  (fixtures)
    CHAT,
    STRANGER,
    Served,
    database,
    enrol_on_telegram,
    served,
    tg,
    tg_server,
)
from tests.bot.test_telegram_words import start_for
from tests.fakes.telegram_api import make_text_update


def test_a_stranger_chat_gets_the_sentence_once_but_danger_always_an_answer(
    served: Served,
) -> None:
    database = served.ctx.database
    with database.transaction() as db:
        enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.telegram, address="9100")
    for n in range(6):
        assert served.fake.post_to_webhook(make_text_update(700 + n, STRANGER, f"hi {n}")) == 200
    assert served.fake.texts_to(STRANGER) == [bot_says("not_enrolled", "en")]
    assert served.ctx.counters["telegram_stranger_limited"] == 5
    assert served.fake.post_to_webhook(make_text_update(710, STRANGER, "i want to die")) == 200
    with database.transaction() as db:
        [crisis] = outbox(db, str(STRANGER))
        assert (crisis.kind, crisis.lane) == ("crisis", Lane.urgent)
        assert texts.text("crisis", "en") in (crisis.body or "")
        [esc] = db.exec(select(Escalation)).all()
        assert (esc.sender_address, esc.level) == (str(STRANGER), "urgent")
    # Another stranger is another chat: its own sentence.
    assert served.fake.post_to_webhook(make_text_update(720, STRANGER + 1, "hello")) == 200
    assert served.fake.texts_to(STRANGER + 1) == [bot_says("not_enrolled", "en")]


def test_help_ten_times_outside_a_check_in_gets_three_answers(served: Served) -> None:
    enrol_on_telegram(served.ctx.database)
    for n in range(10):
        assert served.fake.post_to_webhook(make_text_update(800 + n, CHAT, "/help")) == 200
    with served.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, str(CHAT))] == ["help"] * 3


def test_a_chat_repeating_itself_stops_getting_answers_and_is_audited(served: Served) -> None:
    enrol_on_telegram(served.ctx.database)
    for n in range(8):
        assert served.fake.post_to_webhook(
            make_text_update(900 + n, CHAT, "This is an automatic reply.")) == 200
    with served.ctx.database.transaction() as db:
        assert [m.kind for m in outbox(db, str(CHAT))] == ["info"] * 4
        [event] = db.exec(select(AuditEvent).where(
            AuditEvent.action == sender_limits.AUTOMATED_ACTION).order_by(col(AuditEvent.id))).all()
        assert (event.detail["channel"], event.detail["reason"]) == ("telegram", "identical")


def test_every_reply_inside_a_check_in_is_answered(served: Served) -> None:
    person_id = enrol_on_telegram(served.ctx.database)
    session_id = start_for(served.ctx.database, person_id)
    for n in range(20):
        assert served.fake.post_to_webhook(make_text_update(1000 + n, CHAT, "/help")) == 200
    with served.ctx.database.transaction() as db:
        replies = [m for m in outbox(db, str(CHAT)) if m.kind != "question"]
        assert [m.kind for m in replies] == ["help"] * 20
        assert all(m.session_id == session_id for m in replies)
