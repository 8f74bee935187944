"""Encryption at rest end to end: a mentee's check-in through the real turn paths (one turn at
a time, and a group-committed batch: the pipelined hot path on PostgreSQL) with DATA_KEYS set.
The database holds no plaintext of her words; the escalation page and the mentee page show
them as she wrote them."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot import inbound
from bot.runner import start_checkin
from storage import crypto
from storage.models import Channel, Escalation, Person, Role
from storage.queries import people
from tests.dashboard.conftest import Dash, make_dash

WORDS = "my roommate said he would hurt me if I told anyone"


@pytest.fixture
def dash(db_url: str) -> Iterator[Dash]:
    yield from make_dash(db_url, data_keys=crypto.new_key())


def _raw_words(dash: Dash) -> list[str]:
    engine = dash.ctx.database.engine
    with engine.connect() as conn:
        found: list[str] = []
        for sql in ("SELECT body FROM message", "SELECT raw_text FROM answer",
                    "SELECT CAST(value AS TEXT) FROM answer",
                    "SELECT CAST(context AS TEXT) FROM checkin_session",
                    "SELECT CAST(evidence AS TEXT) FROM escalation"):
            found += [row[0] for row in conn.exec_driver_sql(sql).all() if row[0] is not None]
        return found


def test_a_checkin_is_stored_encrypted_and_staff_read_it(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam", name="Sam Rivera")
    ana: Person = dash.person(Role.mentee, "Ana Torres")
    assert ana.id is not None
    with dash.db() as db:
        [contact] = people.contacts_for(db, ana.id)
        started = start_checkin(db, dash.ctx.flows, ana, "mentee_checkin", contact, dash.clock())
        assert started is not None
    ctx, address = dash.ctx, contact.address
    for n, reply in enumerate(("2", "1", "yes")):  # one turn, one transaction each
        inbound.receive_sync(ctx, Channel.terminal.value, address, reply, f"t{n}")
    # The last two replies as one group-committed batch (PostgreSQL: a pipeline).
    results = inbound.run_batch(ctx, [
        inbound._Turn(Channel.terminal.value, address, "no", "t3"),
        inbound._Turn(Channel.terminal.value, address, WORDS, "t4")])
    assert not [r for r in results if isinstance(r, Exception)]

    stored = _raw_words(dash)
    assert stored and not [value for value in stored if "roommate" in value]
    # Every value, the first question and session state written by the bulk start path too;
    # only numbers and yes/no answers are plain (value_num holds them in plaintext anyway).
    assert [v for v in stored if not v.startswith((crypto.MARK, f'"{crypto.MARK}'))
            and v not in ("[]", "{}", "true", "false") and not v.isdigit()] == []
    assert len(stored) >= 10

    with dash.db() as db:
        esc = db.exec(select(Escalation).where(Escalation.person_id == ana.id,
                                               Escalation.level == "urgent")).one()
        assert esc.id is not None and any("hurt me" in item for item in esc.evidence)
    dash.login("sam")
    page = html.unescape(dash.client.get(f"/escalations/{esc.id}").text)
    assert WORDS in page and "said he would hurt me" in page
    mentee_page = html.unescape(dash.client.get(f"/mentees/{ana.id}").text)
    assert WORDS in mentee_page
