import re
from pathlib import Path

import pytest

from transcription import METRIC_KEYS, TranscriptTurn, Word, compute_metrics, merge_words_into_turns

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def w(speaker: str, start: float, end: float, text: str = "word") -> Word:
    return Word(text=text, start=start, end=end, probability=0.9, speaker=speaker)  # type: ignore[arg-type]


def test_keys_match_the_documented_metrics() -> None:
    documented: list[str] = []
    for line in DOCS.read_text().splitlines():
        cell = line.split("|")[1] if line.startswith("|") else ""
        documented += [k.strip() for k in cell.split(",") if re.fullmatch(r"\s*[a-z_]+\s*", k)]
    documented = [k for k in documented if k != "key"]
    metrics = compute_metrics([w("agent", 1, 2)], 10.0)
    assert list(metrics) == list(METRIC_KEYS)
    assert set(metrics) == set(documented)
    assert all(isinstance(v, float) for v in metrics.values())


def test_talk_time_ratio_and_pace() -> None:
    words = [w("agent", 1.0, 1.5), w("agent", 1.5, 2.0), w("agent", 2.0, 3.0), w("customer", 4.0, 5.0)]
    m = compute_metrics(words, 10.0)
    assert m["agent_talk_seconds"] == 2.0
    assert m["customer_talk_seconds"] == 1.0
    assert m["agent_talk_ratio"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["customer_talk_ratio"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["agent_words_per_minute"] == 90.0  # 3 words in 2 s
    assert m["customer_words_per_minute"] == 60.0
    assert m["agent_first_words_seconds"] == 1.0
    assert m["duration_seconds"] == 10.0


def test_silences_and_holds_between_speech() -> None:
    words = [w("agent", 0.5, 1.0), w("customer", 5.0, 6.0), w("agent", 20.0, 21.0), w("customer", 21.5, 22.0)]
    m = compute_metrics(words, 30.0, hold_threshold=10.0)
    assert m["silence_count"] == 2  # 4 s and 14 s gaps; the 0.5 s gap and the call edges do not count
    assert m["silence_total_seconds"] == 18.0
    assert m["silence_longest_seconds"] == 14.0
    assert m["hold_count"] == 1
    assert m["hold_total_seconds"] == 14.0
    assert m["hold_longest_seconds"] == 14.0
    assert compute_metrics(words, 30.0, hold_threshold=20.0)["hold_count"] == 0


def test_overlap_and_who_interrupted_whom() -> None:
    agent = [w("agent", t, t + 0.4) for t in (0.0, 0.4, 0.8, 1.2, 1.6, 2.0)]  # talks 0-2.4 s
    customer = [w("customer", 1.5, 2.0), w("customer", 2.0, 3.0)]  # barges in at 1.5 s
    m = compute_metrics(agent + customer, 5.0)
    assert m["overlap_count"] == 1
    assert m["overlap_total_seconds"] == pytest.approx(0.9)
    assert m["customer_interruptions"] == 1
    assert m["agent_interruptions"] == 0


def test_timing_jitter_is_not_an_overlap() -> None:
    words = [w("agent", 0.0, 2.05), w("customer", 2.0, 3.0)]
    assert compute_metrics(words, 3.0)["overlap_count"] == 0


def test_agent_never_speaks_and_empty_input() -> None:
    m = compute_metrics([w("customer", 1, 2)], 12.0)
    assert m["agent_first_words_seconds"] == 12.0
    assert m["agent_words_per_minute"] == 0.0
    empty = compute_metrics([], 5.0)
    assert empty["agent_talk_ratio"] == 0.0 and empty["overlap_count"] == 0.0


def test_accepts_turns() -> None:
    words = [w("agent", 0.0, 1.0), w("customer", 1.5, 2.0)]
    turns: list[TranscriptTurn] = merge_words_into_turns(words)
    assert compute_metrics(turns, 3.0) == compute_metrics(words, 3.0)
