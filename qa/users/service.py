"""Users who log in, their roles and what they are linked to."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.agents import repository as agent_repository
from qa.agents import service as agent_service
from qa.audit import service as audit_service
from qa.errors import Conflict, InputError, NotFound
from qa.models import Agent, Role, Team, User
from qa.security import hash_password, verify_password
from qa.users import repository
from qa.users.schemas import TeamCreate, TeamRead, UserRead, UserUpdate

MIN_PASSWORD_LENGTH = 8
MIN_PASSWORD_DISTINCT_CHARS = 4
# Login names show up in menus, logs and audit entries: no spaces, markup or control characters.
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._@-]{1,120}")


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
    by: Principal | None = None,
) -> User:
    """A new user; an agent user is linked to the agent as named at ingestion.

    `by` is the admin acting in the API or coaching view (role checked, audited); None is the server's CLI.
    """
    _require_admin(by, "creating users")
    if not USERNAME_PATTERN.fullmatch(username):
        raise InputError("name", "use 1 to 120 letters, digits or . _ @ - (no spaces)")
    if repository.get_by_username(session, username) is not None:
        raise Conflict(f"user '{username}' already exists")
    check_password(password, username)
    if role == Role.AGENT and not agent:
        raise Conflict("an agent user needs --agent (the agent's name as used at ingestion)")
    created: list[User] = []
    with _audited(
        session, by, "create_user", lambda: _snapshot(session, created[0]) if created else None
    ) as change:
        user = User(username=username, password_hash=hash_password(password), role=role)
        linked = _link_agent(session, user, agent) if agent else None
        if team:
            user.team_id = agent_service.get_or_create_team(session=session, name=team).id
            if linked is not None and linked.team_id is None:
                linked.team_id = user.team_id
        created.append(repository.add(session, user))
        change.entity_id = user.id
    return created[0]


def update_user(*, session: Session, username: str, changes: UserUpdate, by: Principal | None = None) -> User:
    """Change a user's role, team, agent link, activity or password (admins; None: the server's CLI).

    Deactivating or resetting the password ends the user's tokens and sessions at once; moving an agent user
    to a team moves their agent too (a supervisor's scope follows the agent's team). The last active admin
    can be neither deactivated nor given another role.
    """
    _require_admin(by, "changing users")
    user = _existing(session, username)
    with _audited(session, by, "update_user", lambda: _snapshot(session, user), entity_id=user.id):
        _keep_an_active_admin(session, user, changes)
        linked = _link_agent(session, user, changes.agent) if changes.agent else None
        if changes.role is not None:
            user.role = changes.role
        if user.role == Role.AGENT and user.agent_id is None:
            raise Conflict("an agent user needs an agent (the agent's name as used at ingestion)")
        if changes.team:
            user.team_id = agent_service.get_or_create_team(session=session, name=changes.team).id
            if user.agent_id is not None:
                (linked or _linked_agent(session, user)).team_id = user.team_id
        if changes.password is not None:
            set_password(session=session, username=username, password=changes.password)
        if changes.active is not None:
            set_active(session=session, username=username, active=changes.active)
    return user


def _keep_an_active_admin(session: Session, user: User, changes: UserUpdate) -> None:
    leaves_admins = changes.active is False or changes.role not in (None, Role.ADMIN)
    is_active_admin = user.role == Role.ADMIN and user.is_active
    if is_active_admin and leaves_admins and repository.count_active_admins(session) <= 1:
        raise Conflict(f"'{user.username}' is the last active admin; make another admin first")


def _link_agent(session: Session, user: User, agent: str) -> Agent:
    linked = agent_repository.get_agent_by_name(session, agent)
    if linked is None:
        raise NotFound(f"no agent named '{agent}'; ingest their interactions first")
    user.agent_id = linked.id
    if linked.team_id is not None:  # an agent without a team leaves the user's team as it is
        user.team_id = linked.team_id
    return linked


def _linked_agent(session: Session, user: User) -> Agent:
    linked = agent_repository.get_agent(session, user.agent_id) if user.agent_id is not None else None
    if linked is None:
        raise NotFound(f"user '{user.username}' is linked to no agent")
    return linked


def describe_user(*, session: Session, username: str) -> UserRead:
    """The user called `username` with their team and agent names."""
    rows = repository.with_names(session, username)
    if not rows:
        raise NotFound(f"no user named '{username}'")
    return _read(*rows[0])


def list_user_reads(*, session: Session, by: Principal | None = None) -> list[UserRead]:
    """Every user by name with team, agent and whether they may log in (admins)."""
    _require_admin(by, "listing users")
    return [_read(*row) for row in repository.with_names(session)]


def create_team(*, session: Session, team: TeamCreate, by: Principal | None = None) -> TeamRead:
    """A new team, with these supervisors moved to it (each change audited)."""
    _require_admin(by, "creating teams")
    if agent_repository.get_team_by_name(session, team.name) is not None:
        raise Conflict(f"team '{team.name}' already exists")
    for name in team.supervisors:
        if _existing(session, name).role != Role.SUPERVISOR:
            raise Conflict(f"'{name}' is not a supervisor")
    created: list[Team] = []

    def snapshot() -> dict[str, Any] | None:
        return {"name": created[0].name} if created else None

    with _audited(session, by, "create_team", snapshot, entity="team") as change:
        created.append(agent_service.get_or_create_team(session=session, name=team.name))
        change.entity_id = created[0].id
    for name in team.supervisors:
        update_user(session=session, username=name, changes=UserUpdate(team=team.name), by=by)
    return next(t for t in list_teams(session=session, by=by) if t.name == team.name)


def list_teams(*, session: Session, by: Principal | None = None) -> list[TeamRead]:
    """Every team by name with its active supervisors and how many agents it has (admins)."""
    _require_admin(by, "listing teams")
    return [
        TeamRead(name=team.name, supervisors=supervisors, agents=agents)
        for team, supervisors, agents in repository.teams_with_members(session)
    ]


def _require_admin(by: Principal | None, action: str) -> None:
    if by is not None:
        access.require_role(by, access.ADMINS, action)


def _audited(
    session: Session,
    by: Principal | None,
    action: str,
    snapshot: Callable[[], dict[str, Any] | None],
    entity: str = "user",
    entity_id: int | None = None,
) -> AbstractContextManager[audit_service.Change]:
    # The server's CLI acts without a principal (shell access to the server); every other caller is audited.
    if by is None:
        return nullcontext(audit_service.Change(entity_id=entity_id))
    return audit_service.audited(
        session=session, principal=by, action=action, entity=entity, snapshot=snapshot, entity_id=entity_id
    )


def _snapshot(session: Session, user: User) -> dict[str, Any]:
    read = describe_user(session=session, username=user.username)
    # The token version shows that sessions were ended (password reset, deactivation), never the password.
    return {**read.model_dump(mode="json"), "token_version": user.token_version}


def _read(user: User, team: str | None, agent: str | None) -> UserRead:
    return UserRead(name=user.username, role=user.role, team=team, agent=agent, active=user.is_active)


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
