"""Queries for interactions, their media and turns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, delete, false, func, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from qa.access import Scope
from qa.models import Agent, Evaluation, Interaction, Media, Turn

# customer_sentiment_end in [-1, 1]: below -BAND negative, above +BAND positive, neutral between.
SENTIMENT_BAND = 0.25


def get(session: Session, interaction_id: int, *, with_turns: bool = False) -> Interaction | None:
    query = select(Interaction).where(Interaction.id == interaction_id)
    query = query.options(selectinload(Interaction.media), selectinload(Interaction.agent))
    if with_turns:
        query = query.options(selectinload(Interaction.turns))
    return session.scalars(query).one_or_none()


def find_by_external_id(session: Session, source: str, external_id: str) -> Interaction | None:
    query = select(Interaction).where(Interaction.source == source, Interaction.external_id == external_id)
    return session.scalars(query).one_or_none()


def find_media_by_sha256(session: Session, sha256: str) -> Media | None:
    return session.scalars(select(Media).where(Media.sha256 == sha256)).one_or_none()


def add(session: Session, interaction: Interaction) -> Interaction:
    session.add(interaction)
    session.flush()
    return interaction


def replace_turns(session: Session, interaction_id: int, turns: Sequence[Turn]) -> None:
    """Swap the interaction's turns for `turns` (idempotent re-processing)."""
    session.execute(delete(Turn).where(Turn.interaction_id == interaction_id))
    for turn in turns:
        turn.interaction_id = interaction_id
        session.add(turn)
    session.flush()


def list_turns(session: Session, interaction_id: int) -> list[Turn]:
    query = select(Turn).where(Turn.interaction_id == interaction_id).order_by(Turn.index)
    return list(session.scalars(query))


def count(session: Session) -> int:
    return session.scalar(select(func.count(Interaction.id))) or 0


def scope_clause(scope: Scope, agent_id: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """A WHERE clause keeping rows whose agent column `agent_id` lies inside `scope`."""
    if scope.everything:
        return true()
    if scope.agent_id is not None:
        return agent_id == scope.agent_id
    if scope.team_id is not None:
        return agent_id.in_(select(Agent.id).where(Agent.team_id == scope.team_id))
    return false()


@dataclass(slots=True)
class ListQuery:
    """Filters of the interaction list, already resolved to column values."""

    agent: str | None = None
    channel: str | None = None
    topic: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    min_score: float | None = None
    max_score: float | None = None
    auto_fail: bool | None = None
    sentiment: str | None = None
    review_status: str | None = None
    sort: str = "newest"


def _current_evaluation_join() -> ColumnElement[bool]:
    return and_(Evaluation.interaction_id == Interaction.id, Evaluation.is_current.is_(True))


def _filters(scope: Scope, q: ListQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [scope_clause(scope, Interaction.agent_id)]
    if q.agent is not None:
        clauses.append(Agent.name == q.agent)
    if q.channel is not None:
        clauses.append(Interaction.channel == q.channel)
    if q.topic is not None:
        clauses.append(Interaction.topic == q.topic)
    if q.start is not None:
        clauses.append(Interaction.started_at >= q.start)
    if q.end is not None:
        clauses.append(Interaction.started_at < q.end)
    if q.min_score is not None:
        clauses.append(Evaluation.total >= q.min_score)
    if q.max_score is not None:
        clauses.append(Evaluation.total <= q.max_score)
    if q.auto_fail is not None:
        clauses.append(Evaluation.auto_fail.is_(q.auto_fail))
    if q.review_status is not None:
        clauses.append(Evaluation.review_status == q.review_status)
    if q.sentiment == "negative":
        clauses.append(Interaction.customer_sentiment_end < -SENTIMENT_BAND)
    elif q.sentiment == "positive":
        clauses.append(Interaction.customer_sentiment_end > SENTIMENT_BAND)
    elif q.sentiment == "neutral":
        clauses.append(Interaction.customer_sentiment_end.between(-SENTIMENT_BAND, SENTIMENT_BAND))
    return clauses


def _order(q: ListQuery) -> list[Any]:
    # NULLS FIRST is PostgreSQL's default for DESC (so its started_at index serves it); said aloud for SQLite.
    newest = [Interaction.started_at.desc().nulls_first(), Interaction.id.desc()]
    if q.sort == "priority":
        # Auto-fails first, then the lowest scores, then the most negative customer ending.
        return [
            Evaluation.auto_fail.desc().nulls_last(),
            Evaluation.total.asc().nulls_last(),
            Interaction.customer_sentiment_end.asc().nulls_last(),
            *newest,
        ]
    if q.sort == "score":
        return [Evaluation.total.asc().nulls_last(), *newest]
    if q.sort == "sentiment":
        return [Interaction.customer_sentiment_end.asc().nulls_last(), *newest]
    return newest


SUMMARY_COLUMNS = (
    Interaction.id,
    Agent.name.label("agent"),
    Interaction.channel,
    Interaction.started_at,
    Interaction.topic,
    Interaction.queue,
    Evaluation.total.label("score"),
    Evaluation.auto_fail,
    Interaction.customer_sentiment_end,
    Evaluation.review_status,
    Interaction.duration_seconds,
    Interaction.csat,
)


def list_page(session: Session, scope: Scope, q: ListQuery, *, limit: int, offset: int) -> list[Row[Any]]:
    """One page of interaction summaries: one SELECT joining the agent and the current evaluation."""
    query = (
        select(*SUMMARY_COLUMNS)
        .outerjoin(Agent, Agent.id == Interaction.agent_id)
        .outerjoin(Evaluation, _current_evaluation_join())
        .where(*_filters(scope, q))
        .order_by(*_order(q))
        .limit(limit)
        .offset(offset)
    )
    return list(session.execute(query))


def count_matching(session: Session, scope: Scope, q: ListQuery) -> int:
    """How many interactions match; joins only what the filters need.

    count(*) rather than count(id) lets PostgreSQL answer a scoped count from the agent index alone.
    """
    query = select(func.count()).select_from(Interaction)
    if q.agent is not None:
        query = query.join(Agent, Agent.id == Interaction.agent_id)
    needs_evaluation = (q.min_score, q.max_score, q.auto_fail, q.review_status) != (None, None, None, None)
    if needs_evaluation:
        query = query.join(Evaluation, _current_evaluation_join())
    return session.scalar(query.where(*_filters(scope, q))) or 0
