"""Text redaction: placeholders in chat and word-timed call turns; positions kept, values gone."""

from __future__ import annotations

import pytest

from transcription.redaction import Entity, Placeholder, Turn, Word, detect, redact_turns, turns_from_dict


def test_chat_turns_get_placeholders_and_keep_entity_positions() -> None:
    turns = [
        Turn("What is the service address?", "agent"),
        Turn("It's 1420 Maple Avenue. My number is (555) 201-3344 and email rosa@example.org", "customer"),
    ]
    redacted = redact_turns(turns, detect(turns))
    text = redacted.turns[1].text
    assert text == "It's [ADDRESS]. My number is [PHONE] and email [EMAIL]"
    assert [text[p.start : p.end] for p in redacted.turns[1].placeholders] == [
        "[ADDRESS]",
        "[PHONE]",
        "[EMAIL]",
    ]
    assert redacted.turns[0].text == turns[0].text and redacted.turns[0].placeholders == ()
    assert redacted.counts() == {"ADDRESS": 1, "EMAIL": 1, "PHONE": 1}
    assert "1420" not in repr(redacted) and "201-3344" not in repr(redacted)


def test_split_card_becomes_a_placeholder_in_each_turn() -> None:
    turns = [
        Turn("Card number please.", "agent"),
        Turn("four one one one, one one one one", "customer"),
        Turn("mhm", "agent"),
        Turn("one one one one, um, one one one one. Thanks", "customer"),
    ]
    redacted = redact_turns(turns, detect(turns))
    assert [t.text for t in redacted.turns] == ["Card number please.", "[CARD]", "mhm", "[CARD]. Thanks"]
    assert redacted.counts() == {"CARD": 1}


def test_word_timed_turns_get_one_placeholder_word_with_the_entity_times() -> None:
    texts = [
        "my",
        "SSN",
        "is",
        "five",
        "two",
        "one,",
        "four",
        "four,",
        "eight",
        "eight",
        "one",
        "two.",
        "Okay?",
    ]
    words = tuple(Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate(texts))
    turn = Turn(" ".join(texts), "customer", words)
    redacted = redact_turns([turn], detect([turn]))
    out = redacted.turns[0]
    assert out.text == "my SSN is [SSN]. Okay?"
    assert out.words is not None
    assert [w.text for w in out.words] == ["my", "SSN", "is", "[SSN]", "Okay?"]
    assert (out.words[3].start, out.words[3].end) == (pytest.approx(1.2), pytest.approx(4.7))
    assert out.placeholders == (Placeholder("SSN", 10, 15),)


def test_overlapping_entities_become_one_placeholder() -> None:
    turn = Turn("call 555 201 3344 now", "customer")
    entities = [Entity("PHONE", 0, 5, 12), Entity("PHONE", 0, 9, 17)]
    assert redact_turns([turn], entities).turns[0].text == "call [PHONE] now"


def test_entity_of_a_missing_turn_is_an_error() -> None:
    with pytest.raises(ValueError, match="turn 3"):
        redact_turns([Turn("hello")], [Entity("NAME", 3, 0, 1)])


def test_turns_from_recognised_transcript_json() -> None:
    data = {
        "turns": [
            {"speaker": "customer", "text": "hi there", "words": [{"text": "hi", "start": 0, "end": 0.2}]}
        ]
    }
    (turn,) = turns_from_dict(data)
    assert turn == Turn("hi there", "customer", (Word("hi", 0.0, 0.2),))
    with pytest.raises(ValueError, match="turn 1: KeyError"):
        turns_from_dict({"turns": [{"speaker": "agent", "words": []}]})
    with pytest.raises(ValueError, match="no 'turns' list"):
        turns_from_dict({"duration": 3})
