"""Job routes: list, one job, retry a failed one (supervisor, manager, admin; checked in the service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query

from qa.auth.dependencies import CurrentPrincipal, SessionDep, SettingsDep
from qa.jobs import lifecycle, runner, service
from qa.jobs.schemas import JobRead
from qa.models import JobKind, JobStatus

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("", response_model=list[JobRead])
def list_jobs(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[list[JobStatus] | None, Query()] = None,
    kind: Annotated[list[JobKind] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[JobRead]:
    """One page of jobs, oldest first, optionally by status and kind."""
    jobs = service.list_jobs_for(
        session=session,
        principal=principal,
        statuses=status or (),
        kinds=kind or (),
        limit=limit,
        offset=offset,
    )
    return [JobRead.model_validate(job) for job in jobs]


@router.get("/{job_id}", response_model=JobRead)
def get_job(job_id: int, session: SessionDep, principal: CurrentPrincipal) -> JobRead:
    """One job with its error, if any."""
    return JobRead.model_validate(service.get_for(session=session, principal=principal, job_id=job_id))


@router.post("/{job_id}/retry", response_model=JobRead)
def retry_job(
    job_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> JobRead:
    """Queue a failed job again (409 unless it failed, or if it is an ingest job)."""
    service.require_job_access(principal, "retrying jobs")
    lifecycle.retry(
        session=session, settings=settings, job_id=job_id, reread_files=False, principal=principal
    )
    background.add_task(runner.hand_over_jobs, settings, [job_id])  # after the request commits
    return JobRead.model_validate(service.get(session=session, job_id=job_id))
