"""Queries for jobs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa.models import Job, JobKind, JobStatus


def add(session: Session, job: Job) -> Job:
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def list_jobs(
    session: Session,
    *,
    statuses: Sequence[JobStatus] = (),
    kinds: Sequence[JobKind] = (),
    limit: int | None = None,
    offset: int = 0,
) -> list[Job]:
    query = select(Job).order_by(Job.id)
    if statuses:
        query = query.where(Job.status.in_(statuses))
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return list(session.scalars(query))


def status_counts(session: Session) -> dict[JobStatus, int]:
    """How many jobs there are in each status (statuses without jobs are left out)."""
    query = select(Job.status, func.count()).group_by(Job.status)
    return {status: int(n) for status, n in session.execute(query)}


def failed_ingests_of(session: Session, source_path: str) -> list[Job]:
    query = select(Job).where(
        Job.kind == JobKind.INGEST, Job.status == JobStatus.FAILED, Job.source_path == source_path
    )
    return list(session.scalars(query))


def open_job_for(session: Session, interaction_id: int, kind: JobKind) -> Job | None:
    query = select(Job).where(
        Job.interaction_id == interaction_id,
        Job.kind == kind,
        Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED]),
    )
    return session.scalars(query.limit(1)).one_or_none()


def queued_analysis_texts(session: Session, limit: int) -> list[str]:
    """Turn texts of interactions waiting for analysis (to encode them in large batches up front)."""
    from qa.models import Turn

    query = (
        select(Turn.text)
        .join(Job, Job.interaction_id == Turn.interaction_id)
        .where(Job.kind == JobKind.ANALYZE, Job.status == JobStatus.QUEUED)
        .limit(limit)
    )
    return list(session.scalars(query))
