"""User and team administration (admins): /api/users and /api/teams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.users import service
from qa.users.schemas import TeamCreate, TeamRead, UserCreate, UserRead, UserUpdate

router = APIRouter(tags=["users"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "not an admin"},
    404: {"description": "no such user or agent"},
    409: {"description": "exists already, weak password, or the last active admin"},
}


@router.get("/api/users", response_model=list[UserRead], responses=ERRORS)
def list_users(session: SessionDep, principal: CurrentPrincipal) -> list[UserRead]:
    """Every user with role, team, agent and whether they may log in."""
    return service.list_user_reads(session=session, by=principal)


@router.post("/api/users", response_model=UserRead, status_code=status.HTTP_201_CREATED, responses=ERRORS)
def create_user(body: UserCreate, session: SessionDep, principal: CurrentPrincipal) -> UserRead:
    """Create a login; an agent user is linked to the agent as named at ingestion."""
    user = service.create_user(
        session=session,
        username=body.name,
        password=body.password,
        role=body.role,
        agent=body.agent,
        team=body.team,
        by=principal,
    )
    return service.describe_user(session=session, username=user.username)


@router.patch("/api/users/{name}", response_model=UserRead, responses=ERRORS)
def update_user(name: str, body: UserUpdate, session: SessionDep, principal: CurrentPrincipal) -> UserRead:
    """Change role, team, agent link, activity or password; deactivating or a new password ends the
    user's tokens and sessions at once."""
    service.update_user(session=session, username=name, changes=body, by=principal)
    return service.describe_user(session=session, username=name)


@router.get("/api/teams", response_model=list[TeamRead], responses=ERRORS)
def list_teams(session: SessionDep, principal: CurrentPrincipal) -> list[TeamRead]:
    """Every team with its supervisors and how many agents it has."""
    return service.list_teams(session=session, by=principal)


@router.post("/api/teams", response_model=TeamRead, status_code=status.HTTP_201_CREATED, responses=ERRORS)
def create_team(body: TeamCreate, session: SessionDep, principal: CurrentPrincipal) -> TeamRead:
    """Create a team, moving the named supervisors to it."""
    return service.create_team(session=session, team=body, by=principal)
