"""Domain errors, turned into one-line messages, exit codes and 4xx answers at the edges."""

from __future__ import annotations

from pathlib import Path


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
