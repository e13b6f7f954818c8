"""The one place speaker turns change form: parsed or transcribed turns to stored rows, rows to scoring turns.

Forms: `qa.ingestion.transcripts.ParsedTurn` (read from a transcript file), `transcription.TranscriptTurn`
(heard in a recording), `qa.models.Turn` (stored) and `scoring.conversation.Turn` (what scorers read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, cast

from qa.models import Speaker, Turn
from scoring import conversation
from transcription import TranscriptTurn


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


def transcript_rows(turns: Sequence[TranscriptTurn]) -> list[Turn]:
    """Stored rows for turns heard in a recording, with the recognizer's confidence."""
    rows = to_rows(turns)
    for row, heard in zip(rows, turns, strict=True):
        row.confidence = heard.confidence
    return rows


def for_scoring(turn: SpokenTurn) -> conversation.Turn:
    """A parsed or transcribed turn as the scorers read it."""
    speaker = cast(conversation.Speaker, Speaker(turn.speaker).value)
    return conversation.Turn(speaker=speaker, text=turn.text, start=turn.start, end=turn.end)


def stored_for_scoring(rows: Iterable[Turn]) -> list[conversation.Turn]:
    """Stored rows as the scorers read them (sentiment is scored afresh)."""
    return [
        conversation.Turn(
            speaker=cast(conversation.Speaker, Speaker(row.speaker).value),
            text=row.text,
            start=row.start_seconds,
            end=row.end_seconds,
        )
        for row in rows
    ]


def duration_of(turns: Sequence[SpokenTurn]) -> float | None:
    """Seconds to the last known end (or start) of a turn; None when the turns carry no times."""
    known = [t.end if t.end is not None else t.start for t in turns]
    return max((k for k in known if k is not None), default=None)
