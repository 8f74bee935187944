"""The database handle the runtime uses: engine, session factory, migrations on request."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import migrate
from storage.db import is_sqlite, make_engine, make_session_factory, session_scope, sqlite_file

log = logging.getLogger(__name__)


def ensure_sqlite_folder(url: str) -> None:
    """`make run` must work on a fresh clone: create the folder of a SQLite file."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


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

    _checkpointer: Checkpointer | None = field(default=None, repr=False)

    @classmethod
    def open(cls, url: str, *, checkpoint_in_background: bool = False) -> Database:
        """``checkpoint_in_background`` (SQLite, the long-running service): a thread copies the
        WAL into the database file, instead of the commit that happens to cross the threshold
        doing it (and its fsync) while every other turn waits for the write lock."""
        ensure_sqlite_folder(url)
        path = sqlite_file(url) if checkpoint_in_background else None
        engine = make_engine(url, sqlite_autocheckpoint=path is None)
        database = cls(url, engine, make_session_factory(engine))
        if path is not None:
            database._checkpointer = Checkpointer(path)
            database._checkpointer.start()
        return database

    def close(self) -> None:
        """Stop the checkpointer (after a last checkpoint) and close the connections."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()

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


class Checkpointer:
    """Copies SQLite's write-ahead log back into the database file from a thread of its own.

    By default SQLite does this inside the commit that takes the log past 1000 pages, fsync
    included, while the turn batch holds the write lock: measured, one commit in a few hundred
    took 50-150 ms and every webhook waiting behind it did too. A PASSIVE checkpoint runs beside
    writers without blocking them. If this thread stopped, nothing would be lost: the log would
    only grow until the next checkpoint (SQLite also runs one when the last connection closes).
    """

    def __init__(self, path: Path, interval: float = 0.5) -> None:
        # mode=rw: never create the file (a test's database may be deleted before we stop).
        self.uri = path.absolute().as_uri() + "?mode=rw"
        self.interval = interval
        self._failing = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.checkpoint()

    def checkpoint(self) -> None:
        try:
            # A connection of its own in autocommit mode: no transaction, no write lock.
            conn = sqlite3.connect(self.uri, uri=True, isolation_level=None, timeout=5)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()
            self._failing = False
        except sqlite3.Error as exc:  # next time; the log only grows meanwhile
            if not self._failing:  # once per run of failures, not twice a second
                log.warning("sqlite checkpoint failed: %s", type(exc).__name__)
            self._failing = True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.checkpoint()
