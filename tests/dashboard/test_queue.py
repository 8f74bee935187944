"""The supervisor queue: order, content, deadlines, filters, the live rows fragment, and what a
supervisor must never see there."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.escalation import lifecycle
from storage.models import AuditEvent, Pairing, Person, Role
from tests.dashboard.conftest import Dash
from tests.dashboard.queue_builders import UNSAFE_REPLIES, bare_escalation, checkin

ROW_ID = re.compile(r'id="escalation-(\d+)"')


def row_ids(html: str) -> list[int]:
    return [int(n) for n in ROW_ID.findall(html)]


def row_html(html: str, esc_id: int) -> str:
    match = re.search(rf'<tr id="escalation-{esc_id}".*?</tr>', html, re.S)
    assert match, f"no row for escalation #{esc_id}"
    return match.group(0)


def unsafe_checkin(dash: Dash, mentee: Person) -> dict[str, int]:
    with dash.db() as db:
        return checkin(db, dash.ctx.flows, mentee, UNSAFE_REPLIES, dash.clock())


def test_open_escalations_are_listed_urgent_first_with_their_details(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    bea = dash.person(Role.mentee, "Bea Lind")
    carl = dash.person(Role.mentee, "Carl Ruiz")
    dora = dash.person(Role.mentee, "Dora Park")
    with dash.db() as db:
        watch = bare_escalation(db, bea, "watch", at=dash.clock(), reasons=["missed_checkins"],
                                evidence=[])
        acked = bare_escalation(db, carl, "urgent", at=dash.clock())
        lifecycle.acknowledge(db, acked, actor="cli", by_person_id=sam.id, now=dash.clock())
        done = bare_escalation(db, dora, "urgent", at=dash.clock())
        lifecycle.resolve(db, done, actor="cli", by_person_id=sam.id, note="ok", now=dash.clock())
    dash.clock.advance(minutes=1)
    raised = unsafe_checkin(dash, ana)  # concern (comfort 2) and urgent (safety 1)
    dash.login("sam")
    dash.clock.advance(minutes=1)

    page = dash.client.get("/queue")

    assert page.status_code == 200
    # Open before acknowledged; in each, urgent, concern, watch; resolved ones are gone.
    assert row_ids(page.text) == [raised["urgent"], raised["concern"], watch, acked]
    urgent = row_html(page.text, raised["urgent"])
    assert 'class="level level-urgent"' in urgent and "Urgent" in urgent
    assert f'href="/mentees/{ana.id}">Ana Torres</a>' in urgent
    assert "Feels unsafe" in urgent and "feels_unsafe" not in urgent  # words, not codes
    assert "14 min left" in urgent
    # Sam, the only supervisor, has no phone or Telegram: the alert round reached nobody.
    assert ('<td data-label="Status">Open <span class="not-alerted">Not alerted</span></td>'
            in urgent)
    assert f'href="/escalations/{raised["urgent"]}"' in urgent
    assert "Mon 02 Mar 12:01" in urgent  # raised, in the program's time (New York)
    concern = row_html(page.text, raised["concern"])
    assert "Low comfort in the program" in concern and "23 h 59 min left" in concern
    assert "Missed several check-ins in a row" in row_html(page.text, watch)
    acked_row = row_html(page.text, acked)
    assert "Acknowledged" in acked_row and "overdue" not in acked_row
    # The list shows no evidence (the mentee's words or answers) ...
    assert "safety: 1" not in page.text and "comfort: 2" not in page.text
    assert "he said he would hurt me" not in page.text
    # ... so reading it is not an audited view.
    with dash.db() as db:
        assert not db.exec(select(AuditEvent)
                           .where(AuditEvent.action == "escalation_viewed")).all()


def test_the_deadline_counts_down_and_turns_red_when_overdue(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    with dash.db() as db:
        esc_id = bare_escalation(db, ana, "urgent", at=dash.clock())  # due in 15 min
    dash.login("sam")

    dash.clock.advance(minutes=5)
    row = row_html(dash.client.get("/queue").text, esc_id)
    assert '<td data-label="Deadline" class="deadline">10 min left</td>' in row

    dash.clock.advance(minutes=20)
    row = row_html(dash.client.get("/queue").text, esc_id)
    assert '<td data-label="Deadline" class="deadline overdue">overdue by 10 min</td>' in row

    dash.clock.advance(hours=3)
    dash.login("sam")  # past the idle timeout
    row = row_html(dash.client.get("/queue").text, esc_id)
    assert "overdue by 3 h 10 min" in row


def test_filters_by_level_and_program(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    other = dash.person(Role.mentee, "Olga Other", program="Safe Harbor")
    raised = unsafe_checkin(dash, ana)
    with dash.db() as db:
        watch = bare_escalation(db, ana, "watch", at=dash.clock())
        elsewhere = bare_escalation(db, other, "urgent", at=dash.clock())
    dash.login("sam")
    home_id, other_id = ana.program_id, other.program_id

    page = dash.client.get("/queue")
    # Labelled selects, sent as GET query parameters.
    assert '<form class="filters queue-filters" method="get" action="/queue"' in page.text
    assert '<label for="filter-level">Level</label>' in page.text
    assert '<select id="filter-level" name="level">' in page.text
    assert '<label for="filter-program">Program</label>' in page.text
    assert f'<option value="{home_id}">Hope House</option>' in page.text
    assert "Safe Harbor" not in page.text  # another program is not even a choice

    urgent_only = dash.client.get("/queue", params={"level": "urgent"})
    assert row_ids(urgent_only.text) == [raised["urgent"]]
    assert '<option value="urgent" selected>' in urgent_only.text
    # The live fragment keeps the filter.
    assert 'hx-get="/queue/rows?level=urgent"' in urgent_only.text
    assert row_ids(dash.client.get("/queue", params={"level": "watch"}).text) == [watch]

    mine = dash.client.get("/queue", params={"program": str(home_id)})
    assert row_ids(mine.text) == [raised["urgent"], raised["concern"], watch]
    assert f'<option value="{home_id}" selected>' in mine.text
    # Another program's id (or nonsense) is ignored: still only the viewer's own programs.
    for value in (str(other_id), "x", "-1", "99999999999999"):
        page = dash.client.get("/queue", params={"program": value, "level": "bogus"})
        assert page.status_code == 200
        assert row_ids(page.text) == [raised["urgent"], raised["concern"], watch]
        assert elsewhere not in row_ids(page.text)


def test_nothing_open_shows_an_empty_state(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    dash.login("sam")
    assert "Nothing open right now." in dash.client.get("/queue").text
    with dash.db() as db:
        bare_escalation(db, ana, "concern", at=dash.clock())
    page = dash.client.get("/queue", params={"level": "urgent"})
    assert "Nothing open matches these filters." in page.text
    assert row_ids(page.text) == []


def test_the_rows_fragment_is_polled_and_shows_new_escalations(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres")
    dash.login("sam")
    page = dash.client.get("/queue")
    region = re.search(r'<div id="queue-region"[^>]*>', page.text)
    assert region, page.text
    for attribute in ('aria-live="polite"', 'hx-get="/queue/rows"', 'hx-trigger="every 5s"',
                      'hx-include="#queue-version"'):
        assert attribute in region.group(0)
    version = re.search(r'id="queue-version" name="v" value="([0-9a-f]+)"', page.text)
    assert version

    # Polling with the version the page has: nothing changed, nothing to swap.
    same = dash.client.get("/queue/rows", params={"v": version.group(1)},
                           headers={"HX-Request": "true"})
    assert same.status_code == 204 and same.text == ""

    raised = unsafe_checkin(dash, ana)
    fresh = dash.client.get("/queue/rows", params={"v": version.group(1)},
                            headers={"HX-Request": "true"})
    assert fresh.status_code == 200
    assert row_ids(fresh.text) == [raised["urgent"], raised["concern"]]
    # Only the rows partial: no page around it.
    assert "<html" not in fresh.text and "<h1" not in fresh.text and "<nav" not in fresh.text
    assert fresh.text.lstrip().startswith('<input type="hidden" id="queue-version"')
    # With the same filters as the page.
    urgent = dash.client.get("/queue/rows", params={"level": "concern"})
    assert row_ids(urgent.text) == [raised["concern"]]


def test_another_programs_escalations_are_never_listed(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    olga = dash.person(Role.mentee, "Olga Other", program="Safe Harbor")
    with dash.db() as db:
        elsewhere = checkin(db, dash.ctx.flows, olga, UNSAFE_REPLIES, dash.clock())
    assert elsewhere
    dash.login("sam")
    for path in ("/queue", "/queue/rows"):
        text = dash.client.get(path).text
        assert row_ids(text) == [] and "Olga Other" not in text


def test_a_supervisor_does_not_see_escalations_about_a_mentee_they_mentor(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam")
    dash.staff(Role.supervisor, "kim")
    ana = dash.person(Role.mentee, "Ana Torres")
    bea = dash.person(Role.mentee, "Bea Lind")
    assert sam.id is not None and ana.id is not None
    with dash.db() as db:
        db.add(Pairing(program_id=ana.program_id, mentor_id=sam.id, mentee_id=ana.id,
                       active_from=dash.clock()))
        about_ana = bare_escalation(db, ana, "urgent", at=dash.clock())
        about_bea = bare_escalation(db, bea, "urgent", at=dash.clock())
        about_sam = bare_escalation(db, bea, "concern", at=dash.clock())
        lifecycle.get(db, about_sam).about_mentor_id = sam.id

    dash.login("sam")
    for path in ("/queue", "/queue/rows"):
        text = dash.client.get(path).text
        assert row_ids(text) == [about_bea], path
        assert "Ana Torres" not in text

    dash.login("kim")  # another supervisor of the program sees all three
    assert row_ids(dash.client.get("/queue").text) == [about_ana, about_bea, about_sam]


def test_logged_out_the_queue_and_its_fragment_are_closed(dash: Dash) -> None:
    page = dash.client.get("/queue", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    rows = dash.client.get("/queue/rows", headers={"HX-Request": "true"},
                           follow_redirects=False)
    assert rows.status_code == 401 and rows.headers["HX-Redirect"] == "/login"


def test_queue_reads_in_the_order_of_the_lifecycle(dash: Dash) -> None:
    """The page adds no ordering of its own: the same order the phone's QUEUE uses."""
    dash.staff(Role.supervisor, "sam")
    people = [dash.person(Role.mentee, f"Mentee {n}") for n in range(4)]
    with dash.db() as db:
        for n, (person, level) in enumerate(zip(people, ["watch", "concern", "urgent",
                                                         "concern"], strict=True)):
            dash.clock.advance(minutes=n)
            bare_escalation(db, person, level, at=dash.clock())
        expected = [e.id for e in lifecycle.queue(db, program_ids=[people[0].program_id],
                                                  now=dash.clock(), limit=None)
                    if e.id is not None]
    dash.login("sam")
    assert row_ids(dash.client.get("/queue").text) == expected
    with dash.db() as db:
        levels = [lifecycle.get(db, i).level for i in expected]
    assert levels == ["urgent", "concern", "concern", "watch"]
    assert expected[1] < expected[2]  # in a level, the oldest first
