"""The database handle the runtime uses: engine, session factory, migrations on request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import migrate
from storage.db import make_engine, make_session_factory, session_scope


def ensure_sqlite_folder(url: str) -> None:
    """`make run` must work on a fresh clone: create the folder of a SQLite file."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


@dataclass
class Database:
    url: str
    engine: Engine
    factory: sessionmaker[Session]

    @classmethod
    def open(cls, url: str) -> Database:
        ensure_sqlite_folder(url)
        engine = make_engine(url)
        return cls(url, engine, make_session_factory(engine))

    def upgrade(self) -> None:
        migrate.upgrade(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with session_scope(self.factory) as session:
            yield session
