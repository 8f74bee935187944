"""Replying to a mentee from the dashboard (bot/staff_messages.py) and the staff conversation it
opens (bot/turns/staff_conversation.py): where the message goes and on which lane, how it is
signed and audited, what stops it (STOP, no SMS consent, an unreachable contact), who may use
it, and what happens to the mentee's replies while the conversation is open and after."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot.inbound import receive_sync
from bot.jobs.timers import fire_due_timers
from bot.program_settings import SIGNOFF_SETTING
from bot.runner import start_checkin
from bot.staff_messages import CONVERSATION_OPEN_FOR
from bot.turns.staff_conversation import REPLY_KIND, STAFF_MESSAGE_KIND
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Escalation,
    Lane,
    Message,
    Person,
    Program,
    Role,
)
from storage.queries import people
from tests.dashboard.conftest import Dash
from tests.dashboard.queue_builders import bare_escalation

WORDS = "Hi Ana, it's Sam. Are you safe right now?"


@pytest.fixture
def sam(dash: Dash) -> Person:
    return dash.staff(Role.supervisor, "sam", name="Sam Rivera")


@pytest.fixture
def ana(dash: Dash) -> Person:
    return dash.person(Role.mentee, "Ana Torres")


def contact_of(db: Session, person: Person) -> ContactPoint:
    assert person.id is not None
    return people.contacts_for(db, person.id)[0]


def staff_messages_to(dash: Dash, person: Person) -> list[Message]:
    with dash.db() as db:
        found = db.exec(select(Message).where(Message.person_id == person.id,
                                              Message.kind == STAFF_MESSAGE_KIND)
                        .order_by(col(Message.id))).all()
        for message in found:
            db.expunge(message)
        return list(found)


def outbound_to(dash: Dash, address: str) -> list[Message]:
    with dash.db() as db:
        found = db.exec(select(Message).where(Message.direction == Direction.outbound,
                                              Message.address == address)
                        .order_by(col(Message.id))).all()
        for message in found:
            db.expunge(message)
        return list(found)


def audit_of(dash: Dash, action: str, subject_type: str = "person") -> list[AuditEvent]:
    with dash.db() as db:
        found = db.exec(select(AuditEvent).where(AuditEvent.action == action,
                                                 AuditEvent.subject_type == subject_type)
                        .order_by(col(AuditEvent.id))).all()
        for event in found:
            db.expunge(event)
        return list(found)


def urgent_escalation(dash: Dash, person: Person) -> int:
    with dash.db() as db:
        return bare_escalation(db, person, "urgent", at=dash.clock())


def checkin_started(dash: Dash, person: Person) -> int:
    with dash.db() as db:
        row = start_checkin(db, dash.ctx.flows, person, "mentee_checkin", contact_of(db, person),
                            dash.clock())
        assert row is not None and row.id is not None
        return row.id


def session_state(dash: Dash, session_id: int) -> tuple[str | None, int]:
    with dash.db() as db:
        row = db.get(CheckinSession, session_id)
        assert row is not None
        answers = db.exec(select(Answer).where(Answer.session_id == session_id)).all()
        return row.current_state, len(answers)


def say(dash: Dash, person: Person, text: str) -> str:
    with dash.db() as db:
        contact = contact_of(db, person)
        channel, address = contact.channel, contact.address
    return receive_sync(dash.ctx, channel, address, text, None).outcome


def test_a_reply_from_the_escalation_goes_urgent_on_the_last_channel_signed_and_audited(
    dash: Dash, sam: Person,
) -> None:
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.sms, address="+15550001111")
    with dash.db() as db:
        assert ana.id is not None
        contact_of(db, ana).consent_at = dash.clock()
        people.add_contact(db, ana.id, Channel.telegram, "777001")
    esc_id = urgent_escalation(dash, ana)
    # She last wrote from Telegram: the reply goes there, not to her first contact (SMS).
    receive_sync(dash.ctx, Channel.telegram, "777001", "hello?", "tg-1")
    dash.login("sam")

    response = dash.post(f"/escalations/{esc_id}/reply", {"message": WORDS})

    assert response.status_code == 303
    assert response.headers["location"] == f"/escalations/{esc_id}?reply=sent#reply"
    [sent] = staff_messages_to(dash, ana)
    assert (sent.channel, sent.address) == (Channel.telegram, "777001")
    assert sent.lane == Lane.urgent and sent.priority == 0
    assert sent.body == f"{WORDS}\n— Sam"
    assert sent.session_id is None
    [event] = audit_of(dash, "staff_message_sent")
    assert event.actor == f"person:{sam.id}" and event.subject_id == ana.id
    assert event.detail["message_id"] == sent.id and event.detail["escalation_id"] == esc_id
    assert event.detail["channel"] == "telegram" and event.detail["lane"] == "urgent"
    assert "safe" not in json.dumps(event.detail)  # the words stay in the message row only
    [on_escalation] = audit_of(dash, "staff_message_sent", "escalation")
    assert on_escalation.subject_id == esc_id and on_escalation.actor == event.actor
    assert on_escalation.detail["message_id"] == sent.id

    page = dash.client.get(f"/escalations/{esc_id}?reply=sent").text
    assert 'id="reply-notice"' in page and "Sent." in page
    assert "Conversation open until" in page and "Close conversation" in page
    thread = page[page.index('id="staff-thread"'):]
    assert "Sam Rivera ·" in thread and "Are you safe right now?" in thread
    trail = page[page.index('id="history-heading"'):]  # the escalation's own audit trail
    assert "Message to them <span" in trail and "By Telegram, urgent lane" in trail
    mentee_page = dash.client.get(f"/mentees/{ana.id}").text
    history = mentee_page[mentee_page.index('id="history"'):]
    assert "Staff message ·" in history and "Are you safe right now?" in history


def test_from_the_mentee_page_without_an_urgent_escalation_it_is_routine_with_the_programs_signoff(
    dash: Dash, sam: Person, ana: Person,
) -> None:
    with dash.db() as db:
        program = db.get(Program, ana.program_id)
        assert program is not None
        program.settings[SIGNOFF_SETTING] = "— the Hope House team"
        # A concern, not urgent: the message waits its turn like any routine one.
        bare_escalation(db, ana, "concern", at=dash.clock())
    dash.login("sam")

    response = dash.post(f"/mentees/{ana.id}/reply", {"message": "  How did today go?  "})

    assert response.headers["location"] == f"/mentees/{ana.id}?reply=sent#reply"
    [sent] = staff_messages_to(dash, ana)
    assert sent.lane == Lane.routine
    assert sent.body == "How did today go?\n— the Hope House team"
    page = dash.client.get(f"/mentees/{ana.id}?reply=sent").text
    assert 'signed "— the Hope House team"' in page


def test_a_contact_that_takes_no_message_gets_nothing_and_the_page_says_why(
    dash: Dash, sam: Person,
) -> None:
    """STOP (said during a conversation), no YES to texts yet, a number marked unreachable:
    nothing at all goes out, the box says why before anyone types, and the refusal is audited."""
    mentees = {}
    for n, state in enumerate(("opted_out", "no_consent", "unreachable")):
        address = f"+1555000222{n}"
        mentee = dash.person(Role.mentee, f"Ana {state}", channel=Channel.sms, address=address)
        with dash.db() as db:
            contact = contact_of(db, mentee)
            contact.consent_at = None if state == "no_consent" else dash.clock()
            contact.unreachable = state == "unreachable"
        mentees[state] = (mentee, address, urgent_escalation(dash, mentee))
    dash.login("sam")
    stopping, _, stop_esc = mentees["opted_out"]
    assert dash.post(f"/escalations/{stop_esc}/reply", {"message": WORDS}).status_code == 303
    assert say(dash, stopping, "STOP") == "opted_out"  # honoured during the conversation
    assert dash.post(f"/mentees/{stopping.id}/reply", {"message": "   "}).headers[
        "location"].endswith("?reply=empty#reply")

    for state, (_, address, esc_id) in mentees.items():
        before = outbound_to(dash, address)
        page = dash.client.get(f"/escalations/{esc_id}").text
        assert 'id="reply-blocked"' in page and 'id="reply-message"' not in page, state
        response = dash.post(f"/escalations/{esc_id}/reply", {"message": "Are you there?"})
        assert response.headers["location"] == f"/escalations/{esc_id}?reply={state}#reply"
        assert outbound_to(dash, address) == before, state  # nothing at all went to them
        shown = dash.client.get(f"/escalations/{esc_id}?reply={state}").text
        expected = {"opted_out": "opted out of messages (STOP)",
                    "no_consent": "has not agreed to texts yet",
                    "unreachable": "marked unreachable"}[state]
        assert 'id="reply-notice"' in shown and expected in shown, state
    refused = audit_of(dash, "staff_message_not_sent")
    assert [(e.subject_id, e.detail["why"], e.actor) for e in refused] == [
        (mentees[state][0].id, state, f"person:{sam.id}") for state in mentees]
    # Only the message before the STOP was ever sent (the empty one was not even tried).
    assert [m.body for m in staff_messages_to(dash, stopping)] == [f"{WORDS}\n— Sam"]
    assert len(audit_of(dash, "staff_message_sent")) == 1


def test_replies_while_the_conversation_is_open_are_not_checkin_answers_until_it_is_closed(
    dash: Dash, sam: Person, ana: Person,
) -> None:
    session_id = checkin_started(dash, ana)
    assert session_state(dash, session_id) == ("comfort", 0)
    dash.login("sam")
    dash.post(f"/mentees/{ana.id}/reply", {"message": WORDS})
    queued_before = len(outbound_to(dash, f"person-{ana.id}"))

    assert say(dash, ana, "4") == "staff_conversation"
    assert say(dash, ana, "HELP ME QUEUE ACK 1") == "staff_conversation"

    # The check-in question still waits where it was; nothing was answered or re-prompted.
    assert session_state(dash, session_id) == ("comfort", 0)
    assert len(outbound_to(dash, f"person-{ana.id}")) == queued_before
    with dash.db() as db:
        replies = db.exec(select(Message).where(Message.person_id == ana.id,
                                                Message.direction == Direction.inbound)
                          .order_by(col(Message.id))).all()
        assert [(m.kind, m.session_id, m.body) for m in replies] == [
            (REPLY_KIND, None, "4"), (REPLY_KIND, None, "HELP ME QUEUE ACK 1")]
    page = dash.client.get(f"/mentees/{ana.id}").text
    assert page.count("· to staff") == 2

    response = dash.post(f"/mentees/{ana.id}/conversation/close")
    assert response.headers["location"] == f"/mentees/{ana.id}?reply=closed#reply"
    [closed] = audit_of(dash, "staff_conversation_closed")
    assert closed.actor == f"person:{sam.id}" and closed.subject_id == ana.id
    assert "Conversation open until" not in dash.client.get(f"/mentees/{ana.id}").text

    assert say(dash, ana, "4") == "reply"  # back to the check-in: an answer
    state, answers = session_state(dash, session_id)
    assert state != "comfort" and answers == 1


def test_words_of_danger_are_screened_while_it_is_open_and_it_ends_a_day_after_the_last_message(
    dash: Dash, sam: Person, ana: Person,
) -> None:
    session_id = checkin_started(dash, ana)
    dash.login("sam")
    dash.post(f"/mentees/{ana.id}/reply", {"message": "First"})
    dash.clock.advance(hours=2)
    dash.login("sam")
    dash.post(f"/mentees/{ana.id}/reply", {"message": WORDS})  # it runs on from here
    assert len(staff_messages_to(dash, ana)) == 2
    # The check-in's reminder falls due (4 h after it started): it waits for the conversation.
    dash.clock.advance(hours=3)
    with dash.db() as db:
        assert fire_due_timers(db, dash.ctx.flows, dash.clock()) == 1
        held = db.get(CheckinSession, session_id)
        assert held is not None and held.nudge_at == dash.clock() + timedelta(hours=21)
    assert not [m for m in outbound_to(dash, f"person-{ana.id}") if m.kind == "nudge"]
    dash.clock.advance(hours=20)  # 25 h after the first message, 23 h after the last

    # Still open: not an answer, but screened exactly as today (escalation, crisis reply).
    assert say(dash, ana, "no. i want to kill myself tonight") == "staff_conversation"
    with dash.db() as db:
        [esc] = db.exec(select(Escalation).where(Escalation.person_id == ana.id)).all()
        assert esc.level == "urgent" and "suicide_self_harm" in esc.reasons
        crisis = db.exec(select(Message).where(Message.person_id == ana.id,
                                               Message.kind == "crisis")).all()
        assert len(crisis) == 1 and crisis[0].lane == Lane.urgent
    assert session_state(dash, session_id) == ("comfort", 0)

    dash.clock.advance(seconds=CONVERSATION_OPEN_FOR.total_seconds() - 23 * 3600)
    assert say(dash, ana, "4") == "reply"  # closed by itself: back to the check-in
    assert session_state(dash, session_id)[1] == 1


def test_a_supervisor_of_another_program_can_neither_see_nor_use_the_box(
    dash: Dash, sam: Person, ana: Person,
) -> None:
    esc_id = urgent_escalation(dash, ana)
    dash.staff(Role.supervisor, "lee", program="Other Program")
    dash.login("lee")
    for path in (f"/escalations/{esc_id}/reply", f"/mentees/{ana.id}/reply",
                 f"/escalations/{esc_id}/conversation/close",
                 f"/mentees/{ana.id}/conversation/close"):
        # Another program's records answer 404, as everywhere in the dashboard: not even
        # their existence is confirmed.
        assert dash.post(path, {"message": WORDS}).status_code == 404, path
    assert staff_messages_to(dash, ana) == []
    assert audit_of(dash, "staff_message_sent") == audit_of(dash, "staff_message_not_sent") == []


def test_the_mentor_never_sees_or_sends_and_gets_nothing(dash: Dash, sam: Person) -> None:
    ana = dash.person(Role.mentee, "Ana Torres")
    mentor = dash.person(Role.mentor, "Max Mentor")
    rae = dash.staff(Role.supervisor, "rae", name="Rae Both")
    with dash.db() as db:
        assert mentor.id and ana.id and rae.id
        people.add_pairing(db, mentor.id, ana.id, dash.clock() - timedelta(days=1))
    esc_id = urgent_escalation(dash, ana)
    # A staff member an escalation names as Ana's mentor: her words may be about them.
    with dash.db() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        esc.about_mentor_id = rae.id
    dash.login("rae")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 404
    assert 'id="reply"' not in dash.client.get(f"/mentees/{ana.id}").text
    assert dash.post(f"/escalations/{esc_id}/reply", {"message": "x"}).status_code == 404
    assert dash.post(f"/mentees/{ana.id}/reply", {"message": "x"}).status_code == 404

    dash.login("sam")
    dash.post(f"/escalations/{esc_id}/reply", {"message": WORDS})
    say(dash, ana, "I'm ok, thanks Sam")
    assert outbound_to(dash, f"person-{mentor.id}") == []  # the mentor is told nothing
    assert outbound_to(dash, "staff-rae") == []
