"""Exactly-once execution of one job: the step's writes and `done` commit together, or not at all.

A job runs in one transaction that first locks its row (SELECT ... FOR UPDATE on PostgreSQL) and returns
early when the job is already done. The results and the `done` mark commit together; a second run of the
same job (a duplicated or redelivered task) waits for the lock and then finds it done. SQLite has no row
locks; there the final guarded UPDATE (`WHERE status != 'done'`) runs under the database write lock and
rolls the whole attempt back if another attempt finished first. A process killed mid-job leaves an
uncommitted transaction, which the database throws away.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.errors import InputError
from qa.executors.settings import get_queue_settings
from qa.jobs import repository as job_repository
from qa.models import JobKind, JobStatus

StepFunction = Callable[[Session, int, Settings], None]
CONFLICT_RETRIES = 3


class Outcome(enum.StrEnum):
    DONE = "done"
    FAILED = "failed"
    ALREADY_DONE = "already_done"
    SKIPPED = "skipped"  # failed earlier: only a retry (which queues it again) runs it once more


@dataclass(frozen=True, slots=True)
class JobResult:
    job_id: int
    kind: JobKind | None
    interaction_id: int | None
    outcome: Outcome
    error: str | None = None


class _FinishedElsewhere(Exception):
    """Another attempt committed this job first; this attempt's writes are rolled back."""


def steps() -> dict[JobKind, StepFunction]:
    # Imported here: the steps load models, which the CLI's other commands never need.
    from qa.processing import service as processing

    return {JobKind.TRANSCRIBE: processing.transcribe_step, JobKind.ANALYZE: processing.analyze_step}


def claim(*, settings: Settings, job_id: int) -> JobResult | None:
    """Mark the job running and count the attempt (committed on its own, so a killed attempt still counts).

    Returns a result when there is nothing to run: the job is done already or does not exist.
    """
    with session_scope(settings.database_url) as session:
        found = job_repository.lock_state(session, job_id)
        if found is None:
            return JobResult(job_id, None, None, Outcome.FAILED, f"job {job_id} not found")
        status, kind, interaction_id, attempts = found
        if status == JobStatus.DONE:
            return JobResult(job_id, kind, interaction_id, Outcome.ALREADY_DONE)
        if status == JobStatus.FAILED:
            return JobResult(job_id, kind, interaction_id, Outcome.SKIPPED)
        limit = get_queue_settings().max_attempts
        if status == JobStatus.RUNNING and attempts >= limit:
            # Every earlier attempt died with its process: stop a task that kills workers from looping.
            error = f"gave up after {attempts} attempts: the worker process was lost each time"
            _mark(session, job_id, JobStatus.FAILED, error)
            return JobResult(job_id, kind, interaction_id, Outcome.FAILED, error)
        job_repository.mark_running(session, job_id)
    return None


def run_claimed(*, settings: Settings, job_id: int) -> JobResult:
    """Run a claimed job's step and mark it done in one transaction; record the error if it fails."""
    for attempt in range(1, CONFLICT_RETRIES + 1):
        try:
            return _run_once(settings, job_id)
        except _FinishedElsewhere:
            return _result_of(settings, job_id, Outcome.ALREADY_DONE)
        except IntegrityError as exc:
            # Two jobs adding the same shared row at once (the first use of a rubric version): the loser's
            # transaction is rolled back whole; running it again finds the winner's row.
            if attempt == CONFLICT_RETRIES:
                return _record_failure(settings, job_id, exc)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
            return _record_failure(settings, job_id, exc)
    raise AssertionError("unreachable")


def _run_once(settings: Settings, job_id: int) -> JobResult:
    with session_scope(settings.database_url) as session:
        found = job_repository.lock_state(session, job_id)
        if found is None:
            return JobResult(job_id, None, None, Outcome.FAILED, f"job {job_id} not found")
        status, kind, interaction_id, _attempts = found
        if status == JobStatus.DONE:
            return JobResult(job_id, kind, interaction_id, Outcome.ALREADY_DONE)
        step = steps().get(kind)
        if interaction_id is None or step is None:
            raise InputError(f"job {job_id}", f"nothing to run for a {kind.value} job")
        step(session, interaction_id, settings)
        delay = get_queue_settings().test_step_delay
        if delay:
            session.flush()  # the results are written but not committed while we wait
            time.sleep(delay)
        _mark(session, job_id, JobStatus.DONE, None)
    return JobResult(job_id, kind, interaction_id, Outcome.DONE)


def _result_of(settings: Settings, job_id: int, outcome: Outcome, error: str | None = None) -> JobResult:
    with session_scope(settings.database_url) as session:
        found = job_repository.identity(session, job_id)
    kind, interaction_id = found if found is not None else (None, None)
    return JobResult(job_id, kind, interaction_id, outcome, error)


def _record_failure(settings: Settings, job_id: int, exc: BaseException) -> JobResult:
    error = error_line(exc)
    try:
        with session_scope(settings.database_url) as session:
            _mark(session, job_id, JobStatus.FAILED, error)
    except _FinishedElsewhere:
        return _result_of(settings, job_id, Outcome.ALREADY_DONE)
    return _result_of(settings, job_id, Outcome.FAILED, error)


def execute(*, settings: Settings, job_id: int) -> JobResult:
    """Claim and run one job (what a task does); safe to call any number of times for the same job."""
    early = claim(settings=settings, job_id=job_id)
    return early if early is not None else run_claimed(settings=settings, job_id=job_id)


def _mark(session: Session, job_id: int, status: JobStatus, error: str | None) -> None:
    if not job_repository.finish_unless_done(session, job_id, status, error):
        raise _FinishedElsewhere(job_id)


def error_line(exc: BaseException) -> str:
    """One line for the job's error column: the domain message, or the exception type and message."""
    error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if not isinstance(exc, InputError):
        error = f"{type(exc).__name__}: {error}"
    return error
