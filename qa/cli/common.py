"""Helpers shared by the CLI commands: database start-up and error reporting."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

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


def plain(text: str) -> str:
    """User text (file names, speakers, transcript lines, error messages) made safe for rich markup: the
    one place console output escapes, so `[/x]` in a file is shown as written, never parsed."""
    return escape(text)


def say(console: Console, text: str, *, label: str = "", style: str = "") -> None:
    """Print plain `text` (escaped), after an optional `label` in `style` (e.g. "failed:" in red)."""
    if label:
        head = f"[{style}]{plain(label)}[/{style}]" if style else plain(label)
        console.print(f"{head} {plain(text)}", soft_wrap=True)
    else:
        console.print(plain(text), style=style or None, soft_wrap=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` (plain text) as an error on stderr and exit with `code`."""
    say(err_console, message, label="error:", style="red")
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


class _Bar:
    """A rich progress bar behind the qa.jobs.runner.ProgressSink interface; drawn from the first total on
    (so that code printing or showing a spinner before then is not in its way)."""

    def __init__(self, label: str, enabled: bool) -> None:
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        self._progress = Progress(*columns, console=err_console, transient=True, disable=not enabled)
        self._task: TaskID | None = None
        self._label = label

    def set_total(self, total: int) -> None:
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(self._label, total=total)
        else:
            self._progress.update(self._task, total=total)

    def advance(self) -> None:
        if self._task is not None:
            self._progress.advance(self._task)

    def close(self) -> None:
        self._progress.stop()


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[_Bar]:
    """A transient bar on stderr with count and time left; long runs report to it."""
    bar = _Bar(label, enabled)
    try:
        yield bar
    finally:
        bar.close()


def safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    return re.sub(r"//[^@/]*@", "//***@", url)
