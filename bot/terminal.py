"""A check-in in the terminal, through the real runner and outbox (the `terminal` channel).

Replies are stored and processed exactly as SMS or Telegram ones are; the only difference is
that this loop is the "sender" for its own outbox rows and prints them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from sqlmodel import Session, col, select

from bot.clock import utcnow
from bot.database import Database
from bot.policy import DEFAULT_FLOW_FOR_ROLE
from bot.runner import handle_inbound, start_checkin
from flows.model import Flow, render
from flows.state import SessionState
from storage.models import (
    Channel,
    CheckinSession,
    Direction,
    Message,
    MessageStatus,
    Person,
    SessionStatus,
)
from storage.queries import people, sessions


def terminal_address(person_id: int) -> str:
    return f"person-{person_id}"


def drain_outbox(db: Session, address: str) -> list[str]:
    """Mark this terminal's queued messages sent and return their texts, urgent first."""
    rows = db.exec(
        select(Message)
        .where(
            Message.direction == Direction.outbound,
            Message.channel == Channel.terminal,
            Message.address == address,
            Message.status == MessageStatus.pending,
        )
        .order_by(col(Message.priority), col(Message.id))
    ).all()
    now = utcnow()
    for row in rows:
        row.status = MessageStatus.sent
        row.sent_at = now
        row.updated_at = now
    return [row.body or "" for row in rows]


def chat(
    database: Database,
    flows: dict[str, Flow],
    person_id: int,
    lines: Iterable[str],
    show: Callable[[str], None],
    flow_id: str | None = None,
) -> str:
    """Run a check-in as `person_id`, reading replies from `lines`; returns the final status."""
    with database.transaction() as db:
        person = db.get(Person, person_id)
        if person is None:
            raise LookupError(f"no person with id {person_id}")
        contact = people.find_contact(db, Channel.terminal, terminal_address(person_id))
        if contact is None:
            contact = people.add_contact(db, person_id, Channel.terminal,
                                         terminal_address(person_id), now=utcnow())
        active = sessions.active_session_for(db, person_id)
        if active is None:
            flow = flow_id or DEFAULT_FLOW_FOR_ROLE.get(person.role)
            if flow is None:
                raise LookupError(f"{person.display_name} is a {person.role}: no check-in flow")
            active = start_checkin(db, flows, person, flow, contact, utcnow())
            if active is None:
                raise LookupError(f"cannot start a check-in for {person.display_name} "
                                  "(opted out or unreachable on the terminal)")
        else:
            show(f"(continuing the open {active.flow_id} check-in)")
            state = SessionState.from_json(active.context)
            if state.current is not None and active.flow_id in flows:
                # Re-show the question as it was sent: the state keeps its template values.
                question = flows[active.flow_id].states[state.current].ask[state.language]
                show(f"bot: {render(question, state.values)}")
        address, session_id = contact.address, active.id
    with database.transaction() as db:
        for text in drain_outbox(db, address):
            show(f"bot: {text}")
    for line in lines:
        text = line.rstrip("\r\n")
        with database.transaction() as db:
            handle_inbound(db, flows, channel=Channel.terminal, address=address, text=text,
                           provider_id=uuid.uuid4().hex, now=utcnow())
        with database.transaction() as db:
            for out in drain_outbox(db, address):
                show(f"bot: {out}")
            if sessions.active_session_for(db, person_id) is None:
                break
    with database.transaction() as db:
        row = db.get(CheckinSession, session_id)
        return row.status.value if row else SessionStatus.active.value
