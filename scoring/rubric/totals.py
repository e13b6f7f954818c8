"""The total rule, shared by the evaluator and by human review (so an override never changes the rule).

Per section: 100 * earned / possible over its pass/fail criteria (None when none applies).
Total: the weight-averaged section scores that are not None; 0 when a critical criterion failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from scoring.rubric.results import SectionScore


class ScoredAnswer(Protocol):
    @property
    def section(self) -> str | None: ...
    @property
    def result(self) -> str: ...
    @property
    def points(self) -> float: ...
    @property
    def max_points(self) -> float: ...
    @property
    def critical(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SectionWeight:
    id: str
    name: str
    weight: float


@dataclass(frozen=True, slots=True)
class Totals:
    total: float | None
    auto_fail: bool
    sections: list[SectionScore]


def points_for(result: str, max_points: float) -> float:
    """Points a criterion earns: all for pass, none otherwise."""
    return float(max_points) if result == "pass" else 0.0


def compute_totals(answers: Iterable[ScoredAnswer], sections: Sequence[SectionWeight]) -> Totals:
    """Section scores, total and auto-fail of these answers."""
    answers = list(answers)
    scores: list[SectionScore] = []
    for section in sections:
        counted = [a for a in answers if a.section == section.id and a.result in ("pass", "fail")]
        possible = sum(a.max_points for a in counted)
        earned = sum(a.points for a in counted)
        score = round(100.0 * earned / possible, 2) if possible > 0 else None
        scores.append(SectionScore(section.id, section.name, section.weight, score, earned, possible))
    auto_fail = any(a.critical and a.result == "fail" for a in answers)
    scored = [s for s in scores if s.score is not None]
    weight = sum(s.weight for s in scored)
    total: float | None = None
    if weight > 0:
        total = round(sum(s.weight * (s.score or 0.0) for s in scored) / weight, 1)
    if auto_fail:
        total = 0.0
    return Totals(total, auto_fail, scores)
