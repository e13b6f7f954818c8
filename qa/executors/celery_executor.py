"""The distributed executor: queued jobs are published as Celery tasks to Redis."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from qa.config import Settings
from qa.db import session_scope
from qa.executors.celery_app import QUEUE_FOR_KIND, TASK_FOR_KIND, get_app
from qa.models import Job, JobKind, JobStatus


def task_id(kind: JobKind, interaction_id: int | None, job_id: int) -> str:
    """Tasks are keyed by interaction and job: `analyze-42-97`."""
    return f"{kind.value}-{interaction_id}-{job_id}"


class CeleryExecutor:
    """Publishes jobs; `callcoach worker` processes run them."""

    remote = True

    def dispatch(self, *, settings: Settings, job_ids: Sequence[int]) -> int:
        """Publish a task for each of these jobs not finished yet; returns how many were published."""
        if not job_ids:
            return 0
        with session_scope(settings.database_url) as session:
            query = select(Job.id, Job.kind, Job.interaction_id).where(
                Job.id.in_(list(job_ids)), Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])
            )
            rows = [(r[0], r[1], r[2]) for r in session.execute(query)]
        return self._publish(rows)

    def dispatch_queued(self, *, settings: Settings, kinds: Sequence[JobKind] = ()) -> int:
        """Publish every queued job (duplicates of tasks already in the queue are harmless)."""
        with session_scope(settings.database_url) as session:
            query = select(Job.id).where(Job.status == JobStatus.QUEUED, Job.kind.in_(list(QUEUE_FOR_KIND)))
            if kinds:
                query = query.where(Job.kind.in_(list(kinds)))
            ids = list(session.scalars(query.order_by(Job.id)))
        return self.dispatch(settings=settings, job_ids=ids)

    def dispatch_open_jobs(self, *, settings: Settings, interaction_id: int) -> int:
        """Publish the interaction's queued jobs (the analysis a transcription queued)."""
        with session_scope(settings.database_url) as session:
            query = select(Job.id).where(Job.interaction_id == interaction_id, Job.status == JobStatus.QUEUED)
            ids = list(session.scalars(query))
        return self.dispatch(settings=settings, job_ids=ids)

    def _publish(self, rows: Sequence[tuple[int, JobKind, int | None]]) -> int:
        app = get_app()
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
