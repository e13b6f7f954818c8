"""Human review: overrides recompute the total, keep the machine's answer and are audited."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from starlette.testclient import httpx  # the client library TestClient was built on

from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def _override(
    client: TestClient, headers: dict[str, str], interaction_id: int, criterion: str, **body: object
) -> httpx.Response:
    return client.post(
        f"/api/interactions/{interaction_id}/review/criteria/{criterion}", headers=headers, json=body
    )


def test_override_recomputes_total_and_writes_audit(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]  # greeting, verify_address, no_personal_data pass; empathy fails
    answer = _override(client, auth("sam"), chat, "empathy", result="pass", comment="She did apologise.")
    assert answer.status_code == 200, answer.text
    evaluation = answer.json()
    assert evaluation["total"] == 100.0 and evaluation["review_status"] == "reviewed"
    empathy = next(c for c in evaluation["criteria"] if c["criterion_id"] == "empathy")
    assert empathy["result"] == "pass" and empathy["machine_result"] == "fail"
    assert empathy["points"] == empathy["max_points"] and empathy["override_comment"] == "She did apologise."

    # fail earns 0; na leaves the criterion out: 20 of 30 points.
    assert _override(client, auth("mona"), chat, "verify_address", result="fail").json()["total"] == 75.0
    second = _override(client, auth("mona"), chat, "greeting", result="na").json()
    assert second["total"] == round(100 * 20 / 30, 1)  # the evaluator's rule: one decimal
    greeting = next(c for c in second["criteria"] if c["criterion_id"] == "greeting")
    assert greeting["machine_result"] == "pass"

    audit = client.get(f"/api/audit?interaction_id={chat}", headers=auth("mona")).json()
    assert [e["action"] for e in audit] == ["override_criterion"] * 3
    first_entry = audit[-1]
    assert first_entry["username"] == "sam" and first_entry["entity"] == "criterion_result"
    assert first_entry["before"]["result"] == "fail" and first_entry["before"]["total"] == 75.0
    assert first_entry["after"]["result"] == "pass" and first_entry["after"]["total"] == 100.0
    assert first_entry["created_at"]


def test_failing_a_critical_criterion_auto_fails(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["li_chat"]
    evaluation = _override(client, auth("sam"), chat, "no_personal_data", result="fail").json()
    assert evaluation["auto_fail"] is True and evaluation["total"] == 0.0
    restored = _override(client, auth("sam"), chat, "no_personal_data", result="pass").json()
    assert restored["auto_fail"] is False and restored["total"] == 75.0
    listed = client.get("/api/interactions?review_status=reviewed", headers=auth("sam")).json()
    assert [i["id"] for i in listed["items"]] == [chat]


def test_finalize_then_overrides_are_refused(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    final = client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam"))
    assert final.status_code == 200 and final.json()["review_status"] == "final"
    assert _override(client, auth("sam"), chat, "empathy", result="pass").status_code == 409
    assert client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam")).status_code == 409
    entries = client.get(f"/api/audit?interaction_id={chat}", headers=auth("ada")).json()
    assert entries[0]["action"] == "finalize_review" and entries[0]["after"]["review_status"] == "final"


def test_review_permissions_and_scope(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    # An agent may not override, not even their own interaction.
    assert _override(client, auth("maria"), ids["maria_chat"], "empathy", result="pass").status_code == 403
    assert (
        client.post(
            f"/api/interactions/{ids['maria_chat']}/review/finalize", headers=auth("maria")
        ).status_code
        == 403
    )
    # A supervisor cannot review another team's interaction: it does not exist for them.
    assert _override(client, auth("sue"), ids["maria_chat"], "empathy", result="pass").status_code == 404
    assert (
        _override(client, auth("sam"), ids["maria_chat"], "no_such_criterion", result="pass").status_code
        == 404
    )
    assert _override(client, auth("sam"), ids["maria_chat"], "empathy", result="maybe").status_code == 422
    # The audit log itself is for managers and admins.
    assert client.get("/api/audit", headers=auth("sam")).status_code == 403
    assert client.get("/api/audit", headers=auth("maria")).status_code == 403
