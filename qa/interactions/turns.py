"""The one place speaker turns change form: parsed or transcribed turns to stored rows, rows to scoring turns.

Forms: `qa.ingestion.transcripts.ParsedTurn` (read from a transcript file), `transcription.TranscriptTurn`
(heard in a recording), `qa.models.Turn` (stored) and `scoring.conversation.Turn` (what scorers read).
A heard turn keeps its confidence and its low-confidence words through all of them; typed turns have none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, cast

from qa.models import Speaker, Turn
from scoring import conversation
from transcription import TranscriptTurn, Word


class SpokenTurn(Protocol):
    """Any turn before it is stored: who spoke, what, and when (seconds from the start) if known."""

    @property
    def speaker(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def start(self) -> float | None: ...

    @property
    def end(self) -> float | None: ...


def to_rows(turns: Iterable[SpokenTurn]) -> list[Turn]:
    """Stored rows, numbered in order, for turns read from a transcript file."""
    return [
        Turn(index=index, speaker=Speaker(t.speaker), start_seconds=t.start, end_seconds=t.end, text=t.text)
        for index, t in enumerate(turns)
    ]


STORED_WORD_KEYS = ("text", "start", "end", "probability")


def stored_word(word: Word) -> dict[str, Any]:
    """A low-confidence word as stored in `Turn.unclear_words` (rounded as the transcript format does)."""
    data = word.to_dict()
    return {key: data[key] for key in STORED_WORD_KEYS}


def transcript_rows(turns: Sequence[TranscriptTurn]) -> list[Turn]:
    """Stored rows for turns heard in a recording, with the recognizer's confidence and unclear words."""
    rows = to_rows(turns)
    for row, heard in zip(rows, turns, strict=True):
        row.confidence = heard.confidence
        row.unclear_words = [stored_word(w) for w in heard.low_confidence_words]
    return rows


def _unclear(words: Iterable[dict[str, Any]]) -> tuple[conversation.UnclearWord, ...]:
    return tuple(conversation.UnclearWord(str(w["text"]), float(w["probability"])) for w in words)


def for_scoring(turn: SpokenTurn) -> conversation.Turn:
    """A parsed or transcribed turn as the scorers read it (a heard one with its unclear words)."""
    speaker = cast(conversation.Speaker, Speaker(turn.speaker).value)
    if isinstance(turn, TranscriptTurn):
        return conversation.Turn(
            speaker=speaker,
            text=turn.text,
            start=turn.start,
            end=turn.end,
            confidence=turn.confidence,
            unclear_words=_unclear(stored_word(w) for w in turn.low_confidence_words),
        )
    return conversation.Turn(speaker=speaker, text=turn.text, start=turn.start, end=turn.end)


def stored_for_scoring(rows: Iterable[Turn]) -> list[conversation.Turn]:
    """Stored rows as the scorers read them (sentiment is scored afresh)."""
    return [
        conversation.Turn(
            speaker=cast(conversation.Speaker, Speaker(row.speaker).value),
            text=row.text,
            start=row.start_seconds,
            end=row.end_seconds,
            confidence=row.confidence,
            unclear_words=_unclear(row.unclear_words or ()),
        )
        for row in rows
    ]


def duration_of(turns: Sequence[SpokenTurn]) -> float | None:
    """Seconds to the last known end (or start) of a turn; None when the turns carry no times."""
    known = [t.end if t.end is not None else t.start for t in turns]
    return max((k for k in known if k is not None), default=None)
