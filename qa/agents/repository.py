"""Queries for agents and teams."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.models import Agent, Team


def get_agent_by_name(session: Session, name: str) -> Agent | None:
    return session.scalars(select(Agent).where(Agent.name == name)).one_or_none()


def get_agent(session: Session, agent_id: int) -> Agent | None:
    return session.get(Agent, agent_id)


def get_team_by_name(session: Session, name: str) -> Team | None:
    return session.scalars(select(Team).where(Team.name == name)).one_or_none()


def list_agents(session: Session) -> list[Agent]:
    return list(session.scalars(select(Agent).order_by(Agent.name)))


def add(session: Session, obj: Agent | Team) -> None:
    session.add(obj)
    session.flush()


def list_agents_in(
    session: Session, *, agent_id: int | None = None, team_id: int | None = None
) -> list[Agent]:
    """Agents by name: the one with `agent_id`, else those of `team_id`, else every agent."""
    query = select(Agent).order_by(Agent.name)
    if agent_id is not None:
        query = query.where(Agent.id == agent_id)
    elif team_id is not None:
        query = query.where(Agent.team_id == team_id)
    return list(session.scalars(query))
