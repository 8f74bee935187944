"""Database fixtures shared by every test package.

- ``db_url``: a fresh, migrated database per test, parametrised ``[sqlite]`` / ``[postgresql]``;
- ``engine`` / ``session_factory``: built on ``db_url`` (disposed after the test);
- ``sqlite_db_url`` / ``pg_db_url``: the same, for tests that need one particular database;
- ``empty_db_url``: a fresh database with no tables (both kinds), for migration tests.

The PostgreSQL server (tests/pg.py) is started once per run, and only when a PostgreSQL test
is selected.  Each test gets its own database copied from a migrated template.  PostgreSQL
tests carry the ``postgresql`` marker (``-m "not postgresql"`` deselects them);
``PEER_CHECKIN_SKIP_PG=1`` skips them with a reason that says so.  Without PostgreSQL binaries
(and no ``PEER_CHECKIN_TEST_PG_URL``) they fail with a message saying what to install.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import crypto
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.pg import ENV_SKIP, PgServer, PgUnavailable, skip_requested

DB_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: needs the throwaway PostgreSQL server")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --- data keys -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_data_keys_leak() -> Iterator[None]:
    """The keyring is process-wide (storage/crypto.py): whatever a test installs (directly or
    through `build_context`, `checkin`), the next test starts without keys."""
    yield
    crypto.configure(None)


@pytest.fixture
def data_key() -> str:
    """A fresh data key, installed: stored words are encrypted for the rest of the test."""
    key = crypto.new_key()
    crypto.configure([key])
    return key


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if skip_requested():
        pytest.skip(f"PostgreSQL tests skipped on request: {ENV_SKIP}=1 is set")
    server = PgServer()
    try:
        server.start()
    except PgUnavailable as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database migrated to head, copied for each test (CREATE DATABASE ... TEMPLATE)."""
    name = pg_server.create_database(f"tmpl_{uuid.uuid4().hex[:12]}")
    upgrade(pg_server.url(name))
    return name


@pytest.fixture
def pg_db_url(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    name = pg_server.create_database(template=pg_template)
    yield pg_server.url(name)
    pg_server.drop_database(name)


# --- SQLite ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(sqlite_url(path))  # disposes its engine: the WAL is checkpointed into the file
    return path


@pytest.fixture
def sqlite_db_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "test.db"
    shutil.copyfile(sqlite_template, path)
    return sqlite_url(path)


# --- either ----------------------------------------------------------------------------------


@pytest.fixture(params=DB_KINDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database migrated to head: ``[sqlite]`` file or ``[postgresql]`` database."""
    fixture = "sqlite_db_url" if request.param == "sqlite" else "pg_db_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(params=DB_KINDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database with no tables at all."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
