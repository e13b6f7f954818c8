"""A job's life, in one place: claiming, the attempts limit, running its step exactly once, finishing, retry.

A job runs in one transaction that first locks its row (SELECT ... FOR UPDATE on PostgreSQL) and returns
early when the job is already done. The results and the `done` mark commit together; a second run of the
same job (a duplicated or redelivered task) waits for the lock and then finds it done. SQLite has no row
locks; there the final guarded UPDATE (`WHERE status != 'done'`) runs under the database write lock and
rolls the whole attempt back if another attempt finished first. A process killed mid-job leaves an
uncommitted transaction, which the database throws away; its claim (committed on its own) counts as an
attempt, and after `max_attempts` such deaths the job is failed instead of killing the next process too.
While a job runs, a heartbeat renews its lease (qa.models.JobLease); a lease that ran out means the process
died, and the job is claimed again (in process) or published again by a worker's sweeper (Celery).
"""

from __future__ import annotations

import ctypes
import enum
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.access import Principal
from qa.config import Settings
from qa.db import session_scope
from qa.errors import CallcoachError, Conflict, InputError
from qa.ingestion import service as ingestion
from qa.jobs import repository as job_repository
from qa.jobs import rubric_preview, steps
from qa.jobs import service as job_service
from qa.models import Job, JobKind, JobStatus
from qa.models.base import utcnow

log = logging.getLogger(__name__)

StepFunction = Callable[[Session, int, Settings], None]
STEPS: dict[JobKind, StepFunction] = {
    JobKind.TRANSCRIBE: steps.transcribe_step,
    JobKind.ANALYZE: steps.analyze_step,
}
# Jobs about a rubric draft rather than an interaction: the step gets the draft's id.
DRAFT_STEPS: dict[JobKind, StepFunction] = {JobKind.RUBRIC_PREVIEW: rubric_preview.preview_step}
# Two jobs adding the same shared row at once (the first use of a rubric version): the loser runs again.
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


@dataclass(slots=True)
class RetryReport:
    requeued: int = 0  # transcribe/analyze jobs back in the queue
    reingested: int = 0  # ingest jobs whose file went in
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    requeued_jobs: list[int] = field(default_factory=list)
    stored_interactions: list[int] = field(default_factory=list)  # from the re-read files


class _FinishedElsewhere(Exception):
    """Another attempt committed this job first; this attempt's writes are rolled back."""


# ---------------------------------------------------------------- the attempts rule and finishing


def _exhausted(settings: Settings, status: JobStatus, attempts: int) -> str | None:
    """Why a job still marked running must not be tried again (every attempt died with its process)."""
    if status == JobStatus.RUNNING and attempts >= settings.max_attempts:
        return f"gave up after {attempts} attempts: the process running it was lost each time"
    return None


def lease_until(settings: Settings) -> datetime:
    """When a lease taken or renewed now runs out."""
    return utcnow() + timedelta(seconds=settings.job_lease_seconds)


class JobTimeLimit(CallcoachError):
    """A job ran past settings.job_time_limit (raised inside the job's thread, as a class: see _stop_job)."""

    message = "the job ran longer than its time limit"

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.message


class Heartbeat:
    """Renews a running job's lease every third of its length, from a thread with its own connection, until
    stopped; when the process dies the renewals stop and the lease runs out (see reclaim_expired).

    It also keeps the job's time limit in process (Celery workers have their own): past it, JobTimeLimit is
    raised in the job's thread, which fails the job with that reason and frees the thread.
    """

    def __init__(self, settings: Settings, job_id: int) -> None:
        self._settings, self._job_id = settings, job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"callcoach-lease-{job_id}", daemon=True)
        self._job_thread = threading.get_ident()
        self._lock = threading.Lock()

    def __enter__(self) -> Heartbeat:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:  # no time-limit exception lands once the job has returned
            self._stop.set()
        self._thread.join()

    def _interval(self) -> float:
        return min(self._settings.job_lease_seconds / 3, self._settings.job_time_limit)

    def _beat(self) -> None:
        while not self._stop.wait(self._interval()):
            if time.monotonic() - self._started > self._settings.job_time_limit:
                self._stop_job()
                return
            try:
                with session_scope(self._settings.database_url) as session:
                    if not job_repository.renew_lease(session, self._job_id, lease_until(self._settings)):
                        return  # finished, or taken back after a stall: nothing left to renew
            except Exception:
                log.warning("job %s: lease renewal failed", self._job_id, exc_info=True)

    def _stop_job(self) -> None:
        limit = self._settings.job_time_limit
        message = f"job {self._job_id} ran longer than its time limit of {limit:g} s"
        error = type("JobTimeLimit", (JobTimeLimit,), {"message": message})  # CPython raises a class
        with self._lock:
            if not self._stop.is_set():
                # The thread gets the exception at its next Python instruction; C code (a regex search,
                # a model call) finishes first, which the regex timeout and model sizes keep short.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._job_thread), ctypes.py_object(error)
                )


def reclaim_expired(settings: Settings) -> list[int]:
    """Running jobs whose lease ran out (their worker died) back in the queue, their ids returned to be
    published again; after max_attempts such deaths a job is failed instead. One sweeper takes each."""
    now = utcnow()
    reclaimed = []
    with session_scope(settings.database_url) as session:
        for job_id in job_repository.expired_leases(session, now):
            attempts = job_repository.requeue_lost(session, job_id)
            if attempts is None:
                continue
            error = _exhausted(settings, JobStatus.RUNNING, attempts)
            if error is not None:
                finish(session, job_id, error)
            else:
                reclaimed.append(job_id)
    return reclaimed


def finish(session: Session, job_id: int, error: str | None = None) -> None:
    """Mark the job done (no error) or failed; raises _FinishedElsewhere when another attempt finished it."""
    status = JobStatus.FAILED if error else JobStatus.DONE
    if not job_repository.finish_unless_done(session, job_id, status, error):
        raise _FinishedElsewhere(job_id)


def error_line(exc: BaseException) -> str:
    """One line for the job's error column: the domain message, or the exception type and message."""
    error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if not isinstance(exc, InputError):
        error = f"{type(exc).__name__}: {error}"
    return error


# ---------------------------------------------------------------- claiming


def claim_next(session: Session, settings: Settings, kinds: Sequence[JobKind] = ()) -> Job | None:
    """The oldest runnable job, marked running (one more attempt); rows locked by other workers are skipped.

    Runnable: queued, or running without a live lease (its process died).
    """
    for _ in range(20):
        job = job_repository.next_runnable(session, kinds, utcnow())
        if job is None:
            return None
        error = _exhausted(settings, job.status, job.attempts)
        if error is not None:
            finish(session, job.id, error)
            session.expire(job)
            continue
        if job_repository.claim_if_unchanged(session, job, lease_until(settings)):
            session.refresh(job)
            return job
        session.expire(job)  # another worker took it first: look again
    return None


def claim_next_id(settings: Settings, kinds: Sequence[JobKind] = ()) -> int | None:
    """Claim the next runnable job in its own transaction; its id, or None when there is none."""
    with session_scope(settings.database_url) as session:
        job = claim_next(session, settings, kinds)
        return job.id if job else None


def _locked(session: Session, job_id: int) -> JobResult | tuple[JobStatus, JobKind, int | None, int]:
    """Status, kind, interaction and attempts, the row locked; a result instead when it is missing or done."""
    found = job_repository.lock_state(session, job_id)
    if found is None:
        return JobResult(job_id, None, None, Outcome.FAILED, f"job {job_id} not found")
    if found[0] == JobStatus.DONE:
        return JobResult(job_id, found[1], found[2], Outcome.ALREADY_DONE)
    return found


def claim(*, settings: Settings, job_id: int) -> JobResult | None:
    """Claim this job (a task names it): committed on its own, so a killed attempt still counts.

    Returns a result when there is nothing to run: the job is done, failed, given up or does not exist.
    """
    with session_scope(settings.database_url) as session:
        state = _locked(session, job_id)
        if isinstance(state, JobResult):
            return state
        status, kind, interaction_id, attempts = state
        if status == JobStatus.FAILED:
            return JobResult(job_id, kind, interaction_id, Outcome.SKIPPED)
        if status == JobStatus.RUNNING and job_repository.has_live_lease(session, job_id, utcnow()):
            # Another worker runs it, its heartbeat alive; should it die, reclaim_expired publishes it again.
            return JobResult(job_id, kind, interaction_id, Outcome.SKIPPED, "running elsewhere")
        error = _exhausted(settings, status, attempts)
        if error is not None:
            finish(session, job_id, error)
            return JobResult(job_id, kind, interaction_id, Outcome.FAILED, error)
        job_repository.mark_running(session, job_id, lease_until(settings))
    return None


# ---------------------------------------------------------------- running


def run_claimed(*, settings: Settings, job_id: int) -> JobResult:
    """Run a claimed job's step and mark it done in one transaction; record the error if it fails."""
    for attempt in range(1, CONFLICT_RETRIES + 1):
        try:
            with Heartbeat(settings, job_id):
                return _run_once(settings, job_id)
        except _FinishedElsewhere:
            return _result_of(settings, job_id, Outcome.ALREADY_DONE)
        except IntegrityError as exc:
            # The loser's transaction is rolled back whole; running it again finds the winner's row.
            if attempt == CONFLICT_RETRIES:
                return _record_failure(settings, job_id, exc)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
            return _record_failure(settings, job_id, exc)
    raise AssertionError("unreachable")


def execute(*, settings: Settings, job_id: int) -> JobResult:
    """Claim and run one job (what a task does); safe to call any number of times for the same job."""
    early = claim(settings=settings, job_id=job_id)
    return early if early is not None else run_claimed(settings=settings, job_id=job_id)


def _run_once(settings: Settings, job_id: int) -> JobResult:
    with session_scope(settings.database_url) as session:
        state = _locked(session, job_id)
        if isinstance(state, JobResult):
            return state
        _status, kind, interaction_id, _attempts = state
        step, subject = STEPS.get(kind), interaction_id
        if kind in DRAFT_STEPS:
            step, subject = DRAFT_STEPS[kind], job_repository.draft_of(session, job_id)
        if subject is None or step is None:
            raise InputError(f"job {job_id}", f"nothing to run for a {kind.value} job")
        step(session, subject, settings)
        if settings.test_step_delay:
            session.flush()  # the results are written but not committed while we wait
            time.sleep(settings.test_step_delay)
        finish(session, job_id)
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
            finish(session, job_id, error)
    except _FinishedElsewhere:
        return _result_of(settings, job_id, Outcome.ALREADY_DONE)
    return _result_of(settings, job_id, Outcome.FAILED, error)


# ---------------------------------------------------------------- retry


@dataclass(frozen=True, slots=True)
class Retried:
    kind: JobKind
    stored: list[int]  # interactions a re-read file stored
    error: str | None = None  # the re-read file failed again (recorded on its job)


def retry(
    *,
    session: Session,
    settings: Settings,
    job_id: int,
    reread_files: bool,
    principal: Principal | None = None,
) -> Retried:
    """Retry one job: a failed transcribe/analyze job goes back in the queue; an ingest job re-reads its file
    when `reread_files` (else Conflict: the API cannot name server files). With a principal (API, coaching
    view) the job must lie in their scope (else NotFound); the CLI runs as the operator of the machine."""
    if principal is None:
        job = job_service.get(session=session, job_id=job_id)
    else:
        job = job_service.get_for(session=session, principal=principal, job_id=job_id)
    if job.kind != JobKind.INGEST:
        if job.status != JobStatus.FAILED:
            raise Conflict(f"job {job_id} is {job.status.value}, only failed jobs can be retried")
        job_service.requeue(job)
        return Retried(job.kind, [])
    if not reread_files:
        raise Conflict(f"job {job_id} is an ingest job: upload the file again or run `callcoach jobs retry`")
    # ingest_one is the one ingest entry point: its own transaction, and a failure recorded on a job
    outcome = ingestion.ingest_one(
        settings=settings, path=Path(job.source_path or ""), options=ingestion.options_from_settings(settings)
    )
    if outcome.failure is not None:
        return Retried(job.kind, [], outcome.error)
    return Retried(job.kind, list(outcome.ingested))


def retry_failed(
    *,
    settings: Settings,
    job_ids: Sequence[int],
    reread_files: bool = True,
    principal: Principal | None = None,
) -> RetryReport:
    """Retry these jobs (every failed one when `job_ids` is empty), each in its own transaction."""
    report = RetryReport()
    with session_scope(settings.database_url) as session:
        if principal is None:
            failed = job_service.list_jobs(session=session, statuses=[JobStatus.FAILED])
        else:
            failed = job_service.list_jobs_for(
                session=session, principal=principal, statuses=[JobStatus.FAILED], limit=job_service.MAX_LIMIT
            )
        ids = list(job_ids) or [j.id for j in failed]
    for job_id in ids:
        with session_scope(settings.database_url) as session:
            retried = retry(
                session=session,
                settings=settings,
                job_id=job_id,
                reread_files=reread_files,
                principal=principal,
            )
        if retried.error is not None:
            report.failed += 1
            report.errors.append(retried.error)
        elif retried.kind == JobKind.INGEST:
            report.reingested += 1
            report.stored_interactions.extend(retried.stored)
        else:
            report.requeued += 1
            report.requeued_jobs.append(job_id)
    return report
