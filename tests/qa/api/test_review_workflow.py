"""Review workflow: pending criteria block finalizing, a final review can be reopened, no-op overrides."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from tests.qa.api.conftest import World
from tests.qa.builders import CriterionSpec, add_interaction

Auth = Callable[[str], dict[str, str]]


def test_finalizing_is_refused_while_a_criterion_is_pending(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    with session_scope(settings.database_url) as session:
        chat = add_interaction(
            session,
            agent="maria.g",
            criteria=[
                CriterionSpec("greeting", "pass"),
                CriterionSpec("resolution", "pending", confidence=0.0),
            ],
        ).id
    refused = client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam"))
    assert refused.status_code == 409 and "resolution" in refused.json()["detail"]
    detail = client.get(f"/api/interactions/{chat}", headers=auth("maria")).json()["evaluation"]
    assert {c["criterion_id"]: c["origin"] for c in detail["criteria"]} == {
        "greeting": "machine",
        "resolution": "pending",
    }
    answered = client.post(
        f"/api/interactions/{chat}/review/criteria/resolution", headers=auth("sam"), json={"result": "pass"}
    )
    assert answered.status_code == 200
    assert client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam")).status_code == 200


def test_reopen_a_final_review(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    reopen = f"/api/interactions/{chat}/review/reopen"
    assert client.post(reopen, headers=auth("sam")).status_code == 409  # not final yet
    assert client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam")).status_code == 200
    assert client.post(reopen, headers=auth("maria")).status_code == 403
    assert client.post(reopen, headers=auth("sue")).status_code == 404
    reopened = client.post(reopen, headers=auth("sam"))
    assert reopened.status_code == 200 and reopened.json()["review_status"] == "reviewed"
    overridden = client.post(
        f"/api/interactions/{chat}/review/criteria/empathy", headers=auth("sam"), json={"result": "pass"}
    )
    assert overridden.status_code == 200
    audit = client.get(f"/api/audit?interaction_id={chat}", headers=auth("mona")).json()
    assert [e["action"] for e in audit] == ["override_criterion", "reopen_review", "finalize_review"]
    assert audit[1]["before"]["review_status"] == "final" and audit[1]["after"]["review_status"] == "reviewed"


def test_override_to_the_same_answer_is_not_an_override(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    same = client.post(
        f"/api/interactions/{chat}/review/criteria/empathy", headers=auth("sam"), json={"result": "fail"}
    )
    assert same.status_code == 200
    evaluation = same.json()
    empathy = next(c for c in evaluation["criteria"] if c["criterion_id"] == "empathy")
    assert empathy["machine_result"] is None and empathy["origin"] == "machine"
    assert evaluation["review_status"] == "pending"
    assert client.get(f"/api/audit?interaction_id={chat}", headers=auth("mona")).json() == []


def test_low_confidence_answers_say_so(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    with session_scope(settings.database_url) as session:
        chat = add_interaction(
            session, agent="maria.g", criteria=[CriterionSpec("greeting", "pass", confidence=0.3)]
        ).id
    criteria = client.get(f"/api/interactions/{chat}", headers=auth("maria")).json()["evaluation"]["criteria"]
    assert criteria[0]["origin"] == "machine_low_confidence" and criteria[0]["confidence"] == 0.3
