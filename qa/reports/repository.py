"""Aggregate queries behind trends, pass rates, dashboards and period reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.interactions.repository import scope_clause
from qa.models import Agent, Answer, CoachingNote, CriterionResult, Evaluation, Interaction, Team
from qa.models.enums import REVIEWED_STATUSES, SCORED_ANSWERS

_current = and_(Evaluation.interaction_id == Interaction.id, Evaluation.is_current.is_(True))


def _window(start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if start is not None:
        clauses.append(Interaction.started_at >= start)
    if end is not None:
        clauses.append(Interaction.started_at < end)
    return clauses


def scores_of_agent(
    session: Session, agent_id: int, start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(started_at, total) of the agent's scored interactions, oldest first."""
    query = (
        select(Interaction.started_at, Evaluation.total)
        .join(Evaluation, _current)
        .where(Interaction.agent_id == agent_id, Evaluation.total.is_not(None), *_window(start, end))
        .where(Interaction.started_at.is_not(None))
        .order_by(Interaction.started_at)
    )
    return list(session.execute(query))


def pass_rates(
    session: Session,
    where: ColumnElement[bool],
    start: datetime | None,
    end: datetime | None,
) -> list[Row[Any]]:
    """Per criterion: (criterion_id, question, passed, scored) over current evaluations matching `where`."""
    scored = CriterionResult.result.in_(SCORED_ANSWERS)
    query = (
        select(
            CriterionResult.criterion_id,
            func.max(CriterionResult.question).label("question"),
            func.sum(case((CriterionResult.result == Answer.PASS, 1), else_=0)).label("passed"),
            func.count(CriterionResult.id).label("scored"),
        )
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .where(Evaluation.is_current.is_(True), scored, where, *_window(start, end))
        .group_by(CriterionResult.criterion_id)
        .order_by(CriterionResult.criterion_id)
    )
    return list(session.execute(query))


def agent_clause(agent_id: int) -> ColumnElement[bool]:
    return Interaction.agent_id == agent_id


def team_clause(team_id: int) -> ColumnElement[bool]:
    return Interaction.agent_id.in_(select(Agent.id).where(Agent.team_id == team_id))


def scope_filter(scope: Scope) -> ColumnElement[bool]:
    return scope_clause(scope, Interaction.agent_id)


def agent_rows(
    session: Session, where: ColumnElement[bool], start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """Per agent: interactions, scored, average score, auto-fails, reviewed, average csat, handle and wait
    time and customer sentiment at the end."""
    reviewed = Evaluation.review_status.in_(REVIEWED_STATUSES)
    query = (
        select(
            Agent.name.label("agent"),
            Team.name.label("team"),
            func.count(Interaction.id).label("interactions"),
            func.count(Evaluation.total).label("scored"),
            func.avg(Evaluation.total).label("average_score"),
            func.sum(case((Evaluation.auto_fail.is_(True), 1), else_=0)).label("auto_fails"),
            func.sum(case((reviewed, 1), else_=0)).label("reviewed"),
            func.avg(Interaction.csat).label("average_csat"),
            func.avg(Interaction.handle_seconds).label("average_handle_seconds"),
            func.avg(Interaction.wait_seconds).label("average_wait_seconds"),
            func.avg(Interaction.customer_sentiment_end).label("average_customer_sentiment_end"),
        )
        .join(Agent, Agent.id == Interaction.agent_id)
        .outerjoin(Team, Team.id == Agent.team_id)
        .outerjoin(Evaluation, _current)
        .where(where, *_window(start, end))
        .group_by(Agent.name, Team.name)
        .order_by(Agent.name)
    )
    return list(session.execute(query))


def topic_counts(
    session: Session, where: ColumnElement[bool], start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(topic, interactions, average_score) by contact driver, the most frequent first."""
    query = (
        select(
            Interaction.topic,
            func.count(Interaction.id).label("interactions"),
            func.avg(Evaluation.total).label("average_score"),
        )
        .outerjoin(Evaluation, _current)
        .where(where, Interaction.topic.is_not(None), *_window(start, end))
        .group_by(Interaction.topic)
        .order_by(func.count(Interaction.id).desc(), Interaction.topic)
    )
    return list(session.execute(query))


def note_counts(
    session: Session, agent_id: int, start: datetime | None, end: datetime | None
) -> tuple[int, int]:
    """(notes, acknowledged) written to the agent within the window (by note date)."""
    query = select(func.count(CoachingNote.id), func.count(CoachingNote.acknowledged_at)).where(
        CoachingNote.agent_id == agent_id
    )
    if start is not None:
        query = query.where(CoachingNote.created_at >= start)
    if end is not None:
        query = query.where(CoachingNote.created_at < end)
    notes, acknowledged = session.execute(query).one()
    return int(notes or 0), int(acknowledged or 0)


def get_agent(session: Session, agent_id: int) -> Agent | None:
    return session.get(Agent, agent_id)
