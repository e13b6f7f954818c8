"""Queries behind machine-versus-human agreement and criterion trust."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, select
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.agreement.clauses import TRUST_NEEDS_HUMAN
from qa.interactions.repository import scope_clause
from qa.models import (
    CalibrationExpertAnswer,
    CalibrationItem,
    CriterionResult,
    CriterionTrust,
    Dispute,
    DisputeStatus,
    Evaluation,
    Interaction,
    ReviewStatus,
    RubricVersion,
)


def _where(scope: Scope, rubric_id: str | None, since: datetime | None) -> list[ColumnElement[bool]]:
    clauses = [scope_clause(scope, Interaction.agent_id)]
    if rubric_id is not None:
        clauses.append(RubricVersion.rubric_id == rubric_id)
    if since is not None:
        clauses.append(Interaction.started_at >= since)
    return clauses


def _answer_columns(human: Any) -> tuple[Any, ...]:
    """The columns every human-answer source returns; `human` is the person's answer."""
    return (
        Interaction.id.label("interaction_id"),
        Interaction.started_at,
        Evaluation.id.label("evaluation_id"),
        RubricVersion.id.label("rubric_version_id"),
        RubricVersion.rubric_id,
        CriterionResult,
        human.label("human"),
    )


def finalized_review_answers(
    session: Session, scope: Scope, rubric_id: str | None, since: datetime | None
) -> list[Row[Any]]:
    """Criterion results of evaluations whose review is final: the person's answer is `result`."""
    query = (
        select(*_answer_columns(CriterionResult.result))
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .join(RubricVersion, RubricVersion.id == Evaluation.rubric_version_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .where(Evaluation.review_status == ReviewStatus.FINAL, *_where(scope, rubric_id, since))
        .order_by(Evaluation.id)
    )
    return list(session.execute(query))


def calibration_expert_answers(
    session: Session, scope: Scope, rubric_id: str | None, since: datetime | None
) -> list[Row[Any]]:
    """Expert answers of calibration sessions next to the machine's result they were calibrated against."""
    expert = CalibrationExpertAnswer
    query = (
        select(*_answer_columns(expert.answer))
        .join(
            CalibrationItem,
            (CalibrationItem.session_id == expert.session_id)
            & (CalibrationItem.interaction_id == expert.interaction_id),
        )
        .join(
            CriterionResult,
            (CriterionResult.evaluation_id == CalibrationItem.evaluation_id)
            & (CriterionResult.criterion_id == expert.criterion_id),
        )
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .join(RubricVersion, RubricVersion.id == Evaluation.rubric_version_id)
        .join(Interaction, Interaction.id == expert.interaction_id)
        .where(*_where(scope, rubric_id, since))
        .order_by(expert.id)
    )
    return list(session.execute(query))


def resolved_dispute_answers(
    session: Session, scope: Scope, rubric_id: str | None, since: datetime | None
) -> list[Row[Any]]:
    """Criteria whose dispute a person resolved (upheld or rejected): `result` is the settled answer."""
    query = (
        select(*_answer_columns(CriterionResult.result))
        .join(
            Dispute,
            (Dispute.evaluation_id == CriterionResult.evaluation_id)
            & (Dispute.criterion_id == CriterionResult.criterion_id),
        )
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .join(RubricVersion, RubricVersion.id == Evaluation.rubric_version_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .where(
            Dispute.status.in_((DisputeStatus.UPHELD, DisputeStatus.REJECTED)),
            *_where(scope, rubric_id, since),
        )
        .order_by(Dispute.id)
    )
    return list(session.execute(query))


def rubric_versions(session: Session, ids: Sequence[int] | None = None) -> list[RubricVersion]:
    query = select(RubricVersion).order_by(RubricVersion.rubric_id, RubricVersion.id)
    if ids is not None:
        query = query.where(RubricVersion.id.in_(list(ids)))
    return list(session.scalars(query))


def trust_rows(session: Session, rubric_id: str | None = None) -> list[Row[Any]]:
    """Stored trust per rubric version and criterion, with the rubric id and version."""
    query = (
        select(CriterionTrust, RubricVersion.rubric_id, RubricVersion.version)
        .join(RubricVersion, RubricVersion.id == CriterionTrust.rubric_version_id)
        .order_by(RubricVersion.rubric_id, RubricVersion.id, CriterionTrust.criterion_id)
    )
    if rubric_id is not None:
        query = query.where(RubricVersion.rubric_id == rubric_id)
    return list(session.execute(query))


def replace_trust(session: Session, rubric_version_id: int, rows: Sequence[CriterionTrust]) -> None:
    """The trust of one rubric version's criteria, replacing what was stored."""
    session.execute(delete(CriterionTrust).where(CriterionTrust.rubric_version_id == rubric_version_id))
    session.add_all(rows)
    session.flush()


def needs_human_criteria(session: Session, evaluation_id: int) -> set[str]:
    """The criteria of this evaluation whose machine answers are only suggestions."""
    query = (
        select(CriterionTrust.criterion_id)
        .join(Evaluation, Evaluation.rubric_version_id == CriterionTrust.rubric_version_id)
        .where(Evaluation.id == evaluation_id, CriterionTrust.status == TRUST_NEEDS_HUMAN)
    )
    return set(session.scalars(query))
