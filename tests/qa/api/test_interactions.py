"""Listing, reading and hearing interactions, each role inside its scope."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from qa.models import Interaction
from tests.factories import tone, write_wav
from tests.qa.api.conftest import World
from tests.qa.builders import CriterionSpec, add_interaction, add_media

Auth = Callable[[str], dict[str, str]]


def _ids(client: TestClient, headers: dict[str, str], query: str = "") -> set[int]:
    answer = client.get(f"/api/interactions{query}", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["items"])
    return {item["id"] for item in body["items"]}


def test_each_role_lists_only_its_scope(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    north = {ids["maria_chat"], ids["maria_fail"], ids["li_chat"]}
    assert _ids(client, auth("maria")) == {ids["maria_chat"], ids["maria_fail"]}
    assert _ids(client, auth("li")) == {ids["li_chat"]}
    assert _ids(client, auth("sam")) == north
    assert _ids(client, auth("sue")) == {ids["ahmed_call"]}
    assert _ids(client, auth("mona")) == set(ids.values())
    assert _ids(client, auth("ada")) == set(ids.values())
    # Asking for another agent's work by name does not widen the scope.
    assert _ids(client, auth("maria"), "?agent=li.w") == set()
    assert _ids(client, auth("sue"), "?agent=maria.g") == set()


def test_list_items_carry_the_summary_fields(client: TestClient, world: World, auth: Auth) -> None:
    body = client.get("/api/interactions", headers=auth("mona")).json()
    item = next(i for i in body["items"] if i["id"] == world.interactions["maria_fail"])
    assert item["agent"] == "maria.g"
    assert item["channel"] == "email"
    assert item["topic"] == "street_sweeping"
    assert item["score"] == 0.0 and item["auto_fail"] is True
    assert item["review_status"] == "pending"
    assert item["started_at"].startswith("2026-03-02")


def test_filters(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    mona = auth("mona")
    assert _ids(client, mona, "?agent=maria.g") == {ids["maria_chat"], ids["maria_fail"]}
    assert _ids(client, mona, "?channel=call") == {ids["ahmed_call"]}
    assert _ids(client, mona, "?topic=pothole") == {ids["li_chat"]}
    assert _ids(client, mona, "?auto_fail=true") == {ids["maria_fail"]}
    assert _ids(client, mona, "?auto_fail=false") == set(ids.values()) - {ids["maria_fail"]}
    assert _ids(client, mona, "?min_score=50&max_score=100") == set(ids.values()) - {ids["maria_fail"]}
    assert _ids(client, mona, "?max_score=10") == {ids["maria_fail"]}
    assert _ids(client, mona, "?sentiment=negative") == {ids["maria_fail"]}
    assert _ids(client, mona, "?sentiment=positive") == {ids["maria_chat"], ids["li_chat"], ids["ahmed_call"]}
    assert _ids(client, mona, "?review_status=reviewed") == set()
    assert _ids(client, mona, "?start=2026-03-02&end=2026-03-02") == set(ids.values())
    assert _ids(client, mona, "?start=2026-03-03") == set()
    assert _ids(client, mona, "?end=2026-03-01") == set()


def test_paging_sorting_and_limits(client: TestClient, world: World, auth: Auth) -> None:
    mona = auth("mona")
    page = client.get("/api/interactions?limit=2&offset=0&sort=priority", headers=mona).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    assert page["items"][0]["id"] == world.interactions["maria_fail"]  # auto-fail first
    rest = client.get("/api/interactions?limit=2&offset=2&sort=priority", headers=mona).json()
    assert {i["id"] for i in page["items"]} | {i["id"] for i in rest["items"]} == set(
        world.interactions.values()
    )
    assert client.get("/api/interactions?limit=501", headers=mona).status_code == 422
    assert client.get("/api/interactions?limit=0", headers=mona).status_code == 422
    assert client.get("/api/interactions?sentiment=angry", headers=mona).status_code == 422


def test_evaluation_sorts_page_through_scored_then_unscored_rows(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    """Scored rows come from index-served segments, unscored ones after them: every page boundary agrees."""
    ids = world.interactions
    with session_scope(settings.database_url) as session:
        second_fail = add_interaction(
            session,
            agent="li.w",
            total=20.0,
            criteria=[CriterionSpec("no_personal_data", "fail", critical=True)],
        ).id
        unscored = {
            mood: add_interaction(session, agent="maria.g", criteria=None, customer_sentiment_end=mood).id
            for mood in (0.9, -0.8, None)
        }
    # Auto-fails by lowest total, then the lowest totals (sentiment, then the newest id, break ties), then
    # the unscored by sentiment.
    priority = [ids["maria_fail"], second_fail, ids["li_chat"], ids["maria_chat"], ids["ahmed_call"]]
    priority += [unscored[-0.8], unscored[0.9], unscored[None]]
    headers = auth("mona")

    def listed(sort: str, limit: int, offset: int) -> list[int]:
        answer = client.get(f"/api/interactions?sort={sort}&limit={limit}&offset={offset}", headers=headers)
        assert answer.status_code == 200 and answer.json()["total"] == 8
        return [item["id"] for item in answer.json()["items"]]

    assert listed("priority", 50, 0) == priority
    for size in (1, 2, 3, 5):
        paged = [i for offset in range(0, 8, size) for i in listed("priority", size, offset)]
        assert paged == priority, size
    assert listed("priority", 3, 20) == []
    by_score = listed("score", 50, 0)
    assert by_score[:2] == [ids["maria_fail"], second_fail] and set(by_score[5:]) == set(unscored.values())
    assert [i for offset in range(0, 8, 3) for i in listed("score", 3, offset)] == by_score
    pending = client.get("/api/interactions?sort=priority&review_status=pending", headers=headers).json()
    assert pending["total"] == 5 and [item["id"] for item in pending["items"]] == priority[:5]


def test_detail_has_turns_metrics_and_evidence(client: TestClient, world: World, auth: Auth) -> None:
    answer = client.get(f"/api/interactions/{world.interactions['maria_chat']}", headers=auth("maria"))
    assert answer.status_code == 200
    detail = answer.json()
    assert detail["agent"] == "maria.g" and detail["has_audio"] is False
    assert detail["turns"][0]["speaker"] == "agent" and detail["turns"][1]["text"]
    assert detail["metrics"]["holds"] == 0
    assert detail["sentiment"]["customer_end"] == 0.3
    evaluation = detail["evaluation"]
    assert evaluation["total"] == 75.0 and evaluation["review_status"] == "pending"
    greeting = evaluation["criteria"][0]
    assert greeting["criterion_id"] == "greeting" and greeting["question"]
    assert greeting["evidence"][0]["turn"] == 0 and greeting["evidence"][0]["text"]


def test_reading_outside_the_scope_is_404(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    assert client.get(f"/api/interactions/{ids['li_chat']}", headers=auth("maria")).status_code == 404
    assert client.get(f"/api/interactions/{ids['ahmed_call']}", headers=auth("sam")).status_code == 404
    assert client.get(f"/api/interactions/{ids['maria_chat']}", headers=auth("sue")).status_code == 404
    assert client.get(f"/api/interactions/{ids['li_chat']}", headers=auth("sam")).status_code == 200
    assert client.get(f"/api/interactions/{ids['ahmed_call']}", headers=auth("mona")).status_code == 200
    assert client.get("/api/interactions/999999", headers=auth("ada")).status_code == 404
    audio = f"/api/interactions/{ids['ahmed_call']}/audio"
    assert client.get(audio, headers=auth("maria")).status_code == 404


def test_audio_download(
    client: TestClient, world: World, auth: Auth, settings: Settings, tmp_path: Path
) -> None:
    call_id = world.interactions["ahmed_call"]
    wav = write_wav(tmp_path / "call.wav", [tone(0.5), np.zeros(4000, dtype=np.float32)])
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, call_id)
        assert interaction is not None
        add_media(session, interaction, str(wav))
    answer = client.get(f"/api/interactions/{call_id}/audio", headers=auth("ahmed"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "audio/wav"
    assert answer.content == wav.read_bytes()
    # A chat has no recording.
    chat = world.interactions["maria_chat"]
    assert client.get(f"/api/interactions/{chat}/audio", headers=auth("maria")).status_code == 404
