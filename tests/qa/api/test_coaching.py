"""Coaching notes: written by reviewers, read within scope, acknowledged only by their agent."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from starlette.testclient import httpx  # the client library TestClient was built on

from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def _note(
    client: TestClient, headers: dict[str, str], interaction_id: int, text: str = "Verify the address."
) -> httpx.Response:
    body = {
        "interaction_id": interaction_id,
        "text": text,
        "criterion_id": "verify_address",
        "at_seconds": 12.5,
    }
    return client.post("/api/coaching-notes", headers=headers, json=body)


def test_note_lifecycle(client: TestClient, world: World, auth: Auth) -> None:
    created = _note(client, auth("sam"), world.interactions["maria_chat"])
    assert created.status_code == 201, created.text
    note = created.json()
    assert note["agent"] == "maria.g" and note["author"] == "sam" and note["acknowledged_at"] is None
    assert note["criterion_id"] == "verify_address" and note["at_seconds"] == 12.5

    assert [n["id"] for n in client.get("/api/coaching-notes", headers=auth("maria")).json()] == [note["id"]]
    assert client.get("/api/coaching-notes", headers=auth("li")).json() == []
    assert client.get("/api/coaching-notes", headers=auth("sue")).json() == []
    assert len(client.get("/api/coaching-notes?agent=maria.g", headers=auth("mona")).json()) == 1

    acknowledge = f"/api/coaching-notes/{note['id']}/acknowledge"
    # Only the note's agent: a colleague does not see it, the supervisor who wrote it may not.
    assert client.post(acknowledge, headers=auth("li")).status_code == 404
    assert client.post(acknowledge, headers=auth("sam")).status_code == 403
    assert client.post(acknowledge, headers=auth("mona")).status_code == 403
    done = client.post(acknowledge, headers=auth("maria"))
    assert done.status_code == 200 and done.json()["acknowledged_at"] is not None
    again = client.post(acknowledge, headers=auth("maria"))
    assert again.json()["acknowledged_at"] == done.json()["acknowledged_at"]

    actions = [e["action"] for e in client.get("/api/audit?entity=coaching_note", headers=auth("ada")).json()]
    assert actions == ["acknowledge_note", "create_note"]


def test_who_may_write_notes(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    assert _note(client, auth("maria"), ids["maria_chat"]).status_code == 403
    assert _note(client, auth("sue"), ids["maria_chat"]).status_code == 404
    assert _note(client, auth("sue"), ids["ahmed_call"]).status_code == 201
    assert _note(client, auth("mona"), ids["li_chat"]).status_code == 201
    assert _note(client, auth("sam"), 999999).status_code == 404
    assert _note(client, auth("sam"), ids["li_chat"], text="").status_code == 422
    assert client.post("/api/coaching-notes/999999/acknowledge", headers=auth("maria")).status_code == 404
