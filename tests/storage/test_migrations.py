"""Alembic migrations on both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from storage.db import make_engine, make_session_factory, normalize_url, session_scope
from storage.migrate import check_models_match, current, downgrade, head, upgrade
from storage.models import Escalation, SQLModel
from storage.queries.people import add_program, get_program_by_name

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_head_is_the_request_id_revision() -> None:
    assert head() == "0014"


def test_upgrade_from_empty(empty_db_url: str) -> None:
    assert current(empty_db_url) is None
    assert _tables(empty_db_url) == set()

    upgrade(empty_db_url)

    assert current(empty_db_url) == head()
    assert _tables(empty_db_url) == set(SQLModel.metadata.tables) | {"alembic_version"}


def test_models_match_migrations(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    assert check_models_match(empty_db_url) == []


def test_check_models_match_reports_a_difference(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_message_outbox")
    finally:
        engine.dispose()
    diffs = check_models_match(empty_db_url)
    assert [d[0] for d in diffs] == ["add_index"]
    assert diffs[0][1].name == "ix_message_outbox"


def test_upgrade_twice_is_a_noop_and_keeps_data(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            add_program(session, "Keep me", now=NOW)
    finally:
        engine.dispose()

    upgrade(empty_db_url)

    assert current(empty_db_url) == head()
    engine = make_engine(empty_db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            assert get_program_by_name(session, "Keep me") is not None
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    downgrade(empty_db_url, "base")
    assert current(empty_db_url) is None
    assert _tables(empty_db_url) <= {"alembic_version"}
    upgrade(empty_db_url)
    assert check_models_match(empty_db_url) == []


def test_constraint_names_are_deterministic(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        insp = inspect(engine)
        uniques = {uc["name"] for uc in insp.get_unique_constraints("message")}
        fks = {fk["name"] for fk in insp.get_foreign_keys("escalation")}
        indexes = {ix["name"] for ix in insp.get_indexes("message")}
    finally:
        engine.dispose()
    assert "uq_message_direction_channel_provider_id" in uniques
    assert "fk_escalation_about_mentor_id_person" in fks
    assert {"ix_message_outbox", "ix_message_next_attempt_at"} <= indexes


def test_the_fixture_database_is_at_head(db_url: str) -> None:
    assert current(db_url) == head()


def test_postgres_urls_use_psycopg() -> None:
    assert normalize_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalize_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_escalation_needs_a_person_or_a_sender(db_url: str) -> None:
    """Migration 0005: person_id may be NULL (an unknown sender), but not with no sender."""
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            program = add_program(session, "Strangers", now=NOW)
            assert program.id is not None
            session.add(Escalation(program_id=program.id, sender_channel="sms",
                                   sender_address="+12025550199", level="urgent",
                                   raised_at=NOW, due_at=NOW, updated_at=NOW))
            session.flush()
            with pytest.raises(IntegrityError), session.begin_nested():
                session.add(Escalation(program_id=program.id, level="urgent", raised_at=NOW,
                                       due_at=NOW, updated_at=NOW))
    finally:
        engine.dispose()


def _run(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result.all()] if result.returns_rows else []
    finally:
        engine.dispose()


def _json(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else json.loads(str(value))


def test_0003_moves_a_single_crisis_message_to_english_and_out_of_spanish_checkins(
    empty_db_url: str,
) -> None:
    upgrade(empty_db_url, "0002")
    _run(empty_db_url, "INSERT INTO program (name, timezone, quiet_start, quiet_end, "
         "crisis_message, settings) VALUES ('Unit A', 'UTC', '21:00', '08:00', "
         "'Call the unit nurse on ext 4411.', :settings)", settings='{"digest_hour": 9}')
    _run(empty_db_url, "INSERT INTO program (name, timezone, quiet_start, quiet_end, "
         "settings) VALUES ('Unit B', 'UTC', '21:00', '08:00', '{}')")
    [(program_id,)] = _run(empty_db_url, "SELECT id FROM program WHERE name = 'Unit A'")
    for name, language in (("Ana", "es"), ("Ben", "en")):
        _run(empty_db_url, "INSERT INTO person (program_id, role, display_name, language, "
             "status) VALUES (:p, 'mentee', :n, :l, 'active')", p=program_id, n=name,
             l=language)
        [(person_id,)] = _run(empty_db_url, "SELECT id FROM person WHERE display_name = :n",
                              n=name)
        context = {"language": language, "values": {
            "name": name, "crisis_message": "Call the unit nurse on ext 4411."}}
        _run(empty_db_url, "INSERT INTO checkin_session (person_id, flow_id, flow_version, "
             "turn, context, status, language, started_at) VALUES (:p, 'mentee_checkin', 1, "
             "0, :c, 'active', :l, :t)", p=person_id, c=json.dumps(context), l=language,
             t=NOW)

    upgrade(empty_db_url, "0003")

    assert current(empty_db_url) == "0003"
    settings = {name: _json(value) for name, value in
                _run(empty_db_url, "SELECT name, settings FROM program")}
    assert settings["Unit A"] == {"digest_hour": 9, "crisis_message": {
        "en": "Call the unit nurse on ext 4411."}}
    assert settings["Unit B"] == {}
    assert "crisis_message" not in {c["name"] for c in inspect_columns(empty_db_url)}
    contexts = {str(_json(c)["language"]): _json(c)["values"] for (c,) in
                _run(empty_db_url, "SELECT context FROM checkin_session")}
    # The Spanish check-in falls back to the flow's own Spanish text; the English one keeps it.
    assert contexts["es"] == {"name": "Ana"}
    assert contexts["en"] == {"name": "Ben", "crisis_message": "Call the unit nurse on ext 4411."}

    downgrade(empty_db_url, "0002")
    assert _run(empty_db_url, "SELECT crisis_message FROM program WHERE name = 'Unit A'") == [
        ("Call the unit nurse on ext 4411.",)]
    assert _json(_run(empty_db_url, "SELECT settings FROM program WHERE name = 'Unit A'")[0][0]
                 ) == {"digest_hour": 9}


def inspect_columns(url: str) -> list[dict[str, object]]:
    engine = make_engine(url)
    try:
        return list(inspect(engine).get_columns("program"))  # type: ignore[arg-type]
    finally:
        engine.dispose()
