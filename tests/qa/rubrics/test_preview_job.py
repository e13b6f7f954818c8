"""The rubric preview as a job: run exactly once as a worker runs it, handed to Celery with a queue, a
failure reported on the preview; and the change counting itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from sqlalchemy import update

from qa.access import Principal
from qa.config import Settings
from qa.db import session_scope
from qa.jobs import runner
from qa.jobs.lifecycle import Outcome, execute
from qa.models import Evaluation, Job, Role, RubricDraft
from qa.rubrics import service
from qa.rubrics.impact import (
    FAIL_TO_PASS,
    OTHER,
    PASS_TO_FAIL,
    TO_NA,
    Answer,
    Rescored,
    change_kind,
    summarize,
)
from tests.qa.builders import add_interaction
from tests.qa.rubrics.scorecards import CHAT_RUBRIC, use_rubrics_folder
from tests.qa.test_executors import queue, with_queue

__all__ = ["queue"]  # the Redis fixture, used by name

MANAGER = Principal(user_id=1, username="mona", role=Role.MANAGER, agent_id=None, team_id=None)
CHAT = "public_works_chat"


@pytest.fixture
def rubric_settings(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return use_rubrics_folder(tmp_path, monkeypatch)


def _queued_preview(settings: Settings, yaml: str = CHAT_RUBRIC) -> tuple[int, int]:
    """Two scored chats, a draft and its queued preview job: (draft id, job id)."""
    with session_scope(settings.database_url) as db:
        add_interaction(db, agent="maria.g", team="North")
        add_interaction(db, agent="li.w", team="North")
        draft = service.create_draft(
            session=db, settings=settings, principal=MANAGER, rubric_id=CHAT, text=yaml
        )
        job = service.start_preview(
            session=db, settings=settings, principal=MANAGER, rubric_id=CHAT, draft_id=draft.id, limit=None
        )
        return draft.id, job.id


def test_a_preview_job_runs_once_and_stores_only_the_preview(rubric_settings: Settings) -> None:
    draft_id, job_id = _queued_preview(rubric_settings)
    with session_scope(rubric_settings.database_url) as db:
        again = service.start_preview(
            session=db,
            settings=rubric_settings,
            principal=MANAGER,
            rubric_id=CHAT,
            draft_id=draft_id,
            limit=5,
        )
        assert again.id == job_id  # one preview at a time per draft
    first = execute(settings=rubric_settings, job_id=job_id)  # what the Celery task runs
    assert first.outcome == Outcome.DONE, first.error
    assert execute(settings=rubric_settings, job_id=job_id).outcome == Outcome.ALREADY_DONE
    with session_scope(rubric_settings.database_url) as db:
        draft = db.get(RubricDraft, draft_id)
        assert draft is not None and draft.preview is not None
        assert draft.preview_status == "done" and draft.preview_done == draft.preview_total == 2
        # Stored greeting pass, empathy fail; the draft agrees on greeting and still finds no apology.
        criteria = {c["id"]: c for c in draft.preview["criteria"]}
        assert criteria["greeting"]["changed"] == 0 and criteria["empathy"]["changed"] == 0
        assert criteria["verify_address"][OTHER] == 2  # not in the draft
        assert db.query(Evaluation).count() == 2


def test_a_failed_preview_says_why(rubric_settings: Settings) -> None:
    draft_id, job_id = _queued_preview(rubric_settings)
    with session_scope(rubric_settings.database_url) as db:
        # Written around the service's validation, as a hand-edited row would be.
        db.execute(update(RubricDraft).where(RubricDraft.id == draft_id).values(content="id: [broken"))
    assert execute(settings=rubric_settings, job_id=job_id).outcome == Outcome.FAILED
    with session_scope(rubric_settings.database_url) as db:
        shown = service.preview_of(
            session=db, settings=rubric_settings, principal=MANAGER, rubric_id=CHAT, draft_id=draft_id
        )
    assert shown.status == "failed" and shown.error is not None and "YAML syntax error" in shown.error


def test_with_a_queue_the_preview_goes_to_the_score_workers(
    rubric_settings: Settings, queue: tuple[redis.Redis, str]
) -> None:
    client, prefix = queue
    _draft, job_id = _queued_preview(rubric_settings)
    runner.run_in_background(with_queue(rubric_settings), [job_id], [])
    assert client.llen(f"{prefix}score") == 1
    body = bytes(client.lindex(f"{prefix}score", 0) or b"")  # type: ignore[arg-type]
    assert b"callcoach.rubric_preview" in body and f"rubric_preview-None-{job_id}".encode() in body
    with session_scope(rubric_settings.database_url) as db:
        job = db.get(Job, job_id)
        assert job is not None and job.status == "queued"  # nothing ran here


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("pass", "fail", PASS_TO_FAIL),
        ("fail", "pass", FAIL_TO_PASS),
        ("pass", "na", TO_NA),
        ("fail", "na", TO_NA),
        ("na", "pass", OTHER),
        (None, "pass", OTHER),
        ("pass", None, OTHER),
        ("pass", "pass", None),
    ],
)
def test_change_kinds(before: str | None, after: str | None, kind: str | None) -> None:
    assert change_kind(before, after) == kind


def test_means_move_per_team_and_agent() -> None:
    ids = {"maria": 1, "li": 2, "omar": 3, "North": 10}

    def row(i: int, agent: str, team: str | None, before: float, after: float, result: str) -> Rescored:
        return Rescored(
            interaction_id=i,
            agent_id=ids[agent],
            agent=agent,
            team_id=None if team is None else ids[team],
            team=team,
            before_total=before,
            after_total=after,
            before={"greeting": Answer("pass")},
            after={"greeting": Answer(result, [{"text": "hi"}])},
        )

    summary = summarize(
        [
            row(1, "maria", "North", 80, 60, "fail"),
            row(2, "li", "North", 90, 90, "pass"),
            row(3, "omar", None, 50, 50, "pass"),
        ]
    )
    teams = {t["name"]: t for t in summary["teams"]}
    assert (teams["North"]["before"], teams["North"]["after"], teams["North"]["n"]) == (85.0, 75.0, 2)
    assert summary["overall"]["before"] == round((80 + 90 + 50) / 3, 1)
    assert [c["interaction_id"] for c in summary["changed"]] == [1]
    assert summary["changed"][0]["criteria"][0]["after_evidence"] == [{"text": "hi"}]
    assert summary["criteria"] == [
        {"id": "greeting", PASS_TO_FAIL: 1, FAIL_TO_PASS: 0, TO_NA: 0, OTHER: 0, "changed": 1}
    ]
