"""Alembic migrations on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect

from storage.db import make_engine, make_session_factory, normalize_url, session_scope
from storage.migrate import check_models_match, current, downgrade, head, upgrade
from storage.models import SQLModel
from storage.queries.people import add_program, get_program_by_name

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_head_is_the_semantic_screening_revision() -> None:
    assert head() == "0007"


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
