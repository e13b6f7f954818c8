"""Agents as named at ingestion, and the teams they belong to."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.agents import repository
from qa.errors import NotFound
from qa.models import Agent, Team


class UnknownAgent(NotFound):
    """An agent name that is not in the database, when unknown agents are refused."""


def get_or_create_team(*, session: Session, name: str) -> Team:
    """The team called `name`, created if new."""
    team = repository.get_team_by_name(session, name)
    if team is None:
        team = Team(name=name)
        repository.add(session, team)
    return team


def resolve_agent(
    *,
    session: Session,
    name: str,
    team: str | None = None,
    create: bool = True,
    new_team_id: int | None = None,
) -> Agent:
    """The agent called `name`; created (in `team`, else in team `new_team_id`) when new unless `create` is
    False."""
    agent = repository.get_agent_by_name(session, name)
    if agent is None:
        if not create:
            raise UnknownAgent(f"unknown agent '{name}' (refused by --strict-agents)")
        agent = Agent(name=name, team_id=None if team else new_team_id)
        repository.add(session, agent)
    if team and agent.team_id is None:
        agent.team_id = get_or_create_team(session=session, name=team).id
    return agent


def list_agents(*, session: Session) -> list[Agent]:
    """All agents by name."""
    return repository.list_agents(session)


def list_visible_agents(*, session: Session, principal: Principal) -> list[Agent]:
    """Agents whose work the principal may see, by name: everyone, their team's, or only themselves."""
    scope = access.scope_of(principal)
    if scope.everything:
        return repository.list_agents(session)
    if scope.agent_id is None and scope.team_id is None:
        return []
    return repository.list_agents_in(session, agent_id=scope.agent_id, team_id=scope.team_id)
