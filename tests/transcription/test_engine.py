from transcription import EngineOptions, Word
from transcription.engine import drop_overlapping_duplicates, drop_repeats, speech_spans, subtract


def words(text: str) -> list[Word]:
    return [Word(" " + t, i * 0.5, i * 0.5 + 0.4) for i, t in enumerate(text.split())]


def test_decoder_loops_are_cut_but_real_repeats_stay() -> None:
    looped = words("the bin the bin the bin the bin was not picked up 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, ok")
    kept = " ".join(w.text.strip() for w in drop_repeats(looped))
    assert kept == "the bin the bin was not picked up 1, 2, 1, 2, ok"
    normal = words("no no I said the blue bin")
    assert drop_repeats(normal) == normal


def test_hotwords_become_one_prompt() -> None:
    assert EngineOptions().hotword_prompt is None
    options = EngineOptions(hotwords=("Maple Avenue", " Cedar Lane ", ""))
    assert options.hotword_prompt == "Maple Avenue, Cedar Lane"
    assert hash(options) == hash(EngineOptions(hotwords=("Maple Avenue", " Cedar Lane ", "")))


def test_a_word_recognised_twice_at_a_boundary_is_kept_once() -> None:
    first = Word(" hello", 1.0, 1.4)
    again = Word(" Hello,", 1.1, 1.45)  # same speech from the neighbouring chunk
    said_twice = Word(" hello", 1.5, 1.9)  # said again after the first
    kept = drop_overlapping_duplicates([first, said_twice, again])
    assert kept == [first, said_twice]


def test_speech_regions_closer_than_the_pause_limit_become_one_span() -> None:
    regions = [(0.0, 2.0), (2.5, 4.0), (6.0, 7.0), (7.5, 40.0)]
    # 0.5 s pauses are kept inside a span, a 2 s pause starts a new one, and no span passes 30 s
    assert speech_spans(regions, max_pause=1.0) == [(0.0, 4.0), (6.0, 7.0), (7.5, 40.0)]
    assert speech_spans([(0.0, 20.0), (20.5, 35.0)], max_pause=1.0) == [(0.0, 20.0), (20.5, 35.0)]
    assert speech_spans([(0.0, 5.0), (1.0, 2.0)], max_pause=1.0) == [(0.0, 5.0)]  # a region inside another


def test_covered_parts_are_subtracted() -> None:
    covered = [(1.0, 2.0), (3.0, 3.5)]
    assert subtract([(0.0, 4.0), (5.0, 6.0), (1.2, 1.8)], covered) == [
        (0.0, 1.0),
        (2.0, 3.0),
        (3.5, 4.0),
        (5.0, 6.0),
    ]
