"""'In their words' as staff read it: the question behind an answer key, a matched phrase in its
whole sentence, and the item itself when neither can be found."""

from __future__ import annotations

from bot.dashboard.their_words import Words, flow_title, question_text, readable
from bot.flow_registry import load_configured_flows
from bot.settings import Settings

FLOWS = load_configured_flows(Settings())


def test_a_fragment_is_shown_inside_its_sentence_from_the_newest_message() -> None:
    older = "Nothing much. My mentor asked me to hold a bag for him."
    newest = "Fine today. He asked me to hold his phone again! Then he left."
    [words] = readable(["me to hold"], FLOWS, "mentee_checkin", [newest, older])
    assert words == Words(before="He asked ", match="me to hold", after=" his phone again!")


def test_a_long_sentence_is_cut_around_the_match() -> None:
    body = "a" * 400 + " hurt me " + "b" * 400
    [words] = readable(["hurt me"], FLOWS, None, [body])
    assert words.match == "hurt me"
    assert words.before.startswith("…") and len(words.before) <= 112
    assert words.after.endswith("…") and len(words.after) <= 112


def test_an_answer_key_becomes_its_question_and_unknown_items_stay_as_they_are() -> None:
    found = readable(["safety: 1", "comfort: 2 (recent average 4.5)",
                      "3 check-ins in a row not answered"], FLOWS, "mentee_checkin", [])
    assert found[0] == Words(question="How safe do you feel right now? Reply 1 (not safe) to 5 "
                                      "(very safe).", answer="1")
    assert found[1].question is not None and found[1].question.startswith("How comfortable")
    assert found[1].answer == "2 (recent average 4.5)"
    assert found[2] == Words(before="3 check-ins in a row not answered")
    assert question_text(FLOWS, "no_such_key", "mentee_checkin") is None


def test_flow_ids_read_as_words() -> None:
    assert flow_title("mentee_checkin") == "Mentee check-in"
    assert flow_title("mentor_checkin") == "Mentor check-in"
