"""Casework on an escalation from the dashboard: the owner (acknowledging makes you the owner,
reassigning tells the new owner), internal notes (sealed, staff only, never sent), the
follow-up (top of the owner's queue when due, the owner told once, by one instance of two),
and the outcome (required to resolve, configurable per program, counted on the Overview)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.dashboard.accounts import create_account
from bot.jobs.follow_up import claim_due, run_follow_ups
from storage import crypto
from storage.db import make_engine
from storage.models import (
    AuditEvent,
    Channel,
    Direction,
    Escalation,
    EscalationNote,
    Message,
    Pairing,
    Person,
    Program,
    Role,
)
from tests.bot.helpers import NOW, database_for, enrol
from tests.dashboard.conftest import PASSWORD, Dash, make_dash
from tests.dashboard.queue_builders import bare_escalation, checkin

URL = "http://checkin.example.org"  # http: the TestClient does not speak https
REPLIES = ("2", "1", "yes", "no", "my roommate said he would hurt me if I told anyone")
NOTE = "Called her aunt; Ana is staying there tonight and will text me at 9."


@pytest.fixture
def dash(db_url: str) -> Iterator[Dash]:
    yield from make_dash(db_url, data_keys=crypto.new_key(), public_base_url=URL)


def supervisor(dash: Dash, username: str, name: str, program: str = "Hope House") -> Person:
    """A supervisor with a dashboard account and a Telegram chat (so they can be told)."""
    with dash.db() as db:
        person = enrol(db, Role.supervisor, name, program_name=program,
                       channel=Channel.telegram, address=f"chat-{username}")
        create_account(db, person, username, PASSWORD, dash.clock())
        return person


def urgent_checkin(dash: Dash, name: str = "Ana Torres") -> tuple[Person, int]:
    mentee = dash.person(Role.mentee, name)
    with dash.db() as db:
        return mentee, checkin(db, dash.ctx.flows, mentee, REPLIES, dash.clock())["urgent"]


def load(dash: Dash, esc_id: int) -> Escalation:
    with dash.db() as db:
        esc = db.get(Escalation, esc_id)
        assert esc is not None
        db.expunge(esc)
        return esc


def sent_to(dash: Dash, address: str, kind: str | None = None) -> list[Message]:
    with dash.db() as db:
        stmt = select(Message).where(Message.direction == Direction.outbound,
                                     Message.address == address)
        if kind is not None:
            stmt = stmt.where(Message.kind == kind)
        found = list(db.exec(stmt.order_by(col(Message.id))).all())
        for m in found:
            db.expunge(m)
        return found


def actions(dash: Dash, esc_id: int) -> list[AuditEvent]:
    with dash.db() as db:
        return list(db.exec(select(AuditEvent).where(
            AuditEvent.subject_type == "escalation", AuditEvent.subject_id == esc_id)
            .order_by(col(AuditEvent.id))).all())


def test_acknowledging_makes_you_the_owner_and_reassigning_tells_the_new_owner(
    dash: Dash,
) -> None:
    sam = supervisor(dash, "sam", "Sam Rivera")
    kim = supervisor(dash, "kim", "Kim Lee")
    olga = supervisor(dash, "olga", "Olga Other", program="Safe Harbor")
    _ana, esc_id = urgent_checkin(dash)
    dash.login("sam")

    assert dash.post(f"/escalations/{esc_id}/ack").status_code == 303
    assert load(dash, esc_id).owner_id == sam.id
    page = dash.client.get(f"/escalations/{esc_id}").text
    assert re.search(r"<strong>Owner:</strong>\s*Sam Rivera \(you\)", page)
    # Kim may take it; a supervisor of another program is not even offered.
    assert f'<option value="{kim.id}">Kim Lee</option>' in page
    assert "Olga Other" not in page

    refused = dash.post(f"/escalations/{esc_id}/assign", {"owner": str(olga.id)})
    assert refused.status_code == 409
    assert "Choose a supervisor of this program from the list." in refused.text
    assert load(dash, esc_id).owner_id == sam.id
    assert sent_to(dash, "chat-olga") == []

    answer = dash.post(f"/escalations/{esc_id}/assign", {"owner": str(kim.id)})
    assert answer.headers["location"] == f"/escalations/{esc_id}?done=assigned"
    assert load(dash, esc_id).owner_id == kim.id
    [told] = sent_to(dash, "chat-kim", "case_assigned")
    assert told.lane == "routine" and told.escalation_id == esc_id
    assert told.body == (f"Escalation #{esc_id} (A.T., Hope House) is now yours, from Sam. "
                         f"Review: {URL}/escalations/{esc_id}")
    [event] = [e for e in actions(dash, esc_id) if e.action == "escalation_assigned"]
    assert event.actor == f"person:{sam.id}"
    assert (event.detail["from_person_id"], event.detail["person_id"]) == (sam.id, kim.id)
    page = dash.client.get(answer.headers["location"]).text
    assert "Reassigned. They have been sent a message." in page
    assert "Assigned" in page and "To Kim Lee" in page  # the audit trail, in words
    queue = dash.client.get("/queue").text
    row = queue[queue.index(f'id="escalation-{esc_id}"'):]
    assert '<td data-label="Owner">Kim Lee</td>' in row[:row.index("</tr>")]


def test_notes_are_sealed_shown_to_staff_and_never_sent_or_shown_to_a_mentor(
    dash: Dash,
) -> None:
    sam = supervisor(dash, "sam", "Sam Rivera")
    ana, esc_id = urgent_checkin(dash)
    dash.login("sam")
    dash.clock.advance(minutes=4)

    answer = dash.post(f"/escalations/{esc_id}/notes", {"text": f"  {NOTE}  "})

    assert answer.headers["location"] == f"/escalations/{esc_id}?done=noted"
    page = dash.client.get(answer.headers["location"]).text
    assert "Note added. Only staff see it." in page
    notes = page[page.index('<ol class="case-notes"'):]
    assert "Sam Rivera · Mon 02 Mar 12:04" in notes and NOTE.replace("'", "&#39;") in notes
    # Sealed at rest, bound to its column; the audit trail says only that a note was added.
    with dash.ctx.database.engine.connect() as conn:
        [stored] = [r[0] for r in conn.exec_driver_sql("SELECT body FROM escalation_note")]
    assert stored.startswith("enc2:") and "aunt" not in stored
    [event] = [e for e in actions(dash, esc_id) if e.action == "escalation_note_added"]
    assert "aunt" not in repr(event.detail) and event.actor == f"person:{sam.id}"
    # Never sent to anyone.
    with dash.db() as db:
        bodies = [m.body or "" for m in db.exec(select(Message)).all()]
    assert not any("aunt" in b for b in bodies)
    # An empty note is refused and nothing is stored.
    assert dash.post(f"/escalations/{esc_id}/notes", {"text": "  "}).status_code == 400
    with dash.db() as db:
        assert len(db.exec(select(EscalationNote)).all()) == 1

    # Ana's mentor, even one with a dashboard account, sees neither the page nor the notes.
    kim = supervisor(dash, "kim", "Kim Lee")
    with dash.db() as db:
        db.add(Pairing(program_id=ana.program_id, mentor_id=kim.id, mentee_id=ana.id,
                       active_from=dash.clock()))
    dash.login("kim")
    assert dash.client.get(f"/escalations/{esc_id}").status_code == 404
    assert dash.post(f"/escalations/{esc_id}/notes", {"text": "x"}).status_code == 404
    assert "aunt" not in dash.client.get(f"/mentees/{ana.id}").text


def test_a_due_follow_up_tops_the_owners_queue_and_tells_them_once(dash: Dash) -> None:
    sam = supervisor(dash, "sam", "Sam Rivera")
    supervisor(dash, "kim", "Kim Lee")
    _ana, urgent_id = urgent_checkin(dash)
    bea = dash.person(Role.mentee, "Bea Lind")
    with dash.db() as db:
        concern_id = bare_escalation(db, bea, "concern", at=dash.clock())
    dash.login("sam")
    assert dash.post(f"/escalations/{concern_id}/ack").status_code == 303

    # Tomorrow 09:00 in the program's timezone (New York: 14:00 UTC).
    answer = dash.post(f"/escalations/{concern_id}/follow-up", {"at": "2026-03-03T09:00"})
    assert answer.headers["location"] == f"/escalations/{concern_id}?done=follow-up"
    assert load(dash, concern_id).follow_up_at == NOW.replace(day=3, hour=14)
    page = dash.client.get(f"/escalations/{concern_id}").text
    assert 'value="2026-03-03T09:00"' in page and "follow-up Tue 03 Mar 09:00" in page
    past = dash.post(f"/escalations/{concern_id}/follow-up", {"at": "2026-03-01T09:00"})
    assert past.status_code == 400 and "in the future" in past.text

    def order(username: str) -> list[tuple[str, str]]:
        """The queue's rows of these two escalations, in order: (id, row classes)."""
        dash.login(username)
        rows = re.findall(r'id="escalation-(\d+)" class="([^"]*)"', dash.client.get("/queue").text)
        return [r for r in rows if int(r[0]) in (urgent_id, concern_id)]

    assert [i for i, _ in order("sam")] == [str(urgent_id), str(concern_id)]  # urgent first
    with dash.db() as db:
        assert run_follow_ups(db, dash.clock(), dashboard_url=URL) == 0  # not due yet

    dash.clock.now = NOW.replace(day=3, hour=14, minute=1)
    mine = order("sam")
    assert mine[0] == (str(concern_id), "queue-row queue-concern status-acknowledged "
                                        "follow-up-due-row")
    assert "Follow-up due" in dash.client.get("/queue").text
    assert [i for i, _ in order("kim")] == [str(urgent_id), str(concern_id)]  # not Kim's case

    with dash.db() as db:
        assert run_follow_ups(db, dash.clock(), dashboard_url=URL) == 1
    with dash.db() as db:
        assert run_follow_ups(db, dash.clock(), dashboard_url=URL) == 0  # once
    [told] = sent_to(dash, "chat-sam", "case_follow_up")
    assert told.person_id == sam.id and told.body == (
        f"Follow-up due: escalation #{concern_id} (B.L., Hope House). "
        f"Review: {URL}/escalations/{concern_id}")
    assert any(e.action == "escalation_follow_up_due" for e in actions(dash, concern_id))

    # A new follow-up time is news again; clearing it takes the item off the top.
    dash.login("sam")
    dash.post(f"/escalations/{concern_id}/follow-up", {"at": "2026-03-04T09:00"})
    dash.clock.now = NOW.replace(day=4, hour=14, minute=1)
    with dash.db() as db:
        assert run_follow_ups(db, dash.clock(), dashboard_url=URL) == 1
    dash.login("sam")  # a day later: the session timed out
    dash.post(f"/escalations/{concern_id}/follow-up", {"clear": "1"})
    assert load(dash, concern_id).follow_up_at is None
    assert [i for i, _ in order("sam")] == [str(urgent_id), str(concern_id)]


def test_two_instances_never_tell_the_same_follow_up(pg_db_url: str) -> None:
    # PostgreSQL only: SQLite serialises writers, so there is nothing to race there.
    engine = make_engine(pg_db_url)
    database = database_for(pg_db_url, engine)
    with database.transaction() as db:
        owner = enrol(db, Role.supervisor, "Sam Rivera", channel=Channel.telegram,
                      address="chat-sam")
        ids = []
        for name in ("Ana Torres", "Bea Lind"):
            mentee = enrol(db, Role.mentee, name)
            esc_id = bare_escalation(db, mentee, "concern", at=NOW)
            esc = db.get(Escalation, esc_id)
            assert esc is not None
            esc.owner_id, esc.follow_up_at = owner.id, NOW + timedelta(hours=1)
            ids.append(esc_id)
    due = NOW + timedelta(hours=2)
    with database.transaction() as one, database.transaction() as two:
        mine = [e.id for e in claim_due(one, due, 1)]
        theirs = [e.id for e in claim_due(two, due, 10)]
        assert len(mine) == 1 and len(theirs) == 1 and set(mine + theirs) == set(ids)
    with database.transaction() as one:
        assert run_follow_ups(one, due, dashboard_url=URL) == 2
    with database.transaction() as two:
        assert run_follow_ups(two, due, dashboard_url=URL) == 0
    engine.dispose()


def test_resolving_needs_an_outcome_from_the_programs_list_and_the_overview_counts_them(
    dash: Dash,
) -> None:
    supervisor(dash, "sam", "Sam Rivera")
    dash.staff(Role.admin, "ada")
    _ana, first = urgent_checkin(dash)
    _bea, second = urgent_checkin(dash, "Bea Lind")
    dash.login("sam")
    page = dash.client.get(f"/escalations/{first}").text
    for outcome in ("spoke with them, safe", "safety plan made", "referred to clinician",
                    "emergency services called", "false alarm"):
        assert f'<option value="{outcome}">{outcome}</option>' in page

    missing = dash.post(f"/escalations/{first}/resolve", {"note": "Called her."})
    assert missing.status_code == 400 and "Choose an outcome" in missing.text
    unknown = dash.post(f"/escalations/{first}/resolve",
                        {"note": "Called her.", "outcome": "made up"})
    assert unknown.status_code == 409 and "Choose an outcome from the list." in unknown.text
    assert load(dash, first).status == "open"

    ok = dash.post(f"/escalations/{first}/resolve",
                   {"note": "Called her.", "outcome": "safety plan made"})
    assert ok.status_code == 303
    esc = load(dash, first)
    assert (esc.status, esc.outcome) == ("resolved", "safety plan made")
    assert "Outcome: safety plan made. Note: Called her." in dash.client.get(
        f"/escalations/{first}").text

    # The admin sets the program's own list on the settings page.
    dash.login("ada")
    with dash.db() as db:
        program = db.exec(select(Program).where(Program.name == "Hope House")).one()
    bad = dash.post(f"/settings/{program.id}", {"outcomes": "  \n "})
    assert bad.status_code == 400 and "list at least one outcome" in bad.text
    saved = dash.post(f"/settings/{program.id}",
                      {"outcomes": "Safe, spoke with them\n\nWarm handoff to counsellor\n"})
    assert saved.status_code == 303
    with dash.db() as db:
        program = db.exec(select(Program).where(Program.name == "Hope House")).one()
        assert program.settings["outcomes"] == ["Safe, spoke with them",
                                                "Warm handoff to counsellor"]
    dash.login("sam")
    page = dash.client.get(f"/escalations/{second}").text
    assert '<option value="Warm handoff to counsellor">' in page
    assert '<option value="false alarm">' not in page
    dash.post(f"/escalations/{second}/resolve",
              {"note": "Handed to Dr. Ruiz.", "outcome": "Warm handoff to counsellor"})

    overview = dash.client.get("/overview").text
    table = overview[overview.index('<table class="outcomes"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table)
    assert rows == [("Safe, spoke with them", "0"), ("Warm handoff to counsellor", "1"),
                    ("safety plan made", "1")]
