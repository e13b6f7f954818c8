from transcription import Word, merge_words_into_turns


def w(speaker: str, start: float, end: float, text: str) -> Word:
    return Word(text=" " + text, start=start, end=end, probability=0.8, speaker=speaker)  # type: ignore[arg-type]


def test_consecutive_words_of_one_speaker_form_a_turn() -> None:
    words = [
        w("customer", 2.0, 2.4, "Hi."),
        w("agent", 0.0, 0.5, "Public"),
        w("agent", 0.5, 1.0, "Works."),
        w("agent", 3.0, 3.5, "Yes?"),
    ]
    turns = merge_words_into_turns(words)
    assert [(t.speaker, t.text, t.start, t.end) for t in turns] == [
        ("agent", "Public Works.", 0.0, 1.0),
        ("customer", "Hi.", 2.0, 2.4),
        ("agent", "Yes?", 3.0, 3.5),
    ]
    assert turns[0].confidence == 0.8
    assert [x.text for x in turns[0].words] == [" Public", " Works."]


def test_backchannel_inside_a_turn_is_kept_as_an_overlapping_turn() -> None:
    agent = [w("agent", t, t + 0.3, f"a{i}") for i, t in enumerate([0.0, 0.35, 0.7, 1.05, 1.4, 1.75])]
    words = [*agent, w("customer", 0.8, 1.1, "uh-huh")]
    turns = merge_words_into_turns(words)
    assert [t.speaker for t in turns] == ["agent", "customer"]
    assert turns[0].end == 2.05 and len(turns[0].words) == 6
    assert turns[1].start < turns[0].end  # the overlap is visible, not lost


def test_long_pause_ends_a_turn_even_without_the_other_speaker() -> None:
    words = [w("agent", 0.0, 1.0, "Please"), w("agent", 1.0, 1.5, "hold."), w("agent", 15.0, 15.5, "Thanks.")]
    turns = merge_words_into_turns(words)
    assert [t.text for t in turns] == ["Please hold.", "Thanks."]


def test_no_words_no_turns() -> None:
    assert merge_words_into_turns([]) == []
