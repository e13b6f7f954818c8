"""Where jobs run: in this process (the embedded default) or on Celery workers through Redis.

Both executors share one interface: `dispatch` hands queued jobs over (a no-op in process, where
`callcoach process` runs them), and a job's work is done exactly once by qa.executors.runner either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from qa.config import Settings
from qa.executors.inprocess import InProcessExecutor
from qa.executors.runner import JobResult, Outcome, execute


class Executor(Protocol):
    remote: bool

    def dispatch(self, *, settings: Settings, job_ids: Sequence[int]) -> int:
        """Hand these queued jobs over for running; returns how many were published."""
        ...


def get_executor(settings: Settings) -> Executor:
    """Celery when CALLCOACH_QUEUE_URL is set, else the in-process pool."""
    if settings.queue_url:
        from qa.executors.celery_executor import CeleryExecutor  # imports celery only when used

        return CeleryExecutor()
    return InProcessExecutor()


__all__ = ["Executor", "InProcessExecutor", "JobResult", "Outcome", "execute", "get_executor"]
