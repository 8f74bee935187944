"""Alerts link to the escalation's dashboard page when the service has a public address.

The address is the app's own setting (``Settings.dashboard_url``), handed to each turn by the
app's inbound path: two apps in one process each link to their own address."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.inbound import receive_sync
from bot.runner import start_checkin
from storage.models import Channel, Escalation, Message, Role
from storage.queries import people
from tests.conftest import sqlite_url
from tests.dashboard.conftest import Dash, make_dash


@pytest.fixture
def public_dash(sqlite_db_url: str) -> Iterator[Dash]:
    yield from make_dash(sqlite_db_url, public_base_url="https://checkin.example.org/")


def _alert_after_low_answers(dash: Dash) -> tuple[Escalation, Message]:
    """A mentee answers 4 then 1 through the app's inbound path; the escalation and its alert."""
    dash.person(Role.supervisor, "Sam", channel=Channel.telegram, address="5550001")
    ana = dash.person(Role.mentee, "Ana")
    with dash.db() as db:
        contact = people.contacts_for(db, ana.id)[0]  # type: ignore[arg-type]
        start_checkin(db, dash.ctx.flows, ana, "mentee_checkin", contact, dash.clock())
    for reply in ["4", "1"]:
        receive_sync(dash.ctx, contact.channel, contact.address, reply, f"p-{reply}")
    with dash.db() as db:
        esc = db.exec(select(Escalation)).one()
        alert = db.exec(select(Message).where(Message.address == "5550001")).one()
    return esc, alert


def test_alerts_carry_a_link_to_the_escalation_page(public_dash: Dash) -> None:
    assert public_dash.ctx.settings.dashboard_url == "https://checkin.example.org"
    esc, alert = _alert_after_low_answers(public_dash)
    assert f"Review: https://checkin.example.org/escalations/{esc.id}" in (alert.body or "")


def test_no_public_address_no_link(sqlite_dash: Dash) -> None:
    assert sqlite_dash.ctx.settings.dashboard_url is None
    esc, alert = _alert_after_low_answers(sqlite_dash)
    assert f"ACK {esc.id}" in (alert.body or "")
    assert "Review" not in (alert.body or "") and "/escalations/" not in (alert.body or "")


def test_two_apps_in_one_process_each_link_to_their_own_address(
    public_dash: Dash, sqlite_template: Path, tmp_path: Path
) -> None:
    # A second app, running at the same time, with another address and its own database.
    shutil.copyfile(sqlite_template, tmp_path / "other.db")
    other = make_dash(sqlite_url(tmp_path / "other.db"),
                      public_base_url="https://other.example.net")
    second = next(other)
    try:
        esc2, alert2 = _alert_after_low_answers(second)
        esc1, alert1 = _alert_after_low_answers(public_dash)
    finally:
        other.close()
    assert f"https://other.example.net/escalations/{esc2.id}" in (alert2.body or "")
    assert f"https://checkin.example.org/escalations/{esc1.id}" in (alert1.body or "")
