"""Conversion from the transcription results to redaction turns."""

from __future__ import annotations

from transcription.redaction.types import Turn, Word
from transcription.transcript import Transcript


def turns_from_transcript(transcript: Transcript) -> list[Turn]:
    """Word-timed redaction turns of a recognised call."""
    return [
        Turn(
            text=t.text,
            speaker=t.speaker,
            words=tuple(Word(w.text.strip(), w.start, w.end) for w in t.words),
        )
        for t in transcript.turns
    ]
