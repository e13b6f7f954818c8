"""Disputes: an agent contests one criterion of her evaluation, a supervisor upholds or rejects it.

Opening and resolving are audited; an upheld dispute changes the answer through qa.reviews.service, so the
total follows the review's one total rule.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import service as audit_service
from qa.config import get_settings
from qa.disputes import repository
from qa.disputes.schemas import DisputeRead
from qa.errors import Conflict, NotFound
from qa.evaluations import service as evaluation_service
from qa.interactions import service as interaction_service
from qa.models import Answer, CriterionResult, Dispute, DisputeStatus, Evaluation, ReviewStatus
from qa.models.base import utcnow
from qa.notifications import service as notification_service
from qa.notifications.service import Kind
from qa.reviews import service as review_service

MAX_LISTED = 500


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def dispute_deadline(evaluation: Evaluation, *, window_days: int) -> datetime:
    """The last moment to dispute `evaluation`: the window after it was made, or after it was finalized."""
    start = _aware(evaluation.created_at)
    if evaluation.finalized_at is not None:
        start = max(start, _aware(evaluation.finalized_at))
    return start + timedelta(days=window_days)


def default_request(disputed: str) -> Answer:
    """What a dispute asks for when the agent does not say: the other of pass/fail, pass for anything else."""
    return Answer.PASS if disputed != Answer.PASS else Answer.FAIL


def _already_open(criterion_id: str, interaction_id: int) -> Conflict:
    return Conflict(f"criterion '{criterion_id}' of interaction {interaction_id} already has an open dispute")


def _read(session: Session, dispute_id: int) -> DisputeRead:
    row = repository.row(session, dispute_id)
    if row is None:
        raise NotFound(f"dispute {dispute_id} not found")
    return DisputeRead.model_validate(row._mapping)


def _state(dispute: Dispute, evaluation: Evaluation, criterion: CriterionResult) -> dict[str, Any] | None:
    if dispute.id is None:
        return None
    return {
        "status": dispute.status,
        "criterion_id": dispute.criterion_id,
        "reason": dispute.reason,
        "decision_comment": dispute.decision_comment,
        "result": criterion.result,
        "total": evaluation.total,
        "review_status": evaluation.review_status,
    }


def open_dispute(
    *,
    session: Session,
    principal: Principal,
    interaction_id: int,
    criterion_id: str,
    reason: str,
    requested_result: Answer | None = None,
    now: datetime | None = None,
) -> DisputeRead:
    """The agent disputes one criterion of her current evaluation; a final review reopens for it.

    Others' interactions are NotFound; a second open dispute on the criterion, or a late one, Conflict.
    """
    access.require_role(principal, access.AGENTS, "disputing a score")
    interaction = interaction_service.get_visible(
        session=session, principal=principal, interaction_id=interaction_id
    )
    if interaction.agent_id is None or interaction.agent_id != principal.agent_id:
        raise NotFound(f"interaction {interaction_id} not found")
    evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
    if evaluation is None:
        raise NotFound(f"interaction {interaction_id} has no evaluation yet")
    criterion = next((c for c in evaluation.criteria if c.criterion_id == criterion_id), None)
    if criterion is None:
        raise NotFound(f"interaction {interaction_id} has no criterion '{criterion_id}'")
    if not reason.strip():
        raise Conflict("a dispute needs a reason")
    deadline = dispute_deadline(evaluation, window_days=get_settings().dispute_window_days)
    if (now or utcnow()) > deadline:
        raise Conflict(f"disputes on this evaluation closed on {deadline:%Y-%m-%d %H:%M} UTC")
    if repository.open_for(session, evaluation.id, criterion_id) is not None:
        raise Conflict(
            f"criterion '{criterion_id}' of interaction {interaction_id} already has an open dispute"
        )
    requested = requested_result or default_request(criterion.result)
    if requested == criterion.result:
        raise Conflict(f"the answer is already '{requested}'")
    dispute = Dispute(
        interaction_id=interaction_id,
        evaluation_id=evaluation.id,
        agent_id=interaction.agent_id,
        criterion_id=criterion_id,
        opened_by_id=principal.user_id,
        reason=reason.strip(),
        status=DisputeStatus.OPEN,
        disputed_result=criterion.result,
        requested_result=requested,
        reopened_final=evaluation.review_status == ReviewStatus.FINAL,
    )
    with audit_service.audited(
        session=session,
        principal=principal,
        action="open_dispute",
        entity="dispute",
        interaction_id=interaction_id,
        snapshot=lambda: _state(dispute, evaluation, criterion),
    ) as change:
        try:
            # The partial unique index settles a race between two requests for the same criterion.
            with session.begin_nested():
                change.entity_id = repository.add(session, dispute).id
        except IntegrityError as exc:
            raise _already_open(criterion_id, interaction_id) from exc
        if dispute.reopened_final:
            evaluation.review_status = ReviewStatus.REVIEWED
    notification_service.notify_supervisors(
        session=session,
        actor=principal,
        agent_id=interaction.agent_id,
        kind=Kind.DISPUTE_OPENED,
        text=f"{principal.username} disputes '{criterion_id}' on interaction #{interaction_id}",
        interaction_id=interaction_id,
    )
    return _read(session, dispute.id)


def list_disputes(
    *,
    session: Session,
    principal: Principal,
    status: DisputeStatus | None = None,
    interaction_id: int | None = None,
) -> list[DisputeRead]:
    """Disputes inside the caller's scope (an agent: her own), newest first."""
    rows = repository.list_rows(
        session, access.scope_of(principal), status=status, interaction_id=interaction_id, limit=MAX_LISTED
    )
    return [DisputeRead.model_validate(row._mapping) for row in rows]


def count_open(*, session: Session, principal: Principal) -> int:
    """Open disputes inside the caller's scope (the review queue's count)."""
    return repository.count(session, access.scope_of(principal), status=DisputeStatus.OPEN)


def resolve_dispute(
    *,
    session: Session,
    principal: Principal,
    dispute_id: int,
    decision: DisputeStatus,
    comment: str = "",
) -> DisputeRead:
    """Uphold (the answer becomes the one asked for, the total is recomputed) or reject an open dispute."""
    access.require_reviewer(principal, "resolving a dispute")
    dispute = repository.get(session, dispute_id)
    if dispute is None:
        raise NotFound(f"dispute {dispute_id} not found")
    try:
        interaction_service.get_visible(
            session=session, principal=principal, interaction_id=dispute.interaction_id
        )
    except NotFound:
        raise NotFound(f"dispute {dispute_id} not found") from None
    if decision not in (DisputeStatus.UPHELD, DisputeStatus.REJECTED):
        raise Conflict(f"decision must be upheld or rejected, not '{decision}'")
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict(f"dispute {dispute_id} is already {dispute.status}")
    evaluation = repository.evaluation_with_criteria(session, dispute.evaluation_id)
    if evaluation is None or not evaluation.is_current:
        raise Conflict(f"interaction {dispute.interaction_id} was scored again since; the dispute is stale")
    criterion = next(c for c in evaluation.criteria if c.criterion_id == dispute.criterion_id)
    with audit_service.audited(
        session=session,
        principal=principal,
        action="resolve_dispute",
        entity="dispute",
        entity_id=dispute.id,
        interaction_id=dispute.interaction_id,
        snapshot=lambda: _state(dispute, evaluation, criterion),
    ):
        if decision == DisputeStatus.UPHELD:
            review_service.set_answer(
                evaluation,
                criterion,
                result=dispute.requested_result,
                comment=comment.strip() or f"dispute upheld: {dispute.reason}",
                reviewer=principal,
            )
            if evaluation.review_status == ReviewStatus.PENDING:
                evaluation.review_status = ReviewStatus.REVIEWED
        dispute.status = decision
        dispute.decision_comment = comment.strip() or None
        dispute.resolved_by_id = principal.user_id
        dispute.resolved_at = utcnow()
        session.flush()
        if dispute.reopened_final and repository.count_open_on(session, evaluation.id) == 0:
            evaluation.review_status = ReviewStatus.FINAL
    notification_service.notify_agent(
        session=session,
        actor=principal,
        agent_id=dispute.agent_id,
        kind=Kind.DISPUTE_RESOLVED,
        text=f"Your dispute of '{dispute.criterion_id}' on interaction #{dispute.interaction_id}: {decision}",
        interaction_id=dispute.interaction_id,
    )
    return _read(session, dispute.id)
