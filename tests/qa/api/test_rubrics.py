"""The scorecard editor's API: roles, validation with the CLI's messages, safe YAML, bounded bodies, the
impact preview (nothing stored but the draft's preview), publishing, history and restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qa.config import Settings
from qa.db import session_scope
from qa.jobs import ml_models, runner
from qa.models import Evaluation, Job, JobKind
from qa.rubrics.schemas import MAX_RUBRIC_CHARS
from scoring.rubric import RubricInvalid, load_rubric
from tests.qa.api.conftest import World
from tests.qa.rubrics.scorecards import CHAT_RUBRIC, use_rubrics_folder

Auth = Callable[[str], dict[str, str]]
CHAT = "public_works_chat"


@pytest.fixture
def rubric_settings(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return use_rubrics_folder(tmp_path, monkeypatch)


@pytest.fixture
def supervisors_edit(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return use_rubrics_folder(tmp_path, monkeypatch, supervisors_edit_scorecards="true")


def _draft(client: TestClient, auth: Auth, who: str = "mona", yaml: str | None = None):  # type: ignore[no-untyped-def]
    body = {} if yaml is None else {"yaml": yaml}
    return client.post(f"/api/rubrics/{CHAT}/drafts", headers=auth(who), json=body)


def _chat_file(settings: Settings) -> Path:
    return ml_models.rubrics_folder(settings) / f"{CHAT}.yaml"


def _evaluation_count(settings: Settings) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(Evaluation)) or 0


def test_readers_list_scorecards_and_agents_may_not(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    listed = client.get("/api/rubrics", headers=auth("mona"))
    assert listed.status_code == 200
    by_id = {r["id"]: r for r in listed.json()}
    assert set(by_id) == {"public_works_chat", "public_works_call"}
    assert by_id[CHAT]["version"] == load_rubric(_chat_file(rubric_settings)).version
    assert by_id[CHAT]["can_edit"] is True
    assert client.get("/api/rubrics", headers=auth("sam")).json()[0]["can_edit"] is False
    assert client.get("/api/rubrics", headers=auth("maria")).status_code == 403
    assert client.get(f"/api/rubrics/{CHAT}", headers=auth("maria")).status_code == 403
    assert client.get(f"/api/rubrics/{CHAT}", headers=auth("sam")).json()["yaml"] == CHAT_RUBRIC


def test_agents_and_supervisors_cannot_draft_or_publish(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    for who in ("maria", "sam"):
        assert _draft(client, auth, who).status_code == 403
    draft = _draft(client, auth).json()
    for who in ("maria", "sam"):
        published = client.post(
            f"/api/rubrics/{CHAT}/publish", headers=auth(who), json={"draft_id": draft["id"], "reason": "x"}
        )
        assert published.status_code == 403
        preview = client.post(
            f"/api/rubrics/{CHAT}/preview", headers=auth(who), json={"draft_id": draft["id"]}
        )
        assert preview.status_code == 403
        edited = client.put(
            f"/api/rubrics/{CHAT}/drafts/{draft['id']}", headers=auth(who), json={"yaml": CHAT_RUBRIC}
        )
        assert edited.status_code == 403
    assert (_chat_file(rubric_settings)).read_text(encoding="utf-8") == CHAT_RUBRIC


def test_supervisors_may_edit_when_configured(
    client: TestClient, auth: Auth, world: World, supervisors_edit: Settings
) -> None:
    assert _draft(client, auth, "sam").status_code == 201
    assert _draft(client, auth, "maria").status_code == 403


def test_a_copy_of_the_version_in_use_is_the_default_draft(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    created = _draft(client, auth)
    assert created.status_code == 201
    draft = created.json()
    assert draft["yaml"] == CHAT_RUBRIC
    assert draft["version"] == draft["base_version"] == load_rubric(_chat_file(rubric_settings)).version
    assert draft["created_by"] == "mona" and draft["status"] == "draft"


def test_invalid_yaml_is_422_with_the_message_of_rubric_validate(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings, tmp_path: Path
) -> None:
    broken = CHAT_RUBRIC.replace("points: 10", "points: -3", 1)
    answer = _draft(client, auth, yaml=broken)
    assert answer.status_code == 422
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RubricInvalid) as cli_error:  # what `callcoach rubric validate` prints
        load_rubric(path)
    detail = answer.json()["detail"]
    assert detail.endswith(str(cli_error.value).removeprefix(f"{path}: "))
    assert "sections[main].criteria[greeting].points" in detail

    syntax = _draft(client, auth, yaml="id: public_works_chat\nsections: [\n")
    assert syntax.status_code == 422 and "YAML syntax error" in syntax.json()["detail"]
    other_id = _draft(client, auth, yaml=CHAT_RUBRIC.replace("id: public_works_chat", "id: another", 1))
    assert other_id.status_code == 422 and "keeps its id" in other_id.json()["detail"]


def test_yaml_is_loaded_safely_and_bodies_are_bounded(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    attack = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    answer = _draft(client, auth, yaml=attack)
    assert answer.status_code == 422
    assert not marker.exists()
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    bomb = _draft(client, auth, yaml=CHAT_RUBRIC + laughs)  # 10^9 items once expanded
    assert bomb.status_code == 422 and "YAML aliases" in bomb.json()["detail"]
    huge = CHAT_RUBRIC + "#" * MAX_RUBRIC_CHARS
    assert _draft(client, auth, yaml=huge).status_code == 422
    limit = client.post(
        f"/api/rubrics/{CHAT}/preview", headers=auth("mona"), json={"draft_id": 1, "limit": 0}
    )
    assert limit.status_code == 422


def test_preview_counts_the_changes_and_stores_no_evaluation(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    # The stored answers: greeting pass, empathy fail on the chats (default turns say "I'm sorry about that").
    edited = CHAT_RUBRIC.replace("phrases: [public works]", "phrases: [good morning]").replace(
        "phrases: [we apologise]", "phrases: [sorry about that]"
    )
    draft = _draft(client, auth, yaml=edited).json()
    before = _evaluation_count(rubric_settings)
    started = client.post(
        f"/api/rubrics/{CHAT}/preview", headers=auth("mona"), json={"draft_id": draft["id"]}
    )
    assert started.status_code == 202
    # TestClient runs the background task before returning; poll as a page would.
    preview = client.get(f"/api/rubrics/{CHAT}/drafts/{draft['id']}/preview", headers=auth("mona")).json()
    assert preview["status"] == "done"
    assert preview["done"] == preview["total"] == 3  # maria_chat, maria_fail (email), li_chat
    result = preview["result"]
    criteria = {c["id"]: c for c in result["criteria"]}
    assert criteria["greeting"]["pass_to_fail"] == 3
    assert criteria["empathy"]["fail_to_pass"] == 2  # the two chats; the e-mail had no empathy answer
    changed = {c["interaction_id"]: c for c in result["changed"]}
    chat = changed[world.interactions["maria_chat"]]
    greeting = next(c for c in chat["criteria"] if c["id"] == "greeting")
    assert greeting["before"] == "pass" and greeting["after"] == "fail"
    empathy = next(c for c in chat["criteria"] if c["id"] == "empathy")
    assert empathy["after_evidence"][0]["text"] == "sorry about that"
    assert {a["name"] for a in result["agents"]} == {"maria.g", "li.w"}
    assert _evaluation_count(rubric_settings) == before
    with session_scope(rubric_settings.database_url) as session:
        job = session.scalars(select(Job).where(Job.kind == JobKind.RUBRIC_PREVIEW)).one()
        assert job.rubric_draft_id == draft["id"] and job.status == "done"
    small = client.post(
        f"/api/rubrics/{CHAT}/preview", headers=auth("mona"), json={"draft_id": draft["id"], "limit": 1}
    )
    assert small.status_code == 202
    assert (
        client.get(f"/api/rubrics/{CHAT}/drafts/{draft['id']}/preview", headers=auth("mona")).json()["total"]
        == 1
    )


def test_a_supervisor_editor_sees_only_their_team_in_the_preview(
    client: TestClient, auth: Auth, world: World, supervisors_edit: Settings
) -> None:
    edited = CHAT_RUBRIC.replace("phrases: [public works]", "phrases: [good morning]")
    draft = _draft(client, auth, "sue", yaml=edited).json()
    client.post(f"/api/rubrics/{CHAT}/preview", headers=auth("sue"), json={"draft_id": draft["id"]})
    result = client.get(f"/api/rubrics/{CHAT}/drafts/{draft['id']}/preview", headers=auth("sue")).json()[
        "result"
    ]
    # South has only ahmed's call, which the chat scorecard does not score.
    assert result["agents"] == [] and result["changed"] == [] and result["teams"] == []
    assert result["evaluated"] == 3


def test_publish_writes_the_file_records_who_and_why_and_keeps_history(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    path = _chat_file(rubric_settings)
    old_version = load_rubric(path).version
    edited = CHAT_RUBRIC.replace("phrases: [we apologise]", "phrases: [sorry about that, we apologise]")
    draft = _draft(client, auth, yaml=edited).json()
    published = client.post(
        f"/api/rubrics/{CHAT}/publish",
        headers=auth("mona"),
        json={"draft_id": draft["id"], "reason": "accept <b>sorry</b> as empathy"},
    )
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["previous_version"] == old_version and body["version"] == draft["version"] != old_version
    assert path.read_text(encoding="utf-8") == edited
    # The pipeline scores the next interaction with the new version.
    assert ml_models.rubric_named(rubric_settings, CHAT)[0].version == body["version"]

    audit = client.get("/api/audit?entity=rubric_draft", headers=auth("mona")).json()
    assert audit[0]["action"] == "publish rubric" and audit[0]["username"] == "mona"
    assert audit[0]["after"]["reason"] == "accept <b>sorry</b> as empathy"
    assert audit[0]["before"]["status"] == "draft" and audit[0]["after"]["status"] == "published"

    history = client.get(f"/api/rubrics/{CHAT}/history", headers=auth("sam")).json()
    # Newest first; the world's evaluations hang on a stored version "test" used before.
    assert [v["version"] for v in history] == [body["version"], old_version, "test"]
    assert history[0]["current"] and history[0]["published_by"] == "mona"
    assert "-          phrases: [we apologise]" in history[0]["diff"]
    assert "+          phrases: [sorry about that, we apologise]" in history[0]["diff"]
    assert history[1]["published_by"] is None and history[-1]["diff"] == ""

    again = client.post(
        f"/api/rubrics/{CHAT}/publish",
        headers=auth("mona"),
        json={"draft_id": draft["id"], "reason": "twice"},
    )
    assert again.status_code == 409


def test_a_draft_of_an_older_version_cannot_overwrite_a_newer_one(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    first = _draft(client, auth).json()
    second = _draft(client, auth, yaml=CHAT_RUBRIC.replace("points: 10", "points: 20", 1)).json()
    ok = client.post(
        f"/api/rubrics/{CHAT}/publish", headers=auth("ada"), json={"draft_id": second["id"], "reason": "r"}
    )
    assert ok.status_code == 200
    stale = client.post(
        f"/api/rubrics/{CHAT}/publish", headers=auth("ada"), json={"draft_id": first["id"], "reason": "r"}
    )
    assert stale.status_code == 409 and "start a new draft" in stale.json()["detail"]
    no_reason = client.post(
        f"/api/rubrics/{CHAT}/publish", headers=auth("ada"), json={"draft_id": first["id"], "reason": " "}
    )
    assert no_reason.status_code == 422


def test_an_older_version_is_restored_as_a_new_draft(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    old_version = load_rubric(_chat_file(rubric_settings)).version
    draft = _draft(client, auth, yaml=CHAT_RUBRIC.replace("points: 10", "points: 20", 1)).json()
    client.post(
        f"/api/rubrics/{CHAT}/publish", headers=auth("mona"), json={"draft_id": draft["id"], "reason": "r"}
    )
    assert (
        client.post(f"/api/rubrics/{CHAT}/versions/{old_version}/restore", headers=auth("sam")).status_code
        == 403
    )
    restored = client.post(f"/api/rubrics/{CHAT}/versions/{old_version}/restore", headers=auth("mona"))
    assert restored.status_code == 201
    assert restored.json()["yaml"] == CHAT_RUBRIC and restored.json()["version"] == old_version
    assert client.post(f"/api/rubrics/{CHAT}/versions/nope/restore", headers=auth("mona")).status_code == 404


def test_rescore_since_a_date_queues_analysis_jobs(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[int]] = []
    # Running them would load the sentiment and topic models; that the jobs exist is what this checks.
    monkeypatch.setattr(runner, "run_in_background", lambda _s, ids, _k: started.append(list(ids)))
    assert client.post(f"/api/rubrics/{CHAT}/rescore", headers=auth("sam"), json={}).status_code == 403
    answer = client.post(f"/api/rubrics/{CHAT}/rescore", headers=auth("mona"), json={"since": "2026-03-01"})
    assert answer.status_code == 202 and answer.json()["jobs"] == 3
    none = client.post(f"/api/rubrics/{CHAT}/rescore", headers=auth("mona"), json={"since": "2026-04-01"})
    assert none.json()["jobs"] == 0
    with session_scope(rubric_settings.database_url) as session:
        queued = session.scalars(select(Job.interaction_id).where(Job.kind == JobKind.ANALYZE)).all()
    assert sorted(i for i in queued if i is not None) == sorted(
        world.interactions[k] for k in ("maria_chat", "maria_fail", "li_chat")
    )
    assert started[0] and len(started[0]) == 3


def test_absurd_ids_are_a_4xx(
    client: TestClient, auth: Auth, world: World, rubric_settings: Settings
) -> None:
    huge = 10**25
    answers = [
        client.get(f"/api/rubrics/{CHAT}/drafts/{huge}", headers=auth("mona")),
        client.post(f"/api/rubrics/{CHAT}/preview", headers=auth("mona"), json={"draft_id": huge}),
        client.post(
            f"/api/rubrics/{CHAT}/publish", headers=auth("mona"), json={"draft_id": huge, "reason": "r"}
        ),
        client.get("/api/rubrics/../../etc/passwd", headers=auth("mona")),
        client.post("/api/rubrics/no_such_rubric/drafts", headers=auth("mona"), json={}),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
        assert "Traceback" not in answer.text
