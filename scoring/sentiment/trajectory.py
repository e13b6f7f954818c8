"""Per-interaction sentiment: per-speaker start, end and overall, the customer's trajectory, worst moment."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scoring.conversation import Turn

__all__ = [
    "ConversationSentiment",
    "MostNegativeMoment",
    "SpeakerSentiment",
    "Trajectory",
    "summarize_sentiment",
]

Trajectory = Literal["improved", "worsened", "flat"]


@dataclass(frozen=True, slots=True)
class SpeakerSentiment:
    """Mean turn score over the speaker's first third, last third and all turns (None: never spoke)."""

    start: float | None
    end: float | None
    overall: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"start": _r(self.start), "end": _r(self.end), "overall": _r(self.overall)}


@dataclass(frozen=True, slots=True)
class MostNegativeMoment:
    """The customer's lowest-scoring turn: index into the conversation's turns, its start time, its score."""

    turn: int
    start: float | None
    score: float

    def to_dict(self) -> dict[str, float | int | None]:
        return {"turn": self.turn, "start": self.start, "score": _r(self.score)}


@dataclass(frozen=True, slots=True)
class ConversationSentiment:
    """What reviewers and rubrics read about sentiment in one interaction."""

    customer: SpeakerSentiment
    agent: SpeakerSentiment
    trajectory: Trajectory
    most_negative: MostNegativeMoment | None

    def to_dict(self) -> dict[str, object]:
        return {
            "customer": self.customer.to_dict(),
            "agent": self.agent.to_dict(),
            "trajectory": self.trajectory,
            "most_negative": self.most_negative.to_dict() if self.most_negative else None,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def _speaker(scores: Sequence[float]) -> SpeakerSentiment:
    if not scores:
        return SpeakerSentiment(None, None, None)
    k = max(1, math.ceil(len(scores) / 3))
    return SpeakerSentiment(_mean(scores[:k]), _mean(scores[-k:]), _mean(scores))


def summarize_sentiment(
    turns: Sequence[Turn], scores: Sequence[float], *, flat_band: float = 0.2
) -> ConversationSentiment:
    """Summarise per-turn scores (one per turn, in [-1, 1]); the trajectory is flat unless the customer's
    end and start differ by at least flat_band, and needs two or more customer turns."""
    if len(turns) != len(scores):
        raise ValueError(f"{len(turns)} turns but {len(scores)} scores")
    customer = [
        (i, float(s)) for i, (t, s) in enumerate(zip(turns, scores, strict=True)) if t.speaker == "customer"
    ]
    agent = [float(s) for t, s in zip(turns, scores, strict=True) if t.speaker == "agent"]
    cust = _speaker([s for _, s in customer])
    trajectory: Trajectory = "flat"
    if len(customer) >= 2 and cust.start is not None and cust.end is not None:
        delta = cust.end - cust.start
        if delta >= flat_band:
            trajectory = "improved"
        elif delta <= -flat_band:
            trajectory = "worsened"
    most_negative = None
    if customer:
        idx, score = min(customer, key=lambda p: p[1])  # first of equal minima
        most_negative = MostNegativeMoment(idx, turns[idx].start, score)
    return ConversationSentiment(cust, _speaker(agent), trajectory, most_negative)
