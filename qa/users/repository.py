"""Queries for users."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa.models import Agent, Role, Team, User


def get_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def with_names(session: Session, username: str | None = None) -> list[tuple[User, str | None, str | None]]:
    """Users by name (or the one called `username`) with the names of their team and agent."""
    query = (
        select(User, Team.name, Agent.name)
        .outerjoin(Team, User.team_id == Team.id)
        .outerjoin(Agent, User.agent_id == Agent.id)
        .order_by(User.username)
    )
    if username is not None:
        query = query.where(User.username == username)
    return [(user, team, agent) for user, team, agent in session.execute(query)]


def count_active_admins(session: Session) -> int:
    query = select(func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True))
    return session.scalar(query) or 0


def teams_with_members(session: Session) -> list[tuple[Team, list[str], int]]:
    """Every team by name with its active supervisors' names and how many agents it has."""
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    supervisors = session.execute(
        select(User.team_id, User.username)
        .where(User.role == Role.SUPERVISOR, User.is_active.is_(True), User.team_id.is_not(None))
        .order_by(User.username)
    )
    by_team: dict[int, list[str]] = {}
    for team_id, username in supervisors:
        if team_id is not None:
            by_team.setdefault(team_id, []).append(username)
    counted = select(Agent.team_id, func.count()).where(Agent.team_id.is_not(None)).group_by(Agent.team_id)
    agent_counts = {team_id: count for team_id, count in session.execute(counted) if team_id is not None}
    return [(team, by_team.get(team.id, []), agent_counts.get(team.id, 0)) for team in teams]
