"""The embedded executor: queued jobs run in this process on a pool of threads sized to the cores.

The heavy parts (CTranslate2 decoding, torch encoding) release the GIL, so threads overlap; models are
shared by the threads through the process-wide caches.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence

from qa.config import Settings
from qa.db import session_scope
from qa.executors import runner
from qa.models import JobKind


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class InProcessExecutor:
    """Runs jobs here; nothing is published anywhere."""

    remote = False

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()

    def dispatch(self, *, settings: Settings, job_ids: Sequence[int]) -> int:
        """Nothing to publish: queued jobs wait in the job table for `callcoach process`."""
        return 0

    def run(
        self,
        *,
        settings: Settings,
        claim: Callable[[Settings, Sequence[JobKind]], int | None],
        limit: int | None = None,
        kinds: Sequence[JobKind] = (),
    ) -> Iterator[runner.JobResult]:
        """Run queued jobs (claimed with `claim`) until none is left or `limit` ran; yields each result."""
        results: queue.Queue[runner.JobResult | BaseException | None] = queue.Queue()
        stop = threading.Event()
        budget = threading.Semaphore(limit) if limit is not None else None

        def work() -> None:
            try:
                while not stop.is_set():
                    if budget is not None and not budget.acquire(blocking=False):
                        return
                    job_id = claim(settings, kinds)
                    if job_id is None:
                        return
                    results.put(runner.run_claimed(settings=settings, job_id=job_id))
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


def claim_one(settings: Settings, kinds: Sequence[JobKind]) -> int | None:
    """Claim the next runnable job in its own transaction; its id, or None when there is none."""
    from qa import pipeline

    with session_scope(settings.database_url) as session:
        job = pipeline.claim_next(session, kinds)
        return job.id if job else None
