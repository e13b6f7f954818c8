"""An API client against the real test databases, a small two-team world and tokens for each role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings
from qa.db import session_scope
from qa.models import Role
from qa.security import create_access_token
from tests.qa.builders import CriterionSpec, add_interaction, add_user


@dataclass
class World:
    """Teams North (maria.g, li.w) and South (ahmed.k), one user per role, a few scored interactions."""

    interactions: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


USERS = {
    "maria": (Role.AGENT, "maria.g", "North"),
    "li": (Role.AGENT, "li.w", "North"),
    "ahmed": (Role.AGENT, "ahmed.k", "South"),
    "sam": (Role.SUPERVISOR, None, "North"),
    "sue": (Role.SUPERVISOR, None, "South"),
    "mona": (Role.MANAGER, None, None),
    "ada": (Role.ADMIN, None, None),
}


@pytest.fixture
def world(settings: Settings) -> World:
    world = World()
    with session_scope(settings.database_url) as session:
        for username, (role, agent, team) in USERS.items():
            world.users[username] = add_user(session, username, role, agent=agent, team=team).id
        world.interactions["maria_chat"] = add_interaction(session, agent="maria.g").id
        world.interactions["maria_fail"] = add_interaction(
            session,
            agent="maria.g",
            channel="email",
            topic="street_sweeping",
            customer_sentiment_end=-0.7,
            criteria=[
                CriterionSpec("greeting", "pass"),
                CriterionSpec("no_personal_data", "fail", critical=True),
            ],
        ).id
        world.interactions["li_chat"] = add_interaction(session, agent="li.w", topic="pothole").id
        world.interactions["ahmed_call"] = add_interaction(
            session, agent="ahmed.k", channel="call", topic="parking", customer_sentiment_end=0.6
        ).id
    return world


@pytest.fixture
def client(settings: Settings) -> TestClient:
    # No lifespan: the fixtures already migrated the database.
    return TestClient(create_app())


@pytest.fixture
def auth(settings: Settings) -> Callable[[str], dict[str, str]]:
    """Authorization headers for a username (tokens signed directly; the login route has its own test)."""

    def headers(username: str) -> dict[str, str]:
        token = create_access_token(subject=username, secret=settings.secret_key, minutes=5)
        return {"Authorization": f"Bearer {token}"}

    return headers
