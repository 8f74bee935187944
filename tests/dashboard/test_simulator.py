"""The web simulator: chatting as a demo person through the real runner and outbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import col, select

from bot.channels.web.adapter import web_address
from storage.models import AuditEvent, Channel, Escalation, Message, Role
from tests.dashboard.conftest import Dash, make_dash


def _chat(dash: Dash, person_id: int) -> str:
    return dash.client.get(f"/simulator/{person_id}/messages").text


def test_a_whole_checkin_in_the_browser_raises_an_escalation(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    ana = dash.person(Role.mentee, "Ana", channel=Channel.terminal)  # web contact made on use
    dash.login("ada")
    picker = dash.client.get("/simulator").text
    assert "Chat as Ana" in picker
    assert '<th scope="col"></th>' not in picker  # every column has a header
    # The chat log scrolls: a keyboard user can reach it, and it has a name.
    assert ('role="log" aria-live="polite" tabindex="0"\n       aria-label="Messages with Ana"'
            in dash.client.get(f"/simulator/{ana.id}").text)
    started = dash.post(f"/simulator/{ana.id}/start")
    assert started.status_code == 303
    assert "How comfortable" in _chat(dash, ana.id)  # type: ignore[arg-type]
    with dash.db() as db:  # the simulator gave Ana a web contact, and the check-in used it
        assert db.exec(select(Message).where(Message.address == web_address(ana.id))).all()  # type: ignore[arg-type]
    for reply in ["4", "1"]:
        response = dash.post(f"/simulator/{ana.id}/send", {"text": reply},
                             headers={"HX-Request": "true"})
        assert response.status_code == 200
    chat = _chat(dash, ana.id)  # type: ignore[arg-type]
    assert 'class="bubble in"' in chat and "You: </span>1</div>" in chat  # the reply shows
    with dash.db() as db:
        escalation = db.exec(select(Escalation)).one()
        assert escalation.level == "urgent" and escalation.person_id == ana.id


def test_every_typed_message_is_audited_without_its_words(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    ana = dash.person(Role.mentee, "Ana", channel=Channel.web)
    dash.login("ada")
    dash.post(f"/simulator/{ana.id}/send", {"text": "my secret words"})
    with dash.db() as db:
        events = db.exec(select(AuditEvent).where(
            AuditEvent.action == "simulator_message")).all()
    assert [e.subject_id for e in events] == [ana.id]
    assert events[0].actor.startswith("person:")
    assert "secret" not in str(events[0].detail)


def test_people_with_a_real_phone_cannot_be_played(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    real = dash.person(Role.mentee, "Real Person", channel=Channel.sms, address="+12025550143")
    dash.login("ada")
    assert "has a real contact" in dash.client.get("/simulator").text
    assert dash.client.get(f"/simulator/{real.id}").status_code == 409
    assert dash.post(f"/simulator/{real.id}/send", {"text": "hi"}).status_code == 409
    with dash.db() as db:
        assert db.exec(select(Message).where(col(Message.channel) == Channel.web)).all() == []


def test_another_programs_person_is_not_found(dash: Dash) -> None:
    dash.staff(Role.admin, "ada", program="Hope House")
    other = dash.person(Role.mentee, "Zed", program="Other Place", channel=Channel.web)
    dash.login("ada")
    assert dash.client.get(f"/simulator/{other.id}").status_code == 404
    assert dash.post(f"/simulator/{other.id}/send", {"text": "hi"}).status_code == 404
    assert dash.post(f"/simulator/{other.id}/start").status_code == 404


def test_staff_cannot_be_played_so_no_one_resolves_as_a_supervisor(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    sam = dash.person(Role.supervisor, "Sam", channel=Channel.web)  # no real contact either
    ana = dash.person(Role.mentee, "Ana", channel=Channel.web)
    dash.login("ada")
    assert "Chat as Sam" not in dash.client.get("/simulator").text
    dash.post(f"/simulator/{ana.id}/start")
    for reply in ["4", "1"]:
        dash.post(f"/simulator/{ana.id}/send", {"text": reply})
    with dash.db() as db:
        esc = db.exec(select(Escalation)).one()
    assert dash.client.get(f"/simulator/{sam.id}").status_code == 409
    assert dash.client.get(f"/simulator/{sam.id}/messages").status_code == 409
    assert dash.post(f"/simulator/{sam.id}/start").status_code == 409
    for command in (f"ACK {esc.id}", f"RESOLVE {esc.id} fine"):
        assert dash.post(f"/simulator/{sam.id}/send", {"text": command}).status_code == 409
    with dash.db() as db:
        esc = db.exec(select(Escalation)).one()
        assert esc.status == "open" and esc.acknowledged_by is None


def test_every_view_of_a_conversation_is_audited(dash: Dash) -> None:
    ada = dash.staff(Role.admin, "ada")
    ana = dash.person(Role.mentee, "Ana", channel=Channel.web)
    dash.login("ada")

    def views() -> list[AuditEvent]:
        with dash.db() as db:
            return list(db.exec(select(AuditEvent).where(
                AuditEvent.action == "simulator_viewed")).all())

    assert dash.client.get(f"/simulator/{ana.id}").status_code == 200
    assert dash.client.get(f"/simulator/{ana.id}").status_code == 200
    first = views()
    assert len(first) == 2
    assert {(e.actor, e.subject_type, e.subject_id) for e in first} == {
        (f"person:{ada.id}", "person", ana.id)}
    # The page's 1 s poll right after a view adds nothing; once the last view is old, it does.
    _chat(dash, ana.id)  # type: ignore[arg-type]
    assert len(views()) == 2
    dash.clock.advance(minutes=6)
    _chat(dash, ana.id)  # type: ignore[arg-type]
    assert len(views()) == 3


@pytest.fixture
def no_simulator(sqlite_db_url: str) -> Iterator[Dash]:
    yield from make_dash(sqlite_db_url, web_simulator=False)


def test_the_simulator_can_be_turned_off(no_simulator: Dash) -> None:
    dash = no_simulator
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    assert dash.client.get("/simulator").status_code == 404


def test_notices_come_from_codes_never_from_the_address_bar(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.admin, "ada")
    ana = dash.person(Role.mentee, "Ana")
    dash.login("ada")
    crafted = dash.client.get(f"/simulator/{ana.id}?notice=Call+555-0100+now")
    assert "Call 555-0100" not in crafted.text
    started = dash.post(f"/simulator/{ana.id}/start")
    assert "Check-in started." in dash.client.get(started.headers["location"]).text
