"""Assignment routes: the caller's assignments and reviewer workload per week."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from qa.assignments import service
from qa.assignments.schemas import MyAssignments, WorkloadRow
from qa.auth.dependencies import CurrentPrincipal, SessionDep

router = APIRouter(prefix="/api/assignments", tags=["assignments"])
WEEK = Query(pattern=r"^\d{4}-W\d{2}$", description="ISO week, e.g. 2026-W10")


@router.get("", response_model=MyAssignments)
def my_assignments(
    session: SessionDep, principal: CurrentPrincipal, week: Annotated[str | None, WEEK] = None
) -> MyAssignments:
    """Interactions assigned to the caller, open first, with counts and the next due day."""
    return service.my_assignments(session=session, principal=principal, week=week)


@router.get("/workload", response_model=list[WorkloadRow])
def workload(
    session: SessionDep, principal: CurrentPrincipal, since: date | None = None
) -> list[WorkloadRow]:
    """Per reviewer and week: assigned, completed, overdue (managers: all teams; supervisors: their own)."""
    return service.workload(session=session, principal=principal, since=since)
