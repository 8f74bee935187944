"""Escalation alerts: who gets the first round and how, the discreet text, the urgent lane ahead of
a routine backlog, and failover when an alert does not arrive (status callback and outbox)."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels.base import RetryLater, Undeliverable
from bot.channels.twilio_sms.status import apply_status_callback
from bot.context import AppContext
from bot.database import Database
from bot.escalation import alert_messages, alerts, failover
from bot.outbox import OutboxSender
from bot.settings import load_settings
from storage.models import (
    AuditEvent,
    Channel,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    MessageStatus,
    Person,
    Program,
    Role,
)
from storage.queries import messages, outbox, people, rota
from tests.bot.helpers import NOW, database_for
from tests.bot.scripted_channel import ScriptedChannel
from tests.bot.test_routing import (
    alert_rows,
    contact,
    make_person,
    make_program,
    raise_and_alert,
    raise_escalation,
)

URL = "https://checkin.example.org"


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def audits(db: Session, esc_id: int | None, action: str) -> list[AuditEvent]:
    return list(db.exec(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "escalation", AuditEvent.subject_id == esc_id,
               AuditEvent.action == action)
        .order_by(col(AuditEvent.id))
    ).all())


# ---- the first round ------------------------------------------------------------------------


def test_urgent_alerts_every_contact_of_every_on_call_supervisor_at_once(
    database: Database,
) -> None:
    with database.transaction() as db:
        program = make_program(db)
        a = make_person(db, program, Role.supervisor, "Ann Sup")
        b = make_person(db, program, Role.supervisor, "Bob Sup", telegram=False)
        admin = make_person(db, program, Role.admin, "Ada Admin")  # backup: not at first
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        esc = raise_and_alert(db, mentee, "urgent")
        rows = alert_rows(db, esc.id)
        assert sorted((m.person_id, m.channel) for m in rows) == sorted(
            [(a.id, Channel.telegram), (a.id, Channel.sms), (b.id, Channel.sms)]
        )
        assert all(m.lane == Lane.urgent and m.priority == 0 and m.kind == "alert"
                   and m.status == MessageStatus.pending and m.next_attempt_at == NOW
                   for m in rows)
        assert admin.id not in {m.person_id for m in rows}
        assert esc.alert_round == 1 and esc.next_alert_at == NOW + timedelta(minutes=5)
        assert esc.backup_alerted_at is None
        queued = audits(db, esc.id, "alert_queued")
        assert [e.detail["person_id"] for e in queued] == [a.id, b.id]
        assert all("body" not in e.detail and "he hit me" not in str(e.detail) for e in queued)


def test_concern_goes_to_one_preferred_contact_each_and_waits_for_its_deadline(
    database: Database,
) -> None:
    with database.transaction() as db:
        program = make_program(db)
        a = make_person(db, program, Role.supervisor, "Ann Sup")
        b = make_person(db, program, Role.supervisor, "Bob Sup", telegram=False)
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        esc = raise_and_alert(db, mentee, "concern")
        assert [(m.person_id, m.channel) for m in alert_rows(db, esc.id)] == [
            (a.id, Channel.telegram), (b.id, Channel.sms)
        ]
        assert esc.alert_round == 1 and esc.next_alert_at == esc.due_at
        assert esc.due_at == NOW + timedelta(hours=24)


def test_watch_alerts_nobody_now(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        make_person(db, program, Role.supervisor, "Ann Sup")
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        esc = raise_and_alert(db, mentee, "watch")
        assert alert_rows(db) == [] and esc.next_alert_at is None


def test_an_acknowledged_or_already_alerted_escalation_gets_no_first_round(
    database: Database,
) -> None:
    with database.transaction() as db:
        program = make_program(db)
        make_person(db, program, Role.supervisor, "Ann Sup")
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        esc = raise_and_alert(db, mentee, "urgent")
        assert alerts.alert_new_escalation(db, esc, program, NOW, dashboard_url=URL) == 0
        other = raise_escalation(db, mentee, "concern")
        other.status = EscalationStatus.acknowledged
        assert alerts.alert_new_escalation(db, other, program, NOW, dashboard_url=URL) == 0
        assert len(alert_rows(db)) == 2


def test_nobody_on_call_reachable_falls_back_to_the_backup_list(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        sup = make_person(db, program, Role.supervisor, "Ann Sup")
        contact(db, sup, Channel.telegram).unreachable = True
        contact(db, sup, Channel.sms).opted_out = True
        backup = make_person(db, program, Role.supervisor, "Bea Backup")
        assert program.id is not None
        rota.add_shift(db, program_id=program.id, person_id=sup.id or 0, now=NOW)
        rota.add_shift(db, program_id=program.id, person_id=backup.id or 0, list="backup",
                       now=NOW)
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        esc = raise_and_alert(db, mentee, "urgent")
        assert {m.person_id for m in alert_rows(db, esc.id)} == {backup.id}
        assert esc.backup_alerted_at == NOW
        assert audits(db, esc.id, "alert_round")[0].detail["tier"] == "backup"


def test_a_rota_gap_still_reaches_someone_rather_than_nobody(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        sup = make_person(db, program, Role.supervisor, "Ann Sup")
        assert program.id is not None
        rota.add_shift(db, program_id=program.id, person_id=sup.id or 0, weekday=5, now=NOW)
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        esc = raise_and_alert(db, mentee, "urgent")  # a Monday: nobody on the rota
        assert {m.person_id for m in alert_rows(db, esc.id)} == {sup.id}
        assert audits(db, esc.id, "alert_round")[0].detail["tier"] == "all_staff"


def test_nobody_reachable_at_all_is_recorded_never_silent(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        mentor = make_person(db, program, Role.mentor, "Marco Ruiz")  # never a fallback
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        sup = make_person(db, program, Role.supervisor, "Sue Mentor", sms=False, telegram=False)
        assert mentor.id is not None and sup.id is not None
        esc = raise_and_alert(db, mentee, "urgent")
        assert alert_rows(db) == []
        [event] = audits(db, esc.id, "alert_undeliverable")
        assert event.detail["round"] == 1
        assert esc.next_alert_at == NOW + timedelta(minutes=5)  # it keeps trying


def test_alerts_go_ahead_of_a_routine_backlog_of_1000(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        sup = make_person(db, program, Role.supervisor, "Ann Sup")
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        for i in range(1000):  # a bulk send already queued: many people, and the supervisor
            address = contact(db, sup, Channel.telegram).address if i % 100 == 0 else f"b{i}"
            messages.enqueue_outbound(db, channel=Channel.telegram, address=address,
                                      body=f"routine {i}", kind="question", lane=Lane.routine,
                                      now=NOW - timedelta(minutes=1), flush=False)
        db.flush()
        esc = raise_and_alert(db, mentee, "urgent")
        alert_ids = [m.id for m in alert_rows(db, esc.id)]
        assert len(alert_ids) == 2
    with database.transaction() as db:
        claimed = outbox.claim_batch(db, channels=["sms", "telegram"], lane=Lane.urgent,
                                     now=NOW, lease=timedelta(seconds=60), limit=50)
        assert [m.id for m in claimed] == alert_ids
        assert all(m.priority == 0 for m in claimed)
        routine_first = db.exec(
            select(Message).where(Message.status == MessageStatus.pending)
            .order_by(col(Message.priority), col(Message.id)).limit(1)
        ).one()
        assert routine_first.lane == Lane.routine  # the alerts were claimed first


# ---- the text -------------------------------------------------------------------------------


def _text_fixture(
    name: str = "Ana Torres", program: str = "Hope House", reasons: list[str] | None = None,
    evidence: list[str] | None = None, level: str = "urgent",
) -> tuple[Escalation, Program, Person]:
    esc = Escalation(id=42, program_id=1, person_id=7, level=level, raised_at=NOW, due_at=NOW,
                     reasons=reasons or ["feels_unsafe"], evidence=evidence or [])
    return esc, Program(id=1, name=program), Person(id=7, program_id=1, role=Role.mentee,
                                                     display_name=name)


def test_the_text_is_discreet_by_default() -> None:
    esc, program, person = _text_fixture(evidence=["he hurt me"])
    text = alert_messages.alert_text(esc, program, person, detail="discreet", dashboard_url=URL + "/")
    assert text == (
        "URGENT alert #42 (A.T., Hope House). "
        f"Review: {URL}/escalations/42 Reply ACK 42"
    )
    assert "feels_unsafe" not in text and "Ana" not in text


def test_reasons_mode_adds_reason_codes_only() -> None:
    esc, program, person = _text_fixture(reasons=["feels_unsafe", "he said things", "self_harm"])
    text = alert_messages.alert_text(esc, program, person, detail="reasons", dashboard_url=URL)
    assert "Reasons: feels_unsafe, self_harm." in text and "he said" not in text


def test_spanish_for_a_spanish_speaking_supervisor() -> None:
    esc, program, person = _text_fixture(level="concern")
    text = alert_messages.alert_text(esc, program, person, dashboard_url=URL, language="es")
    assert text.startswith("Alerta Preocupación #42 (A.T., Hope House).")
    assert text.endswith("Responde ACK 42")


def test_the_text_stays_under_320_characters() -> None:
    esc, program, person = _text_fixture(
        name="María José de la Cruz Fernández", program="Unit " * 40,
        reasons=[f"reason_code_{i}" for i in range(40)],
    )
    for url in (URL, URL + "/" + "x" * 150, URL + "/" + "y" * 400, None):
        for language in ("en", "es"):
            text = alert_messages.alert_text(esc, program, person, detail="reasons", dashboard_url=url,
                                     language=language)
            assert len(text) < 320 and "ACK 42" in text and "M.F." in text


_words = st.text(alphabet=string.ascii_letters + "áéíóúñ", min_size=7, max_size=15)


@given(evidence=st.lists(_words, min_size=1, max_size=6),
       free=st.lists(st.text(min_size=1, max_size=30), max_size=4),
       detail=st.sampled_from(["discreet", "reasons"]), language=st.sampled_from(["en", "es"]))
def test_no_evidence_or_free_text_ever_reaches_an_alert(
    evidence: list[str], free: list[str], detail: str, language: str
) -> None:
    esc, program, person = _text_fixture(evidence=evidence, reasons=["feels_unsafe", *free])
    text = alert_messages.alert_text(esc, program, person, detail=detail, dashboard_url=URL,
                             language=language)
    bare, _, _ = _text_fixture(evidence=[], reasons=["feels_unsafe"])
    bare_text = alert_messages.alert_text(bare, program, person, detail=detail, dashboard_url=URL,
                                  language=language)
    if detail == "discreet":
        assert text == bare_text  # nothing of the escalation's content changes the text
    codes = {r.lower() for r in free}  # a reason code that happens to spell a word is no leak
    for word in evidence:
        if word.lower() not in bare_text.lower() and word.lower() not in codes:
            assert word.lower() not in text.lower()
    label = "Reasons: " if language == "en" else "Motivos: "
    if label in text:
        shown = text.split(label, 1)[1].split(".", 1)[0].split(", ")
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in shown)
        assert "feels_unsafe" in shown


def test_random_evidence_never_reaches_a_queued_alert(database: Database) -> None:
    rng = random.Random(7)
    with database.transaction() as db:
        program = make_program(db, alert_detail="reasons")
        make_person(db, program, Role.supervisor, "Ann Sup")
        make_person(db, program, Role.supervisor, "Eva Sup", language="es")
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        words: list[str] = []
        for _ in range(30):
            evidence = ["".join(rng.choices("bcdfghjkmnpqrvwxz", k=9)) for _ in range(3)]
            words += evidence
            raise_and_alert(db, mentee, rng.choice(["urgent", "concern"]),
                            evidence=(" ".join(evidence),),
                            reasons=("feels_unsafe", f"told me {evidence[0]}"))
        bodies = [m.body or "" for m in alert_rows(db)]
        assert len(bodies) >= 60
        assert not any(w in body for w in words for body in bodies)


# ---- failover -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Rig:
    database: Database
    clock: Clock
    sms: ScriptedChannel
    telegram: ScriptedChannel
    sender: OutboxSender

    async def drain(self) -> None:
        await self.sender.run_once(Lane.urgent)

    def sid_of(self, message_id: int | None) -> str:
        with self.database.transaction() as db:
            row = db.get(Message, message_id)
            assert row is not None and row.provider_id
            return row.provider_id


def _rig(db_url: str, engine: Engine, **more: object) -> Rig:
    settings = load_settings(database_url=db_url, outbox_max_attempts=2, **more)
    clock = Clock()
    ctx = AppContext(settings=settings, database=database_for(db_url, engine), flows={},
                     clock=clock)
    sms, telegram = ScriptedChannel(Channel.sms), ScriptedChannel(Channel.telegram)
    ctx.channels = {Channel.sms: sms, Channel.telegram: telegram}
    return Rig(ctx.database, clock, sms, telegram, OutboxSender(ctx))


@pytest.fixture
def rig(db_url: str, engine: Engine) -> Iterator[Rig]:
    yield _rig(db_url, engine)


@pytest.fixture
def linked_rig(db_url: str, engine: Engine) -> Iterator[Rig]:
    """A rig whose app has a public address: alerts link to the dashboard."""
    yield _rig(db_url, engine, public_base_url=URL)


def _staffed(db: Session, *, telegram: bool = True) -> tuple[Program, Person, Person]:
    program = make_program(db)
    sup = make_person(db, program, Role.supervisor, "Ann Sup", telegram=telegram)
    mentee = make_person(db, program, Role.mentee, "Ana Torres")
    return program, sup, mentee


async def test_sms_alert_reported_undelivered_goes_to_the_same_supervisors_telegram(
    rig: Rig,
) -> None:
    with rig.database.transaction() as db:
        _program, sup, mentee = _staffed(db, telegram=False)
        esc = raise_and_alert(db, mentee, "concern")
        [sms_alert] = alert_rows(db, esc.id)
    await rig.drain()
    assert [a for a, _b in rig.sms.calls] == [sms_alert.address]
    with rig.database.transaction() as db:  # the supervisor links Telegram meanwhile
        people.add_contact(db, sup.id or 0, Channel.telegram, "chat-ann", now=NOW)
    rig.clock.now = NOW + timedelta(minutes=1)
    sid = rig.sid_of(sms_alert.id)
    with rig.database.transaction() as db:
        changed = apply_status_callback(db, sid, "undelivered", "30003", rig.clock.now)
        assert changed is not None and changed.status == MessageStatus.undelivered
        [failover] = audits(db, esc.id, "alert_failover")
        assert failover.detail["outcome"] == "other_channel"
        assert failover.detail["to_person_id"] == sup.id
    await rig.drain()
    assert [a for a, _b in rig.telegram.calls] == ["chat-ann"]
    assert "ACK" in rig.telegram.calls[0][1]


async def test_blocked_telegram_alert_goes_to_the_same_supervisors_sms(rig: Rig) -> None:
    with rig.database.transaction() as db:
        _program, sup, mentee = _staffed(db)
        esc = raise_and_alert(db, mentee, "concern")
        tg = contact(db, sup, Channel.telegram).address
        sms = contact(db, sup, Channel.sms).address
    rig.telegram.script(Undeliverable("Forbidden: bot was blocked by the user"))
    await rig.drain()  # telegram fails for good; the failover row is written with the outcome
    await rig.drain()
    assert [a for a, _b in rig.telegram.calls] == [tg]
    assert [a for a, _b in rig.sms.calls] == [sms]
    with rig.database.transaction() as db:
        assert [(m.channel, m.status) for m in alert_rows(db, esc.id)] == [
            (Channel.telegram, MessageStatus.failed), (Channel.sms, MessageStatus.sent)
        ]


async def test_an_alert_the_outbox_gives_up_on_goes_elsewhere_with_the_same_text_and_link(
    linked_rig: Rig,
) -> None:
    rig = linked_rig
    with rig.database.transaction() as db:
        _program, _sup, mentee = _staffed(db)
        esc = raise_and_alert(db, mentee, "concern", dashboard_url=URL)
    rig.telegram.script(Undeliverable("Forbidden: bot was blocked by the user"))
    await rig.drain()
    await rig.drain()
    [(_tg, first)] = rig.telegram.calls
    [(_sms, second)] = rig.sms.calls
    # Built again from the escalation and the app's address: the same words, the same link.
    assert f"Review: {URL}/escalations/{esc.id}" in first
    assert second == first


async def test_an_undelivered_report_fails_over_with_the_link_the_app_passes(rig: Rig) -> None:
    with rig.database.transaction() as db:
        _program, sup, mentee = _staffed(db, telegram=False)
        esc = raise_and_alert(db, mentee, "concern", dashboard_url="https://a.example")
        [sms_alert] = alert_rows(db, esc.id)
    await rig.drain()
    with rig.database.transaction() as db:
        people.add_contact(db, sup.id or 0, Channel.telegram, "chat-ann", now=NOW)
    sid = rig.sid_of(sms_alert.id)
    with rig.database.transaction() as db:
        apply_status_callback(db, sid, "undelivered", "30003", NOW,
                              dashboard_url="https://b.example")
    await rig.drain()
    [(_chat, text)] = rig.telegram.calls
    assert f"Review: https://b.example/escalations/{esc.id}" in text


async def test_every_alert_failed_with_a_blocked_chat_fails_over(rig: Rig) -> None:
    with rig.database.transaction() as db:
        _program, sup, mentee = _staffed(db)
        urgent = raise_and_alert(db, mentee, "urgent")  # Telegram and SMS
        concern = raise_and_alert(db, mentee, "concern")  # Telegram only
    rig.telegram.script(Undeliverable("Forbidden: bot was blocked by the user"))
    await rig.drain()  # the urgent Telegram alert fails; the queued concern one fails with it
    with rig.database.transaction() as db:
        assert [(m.channel, m.status) for m in alert_rows(db, concern.id)] == [
            (Channel.telegram, MessageStatus.failed), (Channel.sms, MessageStatus.pending)
        ]
        assert len(alert_rows(db, urgent.id)) == 2  # its SMS was already on the way
    await rig.drain()
    assert [a for a, _b in rig.sms.calls] == [contact_address(rig, sup, Channel.sms)] * 2


def contact_address(rig: Rig, person: Person, channel: Channel) -> str:
    with rig.database.transaction() as db:
        return contact(db, person, channel).address


async def test_an_alert_that_dies_after_retries_fails_over_too(rig: Rig) -> None:
    with rig.database.transaction() as db:
        _program, sup, mentee = _staffed(db)
        esc = raise_and_alert(db, mentee, "concern")
    rig.telegram.script(RetryLater("502"), RetryLater("502"))
    await rig.drain()
    rig.clock.now = NOW + timedelta(minutes=10)
    await rig.drain()  # second and last attempt: dead, then the SMS goes out
    await rig.drain()
    with rig.database.transaction() as db:
        assert [(m.channel, m.status) for m in alert_rows(db, esc.id)] == [
            (Channel.telegram, MessageStatus.dead), (Channel.sms, MessageStatus.sent)
        ]
        assert sup.id is not None


@pytest.mark.parametrize(("outcome", "fails_over"), [
    (RetryLater("twilio 20500: Twilio error (HTTP 500)"), True),
    (RetryLater("telegram: timed out"), True),
    (RetryLater("twilio 20003: configuration problem"), True),
    (RetryLater("rate limited", after_seconds=2, rate_limited=True), False),
    (RetryLater("rate limited", after_seconds=600, rate_limited=True), True),
])
async def test_a_failed_attempt_of_an_urgent_alert_fails_over_at_once_unless_a_short_rate_limit(
    rig: Rig, outcome: RetryLater, fails_over: bool,
) -> None:
    with rig.database.transaction() as db:
        _program, sup, mentee = _staffed(db)
        esc = raise_and_alert(db, mentee, "concern")  # one alert: Telegram, the preferred one
        sms = contact(db, sup, Channel.sms).address
    rig.telegram.script(outcome)
    await rig.drain()  # fails once; retried later (due in seconds or minutes)
    with rig.database.transaction() as db:
        rows = alert_rows(db, esc.id)
        assert rows[0].status == MessageStatus.pending and rows[0].attempts == 1
        assert [(m.channel, m.address) for m in rows[1:]] == (
            [(Channel.sms, sms)] if fails_over else [])
        assert len(audits(db, esc.id, "alert_attempt_failed")) == int(fails_over)
    await rig.drain()
    assert [a for a, _b in rig.sms.calls] == ([sms] if fails_over else [])


async def test_alerts_waiting_behind_a_failing_one_at_the_same_address_fail_over_at_once(
    rig: Rig,
) -> None:
    """One address is one queue: while supervisor Ann's SMS alert is retried after a 5xx, the
    alerts of other escalations to her number would wait behind it. Those queued before the
    failure and those queued after it go to the backup's Telegram at once."""
    with rig.database.transaction() as db:
        program, sup, first_mentee = _staffed(db, telegram=False)  # Ann: SMS only
        backup = make_person(db, program, Role.admin, "Bea Backup", sms=False)
        second_mentee = make_person(db, program, Role.mentee, "Bo Diaz")
        third_mentee = make_person(db, program, Role.mentee, "Cy Lam")
        first = raise_and_alert(db, first_mentee, "urgent")
        before = raise_and_alert(db, second_mentee, "urgent")  # queued before the failure
        ann_sms = contact(db, sup, Channel.sms).address
    rig.sms.script(RetryLater("twilio 20500: Twilio error (HTTP 500)"))
    await rig.drain()  # the first alert fails; the second was released unattempted behind it
    with rig.database.transaction() as db:
        after = raise_and_alert(db, third_mentee, "urgent", at=NOW)  # queued after it
        for esc in (first, before, after):
            rows = alert_rows(db, esc.id)
            assert [(m.person_id, m.channel) for m in rows] == [
                (sup.id, Channel.sms), (backup.id, Channel.telegram)], esc.id
            assert rows[0].status == MessageStatus.pending
            [event] = audits(db, esc.id, "alert_failover")
            assert event.detail["outcome"] == "next_person"
        first_sms = alert_rows(db, first.id)[0].id
        assert "blocked_behind" not in audits(db, first.id, "alert_failover")[0].detail
        for esc in (before, after):
            assert audits(db, esc.id, "alert_failover")[0].detail["blocked_behind"] == first_sms
    await rig.drain()
    assert len(rig.telegram.calls) == 3
    assert [a for a, _b in rig.sms.calls] == [ann_sms]  # nothing sent around the failing one


async def test_no_other_channel_goes_to_the_next_on_call_person(rig: Rig) -> None:
    with rig.database.transaction() as db:
        program, sup, mentee = _staffed(db, telegram=False)
        late = make_person(db, program, Role.supervisor, "Lee Late")
        backup = make_person(db, program, Role.admin, "Bea Backup")
        assert program.id is not None
        # NOW is 12:00 in New York: Ann until 12:01, Lee from 12:01; Bea is the backup.
        rota.add_shift(db, program_id=program.id, person_id=sup.id or 0, start="06:00",
                       end="12:01", now=NOW)
        rota.add_shift(db, program_id=program.id, person_id=late.id or 0, start="12:01",
                       end="20:00", now=NOW)
        rota.add_shift(db, program_id=program.id, person_id=backup.id or 0, list="backup",
                       now=NOW)
        esc = raise_and_alert(db, mentee, "urgent")
        [first] = alert_rows(db, esc.id)
        assert first.person_id == sup.id
    await rig.drain()
    rig.clock.now = NOW + timedelta(minutes=2)
    sid = rig.sid_of(first.id)
    with rig.database.transaction() as db:
        apply_status_callback(db, sid, "failed", "30005", rig.clock.now)
        rows = alert_rows(db, esc.id)
        assert [(m.person_id, m.status) for m in rows[1:]] == [
            (late.id, MessageStatus.pending), (late.id, MessageStatus.pending)
        ]
        assert audits(db, esc.id, "alert_failover")[0].detail["outcome"] == "next_person"
        assert db.get(Escalation, esc.id).backup_alerted_at is None  # type: ignore[union-attr]


async def test_nobody_else_on_call_goes_to_the_backup_list(rig: Rig) -> None:
    with rig.database.transaction() as db:
        program, sup, mentee = _staffed(db, telegram=False)
        backup = make_person(db, program, Role.admin, "Bea Backup", sms=False)
        esc = raise_and_alert(db, mentee, "urgent")  # no rota: supervisors on call, admins backup
    rig.sms.script(Undeliverable("21211 invalid 'To' number"))
    await rig.drain()
    with rig.database.transaction() as db:
        rows = alert_rows(db, esc.id)
        assert [(m.person_id, m.channel, m.status) for m in rows] == [
            (sup.id, Channel.sms, MessageStatus.failed),
            (backup.id, Channel.telegram, MessageStatus.pending),
        ]
        assert contact(db, sup, Channel.sms).unreachable
        assert db.get(Escalation, esc.id).backup_alerted_at == NOW  # type: ignore[union-attr]
    await rig.drain()
    assert len(rig.telegram.calls) == 1


async def test_no_failover_while_the_person_is_reached_on_another_channel_or_after_ack(
    rig: Rig,
) -> None:
    with rig.database.transaction() as db:
        program, _sup, mentee = _staffed(db)
        make_person(db, program, Role.admin, "Bea Backup")
        urgent = raise_and_alert(db, mentee, "urgent")  # to Ann's Telegram and SMS
    await rig.drain()
    sms_alert = next(m for m in rig_rows(rig, urgent.id) if m.channel == Channel.sms)
    sid = rig.sid_of(sms_alert.id)
    with rig.database.transaction() as db:
        apply_status_callback(db, sid, "undelivered", "30003", NOW)
        assert len(alert_rows(db, urgent.id)) == 2  # her Telegram has it: nothing more
        [event] = audits(db, urgent.id, "alert_failover")
        assert event.detail["outcome"] == "still_reaching_person"
    with rig.database.transaction() as db:  # acknowledged meanwhile: a failure changes nothing
        concern = raise_and_alert(db, mentee, "concern")
        concern.status = EscalationStatus.acknowledged
    await rig.drain()
    [tg_alert] = rig_rows(rig, concern.id)
    with rig.database.transaction() as db:
        row = db.get(Message, tg_alert.id)
        assert row is not None and row.status == MessageStatus.sent
        row.status = MessageStatus.failed
        assert failover.on_alert_failed(db, row, NOW, dashboard_url=URL) == 0
        assert len(alert_rows(db, concern.id)) == 1


def rig_rows(rig: Rig, esc_id: int | None) -> list[Message]:
    with rig.database.transaction() as db:
        return alert_rows(db, esc_id)


async def test_alert_handed_to_the_provider_is_an_audit_event(db_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select as _select

    from bot.context import AppContext
    from bot.outbox import OutboxSender
    from bot.settings import load_settings
    from storage.models import AuditEvent, Channel, Lane
    from storage.queries import messages as _messages
    from tests.bot.helpers import NOW, database_for
    from tests.bot.scripted_channel import ScriptedChannel

    database = database_for(db_url, engine)
    with database.transaction() as db:
        alert = _messages.enqueue_outbound(db, channel=Channel.sms, address="+13125550100",
                                           body="URGENT #5", kind="alert", lane=Lane.urgent,
                                           now=NOW)
        alert.escalation_id = 5
    ctx = AppContext(settings=load_settings(), database=database, flows={}, clock=lambda: NOW,
                     channels={Channel.sms: ScriptedChannel(Channel.sms)})
    await OutboxSender(ctx).run_once(Lane.urgent)
    with database.transaction() as db:
        events = db.exec(_select(AuditEvent).where(AuditEvent.action == "alert_sent")).all()
        assert [(e.subject_type, e.subject_id) for e in events] == [("escalation", 5)]
