"""Users who log in, their roles and what they are linked to."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa.agents import repository as agent_repository
from qa.agents import service as agent_service
from qa.errors import Conflict, NotFound
from qa.models import Role, User
from qa.security import hash_password, verify_password
from qa.users import repository

MIN_PASSWORD_LENGTH = 8


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role,
    agent: str | None = None,
    team: str | None = None,
) -> User:
    """A new user; an agent user is linked to the agent as named at ingestion."""
    if repository.get_by_username(session, username) is not None:
        raise Conflict(f"user '{username}' already exists")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Conflict(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if role == Role.AGENT and not agent:
        raise Conflict("an agent user needs --agent (the agent's name as used at ingestion)")
    user = User(username=username, password_hash=hash_password(password), role=role)
    linked = None
    if agent:
        linked = agent_repository.get_agent_by_name(session, agent)
        if linked is None:
            raise NotFound(f"no agent named '{agent}'; ingest their interactions first")
        user.agent_id = linked.id
        user.team_id = linked.team_id
    if team:
        user.team_id = agent_service.get_or_create_team(session=session, name=team).id
        if linked is not None and linked.team_id is None:
            linked.team_id = user.team_id
    return repository.add(session, user)


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = repository.get_by_username(session, username)
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        return None
    return user


def get_by_username(*, session: Session, username: str) -> User | None:
    """The user called `username`, if any."""
    return repository.get_by_username(session, username)


def list_users(*, session: Session) -> list[User]:
    """All users by name."""
    return repository.list_users(session)
