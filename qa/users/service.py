"""Users who log in, their roles and what they are linked to."""

from __future__ import annotations

from functools import cache
from importlib import resources

from sqlalchemy.orm import Session

from qa.agents import repository as agent_repository
from qa.agents import service as agent_service
from qa.errors import Conflict, NotFound
from qa.models import Role, User
from qa.security import hash_password, verify_password
from qa.users import repository

MIN_PASSWORD_LENGTH = 8
MIN_PASSWORD_DISTINCT_CHARS = 4


class WeakPassword(Conflict):
    """A password too short, too common or too close to the username."""


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
    check_password(password, username)
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


def check_password(password: str, username: str) -> None:
    """Refuse (WeakPassword) a password that is short, one of the most common, or the username."""
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(set(password)) < MIN_PASSWORD_DISTINCT_CHARS:
        raise WeakPassword("password repeats too few characters; choose a longer, varied one")
    if lowered in _common_passwords() or username.lower() in lowered:
        raise WeakPassword("password is too common or contains the username; choose another")


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("qa.users").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def set_password(*, session: Session, username: str, password: str) -> User:
    """A new password for `username`; every token signed before stops working."""
    user = _existing(session, username)
    check_password(password, username)
    user.password_hash = hash_password(password)
    user.token_version += 1
    return user


def set_active(*, session: Session, username: str, active: bool) -> User:
    """Enable or disable a login; disabling voids the user's tokens and coaching-view sessions."""
    user = _existing(session, username)
    if user.is_active != active:
        user.is_active = active
        user.token_version += 1
    return user


def _existing(session: Session, username: str) -> User:
    user = repository.get_by_username(session, username)
    if user is None:
        raise NotFound(f"no user named '{username}'")
    return user


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; an unknown name takes as long as a wrong password."""
    user = repository.get_by_username(session, username)
    matches = verify_password(None if user is None else user.password_hash, password)
    if user is None or not user.is_active or not matches:
        return None
    return user


def get_by_username(*, session: Session, username: str) -> User | None:
    """The user called `username`, if any."""
    return repository.get_by_username(session, username)


def list_users(*, session: Session) -> list[User]:
    """All users by name."""
    return repository.list_users(session)
