"""The request id (`bot.request_ids`): taken from a sane X-Request-ID or made, answered as a
header on every path, and carried by each turn of a group commit to its own log lines and the
outbox rows it queued."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import inbound, request_ids
from bot.channels.base import Undeliverable
from bot.context import AppContext
from bot.flow_registry import load_configured_flows
from bot.logs import make_handler
from bot.outbox import OutboxSender
from bot.runner import start_checkin
from bot.settings import load_settings
from bot.web.front import ServiceApp, WebhookRequest, WebhookResponse
from storage.models import Channel, Direction, Lane, Message, Role
from storage.queries import messages, people
from tests.bot.helpers import NOW, database_for, enrol
from tests.bot.scripted_channel import ScriptedChannel
from tests.bot.test_routing import alert_rows, make_person, make_program, raise_and_alert

GENERATED = re.compile(r"[0-9a-f]{32}")
FLOWS = load_configured_flows(load_settings())


@pytest.mark.parametrize("given", ["req-42", "A1b2-C3d4", "x" * 64])
def test_a_sane_caller_id_is_kept(given: str) -> None:
    assert request_ids.from_header(given) == given


@pytest.mark.parametrize("given", [None, "", "x" * 65, "has space", "a\"quote", "new\nline",
                                   "{json}", "émoji", "under_score"])
def test_anything_else_gets_a_new_id(given: str | None) -> None:
    made = request_ids.from_header(given)
    assert GENERATED.fullmatch(made) and made != given


seen_ids: list[str | None] = []


async def record(request: WebhookRequest) -> WebhookResponse:
    seen_ids.append(request_ids.current())
    return WebhookResponse(200)


async def refuse(request: WebhookRequest) -> WebhookResponse:
    return WebhookResponse(403)


def make_app() -> ServiceApp:
    app = ServiceApp()

    @app.get("/page")
    def page() -> dict[str, str | None]:
        return {"request_id": request_ids.current()}

    app.provider_webhooks["/webhooks/record"] = record
    app.provider_webhooks["/webhooks/refuse"] = refuse
    return app


async def call(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_a_webhook_runs_under_the_callers_id_and_answers_with_it() -> None:
    seen_ids.clear()
    response = await call("POST", "/webhooks/record", content=b"x",
                          headers={"X-Request-ID": "proxy-7"})
    assert response.headers["x-request-id"] == "proxy-7"
    assert seen_ids == ["proxy-7"]
    assert request_ids.current() is None  # unbound after the request


async def test_a_dashboard_path_gets_a_made_id_when_the_callers_is_not_sane() -> None:
    response = await call("GET", "/page", headers={"X-Request-ID": "bad id"})
    made = response.headers["x-request-id"]
    assert GENERATED.fullmatch(made)
    assert response.json() == {"request_id": made}


async def test_a_refused_body_is_answered_with_an_id_too() -> None:
    response = await call("POST", "/webhooks/record", content=b"x" * (65 * 1024))
    assert response.status_code == 413
    assert GENERATED.fullmatch(response.headers["x-request-id"])


async def test_the_webhook_line_names_path_and_status_under_the_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.web.front")
    await call("POST", "/webhooks/record?token=abc", content=b"secret words",
               headers={"X-Request-ID": "line-1"})
    [line] = [r for r in caplog.records if getattr(r, "event", None) == "webhook"]
    assert (line.path, line.status) == ("/webhooks/record", 200)  # type: ignore[attr-defined]
    assert "token" not in line.getMessage() and "secret" not in line.getMessage()
    assert line.levelno == logging.DEBUG  # answered: its turn's line is the INFO one
    # The id itself is put on by the handler's filter (bot.logs); bound while it was logged:
    assert seen_ids[-1] == "line-1"


async def test_a_refused_webhook_is_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.web.front")
    await call("POST", "/webhooks/refuse", content=b"unsigned")
    [line] = [r for r in caplog.records if getattr(r, "event", None) == "webhook"]
    assert (line.status, line.levelno) == (403, logging.INFO)  # type: ignore[attr-defined]


def test_an_outbound_row_built_under_an_id_carries_it(db_url: str, engine: Engine) -> None:
    database = database_for(db_url, engine)
    with database.transaction() as db:
        with request_ids.bound("rid-orm"):
            caused = messages.enqueue_outbound(db, channel=Channel.sms, address="+15550001",
                                               body="b", kind="alert", lane=Lane.urgent, now=NOW)
        scheduled = messages.enqueue_outbound(db, channel=Channel.sms, address="+15550001",
                                              body="b", kind="question", lane=Lane.routine,
                                              now=NOW)
        assert (caused.request_id, scheduled.request_id) == ("rid-orm", None)


@pytest.fixture
def ctx(db_url: str, engine: Engine) -> AppContext:
    return AppContext(settings=load_settings(database_url=db_url),
                      database=database_for(db_url, engine), flows=FLOWS,
                      clock=lambda: NOW + timedelta(minutes=5))


def _start(ctx: AppContext, name: str) -> str:
    with ctx.database.transaction() as db:
        person = enrol(db, Role.mentee, name)
        assert person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
        return contact.address


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the service's own handler (`bot.logs`, LOG_FORMAT=json) writes, at INFO."""
    stream = io.StringIO()
    handler = make_handler("json", stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_each_turn_of_a_group_commit_carries_its_own_requests_id(
    ctx: AppContext, json_lines: io.StringIO,
) -> None:
    """Three requests' turns in one transaction (the replies written together, one of them
    with crisis words): each one's outbox rows and log lines carry its own id."""
    ana, ben, cat = (_start(ctx, n) for n in ("Ana Torres", "Ben Ruiz", "Cat Diaz"))
    with ctx.database.transaction() as db:  # the first questions: no request queued them
        before = max(db.exec(select(Message.id)).all(), key=lambda i: i or 0)
    units = [inbound._Turn(Channel.terminal.value, ana, "4", "a1", "rid-ana"),
             inbound._Turn(Channel.terminal.value, ben, "i want to kill myself", "b1",
                           "rid-ben"),
             inbound._Turn(Channel.terminal.value, cat, "5", "c1", "rid-cat")]
    with request_ids.bound("rid-other"):  # whatever is bound around the batch does not count
        results = inbound.run_batch(ctx, units)
    assert [getattr(r, "outcome", r) for r in results] == ["reply"] * 3
    with ctx.database.transaction() as db:
        rows = db.exec(select(Message.address, Message.kind, Message.request_id).where(
            Message.direction == Direction.outbound, col(Message.id) > before)).all()
    by_address: dict[str, set[str | None]] = {}
    for address, _kind, request_id in rows:
        by_address.setdefault(address, set()).add(request_id)
    assert by_address[ana] == {"rid-ana"} and by_address[cat] == {"rid-cat"}
    assert by_address[ben] == {"rid-ben"}
    assert any(kind == "crisis" for address, kind, _ in rows if address == ben)
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    raised = [e for e in lines if e.get("event") == "escalation_raised"]
    assert raised and all(e["request_id"] == "rid-ben" for e in raised)


async def test_an_alert_failed_over_by_the_sender_carries_the_request_on(
    db_url: str, engine: Engine,
) -> None:
    """A Telegram alert fails for good; the SMS alert the sender queues instead is still the
    crisis request's send, and its line says so."""
    ctx = AppContext(settings=load_settings(database_url=db_url, outbox_max_attempts=2),
                     database=database_for(db_url, engine), flows={}, clock=lambda: NOW)
    sms, telegram = ScriptedChannel(Channel.sms), ScriptedChannel(Channel.telegram)
    ctx.channels = {Channel.sms: sms, Channel.telegram: telegram}
    sender = OutboxSender(ctx)
    with ctx.database.transaction() as db:
        program = make_program(db)
        make_person(db, program, Role.supervisor, "Ann Sup")
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        with request_ids.bound("rid-crisis"):
            esc = raise_and_alert(db, mentee, "concern")
    telegram.script(Undeliverable("Forbidden: bot was blocked by the user"))
    await sender.run_once(Lane.urgent)
    await sender.run_once(Lane.urgent)
    assert len(sms.calls) == 1  # the failover alert went out
    with ctx.database.transaction() as db:
        rows = alert_rows(db, esc.id)
        assert [(m.channel, m.request_id) for m in rows] == [
            (Channel.telegram, "rid-crisis"), (Channel.sms, "rid-crisis")]
