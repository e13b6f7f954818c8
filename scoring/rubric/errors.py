"""Domain errors of the rubric package."""

from __future__ import annotations


class RubricInvalid(ValueError):
    """A rubric file that cannot be used; str() is one line: `file: field.path: problem`."""

    def __init__(self, source: str, field: str, problem: str, *, more: int = 0) -> None:
        self.source = source
        self.field = field
        self.problem = " ".join(problem.split())
        self.more = more
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}: " if self.field else f"{self.source}: "
        tail = f" (and {self.more} more problem{'s' if self.more > 1 else ''})" if self.more else ""
        return f"{where}{self.problem}{tail}"
