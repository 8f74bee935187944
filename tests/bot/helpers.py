"""Small builders shared by the bot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from storage.db import make_session_factory
from storage.models import Channel, Direction, Message, MessageStatus, Person, Role
from storage.queries import people

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def wait_until(predicate: Callable[[], bool], within: float = 10.0, every: float = 0.05) -> bool:
    """Poll `predicate` until it holds or `within` seconds pass; the last answer either way."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def database_for(url: str, engine: Engine) -> Database:
    return Database(url, engine, make_session_factory(engine))


def enrol(
    db: Session, role: Role, name: str, *, channel: Channel = Channel.terminal,
    address: str | None = None, program_name: str = "Hope House", language: str = "en",
) -> Person:
    program = people.get_program_by_name(db, program_name) or people.add_program(
        db, program_name, now=NOW
    )
    assert program.id is not None
    person = people.add_person(db, program.id, role, name, language=language, now=NOW)
    assert person.id is not None
    people.add_contact(db, person.id, channel, address or f"person-{person.id}", now=NOW)
    return person


def outbox(db: Session, address: str, status: MessageStatus | None = None) -> list[Message]:
    stmt = select(Message).where(
        Message.direction == Direction.outbound, Message.address == address
    )
    if status is not None:
        stmt = stmt.where(Message.status == status)
    return list(db.exec(stmt.order_by(col(Message.id))).all())
