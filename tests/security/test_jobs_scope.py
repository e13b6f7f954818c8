"""Attack: a supervisor lists, reads and retries the jobs of another team's interactions."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from qa.jobs import lifecycle
from qa.jobs import service as job_service
from qa.models import Job, JobKind, JobStatus
from tests.qa.api import conftest as api
from tests.qa.api.conftest import World

# The API tests' two-team world, client and tokens.
world, client, auth = api.world, api.client, api.auth

Auth = Callable[[str], dict[str, str]]


def _failed_jobs(settings: Settings, world: World) -> dict[str, int]:
    with session_scope(settings.database_url) as session:
        ids = {}
        for name in ("maria_chat", "ahmed_call"):
            job = job_service.enqueue(
                session=session, kind=JobKind.ANALYZE, interaction_id=world.interactions[name]
            )
            session.flush()
            lifecycle.finish(session, job.id, "model exploded")
            ids[name] = job.id
        ids["file"] = job_service.record_failed_ingest(
            session=session, source_path="/x/bad.wav", error="bad"
        ).id
        return ids


def test_supervisor_sees_and_retries_only_their_teams_jobs(
    client: TestClient,
    world: World,
    auth: Auth,
    settings: Settings,
) -> None:
    jobs = _failed_jobs(settings, world)
    # sam supervises North (maria); ahmed's call is South's.
    listed = client.get("/api/jobs", headers=auth("sam"))
    assert listed.status_code == 200 and [j["id"] for j in listed.json()] == [jobs["maria_chat"]]
    assert client.get(f"/api/jobs/{jobs['ahmed_call']}", headers=auth("sam")).status_code == 404
    assert client.get(f"/api/jobs/{jobs['file']}", headers=auth("sam")).status_code == 404

    retried = client.post(f"/api/jobs/{jobs['ahmed_call']}/retry", headers=auth("sam"))
    assert retried.status_code == 404
    with session_scope(settings.database_url) as session:
        assert session.get(Job, jobs["ahmed_call"]).status == JobStatus.FAILED  # type: ignore[union-attr]

    # Inside the scope it still works, and the manager sees everything.
    own = client.post(f"/api/jobs/{jobs['maria_chat']}/retry", headers=auth("sam"))
    assert own.status_code == 200
    assert {j["id"] for j in client.get("/api/jobs", headers=auth("mona")).json()} == set(jobs.values())
    assert client.get(f"/api/jobs/{jobs['ahmed_call']}", headers=auth("sue")).status_code == 200


def test_counts_and_view_retry_follow_the_scope(world: World, settings: Settings) -> None:
    from qa.auth.service import principal_for
    from qa.errors import NotFound

    jobs = _failed_jobs(settings, world)
    with session_scope(settings.database_url) as session:
        sam = principal_for(session=session, username="sam")
        assert sam is not None
        counts = job_service.job_counts_for(session=session, principal=sam)
    assert counts[JobStatus.FAILED] == 1
    # The coaching view retries through the same rule.
    try:
        lifecycle.retry_failed(settings=settings, job_ids=[jobs["ahmed_call"]], principal=sam)
    except NotFound:
        pass
    else:
        raise AssertionError("a supervisor retried another team's job")
    report = lifecycle.retry_failed(settings=settings, job_ids=[], principal=sam)
    assert report.requeued_jobs == [jobs["maria_chat"]]
