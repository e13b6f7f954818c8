"""Queries for interactions, their media and turns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Select, and_, delete, false, func, literal, select, true, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from qa.access import Scope
from qa.agreement.clauses import assigned_clause, needs_human_clause
from qa.models import Agent, Evaluation, Interaction, Media, Turn
from scoring.sentiment import NEUTRAL_BAND


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


def add_turns(session: Session, interaction_id: int, turns: Sequence[Turn]) -> None:
    """Store `turns` as the interaction's (which has none yet)."""
    for turn in turns:
        turn.interaction_id = interaction_id
        session.add(turn)
    session.flush()


def replace_turns(session: Session, interaction_id: int, turns: Sequence[Turn]) -> None:
    """Swap the interaction's turns for `turns` (idempotent re-processing)."""
    session.execute(delete(Turn).where(Turn.interaction_id == interaction_id))
    add_turns(session, interaction_id, turns)


def list_turns(
    session: Session, interaction_id: int, *, limit: int | None = None, offset: int = 0
) -> list[Turn]:
    query = select(Turn).where(Turn.interaction_id == interaction_id).order_by(Turn.index)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.scalars(query))


def count_turns(session: Session, interaction_id: int) -> int:
    return (
        session.scalar(select(func.count()).select_from(Turn).where(Turn.interaction_id == interaction_id))
        or 0
    )


def scope_clause(
    scope: Scope, agent_id: InstrumentedAttribute[Any] | ColumnElement[Any]
) -> ColumnElement[bool]:
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
    needs_review: bool | None = None
    sort: str = "newest"
    # Measured trust: only what a person must check, only what is assigned to this reviewer, and (priority
    # sort) interactions with a criterion the machine is not trusted on before everything else.
    needs_human: bool | None = None
    assigned_to: int | None = None
    needs_human_first: bool = False

    @property
    def needs_evaluation(self) -> bool:
        """Whether a filter reads the current evaluation."""
        filters = (self.min_score, self.max_score, self.auto_fail, self.review_status, self.needs_review)
        return filters != (None,) * 5


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
    if q.needs_human is not None:
        clauses.append(needs_human_clause() if q.needs_human else ~needs_human_clause())
    if q.assigned_to is not None:
        clauses.append(assigned_clause(q.assigned_to))
    if q.needs_review is not None:
        clauses.append(Evaluation.needs_review.is_(q.needs_review))
    # The bounds of scoring.sentiment.mood(): at +-NEUTRAL_BAND a score is no longer neutral.
    end = Interaction.customer_sentiment_end
    if q.sentiment == "negative":
        clauses.append(end <= -NEUTRAL_BAND)
    elif q.sentiment == "positive":
        clauses.append(end >= NEUTRAL_BAND)
    elif q.sentiment == "neutral":
        clauses.append(and_(end > -NEUTRAL_BAND, end < NEUTRAL_BAND))
    return clauses


def _order(q: ListQuery) -> list[Any]:
    # NULLS FIRST is PostgreSQL's default for DESC (so its started_at index serves it); said aloud for SQLite.
    newest: list[Any] = [Interaction.started_at.desc().nulls_first(), Interaction.id.desc()]
    if q.sort == "priority":
        # Answers needing review first, then auto-fails, the lowest scores, the most negative ending.
        return [
            Evaluation.needs_review.desc().nulls_last(),
            Evaluation.auto_fail.desc().nulls_last(),
            Evaluation.total.asc().nulls_last(),
            Interaction.customer_sentiment_end.asc().nulls_last(),
            *newest,
        ]
    if q.sort == "score":
        return [Evaluation.total.asc().nulls_last(), *newest]
    if q.sort == "sentiment":
        return [Interaction.customer_sentiment_end.asc().nulls_last(), *newest]
    if q.sort == "oldest":
        return [Interaction.started_at.asc().nulls_last(), Interaction.id.asc()]
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
    Evaluation.needs_review,
    Interaction.duration_seconds,
    Interaction.csat,
)


def _summaries(scope: Scope, q: ListQuery, evaluation: str) -> Select[Any]:
    """Summaries matching the filters; `evaluation` is "any", "current" (inner join) or "none"."""
    query = select(*SUMMARY_COLUMNS).outerjoin(Agent, Agent.id == Interaction.agent_id)
    if evaluation == "current":
        query = query.join(Evaluation, _current_evaluation_join())
    else:
        query = query.outerjoin(Evaluation, _current_evaluation_join())
        if evaluation == "none":
            query = query.where(Evaluation.id.is_(None))
    return cast("Select[Any]", query.where(*_filters(scope, q)))  # SQLAlchemy types each column


def _scored_segments(scope: Scope, q: ListQuery) -> list[Select[Any]]:
    """The scored rows in sort order as segments an index serves.

    "priority": the answers needing review (few, ix_evaluation_current_needs_review), then the other
    auto-fails, then the rest, each by lowest total (ix_evaluation_current_priority);
    "score": one segment by lowest total (ix_evaluation_current_total).
    """
    newest: list[Any] = [Interaction.started_at.desc().nulls_first(), Interaction.id.desc()]
    lowest = Evaluation.total.asc().nulls_last()
    if q.sort == "score":
        return [_summaries(scope, q, "current").order_by(lowest, *newest)]
    sentiment = Interaction.customer_sentiment_end.asc().nulls_last()
    first: list[Select[Any]] = []
    rest: list[ColumnElement[bool]] = []
    if q.needs_human_first:
        urgent = needs_human_clause()
        first = [_summaries(scope, q, "current").where(urgent).order_by(lowest, sentiment, *newest)]
        rest = [~urgent]
    doubtful = (
        _summaries(scope, q, "current")
        .where(Evaluation.needs_review.is_(True), *rest)
        .order_by(Evaluation.auto_fail.desc(), lowest, sentiment, *newest)
    )
    return [
        *first,
        doubtful,
        *(
            _summaries(scope, q, "current")
            .where(Evaluation.needs_review.is_(False), Evaluation.auto_fail == flag, *rest)
            .order_by(lowest, sentiment, *newest)
            for flag in (true(), false())
        ),
    ]


def _merged_page(segments: list[Select[Any]], q: ListQuery, *, limit: int, offset: int) -> Select[Any]:
    """One SELECT over the segments, each cut to `offset + limit` rows before they are merged and sorted."""
    parts = [
        segment.add_columns(literal(n).label("segment")).limit(offset + limit).subquery()
        for n, segment in enumerate(segments)
    ]
    merged = union_all(*(select(*part.c) for part in parts)).subquery()
    keys: list[Any] = [merged.c.segment]
    if q.sort == "priority":  # auto_fail orders inside the needs-review segment; constant in the others
        keys.append(merged.c.auto_fail.desc())
    keys.append(merged.c.score.asc().nulls_last())
    if q.sort == "priority":
        keys.append(merged.c.customer_sentiment_end.asc().nulls_last())
    keys += [merged.c.started_at.desc().nulls_first(), merged.c.id.desc()]
    names = [column.key for column in SUMMARY_COLUMNS]
    return select(*(merged.c[name] for name in names)).order_by(*keys).limit(limit).offset(offset)


def list_page(session: Session, scope: Scope, q: ListQuery, *, limit: int, offset: int) -> list[Row[Any]]:
    """One page of interaction summaries, each joining the agent and the current evaluation.

    Sorting on the current evaluation through the outer join would make PostgreSQL sort every row in
    scope. For those sorts the scored rows come first (one SELECT over index-served segments) and the
    unscored ones, which have to be found by an anti-join, are read only when the page reaches them.
    """
    if q.sort not in ("priority", "score"):
        query = _summaries(scope, q, "any").order_by(*_order(q)).limit(limit).offset(offset)
        return list(session.execute(query))
    scored = _scored_segments(scope, q)
    rows = list(session.execute(_merged_page(scored, q, limit=limit, offset=offset)))
    if len(rows) == limit or q.needs_evaluation:
        return rows
    if rows:
        skip = 0
    else:  # the page starts after the scored rows: skip past them
        counted = [select(func.count()).select_from(s.order_by(None).subquery()) for s in scored]
        skip = max(0, offset - sum(session.scalar(c) or 0 for c in counted))
    unscored = _summaries(scope, q, "none")
    if q.sort == "priority":
        unscored = unscored.order_by(Interaction.customer_sentiment_end.asc().nulls_last())
    unscored = unscored.order_by(Interaction.started_at.desc().nulls_first(), Interaction.id.desc())
    rows += session.execute(unscored.limit(limit - len(rows)).offset(skip))
    return rows


def count_matching(session: Session, scope: Scope, q: ListQuery) -> int:
    """How many interactions match; joins only what the filters need.

    count(*) rather than count(id) lets PostgreSQL answer a scoped count from the agent index alone.
    """
    query = select(func.count()).select_from(Interaction)
    if q.agent is not None:
        query = query.join(Agent, Agent.id == Interaction.agent_id)
    needs_evaluation = q.needs_evaluation
    on_interaction = (
        q.agent,
        q.channel,
        q.topic,
        q.start,
        q.end,
        q.sentiment,
        q.needs_human,
        q.assigned_to,
    ) != (None,) * 8
    if needs_evaluation and scope.everything and not on_interaction:
        # Every current evaluation has its interaction: count them alone, off the evaluation indexes.
        only = select(func.count()).select_from(Evaluation).where(Evaluation.is_current.is_(True))
        return session.scalar(only.where(*_filters(scope, q))) or 0
    if needs_evaluation:
        query = query.join(Evaluation, _current_evaluation_join())
    return session.scalar(query.where(*_filters(scope, q))) or 0


def processed_ids(
    session: Session, *, channels: Sequence[str], queues: Sequence[str], since: datetime | None
) -> list[int]:
    """Processed interactions of these channels or queues, started at `since` or later, oldest first."""
    query = select(Interaction.id).where(
        Interaction.processed_at.is_not(None),
        Interaction.channel.in_(list(channels)) | Interaction.queue.in_(list(queues)),
    )
    if since is not None:
        query = query.where(Interaction.started_at >= since)
    return list(session.scalars(query.order_by(Interaction.id)))
