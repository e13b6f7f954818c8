"""Evaluation results as dataclasses with to_dict() for storage and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.rubric.schema import Result


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a detector found something; turn is None for conversation-level facts (metrics)."""

    turn: int | None
    speaker: str | None
    start: float | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "speaker": self.speaker, "start": self.start, "text": self.text}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """points: earned; max_points: the criterion's points (counted in the total only for pass/fail).

    confidence: how sure the detector is, in [0, 1]. needs_review: the answer rests on words the recogniser
    was unsure of (evidence for a pass, the searched turns for a fail), so a person should confirm it; its
    confidence is then at most those words' probability, and the note names them.
    """

    id: str
    section: str
    result: Result
    points: float
    max_points: float
    confidence: float
    critical: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""
    needs_review: bool = False

    @property
    def counts(self) -> bool:
        return self.result in ("pass", "fail")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "result": self.result,
            "points": self.points,
            "max_points": self.max_points,
            "confidence": self.confidence,
            "critical": self.critical,
            "evidence": [e.to_dict() for e in self.evidence],
            "note": self.note,
            "needs_review": self.needs_review,
        }


@dataclass(frozen=True, slots=True)
class SectionScore:
    """score: 0-100 over the section's applicable points, None when nothing applied."""

    id: str
    name: str
    weight: float
    score: float | None
    points: float
    max_points: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "weight": self.weight,
            "score": self.score,
            "points": self.points,
            "max_points": self.max_points,
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """total: weighted mean of section scores (0-100), 0 on auto-fail, None when nothing applied."""

    rubric: str
    rubric_version: str
    total: float | None
    auto_fail: bool
    criteria: list[CriterionResult]
    sections: list[SectionScore]

    @property
    def pending(self) -> list[str]:
        """Criteria still waiting for a reviewer (or for embeddings)."""
        return [c.id for c in self.criteria if c.result == "pending"]

    @property
    def needs_review(self) -> list[str]:
        """Criteria answered on unclear recognised speech: a person should confirm them."""
        return [c.id for c in self.criteria if c.needs_review]

    def criterion(self, criterion_id: str) -> CriterionResult:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "rubric_version": self.rubric_version,
            "total": self.total,
            "auto_fail": self.auto_fail,
            "pending": self.pending,
            "needs_review": self.needs_review,
            "criteria": [c.to_dict() for c in self.criteria],
            "sections": [s.to_dict() for s in self.sections],
        }
