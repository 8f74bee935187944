"""Staff see every message: a mentee's page has the whole conversation (in and out, inside and
outside check-ins, newest last, with channel and local time), every view is audited, and the
queue counts the messages sent outside a check-in that no staff member has opened yet. Another
program's staff see neither; nor does a staff member an escalation names as the mentor."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.dashboard.pages import mentees
from bot.runner import handle_inbound, start_checkin
from storage.models import AuditEvent, Channel, Message, Person, Role
from storage.queries import people
from tests.bot.helpers import NOW
from tests.dashboard.conftest import Dash
from tests.dashboard.mentee_data import escalation

OUTSIDE = "can someone call my caseworker about my court date"


def _say(dash: Dash, address: str, text: str, n: int) -> str:
    with dash.db() as db:
        return handle_inbound(db, dash.ctx.flows, channel=Channel.telegram, address=address,
                              text=text, provider_id=f"tg-{address}-{n}",
                              now=NOW + timedelta(minutes=n)).outcome


def _ana_with_a_checkin_and_a_message_outside(dash: Dash) -> Person:
    """Ana (Telegram) answers a whole check-in, then writes outside one (nothing flagged)."""
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.telegram, address="7001")
    with dash.db() as db:
        person = db.get(Person, ana.id)
        assert person is not None and person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        assert start_checkin(db, dash.ctx.flows, person, "mentee_checkin", contact, NOW)
    for n, text in enumerate(["4", "5", "no", "no"], start=1):
        assert _say(dash, "7001", text, n) == "reply"
    assert _say(dash, "7001", OUTSIDE, 30) == "no_session"
    return ana


def _bubbles(html: str) -> list[str]:
    found = re.search(r'<ol class="chat transcript" id="history">(.*?)</ol>', html, re.S)
    assert found, "the conversation is on the page"
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", li)).strip()
            for li in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)]


def _unread_block(html: str) -> str | None:
    found = re.search(r'<div class="card unread-messages" id="unread-messages">(.*?)</div>',
                      html, re.S)
    return found.group(1) if found else None


def test_the_mentee_page_shows_every_message_in_and_out_newest_last(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = _ana_with_a_checkin_and_a_message_outside(dash)
    dash.login("sam")
    page = dash.client.get(f"/mentees/{ana.id}")
    assert page.status_code == 200
    bubbles = _bubbles(page.text)
    with dash.db() as db:
        stored = db.exec(select(Message).where(Message.person_id == ana.id)
                         .order_by(col(Message.id))).all()
        # The message outside a check-in was stored with its words, like any other.
        [outside] = [m for m in stored if m.body == OUTSIDE]
        assert outside.session_id is None and outside.kind == "inbound"
    assert len(bubbles) == len(stored) >= 11  # 5 questions/closing, 4 answers, 1 in, 1 reply
    first_question, last = bubbles[0], bubbles[-1]
    assert first_question.startswith("Check-in line · ") and "in a check-in" in first_question
    # Times in the program's timezone (America/New_York: 17:00 UTC is 12:00 EST).
    assert "Mon 02 Mar 2026 12:00 · Telegram · in a check-in" in first_question
    assert any(b.startswith("Ana Torres · Mon 02 Mar 2026 12:01 · Telegram · in a check-in")
               and b.endswith(" 4") for b in bubbles)
    said = [b for b in bubbles if OUTSIDE in b]
    assert said == [f"Ana Torres · Mon 02 Mar 2026 12:30 · Telegram · outside a check-in · "
                    f"new {OUTSIDE}"]
    # The reply to it is the newest message, shown last.
    assert last.startswith("Check-in line · Mon 02 Mar 2026 12:30 · Telegram · outside")
    assert "Program staff can see it" in last


def test_viewing_the_messages_is_audited(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = _ana_with_a_checkin_and_a_message_outside(dash)
    dash.login("sam")
    dash.client.get(f"/mentees/{ana.id}")
    with dash.db() as db:
        [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "mentee_viewed")).all()
        assert event.actor == f"person:{sam.id}" and event.subject_id == ana.id
        assert event.detail == {"program_id": ana.program_id, "messages": True}
        assert OUTSIDE not in str(event.detail)


def test_the_queue_counts_unread_messages_outside_checkins_until_staff_open_the_page(
    dash: Dash,
) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.staff(Role.admin, "ada")
    ana = _ana_with_a_checkin_and_a_message_outside(dash)
    dash.login("sam")
    block = _unread_block(dash.client.get("/queue").text)
    # Only the one message outside a check-in counts, not her check-in answers.
    assert block is not None and "1 unread message</strong> outside check-ins" in block
    assert f'<a href="/mentees/{ana.id}#messages">Ana Torres</a> (1)' in block
    assert _unread_block(dash.client.get("/queue/rows").text) == block  # the polled fragment

    assert dash.client.get(f"/mentees/{ana.id}").status_code == 200
    assert _unread_block(dash.client.get("/queue").text) is None
    dash.login("ada")  # read by one staff member is read for the program's staff
    assert _unread_block(dash.client.get("/queue").text) is None
    page = dash.client.get(f"/mentees/{ana.id}").text
    assert "· new " not in " ".join(_bubbles(page))

    # Two more arrive: counted again, and marked new on the page.
    _say(dash, "7001", "also i need new shoes", 40)
    _say(dash, "7001", "size 9", 41)
    block = _unread_block(dash.client.get("/queue").text)
    assert block is not None and "2 unread messages</strong>" in block
    new = [b for b in _bubbles(dash.client.get(f"/mentees/{ana.id}").text) if "· new " in b]
    assert [b.split(" · new ", 1)[1] for b in new] == ["also i need new shoes", "size 9"]
    assert _unread_block(dash.client.get("/queue").text) is None


def test_another_programs_supervisor_sees_neither_the_count_nor_the_messages(dash: Dash) -> None:
    dash.staff(Role.supervisor, "olga", program="Far Away")
    dash.person(Role.mentee, "Omar Far", program="Far Away")
    ana = _ana_with_a_checkin_and_a_message_outside(dash)
    dash.login("olga")
    queue = dash.client.get("/queue").text
    assert _unread_block(queue) is None and "Ana Torres" not in queue
    page = dash.client.get(f"/mentees/{ana.id}")
    assert page.status_code == 404 and OUTSIDE not in page.text
    # Nothing was read: Ana's own program still has it unread.
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    block = _unread_block(dash.client.get("/queue").text)
    assert block is not None and "Ana Torres" in block


def test_a_staff_member_named_as_the_mentor_in_an_escalation_does_not_get_the_messages(
    dash: Dash,
) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = _ana_with_a_checkin_and_a_message_outside(dash)
    with dash.db() as db:
        escalation(db, ana.program_id, ana.id, "concern", NOW, about_mentor_id=sam.id)
    dash.login("sam")
    assert _unread_block(dash.client.get("/queue").text) is None
    page = dash.client.get(f"/mentees/{ana.id}")
    assert page.status_code == 200
    assert 'id="messages-hidden"' in page.text and OUTSIDE not in page.text
    # Their view marks nothing read: the others still see the count.
    dash.staff(Role.supervisor, "kim")
    dash.login("kim")
    block = _unread_block(dash.client.get("/queue").text)
    assert block is not None and "1 unread message" in block


def test_a_long_conversation_comes_a_page_at_a_time(
    sqlite_dash: Dash, monkeypatch: pytest.MonkeyPatch,
) -> None:
    dash = sqlite_dash
    monkeypatch.setattr(mentees, "HISTORY_PAGE", 4)
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.telegram, address="7001")
    for n in range(1, 4):  # three messages, three "thanks" replies
        _say(dash, "7001", f"note {n}", n)
    dash.login("sam")
    newest = _bubbles(dash.client.get(f"/mentees/{ana.id}").text)
    assert len(newest) == 4 and "note 2" in newest[0] and "note 3" in newest[2]
    page = dash.client.get(f"/mentees/{ana.id}").text
    older = re.search(r'href="(/mentees/\d+\?before=\d+)#messages" id="older-messages"', page)
    assert older
    rest = _bubbles(dash.client.get(older.group(1)).text)
    assert len(rest) == 2 and "note 1" in rest[0]
