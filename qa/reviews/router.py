"""Human review routes: override one criterion, finalize the review."""

from __future__ import annotations

from fastapi import APIRouter

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.interactions.schemas import EvaluationRead
from qa.reviews import service
from qa.reviews.schemas import CriterionOverride

router = APIRouter(prefix="/api/interactions/{interaction_id}/review", tags=["reviews"])


@router.post("/criteria/{criterion_id}", response_model=EvaluationRead)
def override_criterion(
    interaction_id: int,
    criterion_id: str,
    body: CriterionOverride,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> EvaluationRead:
    """Correct the machine's answer to one criterion; the total is recomputed and the change audited."""
    return service.override_criterion(
        session=session,
        principal=principal,
        interaction_id=interaction_id,
        criterion_id=criterion_id,
        result=body.result,
        comment=body.comment,
    )


@router.post("/finalize", response_model=EvaluationRead)
def finalize_review(interaction_id: int, session: SessionDep, principal: CurrentPrincipal) -> EvaluationRead:
    """Mark the review final."""
    return service.finalize_review(session=session, principal=principal, interaction_id=interaction_id)


@router.post("/reopen", response_model=EvaluationRead)
def reopen_review(interaction_id: int, session: SessionDep, principal: CurrentPrincipal) -> EvaluationRead:
    """Open a final review again (audited)."""
    return service.reopen_review(session=session, principal=principal, interaction_id=interaction_id)
