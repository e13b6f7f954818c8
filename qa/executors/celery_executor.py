"""The distributed executor: queued jobs are published as Celery tasks to Redis."""

from __future__ import annotations

from collections.abc import Sequence

from qa.config import Settings
from qa.db import session_scope
from qa.executors.celery_app import QUEUE_FOR_KIND, TASK_FOR_KIND, get_app
from qa.jobs import repository as job_repository
from qa.models import JobKind


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
            rows = job_repository.unfinished(session, job_ids)
        return self._publish(rows)

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
