"""Who is asking and what they may see: the one place roles and scopes are decided.

An agent sees only their own interactions, evaluations and coaching; a supervisor those of the agents in
their team; the manager and admin everything. Outside the scope is NotFound (the thing "does not exist"
for the caller), a role that may not act is PermissionDenied.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.errors import PermissionDenied
from qa.models import Role, User

# The role sets, defined once: services check them and the coaching view builds its menu from them.
AGENTS = (Role.AGENT,)
REVIEWERS = (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)
MANAGERS = (Role.MANAGER, Role.ADMIN)
EVERYONE = (Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)
# Who may open the interaction page: reviewers to review, an agent her own interactions, read-only.
INTERACTION_VIEWERS = AGENTS + REVIEWERS
# Who may see background jobs and retry failed ones.
JOB_OPERATORS = REVIEWERS
# Who may read the audit log.
AUDITORS = MANAGERS
# Who may create users and teams, change roles, reset passwords, redact stored data and read kept originals.
ADMINS = (Role.ADMIN,)
# Who may upload recordings and transcripts (a supervisor for their own team's agents only).
UPLOADERS = REVIEWERS
# Who may read scorecards (their YAML, drafts and history); who edits them is scorecard_editors().
SCORECARD_READERS = REVIEWERS


@dataclass(frozen=True, slots=True)
class Principal:
    """The user making a request, with what decides their scope."""

    user_id: int
    username: str
    role: Role
    agent_id: int | None
    team_id: int | None

    @property
    def sees_everything(self) -> bool:
        return self.role in MANAGERS


@dataclass(frozen=True, slots=True)
class Scope:
    """Which interactions a principal may see: everything, one agent's, or one team's agents'.

    Repositories turn it into a WHERE clause; `agent_id=None` and `team_id=None` without
    `everything` means nothing is visible (an agent user not linked to an agent). Reports also use it
    to say whose work to aggregate (one agent, one team) after checking the principal may see it.
    """

    everything: bool = False
    agent_id: int | None = None
    team_id: int | None = None


def principal_of(user: User) -> Principal:
    """The user as a principal (logging in is qa.auth's work)."""
    return Principal(
        user_id=user.id, username=user.username, role=user.role, agent_id=user.agent_id, team_id=user.team_id
    )


def scope_of(principal: Principal) -> Scope:
    """The interactions `principal` may see."""
    if principal.sees_everything:
        return Scope(everything=True)
    if principal.role == Role.SUPERVISOR:
        return Scope(team_id=principal.team_id) if principal.team_id is not None else Scope()
    return Scope(agent_id=principal.agent_id) if principal.agent_id is not None else Scope()


def can_see_agent(principal: Principal, *, agent_id: int | None, agent_team_id: int | None) -> bool:
    """Whether work done by this agent (None: unassigned) is inside the principal's scope."""
    if principal.sees_everything:
        return True
    if agent_id is None:
        return False
    if principal.role == Role.SUPERVISOR:
        return principal.team_id is not None and agent_team_id == principal.team_id
    return agent_id == principal.agent_id


def require_role(principal: Principal, roles: tuple[Role, ...], action: str) -> None:
    """Raise PermissionDenied unless the principal has one of `roles`."""
    if not has_role(principal, roles):
        allowed = ", ".join(r.value for r in roles)
        raise PermissionDenied(f"{action} needs the role {allowed}; you are {principal.role.value}")


def has_role(principal: Principal, roles: tuple[Role, ...]) -> bool:
    """Whether the principal has one of `roles`."""
    return principal.role in roles


def scorecard_editors(*, supervisors_may_edit: bool) -> tuple[Role, ...]:
    """Who may draft, preview and publish scorecards: managers and admins, supervisors when configured."""
    return REVIEWERS if supervisors_may_edit else MANAGERS


def require_reviewer(principal: Principal, action: str) -> None:
    """Raise PermissionDenied unless the principal is a supervisor, manager or admin."""
    require_role(principal, REVIEWERS, action)
