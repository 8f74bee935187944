"""An "unknown sender" escalation in the dashboard (issue 18, point 9): in the queue of every
program sharing the number, no name, the number on the escalation page for admins only."""

from __future__ import annotations

from sqlmodel import col, select

from bot.runner import handle_inbound
from storage.models import Channel, Escalation, Role
from tests.dashboard.conftest import Dash

STRANGER = "+12025550199"
WORDS = "ya no quiero vivir"


def stranger_writes(dash: Dash) -> list[int]:
    """A stranger's message in crisis, through the real turn; the escalations' ids."""
    with dash.db() as db:
        result = handle_inbound(db, dash.ctx.flows, channel=Channel.sms.value, address=STRANGER,
                                text=WORDS, provider_id="SM1", now=dash.clock())
        assert result.outcome == "stranger_crisis"
    with dash.db() as db:
        return [e.id for e in db.exec(select(Escalation).order_by(col(Escalation.id))).all()
                if e.id is not None]


def test_supervisors_see_an_unknown_sender_without_the_number(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam", name="Sam Rivera")
    dash.person(Role.mentee, "Ana Torres", channel=Channel.sms, address="+12025550143")
    [esc_id] = stranger_writes(dash)
    dash.login("sam")

    queue = dash.client.get("/queue")
    assert queue.status_code == 200
    assert "Unknown sender" in queue.text and STRANGER not in queue.text
    assert '<a href="/mentees/None">' not in queue.text

    page = dash.client.get(f"/escalations/{esc_id}")
    assert page.status_code == 200
    assert 'id="unknown-sender"' in page.text and "SMS" in page.text
    assert STRANGER not in page.text  # not the number...
    assert WORDS in page.text  # ...but what they wrote, so staff can act on it


def test_admins_see_the_number_to_find_out_who_it_is(dash: Dash) -> None:
    dash.staff(Role.admin, "alex", name="Alex Kim")
    dash.person(Role.mentee, "Ana Torres", channel=Channel.sms, address="+12025550143")
    [esc_id] = stranger_writes(dash)
    dash.login("alex")
    page = dash.client.get(f"/escalations/{esc_id}")
    assert page.status_code == 200
    assert f'<span class="sender-address">{STRANGER}</span>' in page.text
    assert "Suicide or self-harm" in page.text


def test_every_program_sharing_the_number_gets_it_in_its_own_queue(dash: Dash) -> None:
    for program, user, phone in (("Hope House", "sam", "+12025550101"),
                                 ("Riverside Unit", "kim", "+12025550102")):
        dash.staff(Role.supervisor, user, program=program)
        dash.person(Role.mentee, f"Mentee of {user}", program=program, channel=Channel.sms,
                    address=phone)
    ids = stranger_writes(dash)
    assert len(ids) == 2
    for user, esc_id, other in (("sam", ids[0], ids[1]), ("kim", ids[1], ids[0])):
        dash.login(user)
        assert dash.client.get(f"/escalations/{esc_id}").status_code == 200
        assert dash.client.get(f"/escalations/{other}").status_code == 404
