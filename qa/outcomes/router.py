"""GET /api/reports/outcomes: each criterion's pass rate against CSAT and first-contact resolution."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.outcomes import service
from qa.outcomes.schemas import CriterionOutcome

router = APIRouter(prefix="/api/reports", tags=["reports"])


@router.get("/outcomes", response_model=list[CriterionOutcome])
def outcomes(
    session: SessionDep, principal: CurrentPrincipal, start: date | None = None, end: date | None = None
) -> list[CriterionOutcome]:
    """Per criterion: CSAT and first-contact resolution when passed against when failed, with counts."""
    return service.criterion_outcomes(session=session, principal=principal, start=start, end=end)
