"""What the user and team routes take and answer."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qa.models import Role

# Login names: letters, digits and . _ @ - (no spaces or markup); the check lives in the service.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
# Bounded so hashing a request body stays cheap; the strength rules are qa.users.service.check_password.
Password = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    role: Role
    team: Name | None = None
    agent: Name | None = None
    password: Password


class UserUpdate(BaseModel):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    team: Name | None = None
    agent: Name | None = None
    active: bool | None = None
    password: Password | None = None


class UserRead(BaseModel):
    name: str
    role: Role
    team: str | None
    agent: str | None
    active: bool


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    supervisors: list[Name] = Field(default_factory=list, max_length=50)


class TeamRead(BaseModel):
    name: str
    supervisors: list[str]
    agents: int
