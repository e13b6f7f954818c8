"""Attacks: a supervisor uploads for another team's agent, creates an agent in another team, or learns the
id of another team's interaction from a duplicate answer. Uploads are audited."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qa.config import Settings
from qa.db import session_scope
from qa.jobs import runner
from qa.models import Agent, AuditEntry, Interaction, Team
from tests.factories import conversation
from tests.qa.api import conftest as api
from tests.qa.api.conftest import World

world, client, auth = api.world, api.client, api.auth
Auth = Callable[[str], dict[str, str]]


@pytest.fixture(autouse=True)
def _no_processing(monkeypatch: pytest.MonkeyPatch) -> None:
    # What is stored is under test here, not the scoring that follows an upload.
    monkeypatch.setattr(runner, "process_new_interactions", lambda *_: None)


def _upload(client: TestClient, headers: dict[str, str], external_id: str, **fields: object):  # type: ignore[no-untyped-def]
    body = json.dumps(conversation(external_id, **fields)).encode()  # type: ignore[arg-type]
    return client.post("/api/interactions", headers=headers, files={"file": (f"{external_id}.json", body)})


def _stored(settings: Settings, external_id: str) -> bool:
    with session_scope(settings.database_url) as session:
        query = select(Interaction.id).where(Interaction.external_id == external_id)
        return session.scalar(query) is not None


def test_supervisor_cannot_upload_outside_their_team(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    # sam supervises North; ahmed.k is South's agent.
    answer = _upload(client, auth("sam"), "x-south", agent="ahmed.k")
    assert answer.status_code == 403 and "ahmed.k" in answer.json()["detail"]
    assert not _stored(settings, "x-south")

    # A new agent placed in another team: refused, and neither the agent nor the team is left behind.
    answer = _upload(client, auth("sam"), "x-new-east", agent="zed.q", team="East")
    assert answer.status_code == 403 and not _stored(settings, "x-new-east")
    answer = _upload(client, auth("sam"), "x-new-south", agent="zed.q", team="South")
    assert answer.status_code == 403
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(Agent).where(Agent.name == "zed.q")) is None
        assert session.scalar(select(Team).where(Team.name == "East")) is None

    # An interaction without an agent would be invisible to its own uploader.
    anonymous = conversation("x-anon")
    del anonymous["agent"]
    files = {"file": ("x-anon.json", json.dumps(anonymous).encode())}
    assert client.post("/api/interactions", headers=auth("sam"), files=files).status_code == 403

    # A new agent without a team joins the supervisor's team, and the upload is audited.
    answer = _upload(client, auth("sam"), "x-nia", agent="nia.r")
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["interactions"][0]
    assert client.get(f"/api/interactions/{new_id}", headers=auth("sam")).status_code == 200
    with session_scope(settings.database_url) as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "upload")))
        assert [(e.username, e.entity, e.entity_id) for e in entries] == [("sam", "interaction", new_id)]
        assert entries[0].before is None and entries[0].after["file"] == "x-nia.json"  # type: ignore[index]


def test_duplicate_answer_does_not_name_another_teams_interaction(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    first = _upload(client, auth("mona"), "x-dup", agent="ahmed.k")
    assert first.status_code == 201
    south_id = first.json()["interactions"][0]
    again = _upload(client, auth("sam"), "x-dup", agent="ahmed.k")
    assert again.status_code == 201
    body = again.json()
    assert body["interactions"] == [] and body["duplicates"] == [] and body["duplicates_out_of_scope"] == 1
    assert str(south_id) not in again.text.replace('"duplicates_out_of_scope":1', "")
    # Inside the scope the duplicate is named, as before.
    assert _upload(client, auth("sue"), "x-dup", agent="ahmed.k").json()["duplicates"] == [south_id]
