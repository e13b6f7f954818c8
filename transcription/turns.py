"""Merging the words of both speakers into turns, keeping overlapping speech as overlap."""

from __future__ import annotations

from collections.abc import Iterable

from transcription.transcript import Speaker, TranscriptTurn, Word

# A speaker's words further apart than this may be split by the other speaker's words.
UTTERANCE_GAP_SECONDS = 0.5
# A pause this long ends a turn even when the other speaker stays silent (e.g. a hold).
TURN_PAUSE_SECONDS = 3.0


def _utterances(words: list[Word], gap: float) -> list[list[Word]]:
    """Split one speaker's time-ordered words at pauses longer than `gap`."""
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.start - groups[-1][-1].end <= gap:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _turn(speaker: Speaker, words: list[Word]) -> TranscriptTurn:
    text = " ".join(w.text.strip() for w in words if w.text.strip())
    confidence = sum(w.probability for w in words) / len(words)
    return TranscriptTurn(
        speaker=speaker,
        start=min(w.start for w in words),
        end=max(w.end for w in words),
        text=text,
        confidence=confidence,
        words=list(words),
    )


def merge_words_into_turns(
    words: Iterable[Word], *, gap: float = UTTERANCE_GAP_SECONDS, max_pause: float = TURN_PAUSE_SECONDS
) -> list[TranscriptTurn]:
    """Order words of both speakers in time and group consecutive words of one speaker.

    Each speaker's words are first grouped into utterances (pauses up to `gap` kept inside), so a
    short reply spoken over the other speaker becomes its own overlapping turn instead of
    shredding the longer turn into fragments. A pause over `max_pause` always ends a turn.
    """
    by_speaker: dict[Speaker, list[Word]] = {}
    for word in sorted(words, key=lambda w: (w.start, w.end)):
        by_speaker.setdefault(word.speaker, []).append(word)
    utterances = [(speaker, u) for speaker, ws in by_speaker.items() for u in _utterances(ws, gap)]
    utterances.sort(key=lambda item: (item[1][0].start, item[1][-1].end))
    turns: list[TranscriptTurn] = []
    pending_speaker: Speaker | None = None
    pending: list[Word] = []
    for speaker, utterance in utterances:
        if speaker == pending_speaker and utterance[0].start - pending[-1].end <= max_pause:
            pending.extend(utterance)
            continue
        if pending_speaker is not None:
            turns.append(_turn(pending_speaker, pending))
        pending_speaker, pending = speaker, list(utterance)
    if pending_speaker is not None:
        turns.append(_turn(pending_speaker, pending))
    return turns
