"""Queries for disputes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from qa.access import Scope
from qa.interactions.repository import scope_clause
from qa.models import Agent, Dispute, DisputeStatus, Evaluation, User

_opener = aliased(User)
_resolver = aliased(User)

DISPUTE_COLUMNS = (
    Dispute.id,
    Dispute.interaction_id,
    Dispute.evaluation_id,
    Dispute.agent_id,
    Agent.name.label("agent"),
    Dispute.criterion_id,
    Dispute.status,
    Dispute.reason,
    Dispute.disputed_result,
    Dispute.requested_result,
    _opener.username.label("opened_by"),
    Dispute.created_at,
    _resolver.username.label("resolved_by"),
    Dispute.resolved_at,
    Dispute.decision_comment,
    Evaluation.total.label("evaluation_total"),
)


def add(session: Session, dispute: Dispute) -> Dispute:
    session.add(dispute)
    session.flush()
    return dispute


def get(session: Session, dispute_id: int) -> Dispute | None:
    return session.get(Dispute, dispute_id)


def open_for(session: Session, evaluation_id: int, criterion_id: str) -> Dispute | None:
    query = select(Dispute).where(
        Dispute.evaluation_id == evaluation_id,
        Dispute.criterion_id == criterion_id,
        Dispute.status == DisputeStatus.OPEN,
    )
    return session.scalars(query).first()


def count_open_on(session: Session, evaluation_id: int) -> int:
    query = select(func.count()).where(
        Dispute.evaluation_id == evaluation_id, Dispute.status == DisputeStatus.OPEN
    )
    return session.scalar(query) or 0


def evaluation_with_criteria(session: Session, evaluation_id: int) -> Evaluation | None:
    query = (
        select(Evaluation)
        .where(Evaluation.id == evaluation_id)
        .options(selectinload(Evaluation.criteria), selectinload(Evaluation.rubric_version))
    )
    return session.scalars(query).one_or_none()


def _rows(session: Session, *where: Any, limit: int | None = None) -> list[Row[Any]]:
    query = (
        select(*DISPUTE_COLUMNS)
        .join(Agent, Agent.id == Dispute.agent_id)
        .join(Evaluation, Evaluation.id == Dispute.evaluation_id)
        .outerjoin(_opener, _opener.id == Dispute.opened_by_id)
        .outerjoin(_resolver, _resolver.id == Dispute.resolved_by_id)
        .where(*where)
        .order_by(Dispute.created_at.desc(), Dispute.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query))


def row(session: Session, dispute_id: int) -> Row[Any] | None:
    rows = _rows(session, Dispute.id == dispute_id)
    return rows[0] if rows else None


def list_rows(
    session: Session,
    scope: Scope,
    *,
    status: DisputeStatus | None = None,
    interaction_id: int | None = None,
    limit: int = 500,
) -> list[Row[Any]]:
    where = [scope_clause(scope, Dispute.agent_id)]
    if status is not None:
        where.append(Dispute.status == status)
    if interaction_id is not None:
        where.append(Dispute.interaction_id == interaction_id)
    return _rows(session, *where, limit=limit)


def count(session: Session, scope: Scope, *, status: DisputeStatus) -> int:
    query = select(func.count()).where(scope_clause(scope, Dispute.agent_id), Dispute.status == status)
    return session.scalar(query) or 0
