"""Queries for review assignments: candidates of a team's week, stored assignments, workload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.agreement.clauses import needs_human_clause
from qa.models import (
    Agent,
    Dispute,
    DisputeStatus,
    Evaluation,
    Interaction,
    ReviewAssignment,
    ReviewStatus,
    Role,
    Team,
    Turn,
    User,
)

_current = and_(Evaluation.interaction_id == Interaction.id, Evaluation.is_current.is_(True))


def team_supervisors(session: Session, team_id: int) -> list[User]:
    query = select(User).where(
        User.team_id == team_id, User.role == Role.SUPERVISOR, User.is_active.is_(True)
    )
    return list(session.scalars(query.order_by(User.username)))


def users_named(session: Session, names: Sequence[str]) -> dict[str, User]:
    return {u.username: u for u in session.scalars(select(User).where(User.username.in_(list(names))))}


def candidates(session: Session, team_id: int, start: datetime, end: datetime) -> list[Row[Any]]:
    """Scored interactions of the team's agents started in [start, end), with what the rules look at."""
    confidence = (
        select(Turn.interaction_id, func.avg(Turn.confidence).label("confidence"))
        .where(Turn.confidence.is_not(None))
        .group_by(Turn.interaction_id)
        .subquery()
    )
    query = (
        select(
            Interaction.id,
            Agent.name.label("agent"),
            Interaction.channel,
            Interaction.topic,
            Interaction.metrics,
            Interaction.customer_sentiment_end,
            Evaluation.auto_fail,
            confidence.c.confidence,
        )
        .join(Agent, Agent.id == Interaction.agent_id)
        .join(Evaluation, _current)
        .outerjoin(confidence, confidence.c.interaction_id == Interaction.id)
        .where(Agent.team_id == team_id, Interaction.started_at >= start, Interaction.started_at < end)
        .order_by(Interaction.id)
    )
    return list(session.execute(query))


def needing_human(session: Session, interaction_ids: Sequence[int]) -> set[int]:
    if not interaction_ids:
        return set()
    query = select(Interaction.id).where(Interaction.id.in_(list(interaction_ids)), needs_human_clause())
    return set(session.scalars(query))


def with_open_dispute(session: Session, interaction_ids: Sequence[int]) -> set[int]:
    if not interaction_ids:
        return set()
    query = select(Dispute.interaction_id).where(
        Dispute.interaction_id.in_(list(interaction_ids)), Dispute.status == DisputeStatus.OPEN
    )
    return set(session.scalars(query))


def of_team_week(session: Session, team_id: int, week: str) -> list[ReviewAssignment]:
    query = select(ReviewAssignment).where(ReviewAssignment.team_id == team_id, ReviewAssignment.week == week)
    return list(session.scalars(query.order_by(ReviewAssignment.id)))


def add_once(session: Session, assignment: ReviewAssignment) -> bool:
    """Insert unless the interaction is already assigned this week (unique constraint); True if added."""
    try:
        with session.begin_nested():
            session.add(assignment)
            session.flush()
    except IntegrityError:
        return False
    return True


def _done() -> ColumnElement[bool]:
    return Evaluation.review_status == ReviewStatus.FINAL


def _rows(where: list[ColumnElement[bool]]) -> Any:
    return (
        select(
            ReviewAssignment.id,
            ReviewAssignment.week,
            ReviewAssignment.interaction_id,
            Agent.name.label("agent"),
            Interaction.channel,
            ReviewAssignment.reviewer_name.label("reviewer"),
            ReviewAssignment.reason,
            ReviewAssignment.stratum,
            ReviewAssignment.due_on,
            func.coalesce(_done(), False).label("done"),
        )
        .join(Interaction, Interaction.id == ReviewAssignment.interaction_id)
        .outerjoin(Agent, Agent.id == Interaction.agent_id)
        .outerjoin(Evaluation, _current)
        .where(*where)
    )


def of_reviewer(session: Session, reviewer_id: int, week: str | None) -> list[Row[Any]]:
    """A reviewer's assignments: open first, then by due day."""
    where = [ReviewAssignment.reviewer_id == reviewer_id]
    if week is not None:
        where.append(ReviewAssignment.week == week)
    query = _rows(where).order_by(case((_done(), 1), else_=0), ReviewAssignment.due_on, ReviewAssignment.id)
    return list(session.execute(query))


def workload(session: Session, scope: Scope, since_week: str | None, today: date) -> list[Row[Any]]:
    """Per reviewer and week: assigned, completed (review final) and overdue, for teams inside `scope`."""
    done = case((_done(), 1), else_=0)
    overdue = case((and_(ReviewAssignment.due_on < today, ~func.coalesce(_done(), False)), 1), else_=0)
    query = (
        select(
            ReviewAssignment.reviewer_name.label("reviewer"),
            ReviewAssignment.week,
            func.count().label("assigned"),
            func.sum(done).label("completed"),
            func.sum(overdue).label("overdue"),
        )
        .join(Interaction, Interaction.id == ReviewAssignment.interaction_id)
        .outerjoin(Evaluation, _current)
        .group_by(ReviewAssignment.reviewer_name, ReviewAssignment.week)
        .order_by(ReviewAssignment.week, ReviewAssignment.reviewer_name)
    )
    if not scope.everything:
        query = query.where(ReviewAssignment.team_id == (scope.team_id if scope.team_id is not None else -1))
    if since_week is not None:
        query = query.where(ReviewAssignment.week >= since_week)
    return list(session.execute(query))


def team_names(session: Session) -> dict[int, str]:
    return {t.id: t.name for t in session.scalars(select(Team))}
