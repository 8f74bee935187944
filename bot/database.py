"""The database handle the runtime uses: engine, session factory, migrations on request."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import migrate
from storage.db import is_sqlite, make_engine, make_session_factory, session_scope


def ensure_sqlite_folder(url: str) -> None:
    """`make run` must work on a fresh clone: create the folder of a SQLite file."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


@dataclass
class Database:
    url: str
    engine: Engine
    factory: sessionmaker[Session]
    # SQLite has one writer at a time. Threads of this process queue on this lock instead of
    # meeting in SQLite's busy handler, which sleeps and polls (tens of ms per collision).
    # Other processes (a `checkin chat` beside the server) still wait via busy_timeout.
    _write_lock: threading.Lock | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._write_lock is None and is_sqlite(self.engine):
            self._write_lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> Database:
        ensure_sqlite_folder(url)
        engine = make_engine(url)
        return cls(url, engine, make_session_factory(engine))

    def upgrade(self) -> None:
        migrate.upgrade(self.url)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (dashboard pages): on SQLite a deferred transaction outside
        the write lock, so a page view never waits behind, or delays, a conversation turn.
        Nothing is committed: anything written here is rolled back."""
        session = self.factory()
        try:
            if self._write_lock is not None:
                session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            yield session
        finally:
            # Detach what was read first, so rows stay readable (not expired) after the end.
            session.expunge_all()
            session.rollback()
            session.close()

    def write_lock(self) -> AbstractContextManager[object]:
        """The lock a writing unit of work holds (SQLite); a no-op on PostgreSQL."""
        return self._write_lock or nullcontext()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self._write_lock or nullcontext(), session_scope(self.factory) as session:
            yield session
