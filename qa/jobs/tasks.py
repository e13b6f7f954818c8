"""The Celery application: Redis as broker and result store, one task per job kind on its own queue.

Transcription goes to the `transcribe` queue (GPU machines), analysis and scoring to `score` (CPU machines).
Tasks carry the job id and are keyed by interaction (`transcribe-<interaction>-<job>`); the job row, not the
message, decides whether work is left (see qa.jobs.lifecycle), so a duplicated or redelivered task never
stores a result twice. Late acknowledgement plus a visibility timeout bring back the task of a worker that
died mid-job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from functools import lru_cache

from celery import Celery, signals

from qa.assignments import tasks as assignment_tasks
from qa.config import Settings, get_settings
from qa.db import session_scope
from qa.jobs import lifecycle
from qa.jobs import repository as job_repository
from qa.models import JobKind

log = logging.getLogger(__name__)

TRANSCRIBE_QUEUE = "transcribe"
SCORE_QUEUE = "score"
QUEUES = (TRANSCRIBE_QUEUE, SCORE_QUEUE)
QUEUE_FOR_KIND = {
    JobKind.TRANSCRIBE: TRANSCRIBE_QUEUE,
    JobKind.ANALYZE: SCORE_QUEUE,
    JobKind.RUBRIC_PREVIEW: SCORE_QUEUE,
}
TASK_FOR_KIND = {
    JobKind.TRANSCRIBE: "callcoach.transcribe",
    JobKind.ANALYZE: "callcoach.analyze",
    JobKind.RUBRIC_PREVIEW: "callcoach.rubric_preview",
}


def configure(app: Celery, settings: Settings) -> None:
    transport: dict[str, object] = {
        "visibility_timeout": settings.queue_visibility_timeout,
        "unacked_restore_interval": settings.queue_restore_interval,
        "unacked_restore_throttle": 1,
    }
    results: dict[str, object] = {"visibility_timeout": settings.queue_visibility_timeout}
    if settings.queue_key_prefix:
        transport["global_keyprefix"] = results["global_keyprefix"] = settings.queue_key_prefix
    app.conf.update(
        broker_url=settings.queue_url,
        result_backend=settings.queue_url,
        broker_transport_options=transport,
        result_backend_transport_options=results,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # Acknowledge after the task ran, give a task back when its process dies, and take one at a time.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=SCORE_QUEUE,
        task_routes={TASK_FOR_KIND[k]: {"queue": q} for k, q in QUEUE_FOR_KIND.items()},
        result_expires=24 * 3600,
        worker_hijack_root_logger=False,
        # A stuck job fails with its reason (SoftTimeLimitExceeded, recorded on the job); the hard limit a
        # little later ends the process should the job not return.
        task_soft_time_limit=settings.job_time_limit,
        task_time_limit=settings.job_time_limit + 30,
    )


_QUEUE_FIELDS = {
    "queue_url",
    "queue_key_prefix",
    "queue_visibility_timeout",
    "queue_restore_interval",
    "job_time_limit",
}


def get_app(settings: Settings | None = None) -> Celery:
    """The process-wide Celery app for these settings' queue (default: the process settings)."""
    settings = settings or get_settings()
    return _app_for(settings.model_dump_json(include=_QUEUE_FIELDS))


@lru_cache
def _app_for(queue_json: str) -> Celery:
    app = Celery("callcoach", set_as_current=False)
    configure(app, Settings.model_validate_json(queue_json))
    app.task(name=TASK_FOR_KIND[JobKind.TRANSCRIBE])(transcribe_task)
    app.task(name=TASK_FOR_KIND[JobKind.ANALYZE])(analyze_task)
    app.task(name=TASK_FOR_KIND[JobKind.RUBRIC_PREVIEW])(analyze_task)  # same: run the job exactly once
    assignment_tasks.register(app, get_settings(), SCORE_QUEUE)
    return app


def task_id(kind: JobKind, interaction_id: int | None, job_id: int) -> str:
    """Tasks are keyed by interaction and job: `analyze-42-97`."""
    return f"{kind.value}-{interaction_id}-{job_id}"


def publish(settings: Settings, job_ids: Sequence[int]) -> int:
    """Publish a task for each of these jobs not finished yet; returns how many were published."""
    if not job_ids:
        return 0
    with session_scope(settings.database_url) as session:
        rows = job_repository.unfinished(session, job_ids)
    app = get_app(settings)
    published = 0
    for job_id, kind, interaction_id in rows:
        if kind not in TASK_FOR_KIND:
            continue
        app.send_task(
            TASK_FOR_KIND[kind],
            args=[job_id],
            queue=QUEUE_FOR_KIND[kind],
            task_id=task_id(kind, interaction_id, job_id),
        )
        published += 1
    return published


def transcribe_task(job_id: int) -> str:
    """Transcribe a call (exactly once), then publish its analysis to the score queue."""
    settings = get_settings()
    result = lifecycle.execute(settings=settings, job_id=job_id)
    finished = result.outcome in (lifecycle.Outcome.DONE, lifecycle.Outcome.ALREADY_DONE)
    if result.interaction_id is not None and finished:
        # Also after ALREADY_DONE: the worker that did the work may have died before publishing.
        with session_scope(settings.database_url) as session:
            queued = job_repository.queued_ids_of(session, [result.interaction_id])
        publish(settings, queued)
    return _log(result)


def analyze_task(job_id: int) -> str:
    """Sentiment, topic and rubric score of one interaction, or a rubric preview (exactly once)."""
    return _log(lifecycle.execute(settings=get_settings(), job_id=job_id))


def _log(result: lifecycle.JobResult) -> str:
    log.info("job %s (%s): %s %s", result.job_id, result.kind, result.outcome.value, result.error or "")
    return result.outcome.value


# Which models a worker process loads at start, set by `callcoach worker` from its queues.
preload_queues: tuple[str, ...] = ()


@signals.worker_process_init.connect
def _load_models_once(**_: object) -> None:
    """In each new worker process: fresh database connections, and the models for its queues loaded once."""
    from qa import db
    from qa.jobs import ml_models
    from transcription.transcriber import get_transcriber

    db.get_engine.cache_clear()  # never share the parent's pooled connections across fork
    db._session_factory.cache_clear()
    settings = get_settings()
    if TRANSCRIBE_QUEUE in preload_queues:
        get_transcriber(ml_models.engine_options(settings))
    if SCORE_QUEUE in preload_queues:
        ml_models.encoder(settings)  # the same (int8 unless configured) encoder the jobs use
    log.info("worker process ready (models for %s)", ", ".join(preload_queues) or "none")


@signals.worker_ready.connect
def _start_lease_sweeper(**_: object) -> None:
    """In the worker's main process: publish again the jobs whose lease ran out (their process was killed),
    long before the visibility timeout would bring their task back."""
    settings = get_settings()

    def sweep() -> None:
        while True:
            time.sleep(settings.job_lease_seconds / 3)
            try:
                reclaimed = lifecycle.reclaim_expired(settings)
                if reclaimed:
                    log.warning("jobs %s lost their worker: published again", reclaimed)
                    publish(settings, reclaimed)
            except Exception:  # the next sweep tries again
                log.warning("lease sweep failed", exc_info=True)

    threading.Thread(target=sweep, name="callcoach-lease-sweeper", daemon=True).start()
