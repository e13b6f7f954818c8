"""Disputes: the agent opens one on her own criterion, the team's supervisor upholds or rejects it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from starlette.testclient import httpx  # the client library TestClient was built on

from qa.config import Settings
from qa.db import session_scope
from qa.models import Evaluation
from qa.models.base import utcnow
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def _open(
    client: TestClient,
    headers: dict[str, str],
    interaction_id: int,
    criterion: str = "empathy",
    **extra: object,
) -> httpx.Response:
    body = {"criterion_id": criterion, "reason": "I did say sorry at 0:40.", **extra}
    return client.post(f"/api/interactions/{interaction_id}/disputes", headers=headers, json=body)


def _resolve(
    client: TestClient, headers: dict[str, str], dispute_id: int, decision: str, comment: str = "Checked."
) -> httpx.Response:
    body = {"decision": decision, "comment": comment}
    return client.post(f"/api/disputes/{dispute_id}/resolve", headers=headers, json=body)


def test_upheld_dispute_changes_answer_and_total_and_is_audited(
    client: TestClient, world: World, auth: Auth
) -> None:
    chat = world.interactions["maria_chat"]  # empathy fails: 30 of 40 points, 75.0
    opened = _open(client, auth("maria"), chat)
    assert opened.status_code == 201, opened.text
    dispute = opened.json()
    assert dispute["status"] == "open" and dispute["criterion_id"] == "empathy"
    assert dispute["disputed_result"] == "fail" and dispute["requested_result"] == "pass"
    assert dispute["opened_by"] == "maria" and dispute["evaluation_total"] == 75.0

    # The supervisor of her team sees it in the open ones; the other team's supervisor does not.
    assert [d["id"] for d in client.get("/api/disputes?status=open", headers=auth("sam")).json()] == [
        dispute["id"]
    ]
    assert client.get("/api/disputes?status=open", headers=auth("sue")).json() == []
    assert client.get("/api/disputes", headers=auth("li")).json() == []

    resolved = _resolve(client, auth("sam"), dispute["id"], "upheld", "Yes, she apologised.")
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body["status"] == "upheld" and body["resolved_by"] == "sam" and body["evaluation_total"] == 100.0
    assert body["decision_comment"] == "Yes, she apologised."

    # The agent sees the outcome and her new score; the answer is now a person's.
    mine = client.get("/api/disputes?status=upheld", headers=auth("maria")).json()
    assert [d["id"] for d in mine] == [dispute["id"]]
    evaluation = client.get(f"/api/interactions/{chat}", headers=auth("maria")).json()["evaluation"]
    assert evaluation["total"] == 100.0 and evaluation["review_status"] == "reviewed"
    empathy = next(c for c in evaluation["criteria"] if c["criterion_id"] == "empathy")
    assert empathy["result"] == "pass" and empathy["machine_result"] == "fail"
    assert empathy["origin"] == "person" and empathy["reviewed_by"] == "sam" and empathy["reviewed_at"]

    audit = client.get(f"/api/audit?interaction_id={chat}", headers=auth("mona")).json()
    assert [e["action"] for e in audit] == ["resolve_dispute", "open_dispute"]
    resolve_entry, open_entry = audit
    assert open_entry["username"] == "maria" and open_entry["after"]["status"] == "open"
    assert resolve_entry["before"]["total"] == 75.0 and resolve_entry["after"]["total"] == 100.0
    assert resolve_entry["before"]["result"] == "fail" and resolve_entry["after"]["result"] == "pass"

    # Closed: a second decision is refused, a new dispute on the same criterion may be opened.
    assert _resolve(client, auth("sam"), dispute["id"], "rejected").status_code == 409
    assert _open(client, auth("maria"), chat).status_code == 201


def test_rejected_dispute_keeps_the_score(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    dispute = _open(client, auth("maria"), chat).json()
    body = _resolve(client, auth("mona"), dispute["id"], "rejected", "No apology in the call.").json()
    assert body["status"] == "rejected" and body["evaluation_total"] == 75.0
    evaluation = client.get(f"/api/interactions/{chat}", headers=auth("maria")).json()["evaluation"]
    empathy = next(c for c in evaluation["criteria"] if c["criterion_id"] == "empathy")
    assert empathy["result"] == "fail" and empathy["origin"] == "machine"


def test_one_open_dispute_per_criterion(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    assert _open(client, auth("maria"), chat).status_code == 201
    again = _open(client, auth("maria"), chat)
    assert again.status_code == 409 and "already has an open dispute" in again.json()["detail"]
    # Another criterion is fine; asking for the answer it already has is not a dispute.
    assert _open(client, auth("maria"), chat, "verify_address", requested_result="na").status_code == 201
    assert _open(client, auth("maria"), chat, "greeting", requested_result="pass").status_code == 409


def test_dispute_on_a_final_review_reopens_then_closes_it(
    client: TestClient, world: World, auth: Auth
) -> None:
    chat = world.interactions["maria_chat"]
    assert client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam")).status_code == 200
    dispute = _open(client, auth("maria"), chat).json()
    reopened = client.get(f"/api/interactions/{chat}", headers=auth("sam")).json()["evaluation"]
    assert reopened["review_status"] == "reviewed"
    # While reopened, the supervisor may correct the disputed criterion directly.
    assert _resolve(client, auth("sam"), dispute["id"], "upheld").json()["evaluation_total"] == 100.0
    closed = client.get(f"/api/interactions/{chat}", headers=auth("sam")).json()["evaluation"]
    assert closed["review_status"] == "final"


def test_dispute_window(client: TestClient, world: World, auth: Auth, settings: Settings) -> None:
    chat = world.interactions["maria_chat"]
    with session_scope(settings.database_url) as session:
        session.execute(
            update(Evaluation)
            .where(Evaluation.interaction_id == chat)
            .values(created_at=utcnow() - timedelta(days=15))
        )
    late = _open(client, auth("maria"), chat)
    assert late.status_code == 409 and "closed on" in late.json()["detail"]
    # Finalizing later starts the window again.
    with session_scope(settings.database_url) as session:
        session.execute(
            update(Evaluation)
            .where(Evaluation.interaction_id == chat)
            .values(finalized_at=utcnow() - timedelta(days=13))
        )
    assert _open(client, auth("maria"), chat).status_code == 201


def test_dispute_scope_and_roles(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    # Anyone else's interaction does not exist for the agent.
    assert _open(client, auth("li"), ids["maria_chat"]).status_code == 404
    assert _open(client, auth("ahmed"), ids["maria_chat"]).status_code == 404
    assert _open(client, auth("maria"), 999_999).status_code == 404
    assert _open(client, auth("maria"), ids["maria_chat"], "no_such_criterion").status_code == 404
    # Reviewers do not dispute, they override.
    assert _open(client, auth("sam"), ids["maria_chat"]).status_code == 403
    assert _open(client, auth("maria"), ids["maria_chat"], reason="").status_code == 422
    assert _open(client, auth("maria"), ids["maria_chat"], reason="   ").status_code == 409

    dispute = _open(client, auth("maria"), ids["maria_chat"]).json()
    # Resolving: the agent may not, the other team's supervisor does not see it, bad decisions are 422.
    assert _resolve(client, auth("maria"), dispute["id"], "upheld").status_code == 403
    assert _resolve(client, auth("sue"), dispute["id"], "upheld").status_code == 404
    assert _resolve(client, auth("sam"), 999_999, "upheld").status_code == 404
    assert _resolve(client, auth("sam"), dispute["id"], "open").status_code == 422
    assert client.get("/api/disputes?status=maybe", headers=auth("sam")).status_code == 422
    assert client.get("/api/disputes").status_code == 401
    # Managers see every team's.
    assert len(client.get("/api/disputes", headers=auth("mona")).json()) == 1


def test_dispute_notifications(client: TestClient, world: World, auth: Auth) -> None:
    dispute = _open(client, auth("maria"), world.interactions["maria_chat"]).json()
    inbox = client.get("/api/notifications", headers=auth("sam")).json()
    assert inbox["unread"] == 1 and inbox["items"][0]["kind"] == "dispute_opened"
    assert client.get("/api/notifications", headers=auth("sue")).json()["unread"] == 0
    _resolve(client, auth("sam"), dispute["id"], "rejected")
    mine = client.get("/api/notifications", headers=auth("maria")).json()
    assert mine["unread"] == 1 and "rejected" in mine["items"][0]["text"]
