"""Dispute routes: an agent opens one on her interaction, the team's supervisor resolves it."""

from __future__ import annotations

from fastapi import APIRouter, status

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.disputes import service
from qa.disputes.schemas import DisputeCreate, DisputeRead, DisputeResolve
from qa.evaluations import self_evaluation
from qa.models import DisputeStatus

router = APIRouter(tags=["disputes"])


@router.post(
    "/api/interactions/{interaction_id}/disputes",
    response_model=DisputeRead,
    status_code=status.HTTP_201_CREATED,
)
def open_dispute(
    interaction_id: int, body: DisputeCreate, session: SessionDep, principal: CurrentPrincipal
) -> DisputeRead:
    """Dispute one criterion of the current evaluation of your own interaction."""
    return service.open_dispute(
        session=session,
        principal=principal,
        interaction_id=interaction_id,
        criterion_id=body.criterion_id,
        reason=body.reason,
        requested_result=body.requested_result,
    )


@router.get("/api/disputes", response_model=list[DisputeRead])
def list_disputes(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: DisputeStatus | None = None,
    interaction_id: int | None = None,
) -> list[DisputeRead]:
    """Disputes the caller may see, newest first."""
    return service.list_disputes(
        session=session, principal=principal, status=status, interaction_id=interaction_id
    )


@router.post("/api/disputes/{dispute_id}/resolve", response_model=DisputeRead)
def resolve_dispute(
    dispute_id: int, body: DisputeResolve, session: SessionDep, principal: CurrentPrincipal
) -> DisputeRead:
    """Uphold (answer and total change) or reject an open dispute."""
    return service.resolve_dispute(
        session=session,
        principal=principal,
        dispute_id=dispute_id,
        decision=body.decision,
        comment=body.comment,
    )


@router.post(
    "/api/interactions/{interaction_id}/self-evaluation",
    response_model=self_evaluation.SelfComparison,
    status_code=status.HTTP_201_CREATED,
)
def submit_self_evaluation(
    interaction_id: int,
    body: self_evaluation.SelfEvaluationCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> self_evaluation.SelfComparison:
    """The agent scores her own interaction before a reviewer does."""
    return self_evaluation.submit(
        session=session, principal=principal, interaction_id=interaction_id, answers=body.answers
    )


@router.get(
    "/api/interactions/{interaction_id}/self-evaluation", response_model=self_evaluation.SelfComparison
)
def self_evaluation_comparison(
    interaction_id: int, session: SessionDep, principal: CurrentPrincipal
) -> self_evaluation.SelfComparison:
    """Self against reviewer, per criterion."""
    return self_evaluation.comparison(session=session, principal=principal, interaction_id=interaction_id)
