"""Job routes: reviewers list, read and retry failed jobs; agents may not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from qa.auth.service import principal_for
from qa.config import Settings
from qa.db import session_scope
from qa.errors import PermissionDenied
from qa.jobs import lifecycle
from qa.jobs import service as job_service
from qa.models import JobKind, JobStatus
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def test_list_read_and_retry(client: TestClient, world: World, auth: Auth, settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        analyze = job_service.enqueue(
            session=session, kind=JobKind.ANALYZE, interaction_id=world.interactions["maria_chat"]
        )
        session.flush()
        lifecycle.finish(session, analyze.id, "model exploded")
        ingest = job_service.record_failed_ingest(
            session=session, source_path="/data/bad.wav", error="corrupt"
        )
        session.flush()
        analyze_id, ingest_id = analyze.id, ingest.id

    listed = client.get("/api/jobs", headers=auth("mona"))
    assert listed.status_code == 200 and {j["id"] for j in listed.json()} == {analyze_id, ingest_id}
    failed_ingests = client.get("/api/jobs?status=failed&kind=ingest", headers=auth("mona")).json()
    assert [j["id"] for j in failed_ingests] == [ingest_id]
    one = client.get(f"/api/jobs/{analyze_id}", headers=auth("mona")).json()
    assert one["status"] == "failed" and one["error"] == "model exploded" and one["kind"] == "analyze"

    retried = client.post(f"/api/jobs/{analyze_id}/retry", headers=auth("ada"))
    assert retried.status_code == 200 and retried.json()["status"] == JobStatus.QUEUED.value
    assert client.post(f"/api/jobs/{analyze_id}/retry", headers=auth("ada")).status_code == 409
    assert client.post(f"/api/jobs/{ingest_id}/retry", headers=auth("ada")).status_code == 409
    assert client.get("/api/jobs/999999", headers=auth("sam")).status_code == 404


def test_jobs_are_paged(client: TestClient, world: World, auth: Auth, settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        ids = [
            job_service.record_failed_ingest(session=session, source_path=f"/data/{n}.wav", error="bad").id
            for n in range(5)
        ]
    page = client.get("/api/jobs?limit=2&offset=1", headers=auth("mona")).json()
    assert [j["id"] for j in page] == ids[1:3]
    assert [j["id"] for j in client.get("/api/jobs?offset=4", headers=auth("mona")).json()] == ids[4:]
    assert client.get("/api/jobs?limit=0", headers=auth("sam")).status_code == 422
    assert client.get("/api/jobs?limit=501", headers=auth("sam")).status_code == 422


def test_job_service_checks_the_role(world: World, settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        job_service.record_failed_ingest(session=session, source_path="/data/x.wav", error="bad")
        maria, mona = (principal_for(session=session, username=u) for u in ("maria", "mona"))
        assert maria is not None and mona is not None
        with pytest.raises(PermissionDenied):
            job_service.list_jobs_for(session=session, principal=maria)
        with pytest.raises(PermissionDenied):
            job_service.job_counts_for(session=session, principal=maria)
        counts = job_service.job_counts_for(session=session, principal=mona)
        assert (
            counts[JobStatus.FAILED] == 1 and counts[JobStatus.QUEUED] == 0 and len(counts) == len(JobStatus)
        )


def test_agents_cannot_see_jobs(client: TestClient, world: World, auth: Auth) -> None:
    assert client.get("/api/jobs", headers=auth("maria")).status_code == 403
    assert client.get("/api/jobs/1", headers=auth("maria")).status_code == 403
    assert client.post("/api/jobs/1/retry", headers=auth("maria")).status_code == 403
