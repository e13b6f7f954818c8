"""The evaluation total after human review: the evaluator's own rule (scoring.rubric.compute_totals).

Section weights come from the sections stored with the evaluation; an evaluation stored without sections
counts as one section, i.e. 100 * earned / possible over its pass/fail criteria.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from qa.models.enums import SCORED_ANSWERS
from scoring.rubric import SectionWeight, Totals, compute_totals, points_for

__all__ = ["SCORED", "Totals", "compute_total", "points_for"]

SCORED = SCORED_ANSWERS
_ONE_SECTION = "__all__"


class ScoredCriterion(Protocol):
    result: str
    max_points: float
    critical: bool


@dataclass(frozen=True, slots=True)
class _Answer:
    section: str | None
    result: str
    points: float
    max_points: float
    critical: bool


def compute_total(
    criteria: Iterable[ScoredCriterion], sections: Sequence[dict[str, Any]] | None = None
) -> Totals:
    """Total, auto-fail flag and section scores of these criteria under the stored section weights."""
    weights = [
        SectionWeight(s["id"], s.get("name", s["id"]), float(s.get("weight", 1.0))) for s in sections or ()
    ]
    answers = [
        _Answer(
            section=getattr(c, "section", None) if weights else _ONE_SECTION,
            result=c.result,
            points=points_for(c.result, c.max_points),
            max_points=float(c.max_points),
            critical=bool(c.critical),
        )
        for c in criteria
    ]
    return compute_totals(answers, weights or [SectionWeight(_ONE_SECTION, "all", 1.0)])
