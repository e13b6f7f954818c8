"""Answers to a request for protected data are blanked in the audio even when their text shows no value."""

from __future__ import annotations

import pytest

from transcription.redaction import RedactionOptions, Turn, Word, answer_spans


def timed(text: str, speaker: str, start: float) -> Turn:
    words = tuple(Word(w, start + i * 0.5, start + i * 0.5 + 0.4) for i, w in enumerate(text.split()))
    return Turn(text, speaker, words)


def test_the_garbled_answer_to_a_phone_question_is_one_span_on_the_answering_speaker() -> None:
    turns = [
        timed("And the phone number in case we need to reach you.", "agent", 0.0),
        timed("time time time to 1 to", "customer", 10.0),
        timed("Thank you.", "agent", 14.0),
    ]
    (span,) = answer_spans(turns, padding=0.2)
    assert (span.start, span.end) == (pytest.approx(9.8), pytest.approx(13.1))
    assert (span.speaker, span.types) == ("customer", ("PHONE",))


def test_no_request_no_span_and_switched_off_types_ask_nothing() -> None:
    turns = [timed("How can I help you today?", "agent", 0.0), timed("my bins were missed", "customer", 3.0)]
    assert answer_spans(turns) == []
    asked = [timed("What is your email?", "agent", 0.0), timed("rosa at example", "customer", 3.0)]
    assert answer_spans(asked, RedactionOptions(types=frozenset({"CARD"}))) == []
    assert [s.types for s in answer_spans(asked)] == [("EMAIL",)]


def test_untimed_turns_give_no_audio_span() -> None:
    assert answer_spans([Turn("Your card number?", "agent"), Turn("4111 1111", "customer")]) == []
