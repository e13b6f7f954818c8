"""Result dataclasses: words, speaker turns and the whole call transcript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Speaker = Literal["agent", "customer"]


@dataclass(slots=True)
class Word:
    """One recognised word; times in seconds from the start of the call.

    `low_confidence` is set by the engine when `probability` is under
    `EngineOptions.low_confidence_probability` (below it, recognised words were mostly wrong on
    real speech; see docs/transcription.md).
    """

    text: str
    start: float
    end: float
    probability: float = 1.0
    speaker: Speaker = "agent"
    low_confidence: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text.strip(),
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "probability": round(self.probability, 3),
            "low_confidence": self.low_confidence,
        }


@dataclass(slots=True)
class TranscriptTurn:
    """Consecutive words of one speaker; `confidence` is the mean word probability."""

    speaker: Speaker
    start: float
    end: float
    text: str
    confidence: float
    words: list[Word] = field(default_factory=list)

    @property
    def low_confidence_words(self) -> list[Word]:
        """The words the recognizer was unsure of: show them as uncertain, or send them to a person."""
        return [w for w in self.words if w.low_confidence]

    def to_dict(self, *, with_words: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "speaker": self.speaker,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "low_confidence_words": [w.to_dict() for w in self.low_confidence_words],
        }
        if with_words:
            data["words"] = [w.to_dict() for w in self.words]
        return data


@dataclass(slots=True)
class Transcript:
    """A transcribed call; `no_speech` is True when nothing was heard (then `turns` is empty)."""

    duration: float
    channels: int
    language: str
    turns: list[TranscriptTurn]
    metrics: dict[str, float]
    no_speech: bool = False

    @property
    def words(self) -> list[Word]:
        return [w for t in self.turns for w in t.words]

    def to_dict(self, *, with_words: bool = False) -> dict[str, Any]:
        """The exchange format: duration, channels, language, turns, metrics (times in seconds)."""
        return {
            "duration": round(self.duration, 2),
            "channels": self.channels,
            "language": self.language,
            "turns": [t.to_dict(with_words=with_words) for t in self.turns],
            "metrics": dict(self.metrics),
        }
