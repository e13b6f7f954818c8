"""Running background work: queued jobs here on a thread pool, or handed to the Celery workers.

The entry points the CLI, API, coaching view and tests use; a job's own life is qa.jobs.lifecycle's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from qa.access import Principal
from qa.config import Settings
from qa.db import session_scope
from qa.jobs import analysis, lifecycle
from qa.jobs import repository as job_repository
from qa.jobs.executors import InProcessExecutor, get_executor
from qa.jobs.lifecycle import RetryReport
from qa.models import JobKind, JobStatus
from qa.models.base import utcnow


class ProgressSink(Protocol):
    """Where a long run reports how far it got (the CLI draws a bar)."""

    def set_total(self, total: int) -> None: ...

    def advance(self) -> None: ...


class NoProgress:
    """Reports nowhere (API, tests)."""

    def set_total(self, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


@dataclass(slots=True)
class RunReport:
    done: int = 0
    failed: int = 0
    dispatched: int = 0  # published to Celery workers instead of run here
    errors: list[str] = field(default_factory=list)


def count_queued(settings: Settings, kinds: Sequence[JobKind] = ()) -> int:
    with session_scope(settings.database_url) as session:
        return job_repository.count_with_status(session, JobStatus.QUEUED, kinds)


def queued_job_ids(settings: Settings, kinds: Sequence[JobKind] = ()) -> list[int]:
    """Queued jobs, and jobs running past the visibility timeout (their task may be lost with Redis)."""
    with session_scope(settings.database_url) as session:
        return job_repository.runnable_ids(session, kinds, utcnow())


def run_queued(
    *,
    settings: Settings,
    limit: int | None = None,
    kinds: Sequence[JobKind] = (),
    progress: ProgressSink | None = None,
    workers: int | None = None,
) -> RunReport:
    """Run queued jobs until none is left (or `limit` ran): here on a pool of `workers` threads (the cores
    by default), or, with CALLCOACH_QUEUE_URL set, publish them to the Celery workers."""
    report = RunReport()
    progress = progress or NoProgress()
    executor = get_executor(settings)
    if executor.remote:
        report.dispatched = executor.dispatch(settings=settings, job_ids=queued_job_ids(settings, kinds))
        return report
    total = count_queued(settings, kinds)
    progress.set_total(total if limit is None else min(total, limit))
    if not kinds or JobKind.ANALYZE in kinds:
        analysis.prewarm_queued_analyses(settings)
    for result in InProcessExecutor(workers=workers).run(settings=settings, limit=limit, kinds=kinds):
        if result.outcome == lifecycle.Outcome.FAILED:
            report.failed += 1
            report.errors.append(f"job {result.job_id}: {result.error}")
        else:
            report.done += 1
        # New work (analysis after transcription) lengthens the run.
        if limit is None:
            total = max(total, report.done + report.failed + count_queued(settings, kinds))
            progress.set_total(total)
        progress.advance()
    return report


def retry_failed(
    *,
    settings: Settings,
    job_ids: Sequence[int],
    reread_files: bool = True,
    principal: Principal | None = None,
) -> RetryReport:
    """Retry failed jobs (all of them when `job_ids` is empty) and hand them to the workers, if any; with a
    principal, only jobs in their scope (NotFound otherwise)."""
    report = lifecycle.retry_failed(
        settings=settings, job_ids=job_ids, reread_files=reread_files, principal=principal
    )
    hand_over_jobs(settings, report.requeued_jobs)
    hand_over_interactions(settings, report.stored_interactions)
    return report


def hand_over_jobs(settings: Settings, job_ids: Sequence[int]) -> int:
    """With a queue configured, publish these queued jobs (in process they wait for `callcoach process`)."""
    executor = get_executor(settings)
    if not executor.remote or not job_ids:
        return 0
    return executor.dispatch(settings=settings, job_ids=job_ids)


def hand_over_interactions(settings: Settings, interaction_ids: Sequence[int]) -> int:
    """With a queue configured, publish the queued jobs of these interactions; returns how many."""
    if not get_executor(settings).remote or not interaction_ids:
        return 0
    with session_scope(settings.database_url) as session:
        job_ids = job_repository.queued_ids_of(session, interaction_ids)
    return hand_over_jobs(settings, job_ids)


def process_new_interactions(settings: Settings, interaction_ids: Sequence[int]) -> None:
    """Start the work of freshly stored interactions: publish it to the queue, or run it in this process."""
    if not interaction_ids:
        return
    if get_executor(settings).remote:
        hand_over_interactions(settings, interaction_ids)
    else:
        run_queued(settings=settings)


def run_in_background(settings: Settings, job_ids: Sequence[int], kinds: Sequence[JobKind]) -> None:
    """Start these queued jobs: publish them to the workers, or run jobs of these kinds here (the caller
    runs this after its request committed: a FastAPI background task, or a thread of the coaching view)."""
    if get_executor(settings).remote:
        hand_over_jobs(settings, job_ids)
    elif job_ids:
        run_queued(settings=settings, kinds=kinds)
