"""Program settings and flows pages: saving (audited), refusing bad values field by field with
nothing saved, admins only, own program only, and the flow files' validation result."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot import texts
from bot.crisis_texts import crisis_reply
from bot.policy import ack_deadline
from flows.loader import DEFINITIONS_DIR, FlowError, load_flow
from storage.models import AuditEvent, Person, Program, Role
from tests.dashboard.conftest import Dash, make_dash

GOOD = {
    "quiet_start": "22:00", "quiet_end": "7:30", "timezone": "America/Chicago",
    "crisis_message_en": "Call Hope House crisis line 555-0100 or 988.",
    "crisis_message_es": "Llama a la línea de Hope House 555-0100 o al 988.",
    "help_text": "Hope House check-ins. Reply here to reach staff.",
    "ack_urgent": "10", "ack_concern": "1440", "ack_watch": "4320", "alert_detail": "reasons",
    "staff_signoff": " — the  Hope House team ",
}


def _admin(dash: Dash, program: str = "Hope House") -> Person:
    admin = dash.staff(Role.admin, "ada", program=program)
    dash.login("ada")
    return admin


def _program(dash: Dash, name: str = "Hope House") -> Program:
    with dash.db() as db:
        program = db.exec(select(Program).where(Program.name == name)).one()
        db.expunge(program)
        return program


def _audit(dash: Dash, action: str = "program_settings_changed") -> list[AuditEvent]:
    with dash.db() as db:
        events = list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())
        for event in events:
            db.expunge(event)
        return events


def _text(response_text: str) -> str:
    return html.unescape(response_text)


# ---- settings ---------------------------------------------------------------------------------


def test_settings_page_shows_the_program_and_warns_that_the_default_crisis_text_is_used(
    dash: Dash,
) -> None:
    _admin(dash)
    page = dash.client.get("/settings")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Hope House" in text
    assert 'value="21:00"' in text and 'value="08:00"' in text
    assert 'value="America/New_York"' in text
    assert 'id="crisis-default-warning"' in text
    assert "No crisis message set: the default is used" in text
    assert "call 911" in text  # the default the runner sends (bot/texts.py)
    assert 'value="15"' in text  # the urgent deadline in force (runner default)
    assert '<option value="discreet" selected>' in text


def test_saving_settings_stores_them_and_writes_an_audit_event(dash: Dash) -> None:
    admin = _admin(dash)
    program = _program(dash)
    response = dash.post(f"/settings/{program.id}", GOOD)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/settings?program={program.id}&saved=")

    saved = _program(dash)
    assert (saved.quiet_start, saved.quiet_end) == ("22:00", "07:30")  # normalised HH:MM
    assert saved.timezone == "America/Chicago"
    assert saved.settings["crisis_message"] == {"en": GOOD["crisis_message_en"],
                                                "es": GOOD["crisis_message_es"]}
    assert saved.help_text == GOOD["help_text"]
    # Only the deadline that changed is stored; the runner reads it (and the defaults).
    assert saved.settings["ack_minutes"] == {"urgent": 10}
    assert saved.settings["alert_detail"] == "reasons"
    assert saved.settings["staff_signoff"] == "— the Hope House team"  # spaces tidied
    now = dash.clock()
    assert ack_deadline(saved, "urgent", now) == now + timedelta(minutes=10)
    assert ack_deadline(saved, "concern", now) == now + timedelta(minutes=1440)

    [event] = _audit(dash)
    assert event.actor == f"person:{admin.id}"
    assert event.subject_type == "program" and event.subject_id == program.id
    assert set(event.detail["changed"]) == {
        "quiet_start", "quiet_end", "timezone", "crisis_message_en", "crisis_message_es",
        "help_text", "ack_urgent", "alert_detail", "staff_signoff"}
    assert event.detail["before"]["timezone"] == "America/New_York"
    assert event.detail["after"]["timezone"] == "America/Chicago"
    assert event.detail["before"]["ack_urgent"] == 15
    assert event.detail["after"]["ack_urgent"] == 10
    assert event.detail["before"]["crisis_message_en"] is None
    assert event.detail["after"]["crisis_message_en"] == GOOD["crisis_message_en"]

    page = dash.client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Saved: quiet hours start" in page.text
    assert 'id="crisis-default-warning"' not in page.text


def test_saving_the_same_values_again_changes_nothing_and_audits_nothing(dash: Dash) -> None:
    _admin(dash)
    program = _program(dash)
    assert dash.post(f"/settings/{program.id}", GOOD).status_code == 303
    again = dash.post(f"/settings/{program.id}", GOOD)
    assert again.status_code == 303
    assert len(_audit(dash)) == 1
    assert "Nothing changed." in dash.client.get(again.headers["location"]).text


def test_an_empty_crisis_message_goes_back_to_the_default_with_a_warning(dash: Dash) -> None:
    _admin(dash)
    program = _program(dash)
    dash.post(f"/settings/{program.id}", GOOD)
    response = dash.post(f"/settings/{program.id}", {**GOOD, "crisis_message_es": ""})
    assert response.status_code == 303
    assert _program(dash).settings["crisis_message"] == {"en": GOOD["crisis_message_en"]}
    page = _text(dash.client.get(response.headers["location"]).text)
    # Only Spanish is back to its default, and the warning shows the Spanish default.
    assert "No crisis message set in Spanish: the default is used" in page
    assert 'id="crisis-default-es"' in page and 'id="crisis-default-en"' not in page
    assert "Si estás en peligro ahora mismo" in page
    last = _audit(dash)[-1]
    assert last.detail["changed"] == ["crisis_message_es"]
    assert last.detail["after"]["crisis_message_es"] is None
    response = dash.post(f"/settings/{program.id}", {**GOOD, "crisis_message_en": "",
                                                     "crisis_message_es": ""})
    assert "crisis_message" not in _program(dash).settings
    page = _text(dash.client.get(response.headers["location"]).text)
    assert "No crisis message set: the default is used" in page


def test_bad_values_are_shown_next_to_their_fields_and_nothing_is_saved(dash: Dash) -> None:
    _admin(dash)
    program = _program(dash)
    bad = {**GOOD, "quiet_start": "25:00", "quiet_end": "noon", "timezone": "Mars/Olympus",
           "crisis_message_es": "x" * 321, "ack_urgent": "0", "alert_detail": "everything"}
    response = dash.post(f"/settings/{program.id}", bad)
    assert response.status_code == 400
    text = _text(response.text)
    for field in ("quiet_start", "quiet_end", "timezone", "crisis_message_es", "ack_urgent",
                  "alert_detail"):
        assert f'id="{field}-error"' in text, field
    assert "'25:00' is not a time like 21:00" in text
    assert "'Mars/Olympus' is not a timezone name" in text
    assert "keep the crisis message to 320 characters" in text
    assert "Nothing was saved" in text
    assert 'value="Mars/Olympus"' in text  # what was typed is kept for fixing
    assert 'id="help_text-error"' not in text
    assert "csrf_token" in text  # the form can be sent again
    unchanged = _program(dash)
    assert (unchanged.quiet_start, unchanged.timezone) == ("21:00", "America/New_York")
    assert unchanged.help_text is None
    assert unchanged.settings == {}
    assert _audit(dash) == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("quiet_start", "9pm", "is not a time like 21:00"),
    ("quiet_end", "08:60", "is not a time like 21:00"),
    ("quiet_end", "", "is not a time like 21:00"),
    ("timezone", "America", "is not a timezone name"),
    ("timezone", "", "is not a timezone name"),
    ("crisis_message_en", "c" * 321, "keep the crisis message to 320 characters"),
    ("staff_told_es", "s" * 161, "keep the \"staff have been told\" line to 160 characters"),
    ("ack_concern", "a day", "the concern deadline is a whole number of minutes"),
    ("ack_watch", "-5", "the watch deadline is a whole number of minutes"),
    ("ack_urgent", "²", "the urgent deadline is a whole number of minutes"),
    ("alert_detail", "full", "alert detail is 'discreet' (default) or 'reasons'"),
    ("staff_signoff", "s" * 41, "keep the sign-off to 40 characters"),
])
def test_each_bad_value_gets_its_own_message(
    sqlite_dash: Dash, field: str, value: str, message: str
) -> None:
    dash = sqlite_dash
    _admin(dash)
    program = _program(dash)
    response = dash.post(f"/settings/{program.id}", {**GOOD, field: value})
    assert response.status_code == 400
    found = re.search(rf'<p class="error field-error" id="{field}-error">([^<]*)</p>',
                      response.text)
    assert found and message in html.unescape(found.group(1))
    assert _program(dash).timezone == "America/New_York"
    assert _audit(dash) == []


def test_a_crisis_message_of_exactly_320_characters_is_accepted(sqlite_dash: Dash) -> None:
    _admin(sqlite_dash)
    program = _program(sqlite_dash)
    response = sqlite_dash.post(f"/settings/{program.id}", {"crisis_message_es": "c" * 320})
    assert response.status_code == 303
    assert _program(sqlite_dash).settings["crisis_message"] == {"es": "c" * 320}


def test_each_language_has_its_own_crisis_texts_and_the_runner_sends_them(dash: Dash) -> None:
    _admin(dash)
    program = _program(dash)
    page = _text(dash.client.get("/settings").text)
    for field in ("crisis_message_en", "crisis_message_es", "staff_told_en", "staff_told_es"):
        assert f'name="{field}"' in page, field
    response = dash.post(f"/settings/{program.id}", {
        "crisis_message_es": "Llama a la enfermera, ext 4411.",
        "staff_told_es": "La enfermera Ruiz ya lo sabe."})
    assert response.status_code == 303
    saved = _program(dash)
    assert saved.settings["crisis_message"] == {"es": "Llama a la enfermera, ext 4411."}
    assert saved.settings["staff_told"] == {"es": "La enfermera Ruiz ya lo sabe."}
    assert crisis_reply(saved, "es") == (
        "Llama a la enfermera, ext 4411. La enfermera Ruiz ya lo sabe.")
    # English has no text of its own: the shipped English one, not the Spanish custom one.
    assert crisis_reply(saved, "en") == (
        f"{texts.text('crisis', 'en')} {texts.text('staff_told', 'en')}")
    page = _text(dash.client.get(response.headers["location"]).text)
    assert 'Saved: crisis message (Spanish), "staff have been told" line (Spanish).' in page
    assert "No crisis message set in English: the default is used" in page
    assert ">Llama a la enfermera, ext 4411.</textarea>" in page
    [event] = _audit(dash)
    assert event.detail["changed"] == ["crisis_message_es", "staff_told_es"]


def test_another_programs_settings_answer_404(dash: Dash) -> None:
    _admin(dash)
    dash.person(Role.mentee, "Ola", program="Safe Harbor")
    other = _program(dash, "Safe Harbor")
    assert dash.client.get(f"/settings?program={other.id}").status_code == 404
    assert dash.client.get("/settings?program=abc").status_code == 404
    assert dash.post(f"/settings/{other.id}", GOOD).status_code == 404
    assert dash.post(f"/settings/{other.id}", {**GOOD, "timezone": "nope"}).status_code == 404
    assert _program(dash, "Safe Harbor").timezone == "America/New_York"
    assert _audit(dash) == []


def test_supervisors_get_403_on_settings_and_flows(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    program = _program(dash)
    assert dash.client.get("/settings").status_code == 403
    assert dash.client.get(f"/settings?program={program.id}").status_code == 403
    assert dash.post(f"/settings/{program.id}", GOOD).status_code == 403
    assert dash.client.get("/flows").status_code == 403
    assert _program(dash).timezone == "America/New_York"


def test_a_post_without_the_csrf_token_saves_nothing(sqlite_dash: Dash) -> None:
    _admin(sqlite_dash)
    program = _program(sqlite_dash)
    response = sqlite_dash.client.post(f"/settings/{program.id}", data=GOOD,
                                       follow_redirects=False)
    assert response.status_code == 403
    assert _program(sqlite_dash).timezone == "America/New_York"


# ---- flows ------------------------------------------------------------------------------------


def test_flows_page_lists_the_loaded_flows_and_the_shipped_files_as_valid(
    sqlite_dash: Dash,
) -> None:
    _admin(sqlite_dash)
    page = sqlite_dash.client.get("/flows")
    assert page.status_code == 200
    text = _text(page.text)
    for flow in sqlite_dash.ctx.flows.values():
        assert f"{flow.id} <span" in text
        assert f"<td>{flow.audience}</td>" in text
        assert f"<td>{', '.join(flow.languages)}</td>" in text
        assert f"<td>{len(flow.states)}</td>" in text
    assert "mentee_checkin" in text and "mentor_checkin" in text
    assert "All flow files are valid." in text
    assert text.count('<span class="valid">valid</span>') == len(
        list(DEFINITIONS_DIR.glob("*.yaml")))
    assert "checkin flows validate" in text  # how to edit flows is on the page


@pytest.fixture
def flows_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "flows"
    folder.mkdir()
    return folder


@pytest.fixture
def flows_dash(sqlite_db_url: str, flows_dir: Path) -> Iterator[Dash]:
    yield from make_dash(sqlite_db_url, flows_dir=flows_dir)


def test_a_broken_flow_file_in_flows_dir_is_shown_with_its_file_and_line(
    flows_dash: Dash, flows_dir: Path,
) -> None:
    # Written after the service started (it would refuse to start with it): the page shows
    # what `checkin flows validate` would say before the next restart.
    shipped = (DEFINITIONS_DIR / "mentee_checkin.yaml").read_text(encoding="utf-8")
    broken = flows_dir / "ours.yaml"
    broken.write_text(shipped.replace("next: safety", "next: safty", 1), encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load_flow(broken)
    problem = caught.value.problems[0]
    assert re.match(rf"{re.escape(str(broken))}:\d+: ", problem)

    _admin(flows_dash)
    page = flows_dash.client.get("/flows")
    assert page.status_code == 200
    text = _text(page.text)
    assert problem in text  # file:line: message, as the loader words it
    assert "Some flow files have problems" in text
    assert "All flow files are valid." not in text
    # The shipped files are still reported valid, the running flows still listed.
    assert text.count('<span class="valid">valid</span>') == len(
        list(DEFINITIONS_DIR.glob("*.yaml")))
    assert "mentor_checkin" in text


def test_a_valid_override_in_flows_dir_is_valid(flows_dash: Dash, flows_dir: Path) -> None:
    shipped = (DEFINITIONS_DIR / "mentee_checkin.yaml").read_text(encoding="utf-8")
    (flows_dir / "mentee_checkin.yaml").write_text(shipped, encoding="utf-8")
    _admin(flows_dash)
    text = _text(flows_dash.client.get("/flows").text)
    assert "All flow files are valid." in text
    assert str(flows_dir) in text
