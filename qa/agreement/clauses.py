"""WHERE clauses on interactions that the interaction list borrows (models only: no import cycle)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from qa.models import CriterionResult, CriterionTrust, Evaluation, Interaction, ReviewAssignment, ReviewStatus

TRUST_NEEDS_HUMAN = "needs_human"


def needs_human_clause() -> ColumnElement[bool]:
    """Interactions whose current, not yet final evaluation answers a criterion its rubric version does not
    trust the machine on."""
    flagged = (
        select(Evaluation.interaction_id)
        .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
        .join(
            CriterionTrust,
            (CriterionTrust.rubric_version_id == Evaluation.rubric_version_id)
            & (CriterionTrust.criterion_id == CriterionResult.criterion_id),
        )
        .where(
            Evaluation.is_current.is_(True),
            Evaluation.review_status != ReviewStatus.FINAL,
            CriterionTrust.status == TRUST_NEEDS_HUMAN,
        )
    )
    return Interaction.id.in_(flagged)


def assigned_clause(reviewer_id: int) -> ColumnElement[bool]:
    """Interactions assigned to this reviewer (any week)."""
    return Interaction.id.in_(
        select(ReviewAssignment.interaction_id).where(ReviewAssignment.reviewer_id == reviewer_id)
    )
