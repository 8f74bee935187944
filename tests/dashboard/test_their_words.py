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
    assert words == Words(parts=(("He asked ", False), ("me to hold", True),
                                 (" his phone again!", False)))


def test_phrases_of_one_sentence_are_marked_in_one_line() -> None:
    body = "my roommate said he would hurt me if I told anyone"
    found = readable(["said he would hurt me", "would hurt me", "told anyone"], FLOWS, None,
                     [body])
    assert found == (Words(parts=(("my roommate ", False), ("said he would hurt me", True),
                                  (" if I ", False), ("told anyone", True))),)


def test_a_long_sentence_is_cut_around_the_match() -> None:
    body = "a" * 400 + " hurt me " + "b" * 400
    [words] = readable(["hurt me"], FLOWS, None, [body])
    before, match, after = words.parts
    assert match == ("hurt me", True)
    assert before[0].startswith("…") and len(before[0]) <= 112
    assert after[0].endswith("…") and len(after[0]) <= 112


def test_an_answer_key_becomes_its_question_and_unknown_items_stay_as_they_are() -> None:
    found = readable(["safety: 1", "comfort: 2 (recent average 4.5)",
                      "3 check-ins in a row not answered"], FLOWS, "mentee_checkin", [])
    assert found[0] == Words(question="How safe do you feel right now? Reply 1 (not safe) to 5 "
                                      "(very safe).", answer="1")
    assert found[1].question is not None and found[1].question.startswith("How comfortable")
    assert found[1].answer == "2 (recent average 4.5)"
    assert found[2] == Words(parts=(("3 check-ins in a row not answered", False),))
    assert question_text(FLOWS, "no_such_key", "mentee_checkin") is None


def test_flow_ids_read_as_words() -> None:
    assert flow_title("mentee_checkin") == "Mentee check-in"
    assert flow_title("mentor_checkin") == "Mentor check-in"
