"""How each criterion's pass rate relates to CSAT and first-contact resolution, inside the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.config import get_settings
from qa.interactions.service import day_range
from qa.models import Answer
from qa.outcomes import repository
from qa.outcomes.schemas import CriterionOutcome
from qa.reports.contacts_repository import RepeatRule


@dataclass(frozen=True, slots=True)
class _Side:
    """The interactions that passed (or failed) one criterion."""

    interactions: int = 0
    with_csat: int = 0
    csat: float | None = None
    known_customer: int = 0
    repeated: int = 0

    @classmethod
    def of(cls, row: Row[Any] | None) -> _Side:
        if row is None:
            return cls()
        csat = None if row.csat is None else round(float(row.csat), 2)
        return cls(
            int(row.interactions), int(row.with_csat), csat, int(row.known_customer), int(row.repeated or 0)
        )

    @property
    def fcr(self) -> float | None:
        return round(1 - self.repeated / self.known_customer, 4) if self.known_customer else None


def _difference(a: float | None, b: float | None, digits: int) -> float | None:
    return None if a is None or b is None else round(a - b, digits)


def criterion_outcomes(
    *, session: Session, principal: Principal, start: date | None = None, end: date | None = None
) -> list[CriterionOutcome]:
    """Per criterion: passed/failed counts, CSAT and first-contact resolution on each side, with counts.

    Supervisors, managers and admins; a supervisor's figures cover their team.
    """
    access.require_reviewer(principal, "reading QA against outcomes")
    lower, upper = day_range(start, end)
    questions: dict[str, str] = {}
    rows: dict[tuple[str, str], Row[Any]] = {}
    for row in repository.criterion_outcomes(
        session, access.scope_of(principal), lower, upper, RepeatRule.from_settings(get_settings())
    ):
        questions[row.criterion_id] = row.question or questions.get(row.criterion_id, "")
        rows[(row.criterion_id, row.result)] = row
    outcomes = []
    for criterion_id in sorted(questions):
        passed, failed = (
            _Side.of(rows.get((criterion_id, Answer.PASS))),
            _Side.of(rows.get((criterion_id, Answer.FAIL))),
        )
        scored = passed.interactions + failed.interactions
        outcomes.append(
            CriterionOutcome(
                criterion_id=criterion_id,
                question=questions[criterion_id],
                passed=passed.interactions,
                failed=failed.interactions,
                pass_rate=round(passed.interactions / scored, 4) if scored else None,
                csat_passed=passed.csat,
                csat_failed=failed.csat,
                csat_passed_n=passed.with_csat,
                csat_failed_n=failed.with_csat,
                csat_difference=_difference(passed.csat, failed.csat, 2),
                fcr_passed=passed.fcr,
                fcr_failed=failed.fcr,
                fcr_passed_n=passed.known_customer,
                fcr_failed_n=failed.known_customer,
                fcr_difference=_difference(passed.fcr, failed.fcr, 4),
            )
        )
    return outcomes
