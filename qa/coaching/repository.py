"""Queries for coaching notes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, aliased

from qa.access import Scope
from qa.interactions.repository import scope_clause
from qa.models import Agent, CoachingNote, User

_author = aliased(User)

NOTE_COLUMNS = (
    CoachingNote.id,
    CoachingNote.interaction_id,
    CoachingNote.agent_id,
    Agent.name.label("agent"),
    _author.username.label("author"),
    CoachingNote.text,
    CoachingNote.criterion_id,
    CoachingNote.at_seconds,
    CoachingNote.created_at,
    CoachingNote.acknowledged_at,
)


def add(session: Session, note: CoachingNote) -> CoachingNote:
    session.add(note)
    session.flush()
    return note


def get(session: Session, note_id: int) -> CoachingNote | None:
    return session.get(CoachingNote, note_id)


def agent_team(session: Session, agent_id: int) -> int | None:
    return session.scalar(select(Agent.team_id).where(Agent.id == agent_id))


def _rows(session: Session, *where: Any, limit: int | None = None) -> list[Row[Any]]:
    query = (
        select(*NOTE_COLUMNS)
        .join(Agent, Agent.id == CoachingNote.agent_id)
        .outerjoin(_author, _author.id == CoachingNote.author_id)
        .where(*where)
        .order_by(CoachingNote.created_at.desc(), CoachingNote.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query))


def row(session: Session, note_id: int) -> Row[Any] | None:
    rows = _rows(session, CoachingNote.id == note_id)
    return rows[0] if rows else None


def list_rows(
    session: Session,
    scope: Scope,
    *,
    agent: str | None = None,
    interaction_id: int | None = None,
    limit: int = 500,
) -> list[Row[Any]]:
    where = [scope_clause(scope, CoachingNote.agent_id)]
    if agent is not None:
        where.append(Agent.name == agent)
    if interaction_id is not None:
        where.append(CoachingNote.interaction_id == interaction_id)
    return _rows(session, *where, limit=limit)
