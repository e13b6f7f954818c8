"""Running jobs: claim a queued job, run its step exactly once, record done or failed with the reason."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.executors import get_executor, runner
from qa.executors.inprocess import InProcessExecutor, claim_one
from qa.executors.settings import get_queue_settings
from qa.ingestion import service as ingestion
from qa.jobs import repository as job_repository
from qa.jobs import service as job_service
from qa.models import Job, JobKind, JobStatus
from qa.models.base import utcnow


@dataclass(slots=True)
class RunReport:
    done: int = 0
    failed: int = 0
    dispatched: int = 0  # published to Celery workers instead of run here
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RetryReport:
    requeued: int = 0
    reingested: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _stale_before() -> datetime:
    """Jobs running since before this have outlived the visibility timeout: their process died."""
    return utcnow() - timedelta(seconds=get_queue_settings().queue_visibility_timeout)


def claim_next(session: Session, kinds: Sequence[JobKind] = ()) -> Job | None:
    """The oldest runnable job, marked running; rows locked by other workers are skipped.

    Runnable: queued, or running for longer than the visibility timeout (its process died, e.g. a killed
    `callcoach process`).
    """
    max_attempts = get_queue_settings().max_attempts
    for _ in range(20):
        job = job_repository.next_runnable(session, kinds, _stale_before())
        if job is None:
            return None
        if job.status == JobStatus.RUNNING and job.attempts >= max_attempts:
            # Every attempt died with its process: fail it rather than kill the next one too.
            error = f"gave up after {job.attempts} attempts: the process running it was lost each time"
            job_service.finish(session=session, job=job, error=error)
            session.flush()
            continue
        if job_repository.claim_if_unchanged(session, job):
            session.refresh(job)
            return job
        session.expire(job)  # another worker took it first: look again
    return None


def count_queued(settings: Settings, kinds: Sequence[JobKind] = ()) -> int:
    with session_scope(settings.database_url) as session:
        return job_repository.count_with_status(session, JobStatus.QUEUED, kinds)


def run_queued(
    *,
    settings: Settings,
    limit: int | None = None,
    kinds: Sequence[JobKind] = (),
    show_progress: bool = False,
    workers: int | None = None,
) -> RunReport:
    """Run queued jobs until none is left (or `limit` ran): here on a pool of `workers` threads (the cores
    by default), or, with CALLCOACH_QUEUE_URL set, publish them to the Celery workers."""
    report = RunReport()
    executor = get_executor(settings)
    if executor.remote:
        report.dispatched = executor.dispatch(settings=settings, job_ids=queued_job_ids(settings, kinds))
        if show_progress:
            where = _safe_url(settings.queue_url)
            Console(stderr=True).print(f"published {report.dispatched} jobs to {where}")
        return report
    total = count_queued(settings, kinds)
    if not kinds or JobKind.ANALYZE in kinds:
        from qa.processing.analysis import prewarm_queued_analyses

        prewarm_queued_analyses(settings)
    columns = (TextColumn("process"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    pool = InProcessExecutor(workers=workers)
    with Progress(*columns, transient=True, disable=not show_progress) as progress:
        bar = progress.add_task("process", total=total if limit is None else min(total, limit))
        for result in pool.run(settings=settings, claim=claim_one, limit=limit, kinds=kinds):
            if result.outcome == runner.Outcome.FAILED:
                report.failed += 1
                report.errors.append(f"job {result.job_id}: {result.error}")
            else:
                report.done += 1
            # New work (analysis after transcription) lengthens the run.
            progress.update(bar, total=max(progress.tasks[0].total or 0, report.done + report.failed + 1))
            progress.advance(bar)
    return report


def queued_job_ids(settings: Settings, kinds: Sequence[JobKind] = ()) -> list[int]:
    """Queued jobs, and jobs running past the visibility timeout (their task may be lost with Redis)."""
    with session_scope(settings.database_url) as session:
        return job_repository.runnable_ids(session, kinds, _stale_before())


def _safe_url(url: str) -> str:
    """The queue URL without its password."""
    return re.sub(r"//[^@/]*@", "//***@", url)


def retry_failed(*, settings: Settings, job_ids: Sequence[int]) -> RetryReport:
    """Retry failed jobs (all of them when `job_ids` is empty)."""
    report = RetryReport()
    with session_scope(settings.database_url) as session:
        if job_ids:
            jobs = [job_service.get(session=session, job_id=i) for i in job_ids]
        else:
            jobs = job_service.list_jobs(session=session, statuses=[JobStatus.FAILED])
        targets = [(j.id, j.kind, j.source_path) for j in jobs]
    requeued: list[int] = []
    reingested: list[int] = []
    for job_id, kind, source_path in targets:
        if kind != JobKind.INGEST:
            with session_scope(settings.database_url) as session:
                job_service.mark_for_retry(session=session, job_id=job_id)
            report.requeued += 1
            requeued.append(job_id)
            continue
        options = ingestion.options_from_settings(settings)
        outcome = ingestion.ingest_one(settings=settings, path=Path(source_path or ""), options=options)
        if outcome.failure is not None:
            report.failed += 1
            report.errors.append(outcome.error)
        else:
            reingested.extend(outcome.ingested)
            report.reingested += 1
    _hand_over(settings, requeued)
    hand_over_interactions(settings, reingested)
    return report


def hand_over_interactions(settings: Settings, interaction_ids: Sequence[int]) -> int:
    """With a queue configured, publish the queued jobs of these interactions; returns how many."""
    executor = get_executor(settings)
    if not executor.remote or not interaction_ids:
        return 0
    with session_scope(settings.database_url) as session:
        job_ids = job_repository.queued_ids_of(session, interaction_ids)
    return executor.dispatch(settings=settings, job_ids=job_ids)


def _hand_over(settings: Settings, job_ids: Sequence[int]) -> None:
    """With a queue configured, publish these queued jobs (in process they wait for `callcoach process`)."""
    executor = get_executor(settings)
    if executor.remote and job_ids:
        executor.dispatch(settings=settings, job_ids=job_ids)


def process_new_interactions(settings: Settings, interaction_ids: Sequence[int]) -> None:
    """Start the work of freshly stored interactions: publish it to the queue, or run it in this process."""
    if not interaction_ids:
        return
    if get_executor(settings).remote:
        hand_over_interactions(settings, interaction_ids)
    else:
        run_queued(settings=settings)
