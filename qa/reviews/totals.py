"""The evaluation total after human review: a plain points ratio, documented so reviewers can check it.

pass earns max_points, fail earns 0, na and pending are left out; total = 100 * earned / possible over the
pass/fail criteria (None when none applies). A failed critical criterion sets auto_fail and a total of 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

RESULTS = ("pass", "fail", "na", "pending")
SCORED = ("pass", "fail")


class ScoredCriterion(Protocol):
    result: str
    max_points: float
    critical: bool


@dataclass(frozen=True, slots=True)
class Total:
    total: float | None
    auto_fail: bool


def points_for(result: str, max_points: float) -> float:
    """Points a criterion earns for `result`."""
    return float(max_points) if result == "pass" else 0.0


def compute_total(criteria: Iterable[ScoredCriterion]) -> Total:
    """The total and auto-fail flag of these criteria (see the module docstring)."""
    earned = possible = 0.0
    auto_fail = False
    for criterion in criteria:
        if criterion.result not in SCORED:
            continue
        possible += criterion.max_points
        earned += points_for(criterion.result, criterion.max_points)
        if criterion.critical and criterion.result == "fail":
            auto_fail = True
    if auto_fail:
        return Total(total=0.0, auto_fail=True)
    if possible <= 0:
        return Total(total=None, auto_fail=False)
    return Total(total=round(100.0 * earned / possible, 2), auto_fail=False)
