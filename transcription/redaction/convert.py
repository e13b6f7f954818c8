"""Conversion from the transcription results (objects or their JSON form) to redaction turns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def turns_from_dict(data: Mapping[str, Any]) -> list[Turn]:
    """Turns of `Transcript.to_dict(with_words=True)` JSON; ValueError naming the first bad turn."""
    turns = data.get("turns")
    if not isinstance(turns, list):
        raise ValueError("no 'turns' list")
    out: list[Turn] = []
    for index, t in enumerate(turns):
        try:
            words = tuple(
                Word(str(w["text"]), float(w["start"]), float(w["end"])) for w in t.get("words") or []
            )
            speaker = t.get("speaker")
            out.append(Turn(str(t["text"]), str(speaker) if speaker else None, words or None))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"turn {index + 1}: {type(exc).__name__} {exc}") from None
    return out
