"""The simulator says what the service did with each message (screening, escalation raised or
merged with its link, who was alerted, what was queued), and an admin can reset a demo person."""

from __future__ import annotations

import re

from sqlmodel import col, select

from bot.escalation import lifecycle
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    Escalation,
    Message,
    Program,
    Role,
)
from tests.dashboard.conftest import Dash


def _notes(dash: Dash, person_id: int | None) -> list[str]:
    """The text of each message's notes, oldest first, tags stripped."""
    html = dash.client.get(f"/simulator/{person_id}/messages").text
    blocks = re.findall(r'<ul class="turn-details"[^>]*>(.*?)</ul>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", b).split()) for b in blocks]


def test_each_message_shows_screening_escalation_alerts_and_queued_replies(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    # On call (no rota: every supervisor), with a Telegram chat: alerts are queued to them.
    dash.person(Role.supervisor, "Sam Rivera", channel=Channel.telegram, address="4242")
    ana = dash.person(Role.mentee, "Ana", channel=Channel.web)
    dash.login("ada")
    dash.post(f"/simulator/{ana.id}/start")
    for text in ["4", "1", "i want to kill myself"]:
        dash.clock.advance(minutes=1)  # a turn is known by its clock reading
        dash.post(f"/simulator/{ana.id}/send", {"text": text}, headers={"HX-Request": "true"})
    with dash.db() as db:
        esc = db.exec(select(Escalation)).one()
    first, second, third = _notes(dash, ana.id)
    assert first == "Screening: none Queued: 1 message (question)"
    assert second.startswith(f"Screening: none Urgent escalation #{esc.id} raised: ")
    assert "Alerted: Sam Rivera (Telegram)." in second
    assert second.endswith("Queued: 2 messages (crisis (urgent), question)")
    # Merged (a merge alerts nobody again); the crisis message sent a minute ago is folded
    # into a short thanks.
    assert third == ("Screening: urgent (suicide_self_harm) "
                     f"Urgent escalation #{esc.id} merged into the open one: Suicide or "
                     "self-harm. Queued: 2 messages (thanks (urgent), question)")
    html = dash.client.get(f"/simulator/{ana.id}").text
    assert f'<a href="/escalations/{esc.id}">#{esc.id}</a>' in html


def test_nobody_reachable_is_said_with_who_was_on_call(dash: Dash) -> None:
    dash.staff(Role.admin, "ada")
    dash.person(Role.supervisor, "Sam Rivera", channel=Channel.web)  # no phone or Telegram
    ana = dash.person(Role.mentee, "Ana", channel=Channel.web)
    dash.login("ada")
    dash.post(f"/simulator/{ana.id}/start")
    for text in ["4", "1"]:
        dash.clock.advance(minutes=1)
        dash.post(f"/simulator/{ana.id}/send", {"text": text})
    note = _notes(dash, ana.id)[1]
    assert "Nobody was alerted (on call: Sam Rivera)" in note
    assert "Sam Rivera: no phone or Telegram" in note


def test_reset_erases_a_persons_checkins_and_simulator_messages_and_is_audited(
    dash: Dash,
) -> None:
    admin = dash.staff(Role.admin, "ada")
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.web)
    ben = dash.person(Role.mentee, "Ben", channel=Channel.web)
    dash.login("ada")
    for person in (ana, ben):
        dash.post(f"/simulator/{person.id}/start")
        for text in ["4", "1"]:
            dash.post(f"/simulator/{person.id}/send", {"text": text})

    def counts(person_id: int | None) -> tuple[int, int, int]:
        with dash.db() as db:
            return (len(db.exec(select(CheckinSession).where(
                        CheckinSession.person_id == person_id)).all()),
                    len(db.exec(select(Answer).where(Answer.person_id == person_id)).all()),
                    len(db.exec(select(Message).where(Message.person_id == person_id)).all()))

    before = counts(ana.id)
    assert all(before)
    # Not the demo program: the name must be typed.
    wrong = dash.post(f"/simulator/{ana.id}/reset", {"confirm_name": "Ana"})
    assert wrong.headers["location"].endswith("notice=reset_confirm")
    # Her urgent escalation is open: no reset until someone resolved it.
    still_open = dash.post(f"/simulator/{ana.id}/reset", {"confirm_name": "Ana Torres"})
    assert still_open.headers["location"].endswith("notice=reset_open")
    assert counts(ana.id) == before
    assert "Resolve it first" in dash.client.get(still_open.headers["location"]).text
    with dash.db() as db:
        esc = db.exec(select(Escalation).where(Escalation.person_id == ana.id)).one()
        assert esc.id is not None
        lifecycle.resolve(db, esc.id, actor="test", by_person_id=None, note="spoke, safe",
                          now=dash.clock())
    # A supervisor cannot reset anyone (the simulator is for admins).
    dash.login("sam")
    assert dash.post(f"/simulator/{ana.id}/reset",
                     {"confirm_name": "Ana Torres"}).status_code == 403
    assert counts(ana.id) == before
    dash.login("ada")
    done = dash.post(f"/simulator/{ana.id}/reset", {"confirm_name": "Ana Torres"})
    assert done.headers["location"].endswith("notice=reset")
    assert counts(ana.id) == (0, 0, 0)
    assert counts(ben.id) != (0, 0, 0), "only her"
    assert "No messages yet." in dash.client.get(f"/simulator/{ana.id}/messages").text
    with dash.db() as db:
        kept = db.get(Escalation, esc.id)
        assert kept is not None and kept.session_id is None and kept.evidence
        event = db.exec(select(AuditEvent).where(
            AuditEvent.action == "simulator_person_reset")).one()
        assert event.actor == f"person:{admin.id}" and event.subject_id == ana.id
        assert event.detail == {"sessions": before[0], "answers": before[1],
                                "messages": before[2], "demo_program": False}
        # In the demo program the button alone resets (no name typed).
        program = db.get(Program, ben.program_id)
        assert program is not None
        program.settings = {**program.settings, "demo": True}
        esc_ben = db.exec(select(Escalation).where(Escalation.person_id == ben.id)).one()
        assert esc_ben.id is not None
        lifecycle.resolve(db, esc_ben.id, actor="test", by_person_id=None, note="ok",
                          now=dash.clock())
    page = dash.client.get(f"/simulator/{ben.id}").text
    assert "Type Ben to confirm" not in page and "Reset Ben" in page
    assert dash.post(f"/simulator/{ben.id}/reset").headers["location"].endswith("notice=reset")
    assert counts(ben.id) == (0, 0, 0)
    with dash.db() as db:
        assert db.exec(select(AuditEvent).where(
            col(AuditEvent.action) == "simulator_person_reset")).all()[-1].subject_id == ben.id
