"""Flow files: every mistake names the file, the line and the state."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from flows.loader import FlowError, load_flow, load_flows, parse_duration

DEFINITIONS = Path(__file__).parents[2] / "flows" / "definitions"

MESSAGES = "\n".join(
    f"  {name}: {{en: 'x'}}"
    for name in (
        "help", "stopped", "nudge", "reprompt_scale", "reprompt_yes_no", "reprompt_text",
        "not_optional", "moving_on", "crisis", "staff_told", "disclosure_thanks",
        "ask_again_gently", "too_many_replies",
    )
)
GOOD = f"""\
id: tiny
audience: mentee
languages: [en]
expires_after: 24h
start: q1
states:
  q1:
    ask: {{en: "How are you? 1 to 5"}}
    expect: scale 1..5
    escalate: [{{when: "<= 1", level: urgent, reason: low}}]
    next: bye
  bye:
    say: {{en: "Thanks {{name}}"}}
messages:
{MESSAGES}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flow.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def problems_for(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD
    with pytest.raises(FlowError) as err:
        load_flow(write(tmp_path, GOOD.replace(old, new, 1)))
    return str(err.value)


def test_shipped_flows_are_valid() -> None:
    flows = load_flows([DEFINITIONS])
    assert {"mentee_checkin", "mentor_checkin"} <= set(flows)
    assert all(set(f.languages) == {"en", "es"} for f in flows.values())


def test_good_flow_loads(tmp_path: Path) -> None:
    flow = load_flow(write(tmp_path, GOOD))
    assert flow.start == "q1" and flow.states["q1"].line == 7


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("next: bye", "next: byee", ":11: state 'q1': goes to unknown state 'byee'"),
        ("start: q1", "start: nowhere", ":5: start state 'nowhere' is not defined"),
        ('{en: "Thanks {name}"}', '{es: "Gracias"}', ":13: state 'bye': missing the 'en' translation"),
        ('"<= 1"', '"<== 1"', ":10: state 'q1': cannot read the condition '<== 1'"),
        ('"<= 1"', '"<= 0"', ":10: state 'q1': condition '<= 0' is never true on 1..5"),
        ('"<= 1"', "yes", ":10: state 'q1': condition 'yes' cannot apply to a scale answer"),
        ("level: urgent", "level: panic", ":10: state 'q1': level 'panic' must be urgent"),
        ("Thanks {name}", "Thanks {nmae}", ":13: state 'bye': 'en' text uses unknown placeholder(s) {nmae}"),
        ("expect: scale 1..5", "expect: number", ":9: state 'q1': expect 'number' is not"),
        ("expires_after: 24h", "expires_after: soon", ":4: 'soon' is not a duration"),
        ("  help: {en: 'x'}\n", "", "messages.help is missing"),
        ("    expect: scale 1..5", "    ask_again: {es: 'Otra vez'}\n    expect: scale 1..5",
         ":9: state 'q1': missing the 'en' translation"),
        ('    say: {en: "Thanks {name}"}', '    say: {en: "Thanks {name}"}\n    ask_again: {en: "x"}',
         "state 'bye': 'ask_again' goes with 'ask'"),
    ],
)
def test_mistakes_name_file_line_and_state(tmp_path: Path, old: str, new: str, expected: str) -> None:
    message = problems_for(tmp_path, old, new)
    assert "flow.yaml" in message
    assert expected in message, message


def test_ask_again_is_the_gentle_form_of_the_question(tmp_path: Path) -> None:
    flow = load_flow(write(tmp_path, GOOD.replace(
        "    expect: scale 1..5", "    ask_again: {en: 'And how are you?'}\n    expect: scale 1..5")))
    assert flow.states["q1"].ask_again == {"en": "And how are you?"}
    assert load_flow(write(tmp_path, GOOD)).states["q1"].ask_again == {}


def test_unreachable_state_is_an_error(tmp_path: Path) -> None:
    extra = "  orphan:\n    say: {en: 'never sent'}\nmessages:"
    message = problems_for(tmp_path, "messages:", extra)
    assert "state 'orphan': is unreachable from the start state" in message


def test_a_loop_without_an_exit_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace("next: bye", "next: q2").replace(
        "  bye:\n", "  q2:\n    ask: {en: 'again?'}\n    expect: yes_no\n    next: q1\n  bye:\n"
    )
    with pytest.raises(FlowError) as err:
        load_flow(write(tmp_path, text))
    assert "can never reach the end of the flow" in str(err.value)


def test_invalid_yaml_reports_line(tmp_path: Path) -> None:
    with pytest.raises(FlowError, match=r"flow.yaml:\d+: not valid YAML"):
        load_flow(write(tmp_path, "id: x\nstates: [\n"))


def test_all_problems_reported_together(tmp_path: Path) -> None:
    message = problems_for(tmp_path, "next: bye", "next: nope\n    optional: maybe")
    assert "unknown state 'nope'" in message and "unreachable" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", timedelta(minutes=30)), ("4h", timedelta(hours=4)), ("2d", timedelta(days=2))],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
