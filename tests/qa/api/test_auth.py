"""Login and bearer tokens."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.qa.api.conftest import World
from tests.qa.builders import PASSWORD


def test_login_gives_a_token_that_opens_the_api(client: TestClient, world: World) -> None:
    answer = client.post("/api/auth/token", data={"username": "maria", "password": PASSWORD})
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    listing = client.get("/api/interactions", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert listing.status_code == 200


def test_wrong_password_is_401(client: TestClient, world: World) -> None:
    answer = client.post("/api/auth/token", data={"username": "maria", "password": "not-the-password"})
    assert answer.status_code == 401
    assert (
        client.post("/api/auth/token", data={"username": "nobody", "password": PASSWORD}).status_code == 401
    )


def test_every_route_but_login_needs_a_valid_token(
    client: TestClient, world: World, auth: Callable[[str], dict[str, str]]
) -> None:
    chat = world.interactions["maria_chat"]
    routes = [
        ("get", "/api/interactions"),
        ("get", f"/api/interactions/{chat}"),
        ("get", f"/api/interactions/{chat}/audio"),
        ("post", "/api/interactions"),
        ("post", f"/api/interactions/{chat}/review/criteria/greeting"),
        ("post", f"/api/interactions/{chat}/review/finalize"),
        ("get", "/api/coaching-notes"),
        ("post", "/api/coaching-notes"),
        ("post", "/api/coaching-notes/1/acknowledge"),
        ("get", "/api/agents/maria.g/trend"),
        ("get", "/api/reports/period?start=2026-03-01&end=2026-03-31"),
        ("get", "/api/reports/dashboard"),
        ("get", "/api/jobs"),
        ("get", "/api/jobs/1"),
        ("post", "/api/jobs/1/retry"),
        ("get", "/api/audit"),
        ("get", "/api/rubrics"),
        ("post", "/api/rubrics/public_works_chat/drafts"),
        ("post", "/api/rubrics/public_works_chat/preview"),
        ("post", "/api/rubrics/public_works_chat/publish"),
    ]
    bad = {"Authorization": "Bearer not-a-token"}
    for method, path in routes:
        assert client.request(method, path).status_code == 401, path
        assert client.request(method, path, headers=bad).status_code == 401, path
    # A valid signature for a user that does not exist is refused too.
    assert client.get("/api/interactions", headers=auth("ghost")).status_code == 401


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/auth/token", "/api/interactions", "/api/reports/period", "/api/jobs/{job_id}/retry"} <= set(
        spec["paths"]
    )
    assert client.get("/docs").status_code == 200
