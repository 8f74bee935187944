"""`storage.prepared.Prepared` stores and reads exactly what `Connection.execute` would, on
SQLite and PostgreSQL, and fails the way it would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import Answer, CheckinSession, Message, Person, Program, Role, SessionStatus
from storage.prepared import Prepared, pipelined

NOW = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
_SESSION = CheckinSession.__table__  # type: ignore[attr-defined]
_ANSWER = Answer.__table__  # type: ignore[attr-defined]
_MESSAGE = Message.__table__  # type: ignore[attr-defined]


def _person(engine: Engine) -> int:
    with Session(engine) as db:
        program = Program(name="P")
        db.add(program)
        db.flush()
        assert program.id is not None
        person = Person(program_id=program.id, role=Role.mentee, display_name="Ana")
        db.add(person)
        db.commit()
        assert person.id is not None
        return person.id


def _stored(engine: Engine, table: Any, row_id: int) -> tuple[Any, ...]:
    """The row as the driver returns it, before any SQLAlchemy type processing."""
    with engine.connect() as conn:
        cols = ", ".join(f'"{c.name}"' for c in table.c if c.name != "id")
        row = conn.exec_driver_sql(f"SELECT {cols} FROM {table.name} WHERE id = {row_id}").one()
        return tuple(row)


ANSWER_VALUES: list[dict[str, Any]] = [
    {"key": "comfort", "raw_text": "4", "value": 4, "value_num": 4.0, "status": "answered"},
    {"key": "pressure", "raw_text": "no", "value": False, "value_num": None,
     "status": "answered"},
    {"key": "note", "raw_text": None, "value": "ünïcode ✓ 'quoted'", "value_num": None,
     "status": "skipped"},
    {"key": "nothing", "raw_text": "", "value": None, "value_num": None, "status": "skipped"},
]


@pytest.mark.parametrize("values", ANSWER_VALUES, ids=[v["key"] for v in ANSWER_VALUES])
def test_an_insert_stores_what_connection_execute_stores(engine: Engine,
                                                         values: dict[str, Any]) -> None:
    person_id = _person(engine)
    when = NOW.astimezone(timezone(timedelta(hours=-5)))  # an aware non-UTC time is stored as UTC
    with engine.begin() as conn:
        session_id = conn.execute(insert(_SESSION).values(
            person_id=person_id, flow_id="f", flow_version=1, turn=0, context={},
            status=SessionStatus.active, language="en", started_at=NOW, updated_at=NOW,
        )).inserted_primary_key[0]
        params = {"session_id": session_id, "person_id": person_id, **values, "created_at": when}
        conn.execute(insert(_ANSWER), params)
        Prepared(insert(_ANSWER).inline()).rows(conn, params)
        ids = conn.execute(select(_ANSWER.c.id).order_by(_ANSWER.c.id)).scalars().all()
    assert len(ids) == 2
    assert _stored(engine, _ANSWER, ids[0]) == _stored(engine, _ANSWER, ids[1])


def test_a_select_reads_what_connection_execute_reads(engine: Engine) -> None:
    person_id = _person(engine)
    context = {"answers": {"comfort": 4}, "flags": [True, None], "text": "é"}
    with engine.begin() as conn:
        conn.execute(insert(_SESSION).values(
            person_id=person_id, flow_id="f", flow_version=1, turn=2, context=context,
            status=SessionStatus.active, language="en", started_at=NOW, updated_at=NOW,
            nudge_at=NOW + timedelta(hours=1)))
    stmt = (select(_SESSION.c.id, _SESSION.c.context, _SESSION.c.status, _SESSION.c.nudge_at,
                   _SESSION.c.ended_at)
            .where(_SESSION.c.person_id == bindparam("p"),
                   _SESSION.c.status == SessionStatus.active)
            .limit(1))
    with engine.begin() as conn:
        expected = tuple(conn.execute(stmt, {"p": person_id}).one())
        got = Prepared(stmt).first(conn, {"p": person_id})
        missing = Prepared(stmt).first(conn, {"p": person_id + 1})
    assert got == expected
    assert got is not None and got[1] == context and got[2] is SessionStatus.active
    assert got[3] == NOW + timedelta(hours=1) and got[3].tzinfo is not None
    assert missing is None


def test_an_update_follows_the_keys_it_is_given(engine: Engine) -> None:
    person_id = _person(engine)
    stmt = Prepared(update(_SESSION).where(_SESSION.c.id == bindparam("_id")))
    with engine.begin() as conn:
        session_id = conn.execute(insert(_SESSION).values(
            person_id=person_id, flow_id="f", flow_version=1, turn=0, context={},
            status=SessionStatus.active, language="en", started_at=NOW, updated_at=NOW,
        )).inserted_primary_key[0]
        stmt.rows(conn, {"_id": session_id, "turn": 1, "context": {"a": 1}, "updated_at": NOW})
        stmt.rows(conn, {"_id": session_id, "status": SessionStatus.completed, "ended_at": NOW})
        row = conn.execute(select(_SESSION.c.turn, _SESSION.c.context, _SESSION.c.status,
                                  _SESSION.c.ended_at)
                           .where(_SESSION.c.id == session_id)).one()
    assert tuple(row) == (1, {"a": 1}, SessionStatus.completed, NOW)


def test_many_rows_and_a_returning_insert(engine: Engine) -> None:
    base = {"direction": "outbound", "channel": "sms", "address": "+15555550100",
            "person_id": None, "session_id": None, "body": "hi", "kind": "question",
            "status": "pending", "lane": "routine", "priority": 1, "attempts": 0,
            "next_attempt_at": NOW, "created_at": NOW, "updated_at": NOW}
    with engine.begin() as conn:
        Prepared(insert(_MESSAGE).inline()).many(conn, [base, {**base, "body": "there"}])
        returned = Prepared(insert(_MESSAGE).returning(_MESSAGE.c.id)).first(
            conn, {**base, "body": "third"})
        bodies = conn.execute(select(_MESSAGE.c.id, _MESSAGE.c.body)
                              .order_by(_MESSAGE.c.id)).all()
    assert [b for _, b in bodies] == ["hi", "there", "third"]
    assert returned == (bodies[-1][0],)


def test_a_driver_error_is_raised_as_sqlalchemys(engine: Engine) -> None:
    stmt = Prepared(insert(_ANSWER).inline())
    with pytest.raises(IntegrityError), engine.begin() as conn:  # no such session: FK, NOT NULL
        stmt.rows(conn, {"session_id": None, "person_id": None, "key": "k", "raw_text": None,
                         "value": None, "value_num": None, "status": "answered",
                         "created_at": NOW})


def _answer(session_id: int | None, person_id: int | None, key: str | None) -> dict[str, Any]:
    return {"session_id": session_id, "person_id": person_id, "key": key, "raw_text": None,
            "value": None, "value_num": None, "status": "answered", "created_at": NOW}


def _session(conn: Any, person_id: int) -> int:
    return int(conn.execute(insert(_SESSION).values(
        person_id=person_id, flow_id="f", flow_version=1, current_state="q", turn=0,
        context={}, status=SessionStatus.active, started_at=NOW, updated_at=NOW,
    ).returning(_SESSION.c.id)).scalar_one())


def test_a_pipeline_writes_in_order_and_a_read_inside_sees_them(engine: Engine) -> None:
    """Inside `pipelined` (PostgreSQL's pipeline mode; plain statements on SQLite) writes go
    out without waiting, and a read waits for them: it sees every earlier write."""
    person_id = _person(engine)
    write = Prepared(insert(_ANSWER).inline())
    count = Prepared(select(_ANSWER.c.key).where(_ANSWER.c.person_id == bindparam("p"))
                     .order_by(_ANSWER.c.id))
    with engine.begin() as conn:
        session_id = _session(conn, person_id)
        with pipelined(conn):
            write.rows(conn, _answer(session_id, person_id, "first"))
            write.many(conn, [_answer(session_id, person_id, k) for k in ("second", "third")])
            seen = count.rows(conn, {"p": person_id})
            write.rows(conn, _answer(session_id, person_id, "after the read"))
        assert seen == [("first",), ("second",), ("third",)]
    with engine.connect() as conn:
        assert [k for (k,) in count.rows(conn, {"p": person_id})] == [
            "first", "second", "third", "after the read"]


@pytest.mark.parametrize("read_after", [False, True], ids=["at-the-end", "at-a-read"])
def test_an_error_in_a_pipeline_is_raised_as_sqlalchemys(engine: Engine,
                                                         read_after: bool) -> None:
    """A write that fails inside a pipeline is reported at the next read or at the block's end
    (not at the statement), still as SQLAlchemy's IntegrityError; the transaction rolls back
    whole and the connection is good for the next one."""
    person_id = _person(engine)
    write = Prepared(insert(_ANSWER).inline())
    keys = Prepared(select(_ANSWER.c.key).where(_ANSWER.c.person_id == bindparam("p")))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        session_id = _session(conn, person_id)
        with pipelined(conn):
            write.rows(conn, _answer(session_id, person_id, "kept?"))
            write.rows(conn, _answer(session_id, person_id, None))  # key is NOT NULL
            if read_after:
                keys.rows(conn, {"p": person_id})
    with engine.begin() as conn:
        assert keys.rows(conn, {"p": person_id}) == []  # nothing of it was stored
        session_id = _session(conn, person_id)
        with pipelined(conn):
            write.rows(conn, _answer(session_id, person_id, "next"))
    with engine.connect() as conn:
        assert keys.rows(conn, {"p": person_id}) == [("next",)]


def test_sent_statements_are_fetched_in_any_order(engine: Engine) -> None:
    """`Prepared.send` puts several statements in one pipeline before any is read (one round
    trip on PostgreSQL); each fetch returns its own statement's rows, whatever the order."""
    person_id = _person(engine)
    write = Prepared(insert(_ANSWER).returning(_ANSWER.c.key))
    keys = Prepared(select(_ANSWER.c.key).where(_ANSWER.c.person_id == bindparam("p"))
                    .order_by(_ANSWER.c.id))
    with engine.begin() as conn:
        session_id = _session(conn, person_id)
        with pipelined(conn):
            first = write.send(conn, _answer(session_id, person_id, "first"))
            second = write.send(conn, _answer(session_id, person_id, "second"))
            both = keys.send(conn, {"p": person_id})
            assert both() == [("first",), ("second",)]
            assert second() == [("second",)]
            assert first() == [("first",)]


def test_an_error_is_raised_at_the_fetch_that_waits_for_it(engine: Engine) -> None:
    person_id = _person(engine)
    write = Prepared(insert(_ANSWER).returning(_ANSWER.c.key))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        session_id = _session(conn, person_id)
        with pipelined(conn):
            fine = write.send(conn, _answer(session_id, person_id, "fine"))
            failing = write.send(conn, _answer(session_id, person_id, None))  # NOT NULL
            assert fine() == [("fine",)]
            failing()


def test_postgresql_plans_a_prepared_statement_once_per_connection(pg_db_url: str) -> None:
    """The hot statements are server-side prepared statements: PostgreSQL parses and plans
    them once per connection, not on every turn (planning them cost as much server CPU as
    running them). Other statements are not prepared (psycopg's automatic preparation is off)."""
    from storage.db import make_engine

    engine = make_engine(pg_db_url)
    try:
        person_id = _person(engine)
        hot = Prepared(select(_ANSWER.c.key).where(_ANSWER.c.person_id == bindparam("p")))
        other = select(_ANSWER.c.id).where(_ANSWER.c.person_id == person_id)
        with engine.connect() as conn:
            for _ in range(6):
                hot.rows(conn, {"p": person_id})
                conn.execute(other).all()
            prepared = [statement for (statement,) in conn.exec_driver_sql(
                "SELECT statement FROM pg_prepared_statements")]
    finally:
        engine.dispose()
    assert any("answer.key" in statement for statement in prepared), prepared
    assert not any("answer.id" in statement for statement in prepared), prepared


def test_a_column_default_left_to_python_is_refused(engine: Engine) -> None:
    # `lane` has a Python-side default: leaving it out would silently store NULL here.
    stmt = Prepared(insert(_MESSAGE).inline())
    with pytest.raises(ValueError, match="default"), engine.begin() as conn:
        stmt.rows(conn, {"direction": "outbound", "channel": "sms", "address": "+1",
                         "status": "pending", "created_at": NOW, "updated_at": NOW})


def test_a_lost_postgresql_connection_is_invalidated_not_reused(pg_db_url: str) -> None:
    """PostgreSQL ended the connection (a restart, a failover): the error says so, and the
    pool does not hand that connection out again, as with Connection.execute."""
    from sqlalchemy.exc import OperationalError

    from storage.db import make_engine

    engine = make_engine(pg_db_url)
    stmt = Prepared(select(_SESSION.c.id).where(_SESSION.c.person_id == bindparam("p")))
    try:
        with engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            with engine.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
            with pytest.raises(OperationalError) as raised:
                stmt.rows(conn, {"p": 1})
            assert raised.value.connection_invalidated
            assert conn.invalidated
        with engine.connect() as conn:  # a working connection, not the dead one
            assert stmt.rows(conn, {"p": 1}) == []
    finally:
        engine.dispose()
