"""Behaviour of the flow engine, beyond the golden transcripts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.engine import current_wait, step
from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    EscalationUpdated,
    Expire,
    Input,
    OptOutRequested,
    Reply,
    Start,
    StepResult,
    Timeout,
)
from flows.loader import load_flows
from flows.model import render
from flows.state import SessionState

FLOWS = load_flows()
MENTEE = FLOWS["mentee_checkin"]
T0 = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
VALUES = {"name": "Ana", "program": "Hope House"}


def drive(flow_id: str, replies: list[str], lang: str = "en") -> list[StepResult]:
    flow = FLOWS[flow_id]
    results = [step(flow, None, Start(lang, VALUES), T0)]
    for i, text in enumerate(replies, start=1):
        results.append(step(flow, results[-1].state, Reply(text), T0 + timedelta(minutes=i)))
    return results


def events_of(results: list[StepResult], kind: type) -> list:
    return [e for r in results for e in r.events if isinstance(e, kind)]


def test_happy_path_completes_without_escalation() -> None:
    results = drive("mentee_checkin", ["4", "5", "no", "no"])
    final = results[-1].state
    assert final.status == "completed"
    assert final.answers == {"comfort": 4, "safety": 5, "pressure": False, "anything_else": None}
    assert not events_of(results, EscalationRaised)
    assert results[-1].wait is None
    assert results[-1].messages[-1].kind == "closing"


def test_safety_one_raises_urgent_and_sends_crisis_reply_first_on_urgent_lane() -> None:
    results = drive("mentee_checkin", ["4", "1"])
    turn = results[-1]
    raised = [e for e in turn.events if isinstance(e, EscalationRaised)]
    assert [(e.level, e.reasons) for e in raised] == [("urgent", ("feels_unsafe",))]
    assert turn.messages[0].kind == "crisis" and turn.messages[0].urgent
    assert "988" in turn.messages[0].text
    assert turn.state.current == "safety_followup"  # the conversation carries on gently


def test_one_escalation_per_level_with_reasons_merged() -> None:
    # comfort 2 (concern: low_comfort), safety 2 (concern: feels_unsafe), wants contact (concern)
    results = drive("mentee_checkin", ["2", "2", "yes", "yes", "skip", "no"])
    raised = events_of(results, EscalationRaised)
    updated = events_of(results, EscalationUpdated)
    assert [e.level for e in raised] == ["concern"]
    assert [e.reasons for e in updated] == [
        ("feels_unsafe",), ("asked_for_staff_contact",), ("pressured",)]
    assert updated[-1].about_mentor  # pressure is about the relationship: keep it from the mentor
    assert results[-1].state.raised == {"concern": [
        "low_comfort", "feels_unsafe", "asked_for_staff_contact", "pressured"]}


def test_lower_finding_joins_the_urgent_escalation_already_raised() -> None:
    results = drive("mentee_checkin", ["4", "1", "yes"])
    assert [e.level for e in events_of(results, EscalationRaised)] == ["urgent"]
    assert events_of(results, EscalationUpdated)[-1].reasons == ("asked_for_staff_contact",)
    assert results[-1].state.raised == {"urgent": ["feels_unsafe", "asked_for_staff_contact"]}


def test_crisis_language_at_a_scale_question_is_answered_as_a_disclosure() -> None:
    turn = drive("mentee_checkin", ["i wanna die fr"])[-1]
    assert [e.level for e in turn.events if isinstance(e, EscalationRaised)] == ["urgent"]
    assert [m.kind for m in turn.messages] == ["crisis", "question"]
    assert not any("didn't get that" in m.text for m in turn.messages)
    assert turn.messages[1].text == (
        "When you're ready, and only if you want to: How "
        "comfortable do you feel in the program this week? Reply 1 (not at all) to 5 (very).")
    assert turn.state.current == "comfort" and turn.state.misses == 0  # not a miss


@pytest.mark.parametrize(("lang", "text", "thanks"), [
    ("en", "my mentor keeps asking me for money", "Thank you for telling us. Staff will see this."),
    ("es", "mi mentor me pide dinero", "Gracias por contárnoslo. El personal lo verá."),
])
def test_concern_at_a_yes_no_question_is_thanked_and_asked_again_gently(
    lang: str, text: str, thanks: str,
) -> None:
    results = drive("mentee_checkin", ["4", "4", text], lang)
    turn = results[-1]
    assert [e.level for e in turn.events if isinstance(e, EscalationRaised | EscalationUpdated)]
    assert [m.kind for m in turn.messages] == ["question"]
    assert turn.messages[0].text.startswith(thanks)
    assert not any(m.kind == "reprompt" for m in turn.messages)
    assert turn.state.current == "pressure" and turn.state.misses == 0


def test_a_flagged_reply_that_answers_is_recorded_and_thanked_before_the_next_question() -> None:
    turn = drive("mentee_checkin", ["2 feel unsafe"])[-1]
    assert [(a.key, a.value) for a in turn.events if isinstance(a, AnswerRecorded)] == [
        ("comfort", 2)]
    [question] = turn.messages
    assert question.text.startswith("Thank you for telling us. Staff will see this. How safe")


def test_an_unflagged_unreadable_reply_is_still_reprompted() -> None:
    turn = drive("mentee_checkin", ["banana"])[-1]
    assert [m.kind for m in turn.messages] == ["reprompt"]


def test_every_urgent_hit_sends_the_crisis_reply_with_a_folded_alternative() -> None:
    results = drive("mentee_checkin", ["i want to kill myself", "i want to kill myself", "3"])
    crisis = [m for r in results for m in r.messages if m.kind == "crisis"]
    assert len(crisis) == 2 and all(m.urgent for m in crisis)
    assert {m.folded for m in crisis} == {"Thank you for telling us. Staff will see this."}
    assert len(events_of(results, EscalationRaised)) == 1  # one level per session...
    [updated] = events_of(results, EscalationUpdated)  # ...the repeat joins it
    assert (updated.level, updated.finding_level) == ("urgent", "urgent")


def test_a_lower_finding_keeps_its_own_level_when_it_joins_a_higher_one() -> None:
    results = drive("mentee_checkin", ["4", "1", "yes"])
    [updated] = events_of(results, EscalationUpdated)
    assert (updated.level, updated.finding_level) == ("urgent", "concern")


def test_a_mentors_worry_is_about_the_mentee_but_his_own_self_harm_is_not() -> None:
    worry = drive("mentor_checkin", ["yes", "4", "she seems scared of someone on the unit"])
    [raised] = events_of(worry, EscalationRaised)
    assert raised.about_mentee and raised.level == "concern"
    own = drive("mentor_checkin", ["i want to die"])
    assert not events_of(own, EscalationRaised)[0].about_mentee
    other = drive("mentor_checkin", ["my mentee keeps saying kms"])
    assert [e.about_mentee for e in events_of(other, EscalationRaised)] == [True]
    mentee = drive("mentee_checkin", ["i feel unsafe around my mentor"])
    assert not any(e.about_mentee for e in events_of(mentee, EscalationRaised))


def test_program_crisis_message_replaces_the_default() -> None:
    flow = MENTEE
    values = dict(VALUES, crisis_message="Call the unit nurse on ext 4411 or text 988.")
    res = step(flow, None, Start("en", values), T0)
    res = step(flow, res.state, Reply("4"), T0)
    res = step(flow, res.state, Reply("1"), T0)
    assert res.messages[0].text.startswith("Call the unit nurse on ext 4411 or text 988.")


def test_program_staff_told_line_replaces_the_flows_own() -> None:
    values = dict(VALUES, staff_told_message="La enfermera Ruiz ya lo sabe.")
    res = step(MENTEE, None, Start("es", values), T0)
    res = step(MENTEE, res.state, Reply("quiero morir"), T0)
    [crisis] = [m for m in res.messages if m.kind == "crisis"]
    # The flow's own Spanish crisis text, then the program's line instead of the flow's.
    assert crisis.text == (f"{MENTEE.messages['crisis']['es']} La enfermera Ruiz ya lo sabe.")


def test_stop_ends_session_and_requests_opt_out() -> None:
    turn = drive("mentee_checkin", ["4", "stop"])[-1]
    assert turn.state.status == "stopped"
    assert any(isinstance(e, OptOutRequested) for e in turn.events)
    assert turn.wait is None


def test_unreadable_twice_records_unanswered_and_moves_on() -> None:
    results = drive("mentee_checkin", ["idk", "whatever"])
    answers = events_of(results, AnswerRecorded)
    assert [(a.key, a.status) for a in answers] == [("comfort", "unanswered")]
    assert results[-1].state.current == "safety"
    assert results[1].messages[0].kind == "reprompt"


def test_stale_timers_change_nothing() -> None:
    results = drive("mentee_checkin", ["4"])
    state = results[-1].state
    for event in (Timeout(state.turn - 1), Expire(state.turn - 1)):
        res = step(MENTEE, state, event, T0 + timedelta(hours=30))
        assert res.state == state
        assert res.messages == ()
        assert res.wait == current_wait(MENTEE, state)


def test_one_nudge_then_expiry_relative_to_the_send() -> None:
    start = step(MENTEE, None, Start("en", VALUES), T0)
    assert start.wait is not None
    assert start.wait.nudge_at == T0 + timedelta(hours=4)
    assert start.wait.expire_at == T0 + timedelta(hours=24)
    nudged = step(MENTEE, start.state, Timeout(start.wait.turn), start.wait.nudge_at)
    assert [m.kind for m in nudged.messages] == ["nudge"]
    assert nudged.wait is not None and nudged.wait.nudge_at is None
    assert nudged.wait.expire_at == start.wait.expire_at
    again = step(MENTEE, nudged.state, Timeout(start.wait.turn), start.wait.nudge_at)
    assert again.messages == ()
    expired = step(MENTEE, nudged.state, Expire(nudged.wait.turn), nudged.wait.expire_at)
    assert expired.state.status == "expired" and expired.wait is None


def test_engine_is_deterministic() -> None:
    replies = ["2", "1", "yes", "yes", "he takes my stuff", "im scared"]
    assert drive("mentee_checkin", replies, "es") == drive("mentee_checkin", replies, "es")


def test_state_round_trips_through_json() -> None:
    import json

    state = drive("mentee_checkin", ["4", "1"])[-1].state
    assert SessionState.from_json(json.loads(json.dumps(state.to_json()))) == state


def test_unknown_language_falls_back_to_the_first() -> None:
    res = step(MENTEE, None, Start("fr", VALUES), T0)
    assert res.state.language == "en"


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_every_message_fits_two_sms_segments(flow_id: str) -> None:
    flow = FLOWS[flow_id]
    values = {"name": "Maria-Guadalupe Alvarez", "program": "Riverside Youth Peer Program"}
    for lang in flow.languages:
        texts = [s.ask[lang] for s in flow.states.values()] + [
            m[lang] for m in flow.messages.values()
        ]
        for text in texts:
            rendered = render(text, dict(values, low="1", high="5"))
            assert len(rendered) < 320, f"{flow_id}/{lang}: {len(rendered)} chars: {rendered}"


# ---- properties: no input crashes a conversation or leaves it stuck -----------------------

timer = st.sampled_from(["@nudge", "@expire", "@stale"])
inputs = st.lists(st.one_of(st.text(max_size=200), timer), max_size=60)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(flow_id=st.sampled_from(sorted(FLOWS)), lang=st.sampled_from(["en", "es", "xx"]),
       script=inputs, tail=st.lists(st.text(max_size=50), min_size=1, max_size=5))
def test_any_input_sequence_ends_within_a_bound(flow_id, lang, script, tail) -> None:
    flow = FLOWS[flow_id]
    now = T0
    result = step(flow, None, Start(lang, VALUES), now)
    for item in script:
        now += timedelta(minutes=1)
        event: Input
        if item == "@nudge":
            event = Timeout(result.state.turn)
        elif item == "@expire":
            event = Expire(result.state.turn)
        elif item == "@stale":
            event = Timeout(result.state.turn - 1)
        else:
            event = Reply(item)
        result = step(flow, result.state, event, now)
        assert result.state.status in ("waiting", "completed", "expired", "stopped")
        assert (result.wait is None) == (result.state.status != "waiting")
        if result.state.status != "waiting":
            break
    # Then, whatever is typed, the session ends within max_replies replies in total.
    replies_left = flow.max_replies + 1 - result.state.replies
    texts = (tail * (replies_left // len(tail) + 1))[: max(replies_left, 0)]
    for text in texts:
        if result.state.status != "waiting":
            break
        now += timedelta(minutes=1)
        result = step(flow, result.state, Reply(text), now)
        assert all(m.text.strip() for m in result.messages)
    assert result.state.status in ("completed", "expired", "stopped")


@pytest.mark.parametrize(("lang", "text"), [("es", "ya no quiero vivir"),
                                            ("es", "no he comido en dias"),
                                            ("en", "no i wanna die")])
def test_a_flagged_reply_is_never_read_as_no(lang: str, text: str) -> None:
    turn = drive("mentee_checkin", ["4", "1", text], lang)[-1]  # "staff reach out? YES/NO"
    assert not [a for a in turn.events if isinstance(a, AnswerRecorded)]
    assert turn.state.current == "safety_followup"
