"""IDOR across programs, on every dashboard route that takes an id: found by walking the app's
route table, so a new route with an id is checked (or fails here, naming the id it does not
know) without anyone remembering to add it.

An admin of Hope House asks for each route with the ids of another program's records: an
escalation, a mentee, a pairing, a schedule, the program itself, a queued message, a contact.
Every answer is 404 (not 403: another program's records are not even confirmed to exist), and
afterwards nothing of the other program has changed, nothing was queued to send, and no audit
event was written. Routes that take a program in the query string show nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlmodel import func, select

from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    Direction,
    Escalation,
    Message,
    MessageStatus,
    Pairing,
    Person,
    Program,
    Role,
    Schedule,
)
from storage.queries import people, schedules
from tests.dashboard.conftest import Dash
from tests.dashboard.queue_builders import bare_escalation
from tests.dashboard.test_security import _dashboard_routes, _routes

OTHER = "Other Place"
THEIR_MENTEE = "Zed Elsewhere"
THEIR_PHONE = "+15552223333"
WATCHED = (Escalation, Pairing, Schedule, Person, ContactPoint, Message, Program)


@pytest.fixture
def their_ids(dash: Dash) -> Iterator[dict[str, int]]:
    """Hope House's admin logged in; another program with one record of every kind."""
    dash.staff(Role.admin, "ada", program="Hope House")
    dash.person(Role.mentee, "Ana Here", program="Hope House")
    zed = dash.person(Role.mentee, THEIR_MENTEE, program=OTHER, channel=Channel.sms,
                      address=THEIR_PHONE)
    mo = dash.person(Role.mentor, "Mo Elsewhere", program=OTHER)
    now = dash.clock()
    with dash.db() as db:
        assert zed.id is not None and mo.id is not None
        pairing = people.add_pairing(db, mo.id, zed.id, now)
        schedule = schedules.set_schedule(
            db, person_id=zed.id, flow_id="mentee_checkin",
            rule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0", timezone="UTC",
            now=now)
        esc_id = bare_escalation(db, zed, at=now - timedelta(hours=1))
        [contact] = people.contacts_for(db, zed.id)
        contact.unreachable, contact.unreachable_reason = True, "their reason"
        db.add(contact)
        message = Message(channel=Channel.sms, address=THEIR_PHONE, person_id=zed.id,
                          direction=Direction.outbound, kind="question", body="their question",
                          status=MessageStatus.dead, attempts=5, last_error="their reason",
                          next_attempt_at=now, created_at=now, updated_at=now)
        db.add(message)
        db.flush()
        ids = {"esc_id": esc_id, "person_id": zed.id, "pairing_id": pairing.id,
               "schedule_id": schedule.id, "program_id": zed.program_id,
               "message_id": message.id, "contact_id": contact.id}
    dash.login("ada")
    yield {name: value for name, value in ids.items() if value is not None}


def _snapshot(dash: Dash) -> dict[str, list[dict[str, Any]]]:
    with dash.ctx.database.reading() as db:
        return {table.__name__: sorted((row.model_dump() for row in db.exec(select(table))),
                                       key=lambda row: row["id"])
                for table in WATCHED}


def _audit_count(dash: Dash) -> int:
    with dash.ctx.database.reading() as db:
        return db.exec(select(func.count()).select_from(AuditEvent)).one()


def _form_for(dash: Dash, method: str, path: str) -> dict[str, str]:
    """Every form field the route declares, filled with "1": a route must refuse another
    program's id whatever the form says, not only when the form happens to be invalid."""
    for route in _routes(dash.client.app.routes):  # type: ignore[attr-defined]
        if route.path == path and method in (route.methods or ()):
            return {field.alias: "1" for field in _body_fields(route)}
    raise AssertionError(f"no route {method} {path}")


def _body_fields(route: APIRoute) -> list[Any]:
    fields = list(route.dependant.body_params)
    for dependency in route.dependant.dependencies:
        fields.extend(dependency.body_params)
    return fields


def test_every_route_with_an_id_answers_404_for_another_programs_record(
    dash: Dash, their_ids: dict[str, int],
) -> None:
    with_ids = [(method, path) for method, path in _dashboard_routes(dash) if "{" in path]
    assert len(with_ids) >= 15  # the walk found the pages (escalations, people, simulator...)
    before, audits = _snapshot(dash), _audit_count(dash)
    for method, path in with_ids:
        names = re.findall(r"\{([^}]+)\}", path)
        unknown = [name for name in names if name not in their_ids]
        assert not unknown, f"{path}: add a record of another program for {unknown}"
        filled = re.sub(r"\{([^}]+)\}", lambda m: str(their_ids[m.group(1)]), path)
        if method == "GET":
            response = dash.client.get(filled, follow_redirects=False)
        else:
            response = dash.post(filled, _form_for(dash, method, path))
        assert response.status_code == 404, (method, path, response.status_code,
                                             response.text[:300])
        assert THEIR_MENTEE not in response.text and "their reason" not in response.text
    assert _snapshot(dash) == before, "another program's records changed"
    assert _audit_count(dash) == audits, "a refused request wrote an audit event"


def test_a_program_in_the_query_string_shows_nothing_of_it(
    dash: Dash, their_ids: dict[str, int],
) -> None:
    program = their_ids["program_id"]
    with_program = [path for method, path in _dashboard_routes(dash)
                    if method == "GET" and "{" not in path and path in (
                        "/queue", "/queue/rows", "/overview", "/overview.csv", "/settings")]
    assert len(with_program) == 5
    for path in with_program:
        response = dash.client.get(f"{path}?program={program}", follow_redirects=False)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert THEIR_MENTEE not in response.text and OTHER not in response.text, path

