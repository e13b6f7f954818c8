"""Conversation metrics from timed words; keys as documented in docs/metrics.md."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from transcription.transcript import Speaker, TranscriptTurn, Word
from transcription.turns import UTTERANCE_GAP_SECONDS

Interval = tuple[float, float]

SILENCE_THRESHOLD_SECONDS = 3.0
# Shorter overlaps are word-timing jitter at turn changes, not people talking at once.
MIN_OVERLAP_SECONDS = 0.25

METRIC_KEYS = (
    "duration_seconds",
    "agent_talk_seconds",
    "customer_talk_seconds",
    "agent_talk_ratio",
    "customer_talk_ratio",
    "silence_count",
    "silence_total_seconds",
    "silence_longest_seconds",
    "hold_count",
    "hold_total_seconds",
    "hold_longest_seconds",
    "overlap_count",
    "overlap_total_seconds",
    "agent_interruptions",
    "customer_interruptions",
    "agent_words_per_minute",
    "customer_words_per_minute",
    "agent_first_words_seconds",
)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Merge overlapping or touching intervals."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def intersection(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Intersection of two sorted, disjoint interval lists."""
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def _gaps(spans: Sequence[Interval], minimum: float) -> list[float]:
    """Lengths of the gaps longer than `minimum` between the first and last talk span."""
    return [b[0] - a[1] for a, b in itertools.pairwise(spans) if b[0] - a[1] > minimum]


def _bridge(spans: Sequence[Interval], gap: float) -> list[Interval]:
    """Join spans separated by pauses up to `gap` (words of one utterance)."""
    return [(b, e - gap) for b, e in union((b, e + gap) for b, e in spans)]


def _containing(spans: Sequence[Interval], t: float) -> Interval | None:
    for span in spans:
        if span[0] <= t < span[1]:
            return span
    return None


def compute_metrics(
    words: Iterable[Word] | Iterable[TranscriptTurn],
    duration: float,
    hold_threshold: float = 10.0,
    *,
    silence_threshold: float = SILENCE_THRESHOLD_SECONDS,
    min_overlap: float = MIN_OVERLAP_SECONDS,
) -> dict[str, float]:
    """Talk, silence, hold, overlap, interruption and pace metrics of one call.

    Accepts words or turns (their words are used). Talk time is the union of a speaker's word
    spans; silences and holds are gaps where nobody talks, counted between the first and the
    last word. When the agent never speaks, agent_first_words_seconds is the call duration.
    """
    items: list[Word | TranscriptTurn] = list(words)
    flat: list[Word] = []
    for item in items:
        if isinstance(item, TranscriptTurn):
            flat.extend(item.words)
        else:
            flat.append(item)
    spans: dict[Speaker, list[Interval]] = {
        s: union((w.start, w.end) for w in flat if w.speaker == s) for s in ("agent", "customer")
    }
    counts = {s: sum(1 for w in flat if w.speaker == s) for s in ("agent", "customer")}
    talk = {s: sum(e - b for b, e in spans[s]) for s in spans}
    total_talk = talk["agent"] + talk["customer"]
    anyone = union(spans["agent"] + spans["customer"])
    silences = _gaps(anyone, silence_threshold)
    holds = _gaps(anyone, hold_threshold)
    overlaps = [o for o in intersection(spans["agent"], spans["customer"]) if o[1] - o[0] >= min_overlap]
    interruptions = {"agent": 0, "customer": 0}
    utterances = {s: _bridge(spans[s], UTTERANCE_GAP_SECONDS) for s in spans}
    for start, _ in overlaps:
        agent_span = _containing(utterances["agent"], start)
        customer_span = _containing(utterances["customer"], start)
        if agent_span is None or customer_span is None:
            continue
        # the one who started talking last barged in while the other was mid-turn
        interruptions["agent" if agent_span[0] > customer_span[0] else "customer"] += 1
    agent_words = [w.start for w in flat if w.speaker == "agent"]

    def ratio(s: Speaker) -> float:
        return talk[s] / total_talk if total_talk else 0.0

    def pace(s: Speaker) -> float:
        return counts[s] / (talk[s] / 60.0) if talk[s] > 0 else 0.0

    metrics = {
        "duration_seconds": duration,
        "agent_talk_seconds": talk["agent"],
        "customer_talk_seconds": talk["customer"],
        "agent_talk_ratio": ratio("agent"),
        "customer_talk_ratio": ratio("customer"),
        "silence_count": float(len(silences)),
        "silence_total_seconds": sum(silences),
        "silence_longest_seconds": max(silences, default=0.0),
        "hold_count": float(len(holds)),
        "hold_total_seconds": sum(holds),
        "hold_longest_seconds": max(holds, default=0.0),
        "overlap_count": float(len(overlaps)),
        "overlap_total_seconds": sum(e - b for b, e in overlaps),
        "agent_interruptions": float(interruptions["agent"]),
        "customer_interruptions": float(interruptions["customer"]),
        "agent_words_per_minute": pace("agent"),
        "customer_words_per_minute": pace("customer"),
        "agent_first_words_seconds": min(agent_words) if agent_words else duration,
    }
    return {k: round(float(metrics[k]), 3) for k in METRIC_KEYS}
