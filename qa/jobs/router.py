"""Job routes: list, one job, retry a failed one (supervisor, manager, admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qa import access
from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.errors import Conflict
from qa.jobs import service
from qa.jobs.schemas import JobRead
from qa.models import JobKind, JobStatus

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("", response_model=list[JobRead])
def list_jobs(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[list[JobStatus] | None, Query()] = None,
    kind: Annotated[list[JobKind] | None, Query()] = None,
) -> list[JobRead]:
    """Jobs oldest first, optionally by status and kind."""
    access.require_reviewer(principal, "reading jobs")
    jobs = service.list_jobs(session=session, statuses=status or (), kinds=kind or ())
    return [JobRead.model_validate(job) for job in jobs]


@router.get("/{job_id}", response_model=JobRead)
def get_job(job_id: int, session: SessionDep, principal: CurrentPrincipal) -> JobRead:
    """One job with its error, if any."""
    access.require_reviewer(principal, "reading jobs")
    return JobRead.model_validate(service.get(session=session, job_id=job_id))


@router.post("/{job_id}/retry", response_model=JobRead)
def retry_job(job_id: int, session: SessionDep, principal: CurrentPrincipal) -> JobRead:
    """Queue a failed job again (409 unless it failed)."""
    access.require_reviewer(principal, "retrying jobs")
    if service.get(session=session, job_id=job_id).kind == JobKind.INGEST:
        # An ingest job names a file on the server; re-reading it is `callcoach jobs retry`'s work.
        raise Conflict(f"job {job_id} is an ingest job: upload the file again or run `callcoach jobs retry`")
    return JobRead.model_validate(service.mark_for_retry(session=session, job_id=job_id))
