"""Exactly-once job execution and the executor interface, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select, update

from qa.config import Settings
from qa.db import session_scope
from qa.ingestion import service as ingestion
from qa.jobs import lifecycle, runner
from qa.jobs.executors import CeleryExecutor, InProcessExecutor, get_executor
from qa.jobs.lifecycle import Outcome, execute
from qa.models import Evaluation, Job, JobKind, JobLease, JobStatus, Turn
from qa.models.base import utcnow

REPO = Path(__file__).resolve().parents[2]
CHATS = REPO / "samples" / "transcripts"
REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[redis.Redis, str]]:
    """Real Redis, with a key prefix of this test's own (test runs may share the database)."""
    prefix = f"cc-test-{uuid.uuid4().hex[:8]}:"
    monkeypatch.setenv("CALLCOACH_QUEUE_URL", REDIS_URL)
    monkeypatch.setenv("CALLCOACH_QUEUE_KEY_PREFIX", prefix)
    client = redis.Redis.from_url(REDIS_URL)
    yield client, prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def with_queue(settings: Settings) -> Settings:
    """The settings with the test queue (and the key prefix the `queue` fixture set, if any)."""
    prefix = os.environ.get("CALLCOACH_QUEUE_KEY_PREFIX", "")
    return settings.model_copy(update={"queue_url": REDIS_URL, "queue_key_prefix": prefix})


@pytest.fixture
def rubric_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(settings, "rubrics_dir", REPO / "rubrics")
    return settings


def ingest(settings: Settings, *names: str) -> list[int]:
    ids: list[int] = []
    for name in names:
        with session_scope(settings.database_url) as session:
            outcome = ingestion.ingest_file(
                session=session,
                path=CHATS / name,
                settings=settings,
                options=ingestion.options_from_settings(settings),
            )
        ids.extend(outcome.ingested)
    return ids


def job_of(settings: Settings, interaction_id: int) -> Job:
    with session_scope(settings.database_url) as session:
        return session.scalars(select(Job).where(Job.interaction_id == interaction_id)).one()


def evaluations_of(settings: Settings, interaction_id: int) -> int:
    with session_scope(settings.database_url) as session:
        query = select(func.count()).select_from(Evaluation)
        return session.scalar(query.where(Evaluation.interaction_id == interaction_id)) or 0


def test_running_the_same_job_again_stores_nothing_twice(rubric_settings: Settings) -> None:
    settings = rubric_settings
    [interaction_id] = ingest(settings, "chat-1001.json")
    job_id = job_of(settings, interaction_id).id
    first = execute(settings=settings, job_id=job_id)
    again = execute(settings=settings, job_id=job_id)
    assert (first.outcome, again.outcome) == (Outcome.DONE, Outcome.ALREADY_DONE)
    job = job_of(settings, interaction_id)
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert evaluations_of(settings, interaction_id) == 1


def test_concurrent_duplicates_give_one_evaluation(rubric_settings: Settings) -> None:
    settings = rubric_settings
    [interaction_id] = ingest(settings, "chat-1002.json")
    job_id = job_of(settings, interaction_id).id
    [warm_up] = ingest(settings, "chat-1003.json")
    execute(settings=settings, job_id=job_of(settings, warm_up).id)  # models loaded before the race
    outcomes: list[Outcome] = []
    start = threading.Barrier(3)

    def duplicate() -> None:
        start.wait()
        outcomes.append(execute(settings=settings, job_id=job_id).outcome)

    threads = [threading.Thread(target=duplicate) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One runs it; the others find it done, or running under a live lease (skipped: its worker has it).
    assert outcomes.count(Outcome.DONE) == 1
    assert set(outcomes) - {Outcome.DONE} <= {Outcome.ALREADY_DONE, Outcome.SKIPPED}
    assert evaluations_of(settings, interaction_id) == 1
    with session_scope(settings.database_url) as session:
        current = session.scalar(
            select(func.count())
            .select_from(Evaluation)
            .where(Evaluation.interaction_id == interaction_id, Evaluation.is_current)
        )
        assert current == 1
    assert job_of(settings, interaction_id).status == JobStatus.DONE


def test_a_failed_job_is_not_run_by_a_stray_task(rubric_settings: Settings) -> None:
    settings = rubric_settings
    [interaction_id] = ingest(settings, "chat-1004.json")
    job_id = job_of(settings, interaction_id).id
    with session_scope(settings.database_url) as session:
        session.execute(update(Job).where(Job.id == job_id).values(status=JobStatus.FAILED, error="boom"))
    assert execute(settings=settings, job_id=job_id).outcome == Outcome.SKIPPED
    assert evaluations_of(settings, interaction_id) == 0


def test_claims_never_hand_one_job_to_two_workers(settings: Settings) -> None:
    ids = ingest(settings, *(f"chat-10{n:02d}.json" for n in range(1, 9)))
    claimed: list[int] = []
    lock = threading.Lock()

    def claim_all() -> None:
        while (job_id := pipeline_claim(settings)) is not None:
            with lock:
                claimed.append(job_id)

    threads = [threading.Thread(target=claim_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claimed) == len(ids) == len(set(claimed))


def pipeline_claim(settings: Settings) -> int | None:
    with session_scope(settings.database_url) as session:
        job = lifecycle.claim_next(session, settings)
        return job.id if job else None


def test_a_job_left_running_by_a_dead_process_is_claimed_again(settings: Settings) -> None:
    [interaction_id] = ingest(settings, "chat-1005.json")
    job_id = pipeline_claim(settings)
    assert job_id is not None and pipeline_claim(settings) is None  # running, its lease alive
    with session_scope(settings.database_url) as session:
        # No heartbeat renewed it: the process died and the lease ran out.
        long_ago = utcnow() - timedelta(seconds=1)
        session.execute(update(JobLease).where(JobLease.job_id == job_id).values(expires_at=long_ago))
    assert pipeline_claim(settings) == job_id
    assert job_of(settings, interaction_id).attempts == 2


def test_in_process_pool_runs_everything_once(rubric_settings: Settings) -> None:
    settings = rubric_settings
    ids = ingest(settings, *(f"chat-10{n:02d}.json" for n in range(1, 7)))
    report = runner.run_queued(settings=settings, workers=3)
    assert (report.done, report.failed) == (len(ids), 0), report.errors
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(Evaluation)) == len(ids)
        assert all(j.attempts == 1 for j in session.scalars(select(Job)))
        turns = session.execute(select(Turn.interaction_id, Turn.index)).all()
        assert len(turns) == len(set(turns))


def test_the_executor_follows_the_queue_url(settings: Settings) -> None:
    assert isinstance(get_executor(settings), InProcessExecutor)
    assert get_executor(settings).dispatch(settings=settings, job_ids=[1]) == 0
    queued = with_queue(settings)
    assert isinstance(get_executor(queued), CeleryExecutor)


def test_dispatch_publishes_queued_jobs_keyed_by_interaction(
    settings: Settings, queue: tuple[redis.Redis, str]
) -> None:
    client, prefix = queue
    queued = with_queue(settings)
    [first, second] = ingest(settings, "chat-1006.json", "chat-1007.json")
    report = runner.run_queued(settings=queued)
    assert (report.dispatched, report.done) == (2, 0)
    assert client.llen(f"{prefix}score") == 2 and client.llen(f"{prefix}transcribe") == 0
    bodies = [bytes(client.lindex(f"{prefix}score", i) or b"") for i in range(2)]  # type: ignore[arg-type]
    job_ids = [job_of(settings, i).id for i in (first, second)]
    for interaction_id, job_id in zip((first, second), job_ids, strict=True):
        assert any(f"analyze-{interaction_id}-{job_id}".encode() in body for body in bodies)
    # Done jobs are not published again; the job table, not the queue, holds the state.
    with session_scope(settings.database_url) as session:
        session.execute(update(Job).where(Job.id == job_ids[0]).values(status=JobStatus.DONE))
    assert CeleryExecutor().dispatch(settings=queued, job_ids=job_ids) == 1


def test_kinds_go_to_their_own_queues() -> None:
    from qa.jobs.tasks import QUEUE_FOR_KIND, get_app

    assert QUEUE_FOR_KIND == {
        JobKind.TRANSCRIBE: "transcribe",
        JobKind.ANALYZE: "score",
        JobKind.RUBRIC_PREVIEW: "score",
    }
    conf = get_app().conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1


def test_a_job_that_keeps_killing_its_worker_is_given_up(settings: Settings) -> None:
    [interaction_id] = ingest(settings, "chat-1008.json")
    job_id = job_of(settings, interaction_id).id
    with session_scope(settings.database_url) as session:
        session.execute(update(Job).where(Job.id == job_id).values(status=JobStatus.RUNNING, attempts=5))
    result = execute(settings=settings, job_id=job_id)
    assert result.outcome == Outcome.FAILED and "gave up after 5 attempts" in (result.error or "")
    assert job_of(settings, interaction_id).status == JobStatus.FAILED


def test_a_stale_job_that_keeps_killing_its_process_is_given_up_in_process(settings: Settings) -> None:
    [interaction_id] = ingest(settings, "chat-1009.json")
    with session_scope(settings.database_url) as session:
        long_ago = utcnow() - timedelta(days=1)
        values = {"status": JobStatus.RUNNING, "attempts": 5, "started_at": long_ago}
        session.execute(update(Job).where(Job.interaction_id == interaction_id).values(**values))
    assert pipeline_claim(settings) is None
    job = job_of(settings, interaction_id)
    assert job.status == JobStatus.FAILED and "gave up after 5 attempts" in (job.error or "")


def test_retry_publishes_the_requeued_jobs(settings: Settings, queue: tuple[redis.Redis, str]) -> None:
    client, prefix = queue
    queued = with_queue(settings)
    [interaction_id] = ingest(settings, "chat-1010.json")
    with session_scope(settings.database_url) as session:
        session.execute(update(Job).values(status=JobStatus.FAILED, error="boom"))
    report = runner.retry_failed(settings=queued, job_ids=[])
    assert report.requeued == 1 and client.llen(f"{prefix}score") == 1
    assert job_of(settings, interaction_id).status == JobStatus.QUEUED
