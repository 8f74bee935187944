"""Alerts link to the escalation's dashboard page when the service has a public address."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.runner import dashboard_url, handle_inbound, start_checkin
from storage.models import Channel, Escalation, Message, Role
from storage.queries import people
from tests.dashboard.conftest import Dash, make_dash


@pytest.fixture
def public_dash(sqlite_db_url: str) -> Iterator[Dash]:
    yield from make_dash(sqlite_db_url, public_base_url="https://checkin.example.org/")


def test_alerts_carry_a_link_to_the_escalation_page(public_dash: Dash) -> None:
    dash = public_dash
    assert dashboard_url() == "https://checkin.example.org"
    dash.person(Role.supervisor, "Sam", channel=Channel.telegram, address="5550001")
    ana = dash.person(Role.mentee, "Ana")
    with dash.db() as db:
        contact = people.contacts_for(db, ana.id)[0]  # type: ignore[arg-type]
        start_checkin(db, dash.ctx.flows, ana, "mentee_checkin", contact, dash.clock())
    for reply in ["4", "1"]:
        with dash.db() as db:
            handle_inbound(db, dash.ctx.flows, channel=contact.channel, address=contact.address,
                           text=reply, provider_id=f"p-{reply}", now=dash.clock())
    with dash.db() as db:
        esc = db.exec(select(Escalation)).one()
        alert = db.exec(select(Message).where(Message.address == "5550001")).one()
    assert f"https://checkin.example.org/escalations/{esc.id}" in (alert.body or "")


def test_no_public_address_no_link(sqlite_dash: Dash) -> None:
    assert dashboard_url() is None
