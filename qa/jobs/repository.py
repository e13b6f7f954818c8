"""Queries for jobs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, true, update
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.interactions.repository import scope_clause
from qa.models import Interaction, Job, JobKind, JobLease, JobStatus
from qa.models.base import utcnow


def add(session: Session, job: Job) -> Job:
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int, scope: Scope | None = None) -> Job | None:
    if scope is None:
        return session.get(Job, job_id)
    return session.scalars(select(Job).where(Job.id == job_id, in_scope(scope))).one_or_none()


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """Jobs whose interaction lies inside `scope`; a job without one (a failed file) only for everything."""
    if scope.everything:
        return true()
    visible = select(Interaction.id).where(scope_clause(scope, Interaction.agent_id))
    return Job.interaction_id.in_(visible)


def list_jobs(
    session: Session,
    *,
    scope: Scope | None = None,
    statuses: Sequence[JobStatus] = (),
    kinds: Sequence[JobKind] = (),
    limit: int | None = None,
    offset: int = 0,
) -> list[Job]:
    query = select(Job).order_by(Job.id)
    if scope is not None:
        query = query.where(in_scope(scope))
    if statuses:
        query = query.where(Job.status.in_(statuses))
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return list(session.scalars(query))


def status_counts(session: Session, scope: Scope | None = None) -> dict[JobStatus, int]:
    """How many jobs there are in each status (statuses without jobs are left out)."""
    query = select(Job.status, func.count()).group_by(Job.status)
    if scope is not None:
        query = query.where(in_scope(scope))
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


def _live_lease(now: datetime) -> ColumnElement[bool]:
    return exists().where(JobLease.job_id == Job.id, JobLease.expires_at >= now)


def _runnable(now: datetime) -> ColumnElement[bool]:
    """Queued, or running without a live lease (its process died); never ingest jobs."""
    stale = and_(Job.status == JobStatus.RUNNING, ~_live_lease(now))
    return and_(or_(Job.status == JobStatus.QUEUED, stale), Job.kind != JobKind.INGEST)


def next_runnable(session: Session, kinds: Sequence[JobKind], now: datetime) -> Job | None:
    """The oldest runnable job, row-locked; rows other workers hold are skipped."""
    query = select(Job).where(_runnable(now)).order_by(Job.id).limit(1)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    return session.scalars(query.with_for_update(skip_locked=True)).one_or_none()


def runnable_ids(session: Session, kinds: Sequence[JobKind], now: datetime) -> list[int]:
    query = select(Job.id).where(_runnable(now)).order_by(Job.id)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    return list(session.scalars(query))


def claim_if_unchanged(session: Session, job: Job, lease_until: datetime) -> bool:
    """Mark `job` running (one more attempt, a fresh lease) unless another worker changed it since read.

    The guarded UPDATE makes the claim atomic on SQLite too, which has no row locks.
    """
    result = session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status == job.status, Job.attempts == job.attempts)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow(), error=None)
        .execution_options(synchronize_session=False)
    )
    claimed = result.rowcount == 1  # type: ignore[attr-defined]
    if claimed:
        take_lease(session, job.id, lease_until)
    return claimed


def take_lease(session: Session, job_id: int, until: datetime) -> None:
    session.execute(
        delete(JobLease).where(JobLease.job_id == job_id).execution_options(synchronize_session=False)
    )
    session.add(JobLease(job_id=job_id, expires_at=until))
    session.flush()


def has_live_lease(session: Session, job_id: int, now: datetime) -> bool:
    query = select(JobLease.job_id).where(JobLease.job_id == job_id, JobLease.expires_at >= now)
    return session.scalar(query) is not None


def renew_lease(session: Session, job_id: int, until: datetime) -> bool:
    """Push the lease on; False when it is gone (the job finished or was taken back)."""
    result = session.execute(update(JobLease).where(JobLease.job_id == job_id).values(expires_at=until))
    return result.rowcount == 1  # type: ignore[attr-defined]


def expired_leases(session: Session, now: datetime) -> list[int]:
    """Running jobs whose lease ran out or that have none left (their worker died)."""
    query = select(Job.id).where(
        Job.status == JobStatus.RUNNING, Job.kind != JobKind.INGEST, ~_live_lease(now)
    )
    return list(session.scalars(query.order_by(Job.id)))


def requeue_lost(session: Session, job_id: int) -> int | None:
    """Put a running job whose worker died back in the queue, its lease removed; its attempts, or None when
    another sweeper took it first or a live attempt holds its row (PostgreSQL: skipped, never waited for)."""
    query = select(Job.attempts).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
    attempts = session.scalar(query.with_for_update(skip_locked=True))
    if attempts is None:
        return None
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.RUNNING)
        .values(status=JobStatus.QUEUED)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.execute(
        delete(JobLease).where(JobLease.job_id == job_id).execution_options(synchronize_session=False)
    )
    return attempts


def lock_state(session: Session, job_id: int) -> tuple[JobStatus, JobKind, int | None, int] | None:
    """Status, kind, interaction and attempts of the job, its row locked until the transaction ends."""
    query = select(Job.status, Job.kind, Job.interaction_id, Job.attempts).where(Job.id == job_id)
    row = session.execute(query.with_for_update()).one_or_none()
    return None if row is None else (row[0], row[1], row[2], row[3])


def draft_of(session: Session, job_id: int) -> int | None:
    """The rubric draft a preview job is about."""
    return session.scalar(select(Job.rubric_draft_id).where(Job.id == job_id))


def latest_for_draft(session: Session, draft_id: int) -> Job | None:
    query = select(Job).where(Job.rubric_draft_id == draft_id).order_by(Job.id.desc()).limit(1)
    return session.scalars(query).one_or_none()


def identity(session: Session, job_id: int) -> tuple[JobKind, int | None] | None:
    row = session.execute(select(Job.kind, Job.interaction_id).where(Job.id == job_id)).one_or_none()
    return None if row is None else (row[0], row[1])


def mark_running(session: Session, job_id: int, lease_until: datetime) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow(), error=None)
    )
    take_lease(session, job_id, lease_until)


def finish_unless_done(session: Session, job_id: int, status: JobStatus, error: str | None) -> bool:
    """Record the job's end; False when another attempt had already marked it done."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status != JobStatus.DONE)
        .values(status=status, error=error, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    finished = result.rowcount != 0  # type: ignore[attr-defined]
    if finished:
        session.execute(
            delete(JobLease).where(JobLease.job_id == job_id).execution_options(synchronize_session=False)
        )
    return finished


def queued_ids_of(session: Session, interaction_ids: Sequence[int]) -> list[int]:
    query = select(Job.id).where(
        Job.interaction_id.in_(list(interaction_ids)), Job.status == JobStatus.QUEUED
    )
    return list(session.scalars(query.order_by(Job.id)))


def unfinished(session: Session, job_ids: Sequence[int]) -> list[tuple[int, JobKind, int | None]]:
    """Id, kind and interaction of those jobs still queued or running."""
    query = select(Job.id, Job.kind, Job.interaction_id).where(
        Job.id.in_(list(job_ids)), Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])
    )
    return [(r[0], r[1], r[2]) for r in session.execute(query.order_by(Job.id))]


def count_with_status(session: Session, status: JobStatus, kinds: Sequence[JobKind] = ()) -> int:
    query = select(func.count()).select_from(Job).where(Job.status == status)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    return session.scalar(query) or 0
