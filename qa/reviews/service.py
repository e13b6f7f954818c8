"""Human review of a machine evaluation: overriding criteria and finalizing, each change audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import service as audit_service
from qa.errors import Conflict, NotFound
from qa.evaluations import service as evaluation_service
from qa.interactions import service as interaction_service
from qa.interactions.schemas import EvaluationRead, evaluation_read
from qa.models import Answer, CriterionResult, Evaluation, ReviewStatus
from qa.models.base import utcnow
from qa.models.enums import PENDING_ANSWER
from qa.notifications import service as notification_service
from qa.notifications.service import Kind
from qa.reviews.totals import compute_total, points_for

ReviewResult = Answer
REVIEW_RESULTS = tuple(Answer)


def _reviewable(
    *, session: Session, principal: Principal, interaction_id: int, action: str, final_ok: bool = False
) -> Evaluation:
    access.require_reviewer(principal, action)
    interaction_service.get_visible(session=session, principal=principal, interaction_id=interaction_id)
    evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
    if evaluation is None:
        raise NotFound(f"interaction {interaction_id} has no evaluation yet")
    if evaluation.review_status == ReviewStatus.FINAL and not final_ok:
        raise Conflict(f"the review of interaction {interaction_id} is final; reopen it first")
    return evaluation


def set_answer(
    evaluation: Evaluation,
    criterion: CriterionResult,
    *,
    result: str,
    comment: str | None,
    reviewer: Principal,
) -> None:
    """A person's answer to one criterion: the machine's stays in machine_result, the total follows.

    The one place a person changes an answer (a reviewer's override, an upheld dispute); the total rule is
    the evaluator's (qa.reviews.totals).
    """
    if criterion.machine_result is None:
        criterion.machine_result = criterion.result
    criterion.result = result
    criterion.points = points_for(result, criterion.max_points)
    criterion.override_comment = comment
    criterion.reviewed_by = reviewer.username
    criterion.reviewed_at = utcnow()
    computed = compute_total(evaluation.criteria, evaluation.sections)
    evaluation.total = computed.total
    evaluation.auto_fail = computed.auto_fail
    if evaluation.sections:
        evaluation.sections = [s.to_dict() for s in computed.sections]


def _state(evaluation: Evaluation, criterion: CriterionResult | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "total": evaluation.total,
        "auto_fail": evaluation.auto_fail,
        "review_status": evaluation.review_status,
    }
    if criterion is not None:
        state |= {
            "criterion_id": criterion.criterion_id,
            "result": criterion.result,
            "points": criterion.points,
            "comment": criterion.override_comment,
        }
    return state


def override_criterion(
    *,
    session: Session,
    principal: Principal,
    interaction_id: int,
    criterion_id: str,
    result: ReviewResult,
    comment: str | None = None,
) -> EvaluationRead:
    """Set a criterion's result, recompute the total (qa.reviews.totals) and mark the evaluation reviewed.

    The machine's original answer stays in machine_result; supervisors, managers and admins only.
    """
    if result not in REVIEW_RESULTS:
        raise Conflict(f"result must be one of {', '.join(REVIEW_RESULTS)}, not '{result}'")
    evaluation = _reviewable(
        session=session, principal=principal, interaction_id=interaction_id, action="overriding a score"
    )
    criterion = next((c for c in evaluation.criteria if c.criterion_id == criterion_id), None)
    if criterion is None:
        raise NotFound(f"interaction {interaction_id} has no criterion '{criterion_id}'")
    confirms_doubt = criterion.needs_review and criterion.machine_result is None
    unchanged = result == criterion.result and comment in (None, "", criterion.override_comment)
    if unchanged and not confirms_doubt:
        # The same answer again is not an override: nothing changes, nothing is audited. A person confirming
        # a machine answer that rests on unclear speech is a review, though: it no longer waits for one.
        return evaluation_read(evaluation)
    with audit_service.audited(
        session=session,
        principal=principal,
        action="override_criterion",
        entity="criterion_result",
        entity_id=criterion.id,
        interaction_id=interaction_id,
        snapshot=lambda: _state(evaluation, criterion),
    ):
        set_answer(evaluation, criterion, result=result, comment=comment, reviewer=principal)
        evaluation.review_status = ReviewStatus.REVIEWED
        evaluation_service.refresh_needs_review(evaluation)
    return evaluation_read(evaluation)


def finalize_review(*, session: Session, principal: Principal, interaction_id: int) -> EvaluationRead:
    """Mark the current evaluation final; refused while a criterion is pending, later overrides too."""
    evaluation = _reviewable(
        session=session, principal=principal, interaction_id=interaction_id, action="finalizing a review"
    )
    interaction = interaction_service.get_visible(
        session=session, principal=principal, interaction_id=interaction_id
    )
    pending = [c.criterion_id for c in evaluation.criteria if c.result == PENDING_ANSWER]
    if pending:
        raise Conflict(f"answer the pending criteria first: {', '.join(pending)}")
    with audit_service.audited(
        session=session,
        principal=principal,
        action="finalize_review",
        entity="evaluation",
        entity_id=evaluation.id,
        interaction_id=interaction_id,
        snapshot=lambda: _state(evaluation),
    ):
        evaluation.review_status = ReviewStatus.FINAL
        evaluation_service.refresh_needs_review(evaluation)
        evaluation.finalized_at = utcnow()
    if interaction.agent_id is not None:
        notification_service.notify_agent(
            session=session,
            actor=principal,
            agent_id=interaction.agent_id,
            kind=Kind.EVALUATION_REVIEWED,
            text=f"Your evaluation of interaction #{interaction_id} was reviewed: {evaluation.total}",
            interaction_id=interaction_id,
        )
    return evaluation_read(evaluation)


def reopen_review(*, session: Session, principal: Principal, interaction_id: int) -> EvaluationRead:
    """Open a final review again for corrections (reviewers in scope); audited."""
    evaluation = _reviewable(
        session=session,
        principal=principal,
        interaction_id=interaction_id,
        action="reopening a review",
        final_ok=True,
    )
    if evaluation.review_status != ReviewStatus.FINAL:
        raise Conflict(f"the review of interaction {interaction_id} is not final")
    with audit_service.audited(
        session=session,
        principal=principal,
        action="reopen_review",
        entity="evaluation",
        entity_id=evaluation.id,
        interaction_id=interaction_id,
        snapshot=lambda: _state(evaluation),
    ):
        evaluation.review_status = ReviewStatus.REVIEWED
    return evaluation_read(evaluation)
