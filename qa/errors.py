"""Domain errors, turned into one-line messages, exit codes and 4xx answers at the edges."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from scoring.rubric import RubricInvalid
    from transcription import AudioError


class CallcoachError(Exception):
    """Base of every error the user should see as a clear one-line message."""


class InputError(CallcoachError):
    """A file that cannot be ingested: names the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class NotFound(CallcoachError):
    """The thing does not exist, or lies outside the caller's scope."""


class PermissionDenied(CallcoachError):
    """The caller's role may not do this."""


class Conflict(CallcoachError):
    """The request clashes with what is stored."""


class StoredMeanwhile(Conflict):
    """Another process stored the same interaction while this one was storing it (a lost race)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: stored by another process at the same time; ingest it again")


def describe_failure(path: str | Path, exc: BaseException) -> str:
    """One line for a file that failed: domain errors as they are, anything else without SQL or traceback."""
    if isinstance(exc, CallcoachError):
        return str(exc)
    if isinstance(exc, DBAPIError):
        # str(exc) carries the SQL statement and its parameters; `orig` holds the database's own words.
        return f"{path}: the database refused it ({_first_line(exc.orig or exc)})"
    return f"{path}: {type(exc).__name__}: {_first_line(exc)}"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else "no detail"


def audio_input_error(exc: AudioError, name: str | Path | None = None) -> InputError:
    """A transcription AudioError as an InputError naming `name` (the file the user knows) or its path."""
    return InputError(exc.path if name is None else name, str(exc).removeprefix(f"{exc.path}: "))


def rubric_input_error(exc: RubricInvalid, path: str | Path) -> InputError:
    """A RubricInvalid as an InputError naming `path`."""
    return InputError(path, str(exc).removeprefix(f"{exc.source}: "))
