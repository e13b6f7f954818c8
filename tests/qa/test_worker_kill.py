"""Real workers against real Redis and PostgreSQL: a worker killed with SIGKILL mid-job, a new one started,
and the result stored exactly once; a task published twice stores one evaluation.

The worker processes are `callcoach worker` subprocesses in their own process group (killed as a group).
A short visibility timeout brings the dead worker's unacknowledged task back quickly; a test-only delay
(CALLCOACH_TEST_STEP_DELAY) holds the job open after its results are written and before they commit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select, text

from qa.config import Settings
from qa.db import session_scope
from qa.ingestion import service as ingestion
from qa.jobs import runner
from qa.models import Evaluation, Job, JobKind, JobStatus, Turn

REPO = Path(__file__).resolve().parents[2]
CALL = REPO / "samples" / "calls" / "call_01_missed_bin_good.flac"
CHAT = REPO / "samples" / "transcripts" / "chat-1001.json"
CALLCOACH = Path(sys.executable).parent / "callcoach"

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]

WorkerStarter = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def queue_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Real Redis, with a key prefix of this test's own (test runs may share the database)."""
    url, prefix = "redis://127.0.0.1:6379/12", f"cc-kill-{uuid.uuid4().hex[:8]}:"
    monkeypatch.setenv("CALLCOACH_QUEUE_KEY_PREFIX", prefix)  # the workers inherit it too
    yield url
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def queued_settings(settings: Settings, queue_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CALLCOACH_QUEUE_URL", queue_url)
    prefix = os.environ["CALLCOACH_QUEUE_KEY_PREFIX"]
    return settings.model_copy(update={"queue_url": queue_url, "queue_key_prefix": prefix})


@pytest.fixture
def start_worker(queued_settings: Settings, tmp_path: Path) -> Iterator[WorkerStarter]:
    workers: list[subprocess.Popen[bytes]] = []

    def start(
        *,
        queues: str = "transcribe,score",
        concurrency: int = 1,
        step_delay: float = 0,
        name: str = "w",
        visibility_timeout: float = 3,
        lease_seconds: float = 60,
    ) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "CALLCOACH_QUEUE_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "CALLCOACH_QUEUE_RESTORE_INTERVAL": "1",
            "CALLCOACH_JOB_LEASE_SECONDS": str(lease_seconds),
            "CALLCOACH_TEST_STEP_DELAY": str(step_delay),
            "HF_HUB_OFFLINE": "1",
        }
        log = (tmp_path / f"{name}.log").open("wb")
        command = [str(CALLCOACH), "worker", f"--queues={queues}", f"--concurrency={concurrency}"]
        worker = subprocess.Popen(
            command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)


def ingest(settings: Settings, path: Path) -> int:
    with session_scope(settings.database_url) as session:
        outcome = ingestion.ingest_file(
            session=session, path=path, settings=settings, options=ingestion.options_from_settings(settings)
        )
    [interaction_id] = outcome.ingested
    return interaction_id


def jobs_of(settings: Settings, interaction_id: int) -> dict[JobKind, Job]:
    with session_scope(settings.database_url) as session:
        jobs = session.scalars(select(Job).where(Job.interaction_id == interaction_id)).all()
        assert len(jobs) == len({j.kind for j in jobs}), "one job per kind"
        return {j.kind: j for j in jobs}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def counts(settings: Settings, interaction_id: int) -> tuple[int, int, int]:
    """Turns, evaluations, current evaluations of the interaction."""
    with session_scope(settings.database_url) as session:
        turns = session.scalar(select(func.count()).where(Turn.interaction_id == interaction_id)) or 0
        mine = select(func.count()).where(Evaluation.interaction_id == interaction_id)
        evaluations = session.scalar(mine) or 0
        current = session.scalar(mine.where(Evaluation.is_current)) or 0
    return turns, evaluations, current


def test_killed_worker_job_is_picked_up_again_and_stored_once(
    queued_settings: Settings, start_worker: WorkerStarter
) -> None:
    settings = queued_settings
    # A short lease: the job comes back seconds after the kill, not the minute of the default test lease.
    first = start_worker(queues="transcribe", step_delay=30, name="first", lease_seconds=6)
    interaction_id = ingest(settings, CALL)
    assert runner.hand_over_interactions(settings, [interaction_id]) == 1

    def transcribed_not_committed() -> bool:
        job = jobs_of(settings, interaction_id)[JobKind.TRANSCRIBE]
        return job.status == JobStatus.RUNNING and _results_written_uncommitted(settings)

    wait_for(transcribed_not_committed, 240, "the first worker to write the transcript (uncommitted)")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    job = jobs_of(settings, interaction_id)[JobKind.TRANSCRIBE]
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)
    assert counts(settings, interaction_id) == (0, 0, 0)  # the killed transaction left nothing behind

    start_worker(name="second", lease_seconds=6)

    def analyzed() -> bool:
        jobs = jobs_of(settings, interaction_id)
        return JobKind.ANALYZE in jobs and jobs[JobKind.ANALYZE].status == JobStatus.DONE

    # Generous: the second worker loads both models and transcribes on a shared, loaded machine.
    wait_for(analyzed, 240, "the second worker to transcribe and score the call")
    jobs = jobs_of(settings, interaction_id)
    assert jobs[JobKind.TRANSCRIBE].status == JobStatus.DONE and jobs[JobKind.TRANSCRIBE].attempts >= 2
    assert jobs[JobKind.ANALYZE].attempts == 1
    turns, evaluations, current = counts(settings, interaction_id)
    assert turns > 0 and (evaluations, current) == (1, 1)
    with session_scope(settings.database_url) as session:
        indexes = session.scalars(select(Turn.index).where(Turn.interaction_id == interaction_id)).all()
    assert sorted(indexes) == list(range(turns))


def _results_written_uncommitted(settings: Settings) -> bool:
    """A transaction holds a write lock on the turn table: turns inserted, not committed yet."""
    query = text(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'turn' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    with session_scope(settings.database_url) as session:
        return bool(session.scalar(query))


def test_duplicated_task_stores_one_evaluation(
    queued_settings: Settings, start_worker: WorkerStarter, tmp_path: Path
) -> None:
    settings = queued_settings
    interaction_id = ingest(settings, CHAT)
    # The same job published three times, to a worker with two processes that take two copies at once.
    for _ in range(3):
        assert runner.hand_over_interactions(settings, [interaction_id]) == 1
    start_worker(queues="score", concurrency=2, step_delay=2, name="dup")
    scored = lambda: jobs_of(settings, interaction_id)[JobKind.ANALYZE].status == JobStatus.DONE  # noqa: E731
    wait_for(scored, 240, "scoring")
    log_file = tmp_path / "dup.log"
    no_ops = "(analyze): already_done"
    wait_for(lambda: log_file.read_text().count(no_ops) >= 2, 120, "the other copies to find the job done")
    assert counts(settings, interaction_id)[1:] == (1, 1)
    job = jobs_of(settings, interaction_id)[JobKind.ANALYZE]
    # A copy that starts while the first still runs counts an attempt, then waits and finds the job done.
    assert 1 <= job.attempts <= 3
    # Once done, every other copy (more than two when the short visibility timeout redelivers one) is a no-op.
    assert log_file.read_text().count(f"job {job.id} (analyze): done") == 1


def test_killed_worker_job_runs_again_within_the_lease_not_the_visibility_timeout(
    queued_settings: Settings, start_worker: WorkerStarter, tmp_path: Path
) -> None:
    """The default 2-hour visibility timeout stays; the lease (short here) brings the job back."""
    settings = queued_settings
    lease = 4.0
    slow = dict(visibility_timeout=7200, lease_seconds=lease)
    first = start_worker(queues="score", step_delay=600, name="leased", **slow)
    interaction_id = ingest(settings, CHAT)
    assert runner.hand_over_interactions(settings, [interaction_id]) == 1

    def running_with_heartbeat() -> bool:
        job = jobs_of(settings, interaction_id)[JobKind.ANALYZE]
        return job.status == JobStatus.RUNNING and _results_uncommitted(settings, "evaluation")

    wait_for(running_with_heartbeat, 240, "the first worker to score the chat (uncommitted)")
    # A second worker, idle with its models loaded, as in production.
    start_worker(queues="score", name="after", **slow)
    log = tmp_path / "after.log"
    wait_for(lambda: "worker process ready" in log.read_text(), 240, "the second worker to load its models")
    assert jobs_of(settings, interaction_id)[JobKind.ANALYZE].status == JobStatus.RUNNING  # heartbeat kept it
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    killed_at = time.monotonic()
    done = lambda: jobs_of(settings, interaction_id)[JobKind.ANALYZE].status == JobStatus.DONE  # noqa: E731
    wait_for(done, 110, "the job of the killed worker to run again")
    assert time.monotonic() - killed_at < 120
    job = jobs_of(settings, interaction_id)[JobKind.ANALYZE]
    assert job.attempts == 2
    assert counts(settings, interaction_id)[1:] == (1, 1)


def _results_uncommitted(settings: Settings, table: str) -> bool:
    query = text(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = :table AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    with session_scope(settings.database_url) as session:
        return bool(session.scalar(query, {"table": table}))
