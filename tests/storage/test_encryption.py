"""Encryption at rest (storage/crypto.py), the SQLite file's mode and secure_delete, and
migration 0009 on both databases: what the database holds is read with plain SQL, past the
column types, so a forgotten bind processor would show as plaintext."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from storage import crypto, writes
from storage.db import make_engine, make_session_factory, session_scope
from storage.migrate import downgrade, upgrade
from storage.models import Channel, Escalation, Message, Role
from storage.queries import escalations, messages, people, sessions

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
WORDS = "he said he would hurt me"


def _raw(engine: Engine) -> list[str]:
    """Every stored word column as the database holds it (no type processing)."""
    with engine.connect() as conn:
        found: list[str] = []
        for sql in ("SELECT body FROM message", "SELECT raw_text FROM answer",
                    "SELECT CAST(value AS TEXT) FROM answer",
                    "SELECT CAST(context AS TEXT) FROM checkin_session",
                    "SELECT CAST(evidence AS TEXT) FROM escalation"):
            found += [row[0] for row in conn.exec_driver_sql(sql).all() if row[0] is not None]
        return found


def _words(db: Session, *, at_0008: bool = False) -> tuple[int, int]:
    """A mentee's inbound words (the Prepared hot-path insert), an outbound message (ORM), one
    through the applier's batch write, an answer (batch write), a session whose state holds the answer, an escalation: (message id, escalation id).

    ``at_0008``: the database is at revision 0008, so the escalation is written with that
    revision's columns (the model has more since), and so is the program."""
    if at_0008:
        program_id = int(db.execute(sa.text(
            "INSERT INTO program (name, timezone, quiet_start, quiet_end, settings, created_at)"
            " VALUES ('Hope House', 'America/New_York', '21:00', '08:00', '{}', :now)"
            " RETURNING id"), {"now": NOW}).scalar_one())
    else:
        program = people.add_program(db, "Hope House", now=NOW)
        assert program.id is not None
        program_id = program.id
    ana = people.add_person(db, program_id, Role.mentee, "Ana", now=NOW)
    assert ana.id is not None
    row = sessions.add_session(db, person_id=ana.id, flow_id="mentee_checkin", now=NOW,
                               context={"answers": {"anything_else": WORDS}})
    assert row.id is not None
    inbound = messages.insert_inbound(db, Channel.sms, "+15550001", "SM1", WORDS, ana.id, NOW,
                                      session_id=row.id)
    assert inbound is not None
    if at_0008:  # the outbound rows with that revision's columns (no request_id yet: 0014)
        for body in (f"you said: {WORDS}", f"hot path: {WORDS}"):
            db.execute(sa.text(
                "INSERT INTO message (direction, channel, address, person_id, session_id, body,"
                " kind, status, lane, priority, attempts, next_attempt_at, created_at,"
                " updated_at) VALUES ('outbound', 'sms', '+15550001', :person, :session, :body,"
                " 'reply', 'pending', 'routine', 1, 0, :now, :now, :now)"),
                {"person": ana.id, "session": row.id, "body": body, "now": NOW})
    else:
        messages.enqueue_outbound(db, channel=Channel.sms, address="+15550001",
                                  body=f"you said: {WORDS}", kind="reply", lane="routine",
                                  now=NOW)
        # The applier's batch writes (`storage.writes`): the words pass their columns'
        # encryption.
        writes.insert_outbox(db, [(Channel.sms, "+15550001", ana.id, row.id,
                                   f"hot path: {WORDS}", "reply", "routine", 1, None)], NOW)
    writes.insert_answers(db, [(row.id, ana.id, "anything_else", WORDS, WORDS, "answered")],
                          NOW)
    if at_0008:
        found = db.execute(sa.text(
            "INSERT INTO escalation (program_id, person_id, session_id, level, reasons, evidence,"
            " status, raised_at, due_at, alert_round, updated_at) VALUES (:program, :person,"
            " :session, 'urgent', :reasons, :evidence, 'open', :now, :now, 0, :now)"
            " RETURNING id"),
            {"program": program_id, "person": ana.id, "session": row.id, "now": NOW,
             "reasons": json.dumps(["threatened"]), "evidence": json.dumps([WORDS])})
        return inbound, int(found.scalar_one())
    esc, _ = escalations.add_or_merge_escalation(
        db, program_id=program_id, person_id=ana.id, session_id=row.id, level="urgent",
        reasons=["threatened"], evidence=[WORDS], now=NOW, due_at=NOW)
    assert esc.id is not None
    return inbound, esc.id


def test_with_a_key_nothing_is_stored_in_plaintext_and_all_reads_back(
    engine: Engine, data_key: str
) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as db:
        message_id, esc_id = _words(db)
    stored = _raw(engine)
    assert len(stored) == 7  # 3 messages, raw text, value, session state, evidence
    assert not [value for value in stored if "hurt" in value]
    assert all(crypto.MARK in value for value in stored)  # all in the current format
    with session_scope(factory) as db:
        message = db.get(Message, message_id)
        esc = db.get(Escalation, esc_id)
        assert message is not None and message.body == WORDS
        assert esc is not None and esc.evidence == [WORDS]


def test_plaintext_rows_stay_readable_once_a_key_is_set(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as db:
        message_id, esc_id = _words(db)
    assert any("hurt" in value for value in _raw(engine))
    crypto.configure([crypto.new_key()])
    with session_scope(factory) as db:
        message = db.get(Message, message_id)
        esc = db.get(Escalation, esc_id)
        assert message is not None and message.body == WORDS
        assert esc is not None and esc.evidence == [WORDS]


def test_a_key_that_does_not_open_the_rows_is_a_clear_error(engine: Engine) -> None:
    factory = make_session_factory(engine)
    crypto.configure([crypto.new_key()])
    with session_scope(factory) as db:
        message_id, _ = _words(db)
    crypto.configure([crypto.new_key()])  # the old key lost
    with session_scope(factory) as db, pytest.raises(crypto.DataKeyError,
                                                     match="not in DATA_KEYS"):
        db.get(Message, message_id)
    crypto.configure(None)  # no key at all
    with session_scope(factory) as db, pytest.raises(crypto.DataKeyError,
                                                     match="DATA_KEYS is not set"):
        db.get(Message, message_id)


def test_a_malformed_key_is_refused() -> None:
    with pytest.raises(crypto.DataKeyError, match="checkin keys new"):
        crypto.Keyring(["not-a-key"])


def test_sqlite_file_is_created_owner_only_and_secure_delete_is_on(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            conn.exec_driver_sql("CREATE TABLE t (x)")  # a write: the -wal and -shm appear
            for name in ("fresh.db", "fresh.db-wal", "fresh.db-shm"):
                mode = stat.S_IMODE(os.stat(tmp_path / name).st_mode)
                assert mode == 0o600, f"{name}: {oct(mode)}"
    finally:
        engine.dispose()


@pytest.mark.parametrize("keyed", [True, False], ids=["with-key", "without-key"])
def test_migration_0009_encrypts_existing_rows_and_downgrade_decrypts(
    empty_db_url: str, keyed: bool
) -> None:
    upgrade(empty_db_url, "0008")
    engine = make_engine(empty_db_url)
    try:
        with session_scope(make_session_factory(engine)) as db:
            _words(db, at_0008=True)  # plaintext, as written before 0009
        key = crypto.new_key()
        crypto.configure([key] if keyed else None)
        upgrade(empty_db_url)
        stored = _raw(engine)
        if not keyed:  # left readable, for `checkin keys rotate`
            assert any("hurt" in value for value in stored)
            return
        assert not [value for value in stored if "hurt" in value]
        crypto.configure(None)
        with pytest.raises(RuntimeError, match="DATA_KEYS is not set"):
            downgrade(empty_db_url, "0008")
        crypto.configure([key])
        downgrade(empty_db_url, "0008")
        stored = _raw(engine)
        assert not [value for value in stored if crypto.MARK_FERNET in value]
        assert sum("hurt" in value for value in stored) >= 6
    finally:
        engine.dispose()


def test_rotation_and_migration_cover_every_encrypted_column() -> None:
    """`checkin keys rotate` walks `ENCRYPTED_COLUMNS`: a new encrypted column must be in it."""
    from sqlmodel import SQLModel

    typed = {(table.name, column.name, "text" if isinstance(column.type, crypto.EncryptedText)
              else "json")
             for table in SQLModel.metadata.tables.values() for column in table.columns
             if isinstance(column.type, crypto.EncryptedText | crypto.EncryptedJSON)}
    assert typed == set(crypto.ENCRYPTED_COLUMNS)
