"""The conversation as scoring sees it: speaker turns plus call metrics, independent of storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["agent", "customer", "system"]
Channel = Literal["call", "chat", "email", "form"]


@dataclass(frozen=True, slots=True)
class UnclearWord:
    """A word the recogniser flagged as unsure: its text as it appears in the turn, and its probability."""

    text: str
    probability: float


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn; times are seconds from the start, or None when only the order is known.

    confidence: the recogniser's mean word probability for a recognised turn, None for typed text.
    unclear_words: the turn's words the recogniser flagged as low-confidence; rubric answers resting on
    them are marked for review (scoring.rubric.speech).
    """

    speaker: Speaker
    text: str
    start: float | None = None
    end: float | None = None
    sentiment: float | None = None
    confidence: float | None = None
    unclear_words: tuple[UnclearWord, ...] = ()


@dataclass(slots=True)
class Conversation:
    """Everything the scorers read about one interaction."""

    channel: Channel
    turns: list[Turn]
    metrics: dict[str, float] = field(default_factory=dict)
    topic: str | None = None
    queue: str | None = None
