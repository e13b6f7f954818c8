"""Queries for calibration sessions, their reviewers, items and answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from qa.models import (
    Agent,
    CalibrationAnswer,
    CalibrationExpertAnswer,
    CalibrationItem,
    CalibrationReviewer,
    CalibrationSession,
    CriterionResult,
    Interaction,
)


def add(session: Session, obj: Any) -> None:
    session.add(obj)
    session.flush()


def get(session: Session, calibration_id: int) -> CalibrationSession | None:
    query = (
        select(CalibrationSession)
        .where(CalibrationSession.id == calibration_id)
        .options(selectinload(CalibrationSession.items), selectinload(CalibrationSession.reviewers))
    )
    return session.scalars(query).one_or_none()


def list_for(session: Session, user_id: int | None, *, limit: int) -> list[CalibrationSession]:
    """Newest first; with `user_id` only those the user organised or was invited to."""
    query = (
        select(CalibrationSession)
        .options(selectinload(CalibrationSession.items), selectinload(CalibrationSession.reviewers))
        .order_by(CalibrationSession.id.desc())
        .limit(limit)
    )
    if user_id is not None:
        invited = select(CalibrationReviewer.session_id).where(CalibrationReviewer.user_id == user_id)
        query = query.where(
            or_(CalibrationSession.organizer_id == user_id, CalibrationSession.id.in_(invited))
        )
    return list(session.scalars(query))


def answers(session: Session, calibration_id: int, user_id: int | None = None) -> list[CalibrationAnswer]:
    query = select(CalibrationAnswer).where(CalibrationAnswer.session_id == calibration_id)
    if user_id is not None:
        query = query.where(CalibrationAnswer.user_id == user_id)
    return list(session.scalars(query.order_by(CalibrationAnswer.id)))


def expert_answers(session: Session, calibration_id: int) -> list[CalibrationExpertAnswer]:
    query = select(CalibrationExpertAnswer).where(CalibrationExpertAnswer.session_id == calibration_id)
    return list(session.scalars(query))


def criteria_of(session: Session, evaluation_ids: Sequence[int]) -> list[CriterionResult]:
    """The criterion results of these evaluations, in rubric order."""
    if not evaluation_ids:
        return []
    query = (
        select(CriterionResult)
        .where(CriterionResult.evaluation_id.in_(list(evaluation_ids)))
        .order_by(CriterionResult.evaluation_id, CriterionResult.position)
    )
    return list(session.scalars(query))


def interaction_labels(session: Session, interaction_ids: Sequence[int]) -> dict[int, Any]:
    """Agent name and channel of each interaction."""
    query = (
        select(Interaction.id, Agent.name.label("agent"), Interaction.channel)
        .outerjoin(Agent, Agent.id == Interaction.agent_id)
        .where(Interaction.id.in_(list(interaction_ids)))
    )
    return {row.id: row for row in session.execute(query)}


def graded_answers(session: Session, since: datetime | None) -> list[Row[Any]]:
    """Reviewer answers that have an expert answer, with the reviewer and when the session closed."""
    expert = CalibrationExpertAnswer
    query = (
        select(
            CalibrationReviewer.username.label("rater"),
            CalibrationSession.closed_at,
            CalibrationAnswer.answer,
            expert.answer.label("expert"),
        )
        .join(CalibrationSession, CalibrationSession.id == CalibrationAnswer.session_id)
        .join(
            CalibrationReviewer,
            (CalibrationReviewer.session_id == CalibrationAnswer.session_id)
            & (CalibrationReviewer.user_id == CalibrationAnswer.user_id),
        )
        .join(
            expert,
            (expert.session_id == CalibrationAnswer.session_id)
            & (expert.interaction_id == CalibrationAnswer.interaction_id)
            & (expert.criterion_id == CalibrationAnswer.criterion_id),
        )
        .where(CalibrationSession.closed_at.is_not(None))
    )
    if since is not None:
        query = query.where(CalibrationSession.closed_at >= since)
    return list(session.execute(query))


def graded_machine_answers(session: Session, since: datetime | None) -> list[Row[Any]]:
    """The machine's answers (from each item's evaluation) next to expert answers, with the closing time."""
    expert = CalibrationExpertAnswer
    query = (
        select(CalibrationSession.closed_at, CriterionResult, expert.answer.label("expert"))
        .join(CalibrationItem, CalibrationItem.session_id == CalibrationSession.id)
        .join(
            expert,
            (expert.session_id == CalibrationSession.id)
            & (expert.interaction_id == CalibrationItem.interaction_id),
        )
        .join(
            CriterionResult,
            (CriterionResult.evaluation_id == CalibrationItem.evaluation_id)
            & (CriterionResult.criterion_id == expert.criterion_id),
        )
        .where(CalibrationSession.closed_at.is_not(None))
    )
    if since is not None:
        query = query.where(CalibrationSession.closed_at >= since)
    return list(session.execute(query))


def awaiting_blind_answer(session: Session, user_id: int, interaction_id: int) -> bool:
    """Whether the user is invited to an open session on this interaction and has not answered it yet."""
    answered = exists().where(
        CalibrationAnswer.session_id == CalibrationSession.id,
        CalibrationAnswer.interaction_id == interaction_id,
        CalibrationAnswer.user_id == user_id,
    )
    query = (
        select(CalibrationSession.id)
        .join(CalibrationReviewer, CalibrationReviewer.session_id == CalibrationSession.id)
        .join(CalibrationItem, CalibrationItem.session_id == CalibrationSession.id)
        .where(
            CalibrationSession.status == "open",
            CalibrationReviewer.user_id == user_id,
            CalibrationItem.interaction_id == interaction_id,
            ~answered,
        )
        .limit(1)
    )
    return session.scalar(query) is not None
