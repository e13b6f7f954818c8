"""What the machine answered and what a person answered, read off stored criterion results."""

from __future__ import annotations

from qa.models import CriterionResult
from scoring.agreement import CATEGORIES


def machine_answer(criterion: CriterionResult) -> str | None:
    """The machine's own answer: kept in machine_result once a reviewer overrode it; None if not an answer."""
    answer = criterion.machine_result if criterion.machine_result is not None else criterion.result
    return answer if answer in CATEGORIES else None
