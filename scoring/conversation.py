"""The conversation as scoring sees it: speaker turns plus call metrics, independent of storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["agent", "customer", "system"]
Channel = Literal["call", "chat", "email", "form"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn; times are seconds from the start, or None when only the order is known."""

    speaker: Speaker
    text: str
    start: float | None = None
    end: float | None = None
    sentiment: float | None = None


@dataclass(slots=True)
class Conversation:
    """Everything the scorers read about one interaction."""

    channel: Channel
    turns: list[Turn]
    metrics: dict[str, float] = field(default_factory=dict)
    topic: str | None = None
    queue: str | None = None
