"""The request id: one short token that follows a webhook through its turn and its sends.

The web front (`bot.web.request_id`) takes it from an incoming ``X-Request-ID`` when it is
sane, else makes one, and binds it here for the request. Everything logged while it is bound
carries it (`bot.logs`). A turn batch writes several requests' turns in one transaction, so the
batch binds each turn's own id around that turn (`bot.inbound`, `bot.turns.applier`).

Sends happen later, in the outbox loop, possibly on another instance: the id therefore travels
on the outbox row itself (``message.request_id``). Rows written through the ORM get it from
the listener below when they are built while an id is bound; the turns' bulk rows carry it
explicitly (`storage.writes.OutboxRow`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event

from storage.models import Direction, Message

HEADER = "x-request-id"
# What we accept from a caller (a proxy's or a provider's id): short, and nothing a log
# reader could be fooled by (no spaces, quotes, newlines or JSON).
_SANE = re.compile(r"[A-Za-z0-9-]{1,64}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def new() -> str:
    return uuid.uuid4().hex


def from_header(value: str | None) -> str:
    """The caller's id when it is sane, else a new one."""
    if value is not None and _SANE.fullmatch(value):
        return value
    return new()


def current() -> str | None:
    return _current.get()


@contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    """``request_id`` is the current one inside the block (None: no request)."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


@event.listens_for(Message, "init")
def _outbound_row_carries_the_request(target: Message, args: Any, kwargs: dict[str, Any]) -> None:
    """An outbound row built while a request's turn is being written is that request's send
    (an alert, a staff reply, an ACK confirmation): it carries the id to the sender's logs."""
    request_id = _current.get()
    if request_id is not None and kwargs.get("direction") == Direction.outbound:
        kwargs.setdefault("request_id", request_id)
