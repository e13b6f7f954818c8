"""Where jobs run: in this process (the embedded default) or on Celery workers through Redis.

Executors only dispatch: claiming, attempts, running and finishing are qa.jobs.lifecycle's, either way.
In process, a pool of threads sized to the cores claims and runs jobs; the heavy parts (CTranslate2
decoding, torch encoding) release the GIL, so threads overlap, sharing models through the process caches.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator, Sequence
from typing import Protocol

from qa.config import Settings
from qa.jobs import lifecycle
from qa.models import JobKind


class Executor(Protocol):
    remote: bool

    def dispatch(self, *, settings: Settings, job_ids: Sequence[int]) -> int:
        """Hand these queued jobs over for running; returns how many were published."""
        ...


def get_executor(settings: Settings) -> Executor:
    """Celery when CALLCOACH_QUEUE_URL is set, else the in-process pool."""
    return CeleryExecutor() if settings.queue_url else InProcessExecutor()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class CeleryExecutor:
    """Publishes jobs as Celery tasks; `callcoach worker` processes run them."""

    remote = True

    def dispatch(self, *, settings: Settings, job_ids: Sequence[int]) -> int:
        """Publish a task for each of these jobs not finished yet; returns how many were published."""
        from qa.jobs import tasks  # imports celery only when a queue is configured

        return tasks.publish(settings, job_ids)


class InProcessExecutor:
    """Runs jobs here; nothing is published anywhere."""

    remote = False

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()

    def dispatch(self, *, settings: Settings, job_ids: Sequence[int]) -> int:
        """Nothing to publish: queued jobs wait in the job table for `callcoach process`."""
        return 0

    def run(
        self, *, settings: Settings, limit: int | None = None, kinds: Sequence[JobKind] = ()
    ) -> Iterator[lifecycle.JobResult]:
        """Claim and run queued jobs until none is left or `limit` ran; yields each result."""
        results: queue.Queue[lifecycle.JobResult | BaseException | None] = queue.Queue()
        stop = threading.Event()
        budget = threading.Semaphore(limit) if limit is not None else None

        def work() -> None:
            try:
                while not stop.is_set():
                    if budget is not None and not budget.acquire(blocking=False):
                        return
                    job_id = lifecycle.claim_next_id(settings, kinds)
                    if job_id is None:
                        return
                    results.put(lifecycle.run_claimed(settings=settings, job_id=job_id))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                results.put(exc)
            finally:
                results.put(None)

        threads = [threading.Thread(target=work, name=f"callcoach-job-{i}") for i in range(self.workers)]
        for thread in threads:
            thread.start()
        running = len(threads)
        try:
            while running:
                item = results.get()
                if item is None:
                    running -= 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
        finally:
            stop.set()  # on an error or Ctrl-C: jobs in flight finish, no new one starts
            for thread in threads:
                thread.join()
