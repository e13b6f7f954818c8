"""The Celery application: Redis as broker and result store, one task per job kind on its own queue.

Transcription goes to the `transcribe` queue (GPU machines), analysis and scoring to `score` (CPU machines).
Tasks carry the job id and are keyed by interaction (`transcribe-<interaction>-<job>`); the job row, not the
message, decides whether work is left (see qa.executors.runner), so a duplicated or redelivered task never
stores a result twice. Late acknowledgement plus a visibility timeout bring back the task of a worker that
died mid-job.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from celery import Celery, signals

from qa.assignments import tasks as assignment_tasks
from qa.config import get_settings
from qa.executors import runner
from qa.executors.settings import QueueSettings, get_queue_settings
from qa.models import JobKind

log = logging.getLogger(__name__)

TRANSCRIBE_QUEUE = "transcribe"
SCORE_QUEUE = "score"
QUEUES = (TRANSCRIBE_QUEUE, SCORE_QUEUE)
QUEUE_FOR_KIND = {JobKind.TRANSCRIBE: TRANSCRIBE_QUEUE, JobKind.ANALYZE: SCORE_QUEUE}
TASK_FOR_KIND = {JobKind.TRANSCRIBE: "callcoach.transcribe", JobKind.ANALYZE: "callcoach.analyze"}


def configure(app: Celery, queue: QueueSettings) -> None:
    transport: dict[str, object] = {
        "visibility_timeout": queue.queue_visibility_timeout,
        "unacked_restore_interval": queue.queue_restore_interval,
        "unacked_restore_throttle": 1,
    }
    results: dict[str, object] = {"visibility_timeout": queue.queue_visibility_timeout}
    if queue.queue_key_prefix:
        transport["global_keyprefix"] = results["global_keyprefix"] = queue.queue_key_prefix
    app.conf.update(
        broker_url=queue.queue_url,
        result_backend=queue.queue_url,
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
    )


def get_app() -> Celery:
    """The process-wide Celery app for the configured CALLCOACH_QUEUE_URL."""
    return _app_for(get_queue_settings().model_dump_json())


@lru_cache
def _app_for(queue_json: str) -> Celery:
    app = Celery("callcoach", set_as_current=False)
    configure(app, QueueSettings.model_validate_json(queue_json))
    app.task(name=TASK_FOR_KIND[JobKind.TRANSCRIBE])(transcribe_task)
    app.task(name=TASK_FOR_KIND[JobKind.ANALYZE])(analyze_task)
    assignment_tasks.register(app, get_settings(), SCORE_QUEUE)
    return app


def transcribe_task(job_id: int) -> str:
    """Transcribe a call (exactly once), then publish its analysis to the score queue."""
    result = runner.execute(settings=get_settings(), job_id=job_id)
    finished = result.outcome in (runner.Outcome.DONE, runner.Outcome.ALREADY_DONE)
    if result.interaction_id is not None and finished:
        # Also after ALREADY_DONE: the worker that did the work may have died before publishing.
        from qa.pipeline import hand_over_interactions

        hand_over_interactions(get_settings(), [result.interaction_id])
    return _log(result)


def analyze_task(job_id: int) -> str:
    """Sentiment, topic and rubric score of one interaction (exactly once)."""
    return _log(runner.execute(settings=get_settings(), job_id=job_id))


def _log(result: runner.JobResult) -> str:
    log.info("job %s (%s): %s %s", result.job_id, result.kind, result.outcome.value, result.error or "")
    return result.outcome.value


# Which models a worker process loads at start, set by `callcoach worker` from its queues.
preload_queues: tuple[str, ...] = ()


@signals.worker_process_init.connect
def _load_models_once(**_: object) -> None:
    """In each new worker process: fresh database connections, and the models for its queues loaded once."""
    from qa import db

    db.get_engine.cache_clear()  # never share the parent's pooled connections across fork
    db._session_factory.cache_clear()
    settings = get_settings()
    if TRANSCRIBE_QUEUE in preload_queues:
        from qa.processing.models import engine_options
        from transcription.transcriber import get_transcriber

        get_transcriber(engine_options(settings))
    if SCORE_QUEUE in preload_queues:
        from scoring.embedding import get_encoder

        get_encoder(settings.encoder_model or None)
    log.info("worker process ready (models for %s)", ", ".join(preload_queues) or "none")
