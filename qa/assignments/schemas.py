"""What the assignment services return."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class AssignmentRead(BaseModel):
    id: int
    week: str
    interaction_id: int
    agent: str | None
    channel: str
    reviewer: str
    reason: str
    stratum: str | None
    due_on: date
    done: bool


class MyAssignments(BaseModel):
    """The caller's assignments, open ones first, with the counts the review queue shows."""

    items: list[AssignmentRead]
    total: int
    done: int
    overdue: int
    next_due: date | None


class WorkloadRow(BaseModel):
    """One reviewer's week: how many interactions were assigned and how many reviews are final."""

    reviewer: str
    week: str
    assigned: int
    completed: int
    overdue: int
    completion: float | None


class TeamRun(BaseModel):
    """What one run of a team's plan did for a week."""

    team: str
    week: str
    created: int
    already: int
    by_reviewer: dict[str, int]
    by_reason: dict[str, int]
    due_on: date
