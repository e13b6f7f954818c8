"""Job bookkeeping: what is queued, what failed and why, and retrying it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.errors import NotFound
from qa.jobs import repository
from qa.models import Job, JobKind, JobStatus
from qa.models.base import utcnow


def enqueue(*, session: Session, kind: JobKind, interaction_id: int) -> Job:
    """A queued job of `kind` for the interaction; reuses an open one so work is never doubled."""
    existing = repository.open_job_for(session, interaction_id, kind)
    if existing is not None:
        if existing.status == JobStatus.FAILED:
            requeue(existing)
        return existing
    return repository.add(session, Job(kind=kind, interaction_id=interaction_id))


def record_failed_ingest(*, session: Session, source_path: str, error: str) -> Job:
    """Remember a file that could not be ingested, so it can be retried."""
    for job in repository.failed_ingests_of(session, source_path):
        job.attempts += 1
        job.error = error
        job.finished_at = utcnow()
        return job
    job = Job(
        kind=JobKind.INGEST,
        status=JobStatus.FAILED,
        source_path=source_path,
        attempts=1,
        error=error,
        finished_at=utcnow(),
    )
    return repository.add(session, job)


def resolve_failed_ingests(*, session: Session, source_path: str, interaction_id: int | None) -> None:
    """Mark earlier failed ingests of this file done once it went in."""
    for job in repository.failed_ingests_of(session, source_path):
        job.status = JobStatus.DONE
        job.error = None
        job.interaction_id = interaction_id
        job.finished_at = utcnow()


def list_jobs(
    *, session: Session, statuses: Sequence[JobStatus] = (), kinds: Sequence[JobKind] = ()
) -> list[Job]:
    """Jobs, oldest first, optionally by status and kind."""
    return repository.list_jobs(session, statuses=statuses, kinds=kinds)


def get(*, session: Session, job_id: int) -> Job:
    """The job with this id."""
    job = repository.get(session, job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found")
    return job


def requeue(job: Job) -> None:
    """Put a job back in the queue (whether it may go back is qa.jobs.lifecycle.retry's rule)."""
    job.status = JobStatus.QUEUED
    job.error = None


# ---------------------------------------------------------------- for a principal (API and coaching view)

MAX_LIMIT = 500


def require_job_access(principal: Principal, action: str = "reading jobs") -> None:
    """Raise PermissionDenied unless the principal's role may operate jobs (qa.access.JOB_OPERATORS)."""
    access.require_role(principal, access.JOB_OPERATORS, action)


def list_jobs_for(
    *,
    session: Session,
    principal: Principal,
    statuses: Sequence[JobStatus] = (),
    kinds: Sequence[JobKind] = (),
    limit: int = 100,
    offset: int = 0,
) -> list[Job]:
    """One page of jobs, oldest first, optionally by status and kind; supervisors, managers and admins."""
    require_job_access(principal)
    return repository.list_jobs(
        session,
        scope=access.scope_of(principal),
        statuses=statuses,
        kinds=kinds,
        limit=max(1, min(limit, MAX_LIMIT)),
        offset=max(0, offset),
    )


def job_counts_for(*, session: Session, principal: Principal) -> dict[JobStatus, int]:
    """How many of the principal's jobs there are in each status (every status present, zero when none)."""
    require_job_access(principal)
    counts = repository.status_counts(session, access.scope_of(principal))
    return {status: counts.get(status, 0) for status in JobStatus}


def get_for(*, session: Session, principal: Principal, job_id: int) -> Job:
    """One job with its error; supervisors, managers and admins. A job follows its interaction's scope
    (outside it: NotFound, as reads do); a job without an interaction (a failed file) is for managers."""
    require_job_access(principal)
    job = repository.get(session, job_id, access.scope_of(principal))
    if job is None:
        raise NotFound(f"job {job_id} not found")
    return job


def to_dict(job: Job) -> dict[str, object]:
    return {
        "id": job.id,
        "interaction": job.interaction_id,
        "kind": job.kind.value,
        "status": job.status.value,
        "attempts": job.attempts,
        "error": job.error,
        "file": job.source_path,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
