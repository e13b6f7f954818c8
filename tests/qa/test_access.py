"""Roles and scopes decided in qa.access, and the review total rule in qa.reviews.totals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal, Scope
from qa.auth import service as auth_service
from qa.errors import PermissionDenied
from qa.models import Role
from qa.reviews.totals import compute_total
from tests.qa.builders import PASSWORD, CriterionSpec, add_user


def _principal(role: Role, agent_id: int | None = None, team_id: int | None = None) -> Principal:
    return Principal(user_id=1, username="u", role=role, agent_id=agent_id, team_id=team_id)


def test_scopes_by_role() -> None:
    assert access.scope_of(_principal(Role.ADMIN)) == Scope(everything=True)
    assert access.scope_of(_principal(Role.MANAGER)) == Scope(everything=True)
    assert access.scope_of(_principal(Role.SUPERVISOR, team_id=3)) == Scope(team_id=3)
    assert access.scope_of(_principal(Role.AGENT, agent_id=7, team_id=3)) == Scope(agent_id=7)
    # Not linked to anything: sees nothing rather than everything.
    assert access.scope_of(_principal(Role.SUPERVISOR)) == Scope()
    assert access.scope_of(_principal(Role.AGENT)) == Scope()


def test_can_see_agent() -> None:
    agent = _principal(Role.AGENT, agent_id=7, team_id=3)
    supervisor = _principal(Role.SUPERVISOR, team_id=3)
    assert access.can_see_agent(agent, agent_id=7, agent_team_id=3)
    assert not access.can_see_agent(agent, agent_id=8, agent_team_id=3)
    assert access.can_see_agent(supervisor, agent_id=8, agent_team_id=3)
    assert not access.can_see_agent(supervisor, agent_id=9, agent_team_id=4)
    assert not access.can_see_agent(supervisor, agent_id=None, agent_team_id=None)
    assert not access.can_see_agent(_principal(Role.SUPERVISOR), agent_id=9, agent_team_id=None)
    assert access.can_see_agent(_principal(Role.MANAGER), agent_id=None, agent_team_id=None)


def test_require_reviewer() -> None:
    access.require_reviewer(_principal(Role.SUPERVISOR), "x")
    with pytest.raises(PermissionDenied, match="supervisor, manager, admin"):
        access.require_reviewer(_principal(Role.AGENT, agent_id=1), "overriding a score")


def test_authenticate_and_principal_for(session: Session) -> None:
    user = add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
    outcome = auth_service.log_in(session=session, username="maria", password=PASSWORD, address=None)
    principal = outcome.principal
    assert principal == Principal(user.id, "maria", Role.AGENT, user.agent_id, user.team_id)
    wrong = auth_service.log_in(session=session, username="maria", password="wrong-password", address=None)
    assert wrong.principal is None
    assert auth_service.principal_for(session=session, username="maria") == principal
    user.is_active = False
    assert auth_service.principal_for(session=session, username="maria") is None
    assert auth_service.principal_for(session=session, username="nobody") is None


def test_access_imports_only_the_models() -> None:
    """qa.access decides who sees what; it must not reach into services (that was an import cycle)."""
    tree = ast.parse(Path(access.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert {m for m in imported if m.startswith("qa")} <= {"qa.models", "qa.errors"}


def test_review_total_rule() -> None:
    criteria = [
        CriterionSpec("a", "pass"),
        CriterionSpec("b", "fail", max_points=30),
        CriterionSpec("c", "na"),
    ]
    assert compute_total(criteria).total == 25.0
    assert compute_total([CriterionSpec("a", "pending"), CriterionSpec("b", "na")]).total is None
    failed = compute_total([CriterionSpec("a", "pass"), CriterionSpec("p", "fail", critical=True)])
    assert failed.auto_fail and failed.total == 0.0


def test_review_total_uses_the_evaluators_section_weights() -> None:
    from qa.reviews.totals import compute_total

    sections = [
        {"id": "open", "name": "Opening", "weight": 3.0},
        {"id": "close", "name": "Closing", "weight": 1.0},
    ]

    class Answer:
        def __init__(self, section: str, result: str, critical: bool = False) -> None:
            self.section, self.result, self.max_points, self.critical = section, result, 10.0, critical

    totals = compute_total([Answer("open", "pass"), Answer("close", "fail")], sections)
    assert totals.total == 75.0  # (3 * 100 + 1 * 0) / 4, not the flat 50
    assert [s.score for s in totals.sections] == [100.0, 0.0]
