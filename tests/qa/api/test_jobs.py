"""Job routes: reviewers list, read and retry failed jobs; agents may not."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from qa.jobs import service as job_service
from qa.models import JobKind, JobStatus
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def test_list_read_and_retry(client: TestClient, world: World, auth: Auth, settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        analyze = job_service.enqueue(
            session=session, kind=JobKind.ANALYZE, interaction_id=world.interactions["maria_chat"]
        )
        job_service.finish(session=session, job=analyze, error="model exploded")
        ingest = job_service.record_failed_ingest(
            session=session, source_path="/data/bad.wav", error="corrupt"
        )
        session.flush()
        analyze_id, ingest_id = analyze.id, ingest.id

    listed = client.get("/api/jobs", headers=auth("sam"))
    assert listed.status_code == 200 and {j["id"] for j in listed.json()} == {analyze_id, ingest_id}
    failed_ingests = client.get("/api/jobs?status=failed&kind=ingest", headers=auth("sam")).json()
    assert [j["id"] for j in failed_ingests] == [ingest_id]
    one = client.get(f"/api/jobs/{analyze_id}", headers=auth("mona")).json()
    assert one["status"] == "failed" and one["error"] == "model exploded" and one["kind"] == "analyze"

    retried = client.post(f"/api/jobs/{analyze_id}/retry", headers=auth("ada"))
    assert retried.status_code == 200 and retried.json()["status"] == JobStatus.QUEUED.value
    assert client.post(f"/api/jobs/{analyze_id}/retry", headers=auth("ada")).status_code == 409
    assert client.post(f"/api/jobs/{ingest_id}/retry", headers=auth("ada")).status_code == 409
    assert client.get("/api/jobs/999999", headers=auth("sam")).status_code == 404


def test_agents_cannot_see_jobs(client: TestClient, world: World, auth: Auth) -> None:
    assert client.get("/api/jobs", headers=auth("maria")).status_code == 403
    assert client.get("/api/jobs/1", headers=auth("maria")).status_code == 403
    assert client.post("/api/jobs/1/retry", headers=auth("maria")).status_code == 403
