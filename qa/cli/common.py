"""Helpers shared by the CLI commands: database start-up and error reporting."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from qa.config import Settings, get_settings
from qa.db import migrate
from qa.errors import CallcoachError

err_console = Console(stderr=True, highlight=False)
_migrated: set[str] = set()


def open_database() -> Settings:
    """The settings, with the configured database migrated to the latest schema."""
    try:
        settings = get_settings()
    except ValueError as exc:
        fail(f"configuration: {exc}")
    if settings.database_url not in _migrated:
        try:
            migrate(settings.database_url)
        except Exception as exc:  # noqa: BLE001 - any driver error becomes one clear line
            fail(f"database {settings.database_url}: {str(exc).splitlines()[0]}")
        _migrated.add(settings.database_url)
    return settings


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn domain errors into one line on stderr and exit code 1."""
    try:
        yield
    except CallcoachError as exc:
        fail(str(exc))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
