"""Self-evaluation: the agent scores her own interaction before review; reviewers see both side by side."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from qa.config import Settings
from qa.db import session_scope
from qa.models import Evaluation, RubricVersion
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def test_self_evaluation_then_side_by_side(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    url = f"/api/interactions/{chat}/self-evaluation"
    created = client.post(
        url, headers=auth("maria"), json={"answers": {"empathy": "pass", "greeting": "pass"}}
    )
    assert created.status_code == 201, created.text
    rows = {r["criterion_id"]: r for r in created.json()["rows"]}
    assert rows["empathy"]["self_answer"] == "pass" and rows["empathy"]["reviewer_answer"] == "fail"
    assert rows["empathy"]["agrees"] is False and rows["greeting"]["agrees"] is True
    assert rows["verify_address"]["self_answer"] is None and rows["verify_address"]["agrees"] is None
    # Once per evaluation.
    assert client.post(url, headers=auth("maria"), json={"answers": {"empathy": "fail"}}).status_code == 409

    client.post(
        f"/api/interactions/{chat}/review/criteria/empathy", headers=auth("sam"), json={"result": "pass"}
    )
    seen = client.get(url, headers=auth("sam")).json()
    empathy = next(r for r in seen["rows"] if r["criterion_id"] == "empathy")
    assert empathy["agrees"] is True and empathy["reviewed_by"] == "sam" and seen["submitted_at"]
    audit = client.get(f"/api/audit?interaction_id={chat}", headers=auth("mona")).json()
    assert "self_evaluate" in [e["action"] for e in audit]


def test_self_evaluation_rules_and_scope(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    url = f"/api/interactions/{ids['maria_chat']}/self-evaluation"
    assert client.post(url, headers=auth("li"), json={"answers": {"empathy": "pass"}}).status_code == 404
    assert client.post(url, headers=auth("sam"), json={"answers": {"empathy": "pass"}}).status_code == 403
    assert client.get(url, headers=auth("sue")).status_code == 404
    assert client.get(url, headers=auth("ahmed")).status_code == 404
    assert client.post(url, headers=auth("maria"), json={"answers": {"nope": "pass"}}).status_code == 409
    assert client.post(url, headers=auth("maria"), json={"answers": {"empathy": "maybe"}}).status_code == 422
    # After a reviewer answered, it is too late.
    client.post(f"/api/interactions/{ids['maria_chat']}/review/finalize", headers=auth("sam"))
    assert client.post(url, headers=auth("maria"), json={"answers": {"empathy": "pass"}}).status_code == 409


def test_a_rubric_can_turn_self_evaluation_off(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    chat = world.interactions["maria_chat"]
    url = f"/api/interactions/{chat}/self-evaluation"
    assert client.get(url, headers=auth("maria")).json()["allowed"] is True
    with session_scope(settings.database_url) as session:
        version = session.scalars(
            select(RubricVersion).join(Evaluation).where(Evaluation.interaction_id == chat)
        ).one()
        version.content = "id: public_works_chat\nself_evaluation: false\n"
    assert client.get(url, headers=auth("maria")).json()["allowed"] is False
    refused = client.post(url, headers=auth("maria"), json={"answers": {"empathy": "pass"}})
    assert refused.status_code == 409 and "no self-evaluation" in refused.json()["detail"]
