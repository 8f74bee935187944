"""DATA_KEYS at work: `checkin keys new` / `rotate`, production's refusal without a key, and
development's plaintext with a warning (the commands run in-process, tests/bot/test_cli.py)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot import data_keys
from bot.settings import ConfigError, load_settings
from storage import crypto
from storage.db import make_session_factory, session_scope
from storage.models import Answer, CheckinSession, Escalation, Message
from tests.bot.test_cli import run
from tests.storage.test_encryption import WORDS, _raw, _words


def test_keys_new_prints_a_usable_key() -> None:
    out = run("keys", "new")
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip()
    assert crypto.Keyring([key]).open(crypto.Keyring([key]).seal("x", "a.b"), "a.b") == "x"
    assert run("keys", "new").stdout.strip() != key


def test_rotate_moves_old_rows_to_the_new_key_and_encrypts_plaintext(
    db_url: str, engine: Engine
) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    factory = make_session_factory(engine)
    crypto.configure([old])
    with session_scope(factory) as db:
        _words(db)  # 7 values under the old key
    crypto.configure(None)
    with session_scope(factory) as db:  # one written before any key: plaintext
        db.add(Message(direction="inbound", channel="sms", address="+15550002", body=WORDS,
                       kind="inbound", status="received"))
    env = {"DATABASE_URL": db_url, "DATA_KEYS": f"{new},{old}"}

    first = run("keys", "rotate", "--batch", "2", env=env)

    assert first.returncode == 0, first.stderr
    assert "done: 1 encrypted, 7 moved to the newest key, 0 already done" in first.stdout
    assert not [value for value in _raw(engine) if "hurt" in value]
    # Only the new key now: every row opens.
    crypto.configure([new])
    with session_scope(factory) as db:
        bodies = db.exec(select(Message.body)).all()
        assert sum(WORDS in (body or "") for body in bodies) == 4
        assert db.exec(select(Answer.raw_text)).one() == WORDS
        assert db.exec(select(Escalation.evidence)).one() == [WORDS]
        assert db.exec(select(CheckinSession.context)).one()["answers"] == {
            "anything_else": WORDS}
    again = run("keys", "rotate", env=env)  # safe to re-run: nothing left to do
    assert "done: 0 encrypted, 0 moved to the newest key, 8 already done" in again.stdout


def test_rotate_without_a_key_says_how_to_make_one(sqlite_db_url: str) -> None:
    out = run("keys", "rotate", env={"DATABASE_URL": sqlite_db_url, "DATA_KEYS": ""})
    assert out.returncode == 2 and "checkin keys new" in out.stderr


@pytest.mark.parametrize("command", [("serve",), ("doctor",), ("db", "upgrade")])
def test_production_without_a_key_refuses_to_start(
    sqlite_db_url: str, command: tuple[str, ...]
) -> None:
    out = run(*command, env={"DATABASE_URL": sqlite_db_url, "ENVIRONMENT": "production",
                             "DATA_KEYS": ""})
    said = out.stdout + out.stderr
    assert out.returncode != 0
    assert "ENVIRONMENT=production needs DATA_KEYS" in said and "checkin keys new" in said


def test_production_settings_without_a_key_are_refused_and_with_one_accepted() -> None:
    with pytest.raises(ConfigError, match="checkin keys new"):
        load_settings(environment="production", data_keys=None)
    settings = load_settings(environment="production", data_keys=crypto.new_key())
    assert len(settings.data_key_list) == 1
    with pytest.raises(ConfigError, match="DATA_KEYS: data key 2 is not a Fernet key"):
        load_settings(data_keys=f"{crypto.new_key()},nope")


def test_development_without_a_key_warns_once_and_doctor_says_so(
    sqlite_db_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_keys, "_warned", False)
    settings = load_settings(database_url=sqlite_db_url, data_keys=None)
    with caplog.at_level(logging.WARNING, logger="bot.data_keys"):
        assert data_keys.install(settings) is None
        data_keys.install(settings)
    assert [r.getMessage() for r in caplog.records].count(data_keys.PLAINTEXT_WARNING) == 1
    out = run("doctor", env={"DATABASE_URL": sqlite_db_url, "DATA_KEYS": ""})
    assert "Encryption at rest: OFF" in out.stdout
    keyed = run("doctor", env={"DATABASE_URL": sqlite_db_url, "DATA_KEYS": crypto.new_key()})
    assert "Encryption at rest: on (1 key;" in keyed.stdout
