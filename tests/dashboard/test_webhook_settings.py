"""The outbound webhook on the program settings page and in `checkin programs set`: the URL, the
text opt-in and a signing secret that is sealed at rest, never shown back in full and never in
the audit trail; bad values refused with nothing saved. And on the Delivery page: an event the
receiver never took, with its reason and a retry."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from bot.program_settings import set_webhook
from bot.settings import get_settings
from bot.webhook_events import INCLUDE_TEXT_SETTING, REF_KEY_SETTING, URL_SETTING, WEBHOOK_CHANNEL
from storage import crypto
from storage.models import AuditEvent, Direction, Lane, Message, MessageStatus, Program, Role
from tests.dashboard.conftest import Dash, make_dash

URL = "https://cases.example.org/hooks/peer-checkin"
SECRET = "whsec_0123456789abcdefghijKLMN"


@pytest.fixture
def keyed_dash(db_url: str) -> Iterator[Dash]:
    """DATA_KEYS set: secrets are sealed at rest."""
    yield from make_dash(db_url, data_keys=crypto.new_key())


def _program(dash: Dash) -> Program:
    with dash.db() as db:
        program = db.exec(select(Program).where(Program.name == "Hope House")).one()
        db.expunge(program)
        return program


def _stored_secret(dash: Dash) -> str | None:
    with dash.db() as db:
        value = db.execute(text("SELECT webhook_secret FROM program")).scalar_one()
        return str(value) if value is not None else None


def test_an_admin_sets_the_webhook_and_the_secret_is_sealed_and_never_shown_again(
    keyed_dash: Dash,
) -> None:
    dash = keyed_dash
    admin = dash.staff(Role.admin, "ada")
    dash.login("ada")
    program = _program(dash)
    response = dash.post(f"/settings/{program.id}", {
        "webhook_url": URL, "webhook_secret": SECRET, "webhook_include_text": "yes"})
    assert response.status_code == 303, response.text
    saved = _program(dash)
    assert saved.settings[URL_SETTING] == URL and saved.settings[INCLUDE_TEXT_SETTING] is True
    assert len(saved.settings[REF_KEY_SETTING]) == 32  # the pseudonyms' key, made once
    assert saved.webhook_secret == SECRET  # opened by the model
    stored = _stored_secret(dash)
    assert stored is not None and stored.startswith(crypto.MARK) and SECRET not in stored

    page = html.unescape(dash.client.get(f"/settings?program={program.id}").text)
    assert SECRET not in page and "set (ends in …KLMN)" in page
    assert f'value="{URL}"' in page
    assert '<option value="yes" selected>' in page

    with dash.db() as db:
        [event] = db.exec(select(AuditEvent).where(
            AuditEvent.action == "program_settings_changed")).all()
    assert event.actor == f"person:{admin.id}"
    assert set(event.detail["changed"]) == {"webhook_url", "webhook_secret",
                                            "webhook_include_text"}
    assert SECRET not in str(event.detail) and URL not in str(event.detail)

    # Saving again with the secret field empty keeps the secret; the key stays the same.
    key = saved.settings[REF_KEY_SETTING]
    response = dash.post(f"/settings/{program.id}", {
        "webhook_url": URL, "webhook_secret": "", "webhook_include_text": "no"})
    assert response.status_code == 303
    again = _program(dash)
    assert again.webhook_secret == SECRET and again.settings[REF_KEY_SETTING] == key
    assert INCLUDE_TEXT_SETTING not in again.settings

    # An empty URL turns the webhook off.
    dash.post(f"/settings/{program.id}", {"webhook_url": "", "webhook_include_text": "no"})
    assert URL_SETTING not in _program(dash).settings


def test_bad_webhook_values_are_refused_field_by_field_and_nothing_is_saved(
    dash: Dash,
) -> None:
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    program = _program(dash)
    for fields, field, message in (
        ({"webhook_url": URL}, "webhook_secret", "a webhook URL needs a secret"),
        ({"webhook_url": "http://cases.example.org/h", "webhook_secret": SECRET},
         "webhook_url", "must be https://"),
        ({"webhook_url": "cases.example.org", "webhook_secret": SECRET}, "webhook_url",
         "an address like https://"),
        ({"webhook_url": URL, "webhook_secret": "short"}, "webhook_secret",
         "24 to 200 characters"),
    ):
        response = dash.post(f"/settings/{program.id}",
                             {**fields, "webhook_include_text": "no", "quiet_start": "22:00"})
        assert response.status_code == 400, fields
        page = html.unescape(response.text)
        assert f'id="{field}-error"' in page and message in page
        assert SECRET not in page  # not even echoed back into the form
        saved = _program(dash)
        assert URL_SETTING not in saved.settings and saved.webhook_secret is None
        assert saved.quiet_start == "21:00"  # nothing of the form was saved


def test_checkin_programs_set_sets_the_webhook_and_show_hides_the_secret(
    dash: Dash, db_url: str,
) -> None:
    dash.person(Role.mentee, "Ana Torres")  # the program exists
    get_settings.cache_clear()
    env = {"DATABASE_URL": db_url}
    try:
        result = CliRunner().invoke(app, [
            "programs", "set", "Hope House", "--webhook-url", URL, "--webhook-secret", "-",
            "--webhook-include-text", "no"], env=env, input=f"{SECRET}\n")
        assert result.exit_code == 0, result.output
        assert "webhook_url" in result.output and "webhook_secret" in result.output
        saved = _program(dash)
        assert saved.settings[URL_SETTING] == URL and saved.webhook_secret == SECRET
        shown = CliRunner().invoke(app, ["programs", "show", "Hope House"], env=env)
        assert shown.exit_code == 0, shown.output
        assert f"webhook: {URL}; secret set (ends in …KLMN); text not included" in shown.output
        assert SECRET not in shown.output and REF_KEY_SETTING not in shown.output
        refused = CliRunner().invoke(app, [
            "programs", "set", "Hope House", "--webhook-url", "http://example.org/x"], env=env)
        assert refused.exit_code != 0 and "must be https://" in refused.output
        assert _program(dash).settings[URL_SETTING] == URL
    finally:
        get_settings.cache_clear()


def test_a_dead_lettered_webhook_event_shows_on_the_delivery_page_and_can_be_retried(
    dash: Dash,
) -> None:
    dash.staff(Role.admin, "ada")
    dash.login("ada")
    with dash.db() as db:
        program = db.exec(select(Program).where(Program.name == "Hope House")).one()
        set_webhook(program, url=URL, secret=SECRET)
        db.add(program)
        dead = Message(direction=Direction.outbound, channel=WEBHOOK_CHANNEL,
                       address=str(program.id), body='{"type":"escalation.raised"}',
                       kind="webhook", status=MessageStatus.dead, lane=Lane.routine,
                       attempts=6, last_error="webhook receiver answered 503",
                       next_attempt_at=dash.clock(), created_at=dash.clock(),
                       updated_at=dash.clock())
        db.add(dead)
        db.commit()
        dead_id = dead.id
    page = html.unescape(dash.client.get("/delivery").text)
    assert "Hope House: case-management webhook" in page
    assert "webhook receiver answered 503" in page
    assert f'action="/delivery/messages/{dead_id}/retry"' in page
    assert "escalation.raised" not in page  # bodies are never shown

    response = dash.post(f"/delivery/messages/{dead_id}/retry")
    assert response.status_code == 303, response.text
    with dash.db() as db:
        row = db.get(Message, dead_id)
        assert row is not None and row.status == MessageStatus.pending and row.attempts == 0

    # Once the program turned its webhook off, a retry is refused and says why.
    with dash.db() as db:
        row = db.get(Message, dead_id)
        assert row is not None
        row.status = MessageStatus.dead
        program = db.exec(select(Program).where(Program.name == "Hope House")).one()
        set_webhook(program, turn_off=True)
        db.add_all([row, program])
        db.commit()
    refused = dash.post(f"/delivery/messages/{dead_id}/retry")
    assert refused.status_code == 409
    assert "Hope House has no webhook URL any more" in html.unescape(refused.text)
