"""`callcoach users`: accounts for agents, supervisors, the manager and admins."""

from __future__ import annotations

from typing import Annotated

import typer

from qa.cli.common import domain_errors, open_database
from qa.db import session_scope
from qa.models import Role
from qa.users import service as user_service

users_app = typer.Typer(help="Create, list, disable users and set passwords.", no_args_is_help=True)


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
    """List users and their roles."""
    settings = open_database()
    with session_scope(settings.database_url) as session:
        for user in user_service.list_users(session=session):
            typer.echo(
                f"{user.username:<20} {user.role.value:<10} {'active' if user.is_active else 'disabled'}"
            )


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
        user_service.set_active(session=session, username=name, active=False)
        typer.echo(f"disabled {name}")


@users_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Enable a disabled login again (with a fresh login)."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        user_service.set_active(session=session, username=name, active=True)
        typer.echo(f"enabled {name}")
