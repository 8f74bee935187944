"""The current stored format, ``enc2:`` (AES-256-GCM bound to its column; storage/crypto.py):
round trip, a value moved to another column or altered refuses to open, and rows in the older
Fernet format (``enc1:``, as migration 0009 wrote them) stay readable and are moved to enc2 by
the rotation, on both databases."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, text
from sqlmodel import select

from storage import crypto
from storage.db import make_engine, make_session_factory, session_scope
from storage.migrate import downgrade, upgrade
from storage.models import Answer, CheckinSession, Escalation, Message, Role
from storage.queries import people, sessions
from storage.reseal import Resealed, reseal_column
from tests.storage.test_encryption import WORDS, _raw, _words

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def _flip_last_byte(stored: str) -> str:
    blob = bytearray(base64.b64decode(stored[len(crypto.MARK):]))
    blob[-1] ^= 1
    return crypto.MARK + base64.b64encode(bytes(blob)).decode("ascii")


def test_enc2_round_trip_hides_the_text_and_never_repeats() -> None:
    ring = crypto.Keyring([crypto.new_key()])
    text = "me siento sola 😞 — he said he would hurt me"
    first, second = ring.seal(text, "message.body"), ring.seal(text, "message.body")
    assert first.startswith(crypto.MARK) and second.startswith(crypto.MARK)
    assert "hurt" not in first and first != second  # a fresh nonce each time
    assert ring.open(first, "message.body") == ring.open(second, "message.body") == text
    assert ring.is_newest(first)
    # Shorter than the Fernet token of the same text (no CBC padding, no separate HMAC).
    token = crypto.MARK_FERNET + Fernet(ring.keys[0].encode()).encrypt(text.encode()).decode()
    assert ring.open(token, "message.body") == text
    assert len(first) < len(token)


def test_a_value_moved_to_another_column_or_altered_does_not_open() -> None:
    ring = crypto.Keyring([crypto.new_key()])
    stored = ring.seal(WORDS, "answer.raw_text")
    with pytest.raises(crypto.DataKeyError, match=r"message\.body fails its integrity check"):
        ring.open(stored, "message.body")
    with pytest.raises(crypto.DataKeyError, match=r"answer\.raw_text fails its integrity check"):
        ring.open(_flip_last_byte(stored), "answer.raw_text")
    for broken in (stored[:-20], crypto.MARK + "not base64 at all!", crypto.MARK + "ünï"):
        with pytest.raises(crypto.DataKeyError):
            ring.open(broken, "answer.raw_text")
    other = crypto.Keyring([crypto.new_key()])
    with pytest.raises(crypto.DataKeyError, match="not in DATA_KEYS"):
        other.open(stored, "answer.raw_text")


def test_each_encrypted_column_is_bound_to_its_own_name() -> None:
    """`checkin keys rotate` binds to "table.column": the column types must say the same."""
    from sqlmodel import SQLModel

    bound = {(table.name, column.name): column.type.column
             for table in SQLModel.metadata.tables.values() for column in table.columns
             if isinstance(column.type, crypto.EncryptedText | crypto.EncryptedJSON)}
    assert bound == {(t, c): f"{t}.{c}" for t, c, _ in crypto.ENCRYPTED_COLUMNS}


def test_an_answer_copied_into_a_message_body_in_sql_is_refused(
    engine: Engine, data_key: str
) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as db:
        message_id, _ = _words(db)
    with engine.begin() as conn:  # what someone with write access to the database could do
        conn.exec_driver_sql("UPDATE message SET body = (SELECT raw_text FROM answer LIMIT 1) "
                             f"WHERE id = {message_id}")
    with session_scope(factory) as db, pytest.raises(
            crypto.DataKeyError, match="copied there from another column"):
        db.get(Message, message_id)


def test_altered_ciphertext_in_the_database_is_refused(engine: Engine, data_key: str) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as db:
        message_id, _ = _words(db)
    with engine.begin() as conn:
        stored = conn.exec_driver_sql(f"SELECT body FROM message WHERE id = {message_id}").scalar()
        conn.execute(text("UPDATE message SET body = :body WHERE id = :id"),
                     {"body": _flip_last_byte(stored), "id": message_id})
    with session_scope(factory) as db, pytest.raises(crypto.DataKeyError,
                                                     match="fails its integrity check"):
        db.get(Message, message_id)


def test_fernet_rows_stay_readable_and_rotation_moves_them_to_enc2(empty_db_url: str) -> None:
    """Rows written as ``enc1:`` (migration 0009 with a key) under an old key; the new key in
    front: everything reads, and `reseal_column` (`checkin keys rotate`) re-writes every value
    as enc2 under the new key, after which the old key can go."""
    upgrade(empty_db_url, "0008")
    engine = make_engine(empty_db_url)
    try:
        factory = make_session_factory(engine)
        with session_scope(factory) as db:
            _words(db, at_0008=True)  # plaintext, as written before 0009
        old, new = crypto.new_key(), crypto.new_key()
        crypto.configure([old])
        upgrade(empty_db_url)  # 0009 encrypts them in the Fernet format
        assert all(value.lstrip('"').startswith(crypto.MARK_FERNET) for value in _raw(engine))

        ring = crypto.configure([new, old])
        assert ring is not None
        with session_scope(factory) as db:
            assert db.exec(select(Answer.raw_text)).one() == WORDS
            assert db.exec(select(Escalation.evidence)).one() == [WORDS]

        total = Resealed()
        with engine.connect() as conn:
            for table, column, kind in crypto.ENCRYPTED_COLUMNS:
                total.add(reseal_column(conn, table, column, kind, ring, batch=2))
            conn.commit()
        assert (total.rekeyed, total.encrypted) == (7, 0)
        stored = _raw(engine)
        assert all(value.lstrip('"').startswith(crypto.MARK) for value in stored)
        assert not [value for value in stored if "hurt" in value]

        crypto.configure([new])  # the old key gone: every row still opens
        with session_scope(factory) as db:
            bodies = db.exec(select(Message.body)).all()
            assert sum(WORDS in (body or "") for body in bodies) == 3
            assert db.exec(select(Answer.value)).one() == WORDS
            assert db.exec(select(CheckinSession.context)).one()["answers"] == {
                "anything_else": WORDS}
        with engine.connect() as conn:  # a second run finds nothing to do
            again = reseal_column(conn, "message", "body", "text", crypto.keyring(), batch=2)
        assert (again.rekeyed, again.unchanged) == (0, 3)
    finally:
        engine.dispose()


def test_a_key_listed_twice_is_one_key() -> None:
    key = crypto.new_key()
    ring = crypto.Keyring([key, key])
    assert ring.open(crypto.Keyring([key]).seal("x", "a.b"), "a.b") == "x"


def test_a_conversation_state_is_plain_only_while_its_answers_are_numbers_or_yes_no(
    engine: Engine, data_key: str
) -> None:
    """The state holds the answers: with only numbers and yes/no in it (plaintext in the
    answer rows anyway) it is stored as it is, saving every turn a seal and an open; a free-text
    answer, or a field nobody has judged yet, makes it encrypted."""
    numbers = {"flow_id": "mentee_checkin", "current": "safety", "turn": 2,
               "answers": {"comfort": 4, "pressured": False}, "values": {"name": "Ana"}}
    assert crypto.seal_json(numbers, crypto.SESSION_STATE) == numbers
    with_words = {**numbers, "answers": {"comfort": 4, "anything_else": WORDS}}
    assert crypto.is_sealed(crypto.seal_json(with_words, crypto.SESSION_STATE))
    assert crypto.is_sealed(crypto.seal_json({**numbers, "notes": "x"}, crypto.SESSION_STATE))
    assert crypto.is_sealed(crypto.seal_json(numbers, "answer.value"))  # only the state
    encoded = json.dumps(numbers)  # the bulk start path hands JSON text
    assert crypto.seal_json_text(encoded, crypto.SESSION_STATE) == encoded
    assert crypto.is_sealed(json.loads(crypto.seal_json_text(json.dumps(with_words),
                                                             crypto.SESSION_STATE)))

    factory = make_session_factory(engine)
    with session_scope(factory) as db:
        program = people.add_program(db, "Hope House", now=NOW)
        assert program.id is not None
        ana = people.add_person(db, program.id, Role.mentee, "Ana", now=NOW)
        assert ana.id is not None
        row = sessions.add_session(db, person_id=ana.id, flow_id="mentee_checkin", now=NOW,
                                   context=numbers)
        session_id = row.id
    [stored] = _raw(engine)
    assert json.loads(stored) == numbers
    with session_scope(factory) as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None
        row.context = with_words
    [stored] = _raw(engine)
    assert "hurt" not in stored and json.loads(stored).startswith(crypto.MARK)
    with session_scope(factory) as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None and row.context == with_words


def test_the_state_fields_judged_plain_are_the_session_state_fields() -> None:
    """A field added to SessionState makes every state encrypted (safe, but slower) until it is
    judged here: this test says so."""
    from dataclasses import fields

    from flows.state import SessionState

    assert crypto._STATE_FIELDS == {f.name for f in fields(SessionState)}


def test_downgrade_below_0010_rewrites_enc2_as_enc1_and_refuses_without_a_key(
    empty_db_url: str
) -> None:
    """The code of 0009 reads only enc1: a downgrade leaves nothing it would show as text."""
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        key = crypto.new_key()
        crypto.configure([key])
        factory = make_session_factory(engine)
        with session_scope(factory) as db:
            _words(db)
        assert all(value.lstrip('"').startswith(crypto.MARK) for value in _raw(engine))
        crypto.configure(None)
        with pytest.raises(RuntimeError, match="DATA_KEYS is not set"):
            downgrade(empty_db_url, "0009")
        crypto.configure([crypto.new_key()])
        with pytest.raises(RuntimeError, match="not in DATA_KEYS"):
            downgrade(empty_db_url, "0009")
        crypto.configure([key])
        downgrade(empty_db_url, "0009")
        stored = _raw(engine)
        assert len(stored) == 7
        assert all(value.lstrip('"').startswith(crypto.MARK_FERNET) for value in stored)
        downgrade(empty_db_url, "0008")  # and 0009's own downgrade opens them all
        assert sum("hurt" in value for value in _raw(engine)) == 7
    finally:
        engine.dispose()
