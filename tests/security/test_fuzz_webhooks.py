"""Fuzz the provider webhooks: random Twilio forms, signed correctly so they reach the turn, and
random Telegram updates with the right secret token. No request may get a 5xx, and after every
example no conversation is stuck: each open check-in has a live expiry timer and a state its
flow knows, nobody has two open at once, and firing the timers past every expiry closes them all.

Twilio runs against the served app in-process (Starlette's TestClient, the same
`create_app` `checkin serve` runs), Telegram against the webhook served on loopback with the
real python-telegram-bot (tests/bot/test_telegram.py's `served`); SQLite and PostgreSQL both.
"""
# The Telegram fixtures are imported from test_telegram; their parameters "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import col, select
from starlette.datastructures import FormData

from bot.app import build_context, create_app
from bot.channels.telegram.webhook import WEBHOOK_PATH
from bot.context import AppContext
from bot.database import Database
from bot.jobs.timers import fire_due_timers
from bot.runner import start_checkin
from flows.model import Flow
from storage.models import Channel, CheckinSession, Direction, Message, Role, SessionStatus
from storage.queries import people
from tests.bot.helpers import NOW, enrol
from tests.bot.test_telegram import (  # noqa: F401  (fixtures)
    CHAT,
    SECRET,
    STRANGER,
    Served,
    database,
    served,
    tg,
    tg_server,
)
from tests.bot.twilio_fixtures import OUR_NUMBER, SMS_PATH, sms_mentee, twilio_settings
from tests.fakes.loopback_http import loopback_client
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import (
    SECRET_TOKEN_HEADER,
    make_callback_update,
    make_edited_update,
    make_media_update,
    make_text_update,
)
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    sign,
)

PUBLIC_URL = "https://checkin.example.org"
STATUS_PATH = "/webhooks/twilio/status"
MENTEE = "+13125550177"
SUPERVISOR = "+12025550171"
TG_SUPERVISOR = 7007
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Words that steer a turn (answers, keywords, staff commands, crisis language) mixed with
# anything at all: control characters and NUL included.
_WORDS = st.one_of(
    st.sampled_from(["4", "1", "five", "idk", "STOP", "START", "HELP", "ARRET", "ACK", "ACK 1",
                     "RESOLVE 1", "QUEUE", "i want to die", "me quiero matar", "he hurt me",
                     "", " ", "\x00", "4\x00", "🙂🙂", "yes", "no", "/start", "/stop"]),
    st.text(max_size=60),
    st.text(st.characters(codec="utf-8", min_codepoint=0, max_codepoint=0x2FF), max_size=20),
)


def _open_sessions_are_movable(database: Database, flows: dict[str, Flow]) -> None:
    """Every open check-in can still end: an expiry timer is set, its state is one its flow
    knows (so a reply can move it), and a person has one open check-in at most."""
    with database.reading() as db:
        open_rows = db.exec(select(CheckinSession).where(
            CheckinSession.status == SessionStatus.active)).all()
        for row in open_rows:
            assert row.expire_at is not None, f"session {row.id} has no expiry timer"
            flow = flows[row.flow_id]
            assert row.current_state in flow.states, (row.id, row.current_state)
        per_person = db.exec(
            select(CheckinSession.person_id, func.count())
            .where(CheckinSession.status == SessionStatus.active)
            .group_by(col(CheckinSession.person_id))).all()
        assert all(count == 1 for _person, count in per_person), per_person


def _timers_close_everything(database: Database, flows: dict[str, Flow]) -> None:
    later = NOW + timedelta(days=30)
    with database.transaction() as db:
        while fire_due_timers(db, flows, later):
            pass
    with database.reading() as db:
        still_open = db.exec(select(CheckinSession).where(
            CheckinSession.status == SessionStatus.active)).all()
    assert still_open == [], [(row.id, row.current_state) for row in still_open]


# --- Twilio ------------------------------------------------------------------------------------


class TwilioWorld:
    def __init__(self, ctx: AppContext, client: TestClient) -> None:
        self.ctx = ctx
        self.client = client

    def post(self, path: str, form: list[tuple[str, str]]) -> httpx.Response:
        """POST `form` (pairs, in order, repeats allowed) signed as Twilio signs it."""
        # A multi-dict: the validator signs every value of a repeated key.
        signature = sign(PUBLIC_URL + path, FormData(form), TEST_AUTH_TOKEN)  # type: ignore[arg-type]
        return self.client.post(path, content=urlencode(form).encode(), headers={
            SIGNATURE_HEADER: signature,
            "content-type": "application/x-www-form-urlencoded"})


@pytest.fixture
def twilio_world(db_url: str) -> Iterator[TwilioWorld]:
    """The served app with SMS on (a fake Twilio behind it), a mentee mid-check-in and a
    supervisor on SMS. No sender or scheduler: the test looks only at what turns store."""
    with LoopbackServer(FakeTwilio()) as api:
        ctx = build_context(twilio_settings(PUBLIC_URL, api.url, database_url=db_url,
                                            semantic_screening=False, web_simulator=False),
                            clock=lambda: NOW)
        with ctx.database.transaction() as db:
            person, contact = sms_mentee(db, MENTEE)
            assert start_checkin(db, ctx.flows, person, "mentee_checkin", contact, NOW)
            enrol(db, Role.supervisor, "Sam Lee", channel=Channel.sms, address=SUPERVISOR)
            for found in people.contacts_for(db, person.id or 0):
                found.consent_at = NOW - timedelta(days=1)
        app = create_app(ctx, run_sender=False, run_scheduler=False)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            yield TwilioWorld(ctx, client)


_SIDS = st.one_of(st.uuids().map(lambda u: "SM" + u.hex),
                  st.sampled_from(["SM" + "0" * 32, "SM" + "1" * 32, "MM" + "2" * 32, "", "x",
                                   "SM\x00", "SM1\n"]))
_FROM = st.sampled_from([MENTEE, MENTEE, SUPERVISOR, "+13125550199", "3125550177", "",
                         "whatsapp:+13125550177", "not a number", "+1", "\x00", "+1312\x00"])


@st.composite
def _sms_form(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A path and a form Twilio could post (or nearly: fields missing, repeated, or odd)."""
    if draw(st.integers(0, 9)) == 0:  # a delivery status callback
        form = [("MessageSid", draw(_SIDS)), ("AccountSid", TEST_ACCOUNT_SID),
                ("MessageStatus", draw(st.sampled_from(
                    ["queued", "sent", "delivered", "undelivered", "failed", "read", "", "??"])))]
        if draw(st.booleans()):
            form.append(("ErrorCode", draw(st.sampled_from(["30003", "21610", "", "x",
                                                            "\x00"]))))
        return STATUS_PATH, form
    form = [("MessageSid", draw(_SIDS)), ("AccountSid", TEST_ACCOUNT_SID),
            ("From", draw(_FROM)), ("To", draw(st.sampled_from([OUR_NUMBER, "+19995550000"]))),
            ("Body", draw(_WORDS)), ("NumMedia", draw(st.sampled_from(["0", "1", "x"])))]
    if draw(st.booleans()):
        form.append(("OptOutType", draw(st.sampled_from(["STOP", "START", "HELP", "", "stop",
                                                         "OTHER"]))))
    if draw(st.integers(0, 4)) == 0:
        form.append((draw(st.sampled_from(["Body", "From", "MediaUrl0", "SmsSid", "Extra"])),
                     draw(_WORDS)))
    if draw(st.integers(0, 6)) == 0:
        del form[draw(st.integers(0, len(form) - 1))]
    return SMS_PATH, form


# Found by this test on PostgreSQL: a NUL in From was a 500 on every retry.
_NUL_SENDER = [(SMS_PATH, [("MessageSid", "SM" + "f" * 32), ("AccountSid", TEST_ACCOUNT_SID),
                           ("From", MENTEE), ("To", OUR_NUMBER), ("Body", "4"),
                           ("From", "\x00")])]
_NUL_STATUS = [(STATUS_PATH, [("MessageSid", "SM\x00"), ("AccountSid", TEST_ACCOUNT_SID),
                              ("MessageStatus", "delivered")])]


@FUZZ
@example(posts=_NUL_SENDER)
@example(posts=_NUL_STATUS)
@given(posts=st.lists(_sms_form(), min_size=1, max_size=6))
def test_random_signed_twilio_forms_never_fail_and_leave_no_stuck_session(
    twilio_world: TwilioWorld, posts: list[tuple[str, list[tuple[str, str]]]],
) -> None:
    taken = []
    for path, form in posts:
        response = twilio_world.post(path, form)
        # Signed correctly: never refused as unsigned, and never a server error.
        assert response.status_code in (200, 204, 400), (path, form, response.status_code)
        fields = dict(form)  # the last of a repeated field, as the route reads it
        sid = fields.get("MessageSid") or fields.get("SmsSid")
        if path == SMS_PATH and response.status_code == 200:
            taken.append(sid)
        else:  # 400 only for a message without a sender or an id (or not printable ones)
            assert path != SMS_PATH or not (fields.get("From", "").isprintable() and sid
                                            and sid.isprintable() and fields.get("From"))
    with twilio_world.ctx.database.reading() as db:  # each taken text reached a turn
        stored = set(db.exec(select(Message.provider_id).where(
            Message.direction == Direction.inbound)).all())
    assert set(taken) <= stored, set(taken) - stored
    _open_sessions_are_movable(twilio_world.ctx.database, twilio_world.ctx.flows)


def test_the_timers_close_a_check_in_that_odd_sms_left_open(twilio_world: TwilioWorld) -> None:
    """What the fuzz test checks per example (an expiry is set), carried to its end: the
    timers job does close the check-in."""
    for n, body in enumerate(["4", "\x00", "i want to die", "\x07?", "ok"]):
        form = [("MessageSid", f"SM{n:032d}"), ("AccountSid", TEST_ACCOUNT_SID),
                ("From", MENTEE), ("To", OUR_NUMBER), ("Body", body)]
        assert twilio_world.post(SMS_PATH, form).status_code == 200
    _open_sessions_are_movable(twilio_world.ctx.database, twilio_world.ctx.flows)
    _timers_close_everything(twilio_world.ctx.database, twilio_world.ctx.flows)


# --- Telegram ----------------------------------------------------------------------------------

_CHATS = st.sampled_from([CHAT, CHAT, STRANGER, TG_SUPERVISOR])
_UPDATE_IDS = st.integers(1, 400)  # a small range: repeats test the deduplication too


@st.composite
def _update(draw: st.DrawFn) -> dict[str, Any]:
    update_id, chat = draw(_UPDATE_IDS), draw(_CHATS)
    kind = draw(st.sampled_from(["text"] * 5 + ["surrogate", "callback", "media", "edit",
                                                 "garbage"]))
    words = draw(_WORDS) or "x"
    if kind == "text":
        return make_text_update(update_id, chat, words)
    if kind == "surrogate":  # half an emoji: json.dumps writes it as a lone \\ud83d escape
        return make_text_update(update_id, chat, f"\ud83d{words}")
    if kind == "callback":
        return make_callback_update(update_id, chat, words)
    if kind == "media":
        return make_media_update(update_id, chat, draw(st.sampled_from(
            ["photo", "sticker", "voice", "document", "location"])), None)
    if kind == "edit":
        return make_edited_update(update_id, chat, words, message_id=draw(st.integers(1, 50)))
    garbage: dict[str, Any] = draw(st.dictionaries(
        st.sampled_from(["update_id", "message", "chat", "text", "from", "x"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just({"chat": {}})),
        max_size=4))
    return garbage


def _post_update(served: Served, update: dict[str, Any]) -> int:
    body = json.dumps(update)  # ensure_ascii: a lone surrogate goes out as its \\u escape
    return loopback_client().post(served.url + WEBHOOK_PATH, content=body, timeout=15, headers={
        "content-type": "application/json", SECRET_TOKEN_HEADER: SECRET}).status_code


@pytest.fixture
def telegram_world(served: Served) -> Served:
    with served.ctx.database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres", channel=Channel.telegram,
                       address=str(CHAT))
        [contact] = people.contacts_for(db, person.id or 0)
        contact.consent_at = NOW - timedelta(days=1)
        assert start_checkin(db, served.ctx.flows, person, "mentee_checkin", contact, NOW)
        enrol(db, Role.supervisor, "Sam Lee", channel=Channel.telegram,
              address=str(TG_SUPERVISOR))
    return served


@FUZZ
@given(updates=st.lists(_update(), min_size=1, max_size=6))
def test_random_telegram_updates_never_fail_and_leave_no_stuck_session(
    telegram_world: Served, updates: list[dict[str, Any]],
) -> None:
    for update in updates:
        status = _post_update(telegram_world, update)
        assert status < 500, (update, status)
        assert status != 403, (update, status)  # the secret was right
    _open_sessions_are_movable(telegram_world.ctx.database, telegram_world.ctx.flows)


def test_the_timers_close_a_check_in_that_odd_updates_left_open(telegram_world: Served) -> None:
    for update_id, words in enumerate(["4", "\x00", "\ud83d", "i want to die", "\x07?"], 1):
        assert _post_update(telegram_world, make_text_update(update_id, CHAT, words)) == 200
    _open_sessions_are_movable(telegram_world.ctx.database, telegram_world.ctx.flows)
    _timers_close_everything(telegram_world.ctx.database, telegram_world.ctx.flows)
