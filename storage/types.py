"""Column types shared by the tables: aware UTC datetimes and enums stored as plain strings."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=StrEnum)


def ensure_aware(value: datetime) -> datetime:
    """Return ``value`` converted to UTC; raise ValueError if it is naive (a bug upstream)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"naive datetime {value.isoformat()} refused: pass a timezone-aware datetime "
            "(e.g. datetime.now(UTC))"
        )
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL stores it as ``timestamp with time zone``.  SQLite has no time zones: the value is
    stored as naive UTC text (so text order is time order) and UTC is re-attached on read.
    Naive datetimes are refused with ValueError (SQLAlchemy wraps it in a StatementError when the
    value is bound during a flush or query).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        utc = ensure_aware(value)
        if dialect.name == "sqlite":
            return utc.replace(tzinfo=None)
        return utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # e.g. a raw CURRENT_TIMESTAMP that bypassed the processor
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def __repr__(self) -> str:
        return "UTCDateTime()"


class StrEnumType(TypeDecorator[E], Generic[E]):
    """A ``StrEnum`` stored as a plain VARCHAR (no database enum type, no CHECK constraint).

    Writes accept a member or its string value (anything else raises ValueError); reads return
    the enum member.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_cls: type[E], length: int = 16) -> None:
        super().__init__(length=length)
        self.enum_cls = enum_cls
        self.length = length

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(self.enum_cls(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum_cls(value)

    def __repr__(self) -> str:
        return f"StrEnumType({self.enum_cls.__name__}, length={self.length})"
