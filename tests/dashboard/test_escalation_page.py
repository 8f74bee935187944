"""One escalation in the dashboard: its details, transcript and trail (every view audited), and
acting on it (acknowledge, resolve with a note, reopen) — only in the viewer's program, never
about their own mentee, never without the CSRF token."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from bot.escalation import lifecycle
from storage.models import (
    AuditEvent,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    Pairing,
    Person,
    Role,
)
from tests.dashboard.conftest import CSRF_RE, PASSWORD, Dash
from tests.dashboard.queue_builders import bare_escalation, checkin

WORDS = "my roommate said he would hurt me if I told anyone"
REPLIES = ("2", "1", "yes", "no", WORDS)


def events(dash: Dash, esc_id: int, action: str | None = None) -> list[AuditEvent]:
    with dash.db() as db:
        stmt = select(AuditEvent).where(AuditEvent.subject_type == "escalation",
                                        AuditEvent.subject_id == esc_id)
        if action is not None:
            stmt = stmt.where(AuditEvent.action == action)
        return list(db.exec(stmt.order_by(col(AuditEvent.id))).all())


def load(dash: Dash, esc_id: int) -> Escalation:
    with dash.db() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        db.expunge(esc)
        return esc


def urgent_checkin(dash: Dash, mentee: Person) -> int:
    """Ana answers a real check-in: comfort 2, safety 1, wants contact, and words of danger."""
    with dash.db() as db:
        raised = checkin(db, dash.ctx.flows, mentee, REPLIES, dash.clock())
    return raised["urgent"]


@pytest.fixture
def sam(dash: Dash) -> Person:
    return dash.staff(Role.supervisor, "sam", name="Sam Rivera")


@pytest.fixture
def ana(dash: Dash) -> Person:
    return dash.person(Role.mentee, "Ana Torres")


def test_the_page_shows_reasons_evidence_transcript_answers_and_trail(
    dash: Dash, sam: Person, ana: Person
) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")
    dash.clock.advance(minutes=3)

    page = dash.client.get(f"/escalations/{esc_id}")

    assert page.status_code == 200
    text = page.text
    assert f"Escalation #{esc_id}" in text and 'class="level level-urgent"' in text
    assert '<span class="status status-open" id="esc-status">Open</span>' in text
    assert f'<a href="/mentees/{ana.id}">Ana Torres</a>' in text
    for reason in ("Feels unsafe", "Asked for a staff member to reach out",
                   "Hurt or threatened"):
        assert reason in text
    # Evidence: the mentee's own words that raised it.
    # Evidence: the mentee's own words that raised it, the matched words marked inside the
    # whole sentence, and an answer under the question that was asked (not "safety: 1").
    assert "<q>my roommate <mark>said he would hurt me</mark> if I told anyone</q>" in text
    assert text.count("<q>my roommate") == 1  # overlapping phrases: one sentence, marked once
    assert ('<span class="question">How safe do you feel right now? Reply 1 (not safe) to 5 '
            '(very safe).</span> <q class="answer">1</q>') in text
    assert "safety: 1" not in text
    assert "Mon 02 Mar 12:00" in text  # raised, New York time
    assert "(12 min left)" in text
    # The transcript of the session, in order, both directions.
    transcript = text[text.index('<ol class="chat transcript">'):]
    order = ["How comfortable do you feel", "How safe do you feel right now?",
             "If you are in danger right now", WORDS, "Only program staff see your answers"]
    positions = [transcript.index(part) for part in order]
    assert positions == sorted(positions)
    assert '<li class="bubble in urgent">' in transcript  # the words that raised it
    assert '<li class="bubble out">' in transcript
    # The session's answers.
    assert ('<td class="wrap">How comfortable do you feel in the program this week? Reply 1 '
            '(not at all) to 5 (very).</td><td class="wrap">2</td>') in text
    assert ('<td class="wrap">Would you like a staff member to reach out to you today? Reply YES '
            'or NO.</td><td class="wrap">yes</td>') in text
    assert "<td>comfort</td>" not in text and "safety_followup" not in text
    # The audit trail, with human words; this very view is already in it.
    trail = text[text.index('<table class="history">'):]
    assert "System</td>" in trail and "Raised" in trail and "More reasons added" in trail
    assert "Sam Rivera</td>\n          <td>Viewed" in trail
    # Actions allowed from "open".
    assert f'action="/escalations/{esc_id}/ack"' in text
    assert f'action="/escalations/{esc_id}/resolve"' in text
    assert f'action="/escalations/{esc_id}/reopen"' not in text
    assert '<label for="note">Resolution note</label>' in text
    # logout, acknowledge, reassign, follow-up, note, resolve, reply to Ana
    assert text.count('name="csrf_token"') == 7


def test_viewing_writes_an_audit_event_with_the_viewer_as_actor(
    dash: Dash, sam: Person, ana: Person
) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")
    assert events(dash, esc_id, "escalation_viewed") == []

    dash.client.get(f"/escalations/{esc_id}")
    dash.client.get(f"/escalations/{esc_id}")

    viewed = events(dash, esc_id, "escalation_viewed")
    assert [(e.actor, e.at) for e in viewed] == [(f"person:{sam.id}", dash.clock())] * 2
    for event in viewed:  # the details never hold the mentee's words
        assert "hurt" not in str(event.detail) and "safety" not in str(event.detail)


def test_an_erased_message_body_shows_as_erased(dash: Dash, sam: Person, ana: Person) -> None:
    esc_id = urgent_checkin(dash, ana)
    with dash.db() as db:
        inbound = db.exec(select(Message).where(Message.direction == Direction.inbound,
                                                Message.body == WORDS)).one()
        inbound.body = None  # what retention does
    dash.login("sam")
    page = dash.client.get(f"/escalations/{esc_id}")
    assert page.status_code == 200
    assert '<span class="body muted">(erased)</span>' in page.text
    assert "<li class=\"bubble in\">" in page.text


def test_an_escalation_outside_a_check_in_shows_the_messages_around_it(
    dash: Dash, sam: Person, ana: Person
) -> None:
    """A text with no open check-in is screened and escalated with no session."""
    from bot.runner import handle_inbound

    with dash.db() as db:
        handle_inbound(db, dash.ctx.flows, channel="terminal", address=f"person-{ana.id}",
                       text="I want to kill myself", provider_id=None, now=dash.clock())
        [esc] = db.exec(select(Escalation)).all()
        esc_id = esc.id
        assert esc.session_id is None and esc.level == "urgent"
    dash.login("sam")
    page = dash.client.get(f"/escalations/{esc_id}")
    assert page.status_code == 200
    assert "Raised outside a check-in" in page.text
    assert "I want to kill myself" in page.text and "Suicide or self-harm" in page.text
    assert "No answers (not raised during a check-in)." in page.text


def test_acknowledge_marks_it_acknowledged_by_the_viewer_and_stops_realerts(
    dash: Dash, sam: Person, ana: Person
) -> None:
    esc_id = urgent_checkin(dash, ana)
    assert load(dash, esc_id).next_alert_at is not None
    dash.login("sam")
    dash.clock.advance(minutes=2)

    answer = dash.post(f"/escalations/{esc_id}/ack")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/escalations/{esc_id}?done=ack"
    esc = load(dash, esc_id)
    assert esc.status == EscalationStatus.acknowledged
    assert esc.acknowledged_by == sam.id and esc.acknowledged_at == dash.clock()
    assert esc.next_alert_at is None  # no more re-alerts
    [event] = events(dash, esc_id, "escalation_acknowledged")
    assert event.actor == f"person:{sam.id}"
    page = dash.client.get(answer.headers["location"])
    assert "Acknowledged. Re-alerts have stopped." in page.text
    assert "Mon 02 Mar 12:02 by Sam Rivera" in page.text
    assert f'action="/escalations/{esc_id}/ack"' not in page.text  # no longer allowed
    assert f'action="/escalations/{esc_id}/resolve"' in page.text
    # Acknowledging again changes nothing and says so.
    again = dash.post(f"/escalations/{esc_id}/ack")
    assert again.headers["location"] == f"/escalations/{esc_id}?done=already"
    assert len(events(dash, esc_id, "escalation_acknowledged")) == 1


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_resolve_needs_a_note(dash: Dash, sam: Person, ana: Person, note: str) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")

    answer = dash.post(f"/escalations/{esc_id}/resolve",
                       {"note": note, "outcome": "false alarm"})

    assert answer.status_code == 400
    assert "Write a short resolution note" in answer.text and 'role="alert"' in answer.text
    assert load(dash, esc_id).status == EscalationStatus.open
    assert events(dash, esc_id, "escalation_resolved") == []


def test_a_note_that_is_too_long_is_refused_and_kept_for_editing(
    dash: Dash, sam: Person, ana: Person
) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")
    note = "x" * (lifecycle.NOTE_MAX_CHARS + 1)
    answer = dash.post(f"/escalations/{esc_id}/resolve", {"note": note,
                                                          "outcome": "false alarm"})
    assert answer.status_code == 400
    assert f"at most {lifecycle.NOTE_MAX_CHARS} characters" in answer.text
    assert note in answer.text  # what they wrote is not lost
    assert load(dash, esc_id).status == EscalationStatus.open


def test_resolve_with_a_note_then_reopen(dash: Dash, sam: Person, ana: Person) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")

    answer = dash.post(f"/escalations/{esc_id}/resolve",
                       {"note": "  Called her; she is safe at her aunt's.  ",
                        "outcome": "spoke with them, safe"})

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/escalations/{esc_id}?done=resolved"
    esc = load(dash, esc_id)
    assert esc.status == EscalationStatus.resolved and esc.resolved_by == sam.id
    assert esc.resolution_note == "Called her; she is safe at her aunt's."
    assert esc.acknowledged_by == sam.id  # resolving counts as acknowledging
    page = dash.client.get(answer.headers["location"])
    assert '<span class="status status-resolved" id="esc-status">Resolved</span>' in page.text
    assert "Called her; she is safe at her aunt&#39;s." in page.text
    assert f'action="/escalations/{esc_id}/reopen"' in page.text
    assert f'action="/escalations/{esc_id}/resolve"' not in page.text
    assert f'action="/escalations/{esc_id}/ack"' not in page.text

    dash.clock.advance(minutes=30)
    answer = dash.post(f"/escalations/{esc_id}/reopen", {"reason": "She texted again"})

    assert answer.headers["location"] == f"/escalations/{esc_id}?done=reopened"
    esc = load(dash, esc_id)
    assert esc.status == EscalationStatus.open and esc.reopened_at == dash.clock()
    assert esc.due_at == dash.clock() + timedelta(minutes=15)  # a new deadline
    assert esc.next_alert_at == dash.clock()  # alerts go out again
    [event] = events(dash, esc_id, "escalation_reopened")
    assert event.actor == f"person:{sam.id}" and event.detail["reason"] == "She texted again"
    page = dash.client.get(answer.headers["location"])
    assert "Reopened. Alerts go out again" in page.text
    assert "Reason: She texted again" in page.text


def test_a_refused_transition_is_a_message_not_a_crash(
    dash: Dash, sam: Person, ana: Person
) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")
    # Reopening an open escalation (a stale page, a crafted POST).
    answer = dash.post(f"/escalations/{esc_id}/reopen", {"reason": "again"})
    assert answer.status_code == 409
    assert f"#{esc_id} is not resolved, so it cannot be reopened." in answer.text
    assert answer.text.count('role="alert"') == 1
    # Someone else resolved it meanwhile: ACK and RESOLVE are refused, plainly.
    with dash.db() as db:
        lifecycle.resolve(db, esc_id, actor="cli", by_person_id=None, note="done",
                          now=dash.clock())
    for action, data in (("ack", {}),
                         ("resolve", {"note": "also done", "outcome": "false alarm"})):
        answer = dash.post(f"/escalations/{esc_id}/{action}", data)
        assert answer.status_code == 409, action
        assert f"#{esc_id} is already resolved." in answer.text
    assert load(dash, esc_id).resolution_note == "done"
    too_long = dash.post(f"/escalations/{esc_id}/reopen",
                         {"reason": "r" * (lifecycle.REASON_MAX_CHARS + 1)})
    assert too_long.status_code == 400 and "The reason is too long" in too_long.text
    assert load(dash, esc_id).status == EscalationStatus.resolved


def test_two_supervisors_acknowledging_at_once_make_one_acknowledgement(
    dash: Dash, sam: Person, ana: Person
) -> None:
    dash.staff(Role.supervisor, "kim", name="Kim Lee")
    esc_id = urgent_checkin(dash, ana)
    app = dash.client.app
    clients = []
    for username in ("sam", "kim"):
        client = TestClient(app, base_url="http://127.0.0.1")
        page = client.get("/login")
        token = page.text.split('name="login_token" value="')[1].split('"')[0]
        client.post("/login", data={"username": username, "password": PASSWORD,
                                    "login_token": token, "next": "/queue"})
        found = CSRF_RE.search(client.get("/queue").text)
        assert found
        clients.append((client, found.group(1)))
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def ack(client: TestClient, csrf: str) -> None:
        barrier.wait()
        response = client.post(f"/escalations/{esc_id}/ack", data={"csrf_token": csrf},
                               follow_redirects=False)
        answers.append(response.status_code)

    threads = [threading.Thread(target=ack, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers == [303, 303]
    assert len(events(dash, esc_id, "escalation_acknowledged")) == 1
    esc = load(dash, esc_id)
    assert esc.status == EscalationStatus.acknowledged
    with dash.db() as db:
        staff = {p.id for p in db.exec(select(Person).where(
            col(Person.role) == Role.supervisor)).all()}
    assert esc.acknowledged_by in staff


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    dash: Dash, sam: Person, ana: Person
) -> None:
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")
    for action, data in (("ack", {}), ("resolve", {"note": "called"}),
                         ("notes", {"text": "n"}), ("follow-up", {"at": "2026-03-03T09:00"}),
                         ("assign", {"owner": str(sam.id)}),
                         ("reopen", {"reason": "x"})):
        missing = dash.client.post(f"/escalations/{esc_id}/{action}", data=data,
                                   follow_redirects=False)
        wrong = dash.client.post(f"/escalations/{esc_id}/{action}",
                                 data={**data, "csrf_token": "forged"}, follow_redirects=False)
        assert missing.status_code == 403 and wrong.status_code == 403, action
    esc = load(dash, esc_id)
    assert esc.status == EscalationStatus.open and esc.acknowledged_at is None
    actions = {e.action for e in events(dash, esc_id)}
    assert not actions & {"escalation_acknowledged", "escalation_resolved",
                          "escalation_reopened", "escalation_viewed", "escalation_assigned",
                          "escalation_note_added", "escalation_follow_up_set"}


def test_another_programs_escalation_answers_404_and_is_untouched(
    dash: Dash, sam: Person
) -> None:
    olga = dash.person(Role.mentee, "Olga Other", program="Safe Harbor")
    esc_id = urgent_checkin(dash, olga)
    dash.login("sam")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 404
    for action, data in (("ack", {}), ("resolve", {"note": "called"}),
                         ("resolve", {"note": ""}),
                         ("notes", {"text": "n"}), ("follow-up", {"at": "2026-03-03T09:00"}),
                         ("assign", {"owner": str(sam.id)}),
                         ("reopen", {"reason": "x"})):
        assert dash.post(f"/escalations/{esc_id}/{action}", data).status_code == 404, action
    esc = load(dash, esc_id)
    assert esc.status == EscalationStatus.open and esc.acknowledged_at is None
    assert not {e.action for e in events(dash, esc_id)} & {
        "escalation_viewed", "escalation_acknowledged", "escalation_resolved",
        "escalation_note_added", "escalation_follow_up_set", "escalation_assigned"}


def test_a_supervisor_who_mentors_the_mentee_cannot_see_or_act_on_it(
    dash: Dash, sam: Person, ana: Person
) -> None:
    assert sam.id is not None and ana.id is not None
    with dash.db() as db:
        db.add(Pairing(program_id=ana.program_id, mentor_id=sam.id, mentee_id=ana.id,
                       active_from=dash.clock()))
    esc_id = urgent_checkin(dash, ana)
    dash.login("sam")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 404
    for action, data in (("ack", {}), ("resolve", {"note": "called"}),
                         ("notes", {"text": "n"}), ("follow-up", {"at": "2026-03-03T09:00"}),
                         ("assign", {"owner": str(sam.id)}),
                         ("reopen", {"reason": "x"})):
        assert dash.post(f"/escalations/{esc_id}/{action}", data).status_code == 404, action
    assert load(dash, esc_id).status == EscalationStatus.open
    assert events(dash, esc_id, "escalation_viewed") == []
    # Another supervisor of the program does the work.
    dash.staff(Role.supervisor, "kim")
    dash.login("kim")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 200
    assert dash.post(f"/escalations/{esc_id}/ack").status_code == 303


def test_an_escalation_about_the_viewer_answers_404(dash: Dash, sam: Person,
                                                    ana: Person) -> None:
    with dash.db() as db:
        esc_id = bare_escalation(db, ana, "concern", at=dash.clock())
        lifecycle.get(db, esc_id).about_mentor_id = sam.id
    dash.login("sam")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 404
    assert dash.post(f"/escalations/{esc_id}/ack").status_code == 404


@pytest.mark.parametrize("esc_id", ["999", "0", "-1", str(2**31), str(2**70)])
def test_unknown_escalations_answer_404(dash: Dash, sam: Person, esc_id: str) -> None:
    dash.login("sam")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 404
    assert dash.post(f"/escalations/{esc_id}/ack").status_code == 404


def test_an_admin_of_the_program_works_the_escalation_too(dash: Dash, ana: Person) -> None:
    admin = dash.staff(Role.admin, "ada")
    esc_id = urgent_checkin(dash, ana)
    dash.login("ada")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 200
    assert dash.post(f"/escalations/{esc_id}/ack").status_code == 303
    assert load(dash, esc_id).acknowledged_by == admin.id
