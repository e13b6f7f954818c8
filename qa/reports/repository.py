"""Aggregate queries behind trends, pass rates, dashboards and period reports.

Every query is narrowed by a qa.access.Scope (everything, one team's agents or one agent), turned into SQL
here; services say whose work they want, never how to filter for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.interactions.repository import scope_clause
from qa.models import Agent, Answer, CriterionResult, Evaluation, Interaction, Team
from qa.models.enums import REVIEWED_STATUSES
from qa.reviews.totals import SCORED

# Shared with contacts_repository: the join to the current evaluation, what counts as reviewed, the window.
CURRENT_EVALUATION = and_(Evaluation.interaction_id == Interaction.id, Evaluation.is_current.is_(True))
REVIEWED = Evaluation.review_status.in_(REVIEWED_STATUSES)


def window(start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    """Interactions started in [start, end); either end may be open."""
    clauses: list[ColumnElement[bool]] = []
    if start is not None:
        clauses.append(Interaction.started_at >= start)
    if end is not None:
        clauses.append(Interaction.started_at < end)
    return clauses


def whose(scope: Scope) -> ColumnElement[bool]:
    """Interactions whose agent lies inside `scope`."""
    return scope_clause(scope, Interaction.agent_id)


def scores_of_agent(
    session: Session, agent_id: int, start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(started_at, total) of the agent's scored interactions, oldest first."""
    query = (
        select(Interaction.started_at, Evaluation.total)
        .join(Evaluation, CURRENT_EVALUATION)
        .where(Interaction.agent_id == agent_id, Evaluation.total.is_not(None), *window(start, end))
        .where(Interaction.started_at.is_not(None))
        .order_by(Interaction.started_at)
    )
    return list(session.execute(query))


def pass_rates(
    session: Session,
    scope: Scope,
    start: datetime | None,
    end: datetime | None,
) -> list[Row[Any]]:
    """Per criterion: (criterion_id, question, passed, scored) over current evaluations inside `scope`."""
    scored = CriterionResult.result.in_(SCORED)  # the review total rule's scored answers
    query = (
        select(
            CriterionResult.criterion_id,
            func.max(CriterionResult.question).label("question"),
            func.sum(case((CriterionResult.result == Answer.PASS, 1), else_=0)).label("passed"),
            func.count(CriterionResult.id).label("scored"),
        )
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .where(Evaluation.is_current.is_(True), scored, whose(scope), *window(start, end))
        .group_by(CriterionResult.criterion_id)
        .order_by(CriterionResult.criterion_id)
    )
    return list(session.execute(query))


def agent_rows(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """Per agent: interactions, scored, average score, auto-fails, reviewed, average csat, handle and wait
    time and customer sentiment at the end."""
    query = (
        select(
            Agent.name.label("agent"),
            Team.name.label("team"),
            func.count(Interaction.id).label("interactions"),
            func.count(Evaluation.total).label("scored"),
            func.avg(Evaluation.total).label("average_score"),
            func.sum(case((Evaluation.auto_fail.is_(True), 1), else_=0)).label("auto_fails"),
            func.sum(case((REVIEWED, 1), else_=0)).label("reviewed"),
            func.avg(Interaction.csat).label("average_csat"),
            func.avg(Interaction.handle_seconds).label("average_handle_seconds"),
            func.avg(Interaction.wait_seconds).label("average_wait_seconds"),
            func.avg(Interaction.customer_sentiment_end).label("average_customer_sentiment_end"),
        )
        .join(Agent, Agent.id == Interaction.agent_id)
        .outerjoin(Team, Team.id == Agent.team_id)
        .outerjoin(Evaluation, CURRENT_EVALUATION)
        .where(whose(scope), *window(start, end))
        .group_by(Agent.name, Team.name)
        .order_by(Agent.name)
    )
    return list(session.execute(query))


def topic_counts(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(topic, interactions, average_score) by contact driver, the most frequent first."""
    query = (
        select(
            Interaction.topic,
            func.count(Interaction.id).label("interactions"),
            func.avg(Evaluation.total).label("average_score"),
        )
        .outerjoin(Evaluation, CURRENT_EVALUATION)
        .where(whose(scope), Interaction.topic.is_not(None), *window(start, end))
        .group_by(Interaction.topic)
        .order_by(func.count(Interaction.id).desc(), Interaction.topic)
    )
    return list(session.execute(query))


def get_agent(session: Session, agent_id: int) -> Agent | None:
    return session.get(Agent, agent_id)
