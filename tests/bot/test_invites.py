"""Invite codes: shape, single use (also under concurrency), binding rules, the CLI."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import typer
from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import telegram_cmd
from bot.database import Database
from bot.invites import create_invite, invite_link, redeem_invite
from bot.settings import load_settings
from storage.models import AuditEvent, Channel, ContactPoint, InviteCode, Person, PersonStatus, Role
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import FakeTelegram

VALID = timedelta(hours=72)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def person_with_code(database: Database, *, created: timedelta = timedelta(0),
                     telegram: str | None = None, name: str = "Ana Torres") -> tuple[int, str]:
    with database.transaction() as db:
        kw = {"channel": Channel.telegram, "address": telegram} if telegram else {}
        person = enrol(db, Role.mentee, name, **kw)  # type: ignore[arg-type]
        assert person.id is not None
        return person.id, create_invite(db, person.id, NOW - created, VALID).code


def redeem(database: Database, code: str, chat: str, after: timedelta = timedelta(0)) -> int | None:
    with database.transaction() as db:
        person = redeem_invite(db, code, chat, NOW + after)
        return person.id if person else None


def telegram_contacts(database: Database) -> list[tuple[int, str]]:
    with database.transaction() as db:
        rows = db.exec(select(ContactPoint).where(ContactPoint.channel == Channel.telegram))
        return sorted((c.person_id, c.address) for c in rows.all())


def test_code_shape_and_link(database: Database) -> None:
    codes = {person_with_code(database, name=f"P{i}")[1] for i in range(5)}
    assert len(codes) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", c) for c in codes)
    assert invite_link("@peer_checkin_bot", "abc_-1") == "https://t.me/peer_checkin_bot?start=abc_-1"
    with database.transaction() as db:
        created = db.exec(select(AuditEvent).where(AuditEvent.action == "invite_created")).all()
        assert len(created) == 5 and not any(c in str(e.detail) for e in created for c in codes)


def test_redeem_binds_once_and_audits_without_the_code(database: Database) -> None:
    person_id, code = person_with_code(database)
    assert redeem(database, code, "7001") == person_id
    assert telegram_contacts(database) == [(person_id, "7001")]
    with database.transaction() as db:
        invite = db.exec(select(InviteCode)).one()
        assert invite.used_at == NOW
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "telegram_bound")).one()
        assert event.actor == f"person:{person_id}" and code not in str(event.detail)
    assert redeem(database, code, "7001") is None  # used
    assert redeem(database, code, "7002") is None
    assert telegram_contacts(database) == [(person_id, "7001")]


@pytest.mark.parametrize(
    ("label", "code", "after"),
    [
        ("expires exactly now", None, VALID),
        ("long expired", None, VALID * 10),
        ("unknown", "NoSuchCode_12345", timedelta(0)),
        ("not a code", "bad code!", timedelta(0)),
        ("too long", "a" * 65, timedelta(0)),
        ("empty", "", timedelta(0)),
    ],
)
def test_unusable_codes_change_nothing(
    database: Database, label: str, code: str | None, after: timedelta
) -> None:
    _, real = person_with_code(database)
    assert redeem(database, code if code is not None else real, "7001", after) is None, label
    assert telegram_contacts(database) == []
    with database.transaction() as db:
        assert db.exec(select(InviteCode)).one().used_at is None


def test_chat_of_someone_else_is_refused_and_the_code_stays_usable(database: Database) -> None:
    other_id, _ = person_with_code(database, telegram="7001", name="Bea Ruiz")
    person_id, code = person_with_code(database, name="Ana Torres")
    assert redeem(database, code, "7001") is None
    assert telegram_contacts(database) == [(other_id, "7001")]
    assert redeem(database, code, "7002") == person_id


def test_redeem_repoints_an_existing_telegram_contact(database: Database) -> None:
    person_id, code = person_with_code(database, telegram="1111")
    with database.transaction() as db:
        old = people.find_contact(db, Channel.telegram, "1111")
        assert old is not None
        old.unreachable, old.unreachable_reason = True, "telegram: blocked by user"
        old.opted_out = True
    assert redeem(database, code, "2222") == person_id
    with database.transaction() as db:
        contact = people.find_contact(db, Channel.telegram, "2222")
        assert contact is not None and contact.person_id == person_id
        assert not contact.unreachable and not contact.opted_out and contact.consent_at == NOW
    assert telegram_contacts(database) == [(person_id, "2222")]


def test_person_who_left_cannot_redeem(database: Database) -> None:
    person_id, code = person_with_code(database)
    with database.transaction() as db:
        person = db.get(Person, person_id)
        assert person is not None
        person.status = PersonStatus.exited
    assert redeem(database, code, "7001") is None


def test_single_use_under_concurrency(database: Database) -> None:
    person_id, code = person_with_code(database)
    chats = [str(8000 + i) for i in range(4)]
    barrier = threading.Barrier(len(chats))
    results: dict[str, int | None] = {}

    def attempt(chat: str) -> None:
        barrier.wait()
        results[chat] = redeem(database, code, chat)

    threads = [threading.Thread(target=attempt, args=(chat,)) for chat in chats]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    winners = [chat for chat, pid in results.items() if pid == person_id]
    assert len(results) == 4 and len(winners) == 1
    assert telegram_contacts(database) == [(person_id, winners[0])]


# -- `checkin people invite ID` ---------------------------------------------------------------


@pytest.fixture
def fake_api() -> Iterator[str]:
    with LoopbackServer(FakeTelegram(bot_username="hope_checkin_bot")) as srv:
        yield f"{srv.url}/bot"


def invite_cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(telegram_cmd.invite)
    return app


def test_invite_command_prints_a_working_link(
    database: Database, fake_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    person_id, _ = person_with_code(database)
    cfg = load_settings(telegram_bot_token="123:ABC", telegram_mode="polling",
                        telegram_api_base_url=fake_api, invite_valid_hours=48)
    monkeypatch.setattr(telegram_cmd, "settings", lambda: cfg)
    monkeypatch.setattr(telegram_cmd, "database", lambda: database)
    result = CliRunner().invoke(invite_cli(), [str(person_id)])
    assert result.exit_code == 0, result.output
    match = re.search(r"https://t\.me/hope_checkin_bot\?start=([A-Za-z0-9_-]+)", result.output)
    assert match is not None and "(48 h)" in result.output and "123:ABC" not in result.output
    with database.transaction() as db:
        row = db.exec(select(InviteCode).where(InviteCode.code == match.group(1))).one()
        assert row.person_id == person_id and row.used_at is None


@pytest.mark.parametrize(
    ("label", "token", "person", "message"),
    [
        ("no token", None, True, "TELEGRAM_BOT_TOKEN is not set"),
        ("no such person", "123:ABC", False, "no person with id"),
    ],
)
def test_invite_command_fails_readably(
    database: Database, fake_api: str, monkeypatch: pytest.MonkeyPatch, label: str,
    token: str | None, person: bool, message: str,
) -> None:
    person_id, _ = person_with_code(database)
    cfg = load_settings(telegram_bot_token=token, telegram_mode="polling",
                        telegram_api_base_url=fake_api)
    monkeypatch.setattr(telegram_cmd, "settings", lambda: cfg)
    monkeypatch.setattr(telegram_cmd, "database", lambda: database)
    result = CliRunner().invoke(invite_cli(), [str(person_id if person else 999)])
    assert result.exit_code == 2 and message in result.output, label
    with database.transaction() as db:
        assert len(db.exec(select(InviteCode)).all()) == 1  # only the fixture's code
