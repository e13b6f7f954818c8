"""`callcoach users`: accounts for agents, supervisors, the manager and admins."""

from __future__ import annotations

from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from qa.cli.common import domain_errors, fail, open_database
from qa.db import session_scope
from qa.models import Role
from qa.users import service as user_service
from qa.users.schemas import TeamCreate, UserUpdate

ModelT = TypeVar("ModelT", bound=BaseModel)

users_app = typer.Typer(
    help="Create, list, change and disable users, set passwords, and manage teams.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


@users_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[Role, typer.Option(help="agent, supervisor, manager or admin.")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="At least 8 characters, not a common one.")
    ],
    agent: Annotated[
        str | None, typer.Option(help="The agent as named at ingestion (for agent users).")
    ] = None,
    team: Annotated[str | None, typer.Option(help="Team (for supervisors: the team they review).")] = None,
) -> None:
    """Create a user with a hashed password."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        user = user_service.create_user(
            session=session, username=name, password=password, role=role, agent=agent, team=team
        )
        typer.echo(f"created user {user.username} ({user.role.value})")


@users_app.command("list")
def list_users() -> None:
    """List users with role, team, agent and whether they may log in."""
    settings = open_database()
    with session_scope(settings.database_url) as session:
        for user in user_service.list_user_reads(session=session):
            state = "active" if user.active else "disabled"
            typer.echo(
                f"{user.name:<20} {user.role.value:<10} {state:<9} {user.team or '-':<16} {user.agent or '-'}"
            )


@users_app.command("update")
def update(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[Role | None, typer.Option(help="agent, supervisor, manager or admin.")] = None,
    team: Annotated[str | None, typer.Option(help="Move the user (and their agent) to this team.")] = None,
    agent: Annotated[
        str | None, typer.Option(help="Link the login to this agent (name at ingestion).")
    ] = None,
) -> None:
    """Change a user's role, team or agent link (the last active admin keeps the admin role)."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        changes = _valid(UserUpdate, role=role, team=team, agent=agent)
        user_service.update_user(session=session, username=name, changes=changes)
        typer.echo(f"updated {name}")


@users_app.command("teams")
def teams() -> None:
    """List teams with their supervisors and how many agents they have."""
    settings = open_database()
    with session_scope(settings.database_url) as session:
        for team in user_service.list_teams(session=session):
            typer.echo(f"{team.name:<20} {team.agents:>4} agents   {', '.join(team.supervisors) or '-'}")


@users_app.command("create-team")
def create_team(
    name: Annotated[str, typer.Argument(help="Team name.")],
    supervisor: Annotated[
        list[str] | None, typer.Option(help="A supervisor to move to it (repeatable).")
    ] = None,
) -> None:
    """Create a team, moving the named supervisors to it."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        team = _valid(TeamCreate, name=name, supervisors=supervisor or [])
        user_service.create_team(session=session, team=team)
        typer.echo(f"created team {name}")


@users_app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="The new password.")
    ],
) -> None:
    """Set a new password; the user's existing tokens and sessions stop working."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        user_service.set_password(session=session, username=name, password=password)
        typer.echo(f"password of {name} changed; their sessions are logged out")


@users_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a login; the user's tokens and coaching-view sessions stop working at once."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        user_service.update_user(session=session, username=name, changes=UserUpdate(active=False))
        typer.echo(f"disabled {name}")


@users_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Enable a disabled login again (with a fresh login)."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        user_service.set_active(session=session, username=name, active=True)
        typer.echo(f"enabled {name}")


def _valid(model: type[ModelT], **fields: object) -> ModelT:
    """The options as the API's request schema, or one line naming the bad option."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"--{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
        raise  # fail() raised already
