"""Attacks on the workers: a job that never returns held a worker for two hours, and a job whose process
was killed waited for the visibility timeout before anyone ran it again."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.jobs import lifecycle
from qa.jobs import repository as job_repository
from qa.jobs import service as job_service
from qa.models import Job, JobKind, JobLease, JobStatus
from qa.models.base import utcnow
from tests.qa.builders import add_interaction


def _queued_job(settings: Settings) -> int:
    with session_scope(settings.database_url) as session:
        interaction = add_interaction(session, agent="maria.g", criteria=None)
        return job_service.enqueue(session=session, kind=JobKind.ANALYZE, interaction_id=interaction.id).id


def test_a_stuck_job_fails_with_its_reason_within_the_time_limit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stuck(session: Session, interaction_id: int, settings: Settings) -> None:
        while True:  # a step that never returns (a runaway loop)
            time.sleep(0.01)

    monkeypatch.setitem(lifecycle.STEPS, JobKind.ANALYZE, stuck)
    limited = settings.model_copy(update={"job_time_limit": 1.0, "job_lease_seconds": 0.6})
    job_id = _queued_job(settings)
    results: list[lifecycle.JobResult] = []
    runner = threading.Thread(
        target=lambda: results.append(lifecycle.execute(settings=limited, job_id=job_id))
    )
    runner.daemon = True  # on the old code this thread never ends
    runner.start()
    runner.join(30)
    assert not runner.is_alive(), "the stuck job still holds its thread"
    [result] = results
    assert result.outcome == lifecycle.Outcome.FAILED
    assert result.error == f"JobTimeLimit: job {job_id} ran longer than its time limit of 1 s"
    with session_scope(settings.database_url) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == JobStatus.FAILED and "time limit" in (job.error or "")
        assert session.get(JobLease, job_id) is None


def test_the_heartbeat_keeps_a_long_job_and_a_dead_one_is_reclaimed_within_the_lease(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    lease = settings.model_copy(update={"job_lease_seconds": 0.9})
    seen_during_run: list[list[int]] = []

    def slow(session: Session, interaction_id: int, settings: Settings) -> None:
        for _ in range(8):  # three lease lengths: only the heartbeat keeps it
            time.sleep(0.3)
            seen_during_run.append(lifecycle.reclaim_expired(lease))

    monkeypatch.setitem(lifecycle.STEPS, JobKind.ANALYZE, slow)
    job_id = _queued_job(settings)
    assert lifecycle.execute(settings=lease, job_id=job_id).outcome == lifecycle.Outcome.DONE
    assert all(found == [] for found in seen_during_run), "a live job was taken back"

    # A worker that claimed a job and died: no heartbeat, so its lease runs out and it is claimed again.
    dead = _queued_job(settings)
    assert lifecycle.claim_next_id(lease) == dead
    with session_scope(settings.database_url) as session:
        assert job_repository.next_runnable(session, (), utcnow()) is None  # the lease is alive
    assert lifecycle.reclaim_expired(lease) == []
    with session_scope(settings.database_url) as session:
        gone = utcnow() - timedelta(seconds=1)
        session.execute(update(JobLease).where(JobLease.job_id == dead).values(expires_at=gone))
    assert lifecycle.reclaim_expired(lease) == [dead]
    assert lifecycle.reclaim_expired(lease) == []  # taken once, by one sweeper
    assert lifecycle.execute(settings=lease, job_id=dead).outcome == lifecycle.Outcome.DONE
    with session_scope(settings.database_url) as session:
        job = session.get(Job, dead)
        assert job is not None and (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert lifecycle.reclaim_expired(lease) == []
