"""Running jobs: claim a queued job, run its step, record done or failed with the reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.errors import InputError
from qa.ingestion import service as ingestion
from qa.jobs import service as job_service
from qa.models import Job, JobKind, JobStatus

StepFunction = Callable[[Session, int, Settings], None]


@dataclass(slots=True)
class RunReport:
    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RetryReport:
    requeued: int = 0
    reingested: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _steps() -> dict[JobKind, StepFunction]:
    # Imported here: the steps load models, which the CLI's other commands never need.
    from qa.processing import service as processing

    return {JobKind.TRANSCRIBE: processing.transcribe_step, JobKind.ANALYZE: processing.analyze_step}


def claim_next(session: Session, kinds: Sequence[JobKind] = ()) -> Job | None:
    """The oldest queued job, marked running; rows locked by other workers are skipped."""
    query = select(Job).where(Job.status == JobStatus.QUEUED).order_by(Job.id).limit(1)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    job = session.scalars(query.with_for_update(skip_locked=True)).one_or_none()
    if job is not None:
        job_service.start(session=session, job=job)
    return job


def run_job(*, settings: Settings, job_id: int) -> str | None:
    """Run one claimed job to its end; returns the error line if it failed."""
    steps = _steps()
    with session_scope(settings.database_url) as session:
        job = job_service.get(session=session, job_id=job_id)
        kind, interaction_id = job.kind, job.interaction_id
    error: str | None = None
    try:
        if interaction_id is None or kind not in steps:
            raise InputError(f"job {job_id}", f"nothing to run for a {kind.value} job")
        with session_scope(settings.database_url) as session:
            steps[kind](session, interaction_id, settings)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
        error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not isinstance(exc, InputError):
            error = f"{type(exc).__name__}: {error}"
    with session_scope(settings.database_url) as session:
        job = job_service.get(session=session, job_id=job_id)
        job_service.finish(session=session, job=job, error=error)
    return error


def count_queued(settings: Settings, kinds: Sequence[JobKind] = ()) -> int:
    with session_scope(settings.database_url) as session:
        statuses = [JobStatus.QUEUED]
        return len(job_service.list_jobs(session=session, statuses=statuses, kinds=kinds))


def run_queued(
    *,
    settings: Settings,
    limit: int | None = None,
    kinds: Sequence[JobKind] = (),
    show_progress: bool = False,
) -> RunReport:
    """Run queued jobs in this process until none is left (or `limit` ran)."""
    report = RunReport()
    total = count_queued(settings, kinds)
    columns = (TextColumn("process"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=not show_progress) as progress:
        bar = progress.add_task("process", total=total if limit is None else min(total, limit))
        while limit is None or report.done + report.failed < limit:
            with session_scope(settings.database_url) as session:
                job = claim_next(session, kinds)
                job_id = job.id if job else None
            if job_id is None:
                break
            error = run_job(settings=settings, job_id=job_id)
            if error:
                report.failed += 1
                report.errors.append(f"job {job_id}: {error}")
            else:
                report.done += 1
            # New work (analysis after transcription) lengthens the run.
            progress.update(bar, total=max(progress.tasks[0].total or 0, report.done + report.failed + 1))
            progress.advance(bar)
    return report


def retry_failed(*, settings: Settings, job_ids: Sequence[int]) -> RetryReport:
    """Retry failed jobs (all of them when `job_ids` is empty)."""
    report = RetryReport()
    with session_scope(settings.database_url) as session:
        if job_ids:
            jobs = [job_service.get(session=session, job_id=i) for i in job_ids]
        else:
            jobs = job_service.list_jobs(session=session, statuses=[JobStatus.FAILED])
        targets = [(j.id, j.kind, j.source_path) for j in jobs]
    for job_id, kind, source_path in targets:
        if kind != JobKind.INGEST:
            with session_scope(settings.database_url) as session:
                job_service.mark_for_retry(session=session, job_id=job_id)
            report.requeued += 1
            continue
        options = ingestion.options_from_settings(settings)
        try:
            with session_scope(settings.database_url) as session:
                ingestion.ingest_file(
                    session=session, path=Path(source_path or ""), settings=settings, options=options
                )
            report.reingested += 1
        except Exception as exc:  # noqa: BLE001 - recorded on the job, reported in the summary
            with session_scope(settings.database_url) as session:
                job_service.record_failed_ingest(
                    session=session, source_path=source_path or "", error=str(exc)
                )
            report.failed += 1
            report.errors.append(str(exc))
    return report
