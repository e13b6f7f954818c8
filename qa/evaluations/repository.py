"""Queries for rubric versions, evaluations and criterion results."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from qa.models import Evaluation, RubricVersion, SelfEvaluation


def find_rubric_version(session: Session, rubric_id: str, version: str) -> RubricVersion | None:
    query = select(RubricVersion).where(
        RubricVersion.rubric_id == rubric_id, RubricVersion.version == version
    )
    return session.scalars(query).one_or_none()


def add(session: Session, obj: RubricVersion | Evaluation) -> None:
    session.add(obj)
    session.flush()


def retire_current(session: Session, interaction_id: int) -> None:
    """Keep earlier evaluations as history; only the newest is current."""
    session.execute(
        update(Evaluation)
        .where(Evaluation.interaction_id == interaction_id, Evaluation.is_current.is_(True))
        .values(is_current=False)
    )


def current_for(session: Session, interaction_id: int) -> Evaluation | None:
    query = (
        select(Evaluation)
        .where(Evaluation.interaction_id == interaction_id, Evaluation.is_current.is_(True))
        .options(selectinload(Evaluation.criteria), selectinload(Evaluation.rubric_version))
    )
    return session.scalars(query).one_or_none()


def history_for(session: Session, interaction_id: int) -> list[Evaluation]:
    query = (
        select(Evaluation)
        .where(Evaluation.interaction_id == interaction_id)
        .options(selectinload(Evaluation.rubric_version))
        .order_by(Evaluation.id)
    )
    return list(session.scalars(query))


def self_evaluation_for(session: Session, evaluation_id: int) -> SelfEvaluation | None:
    """The agent's own answers to an evaluation, if she gave any."""
    query = select(SelfEvaluation).where(SelfEvaluation.evaluation_id == evaluation_id)
    return session.scalars(query).first()
