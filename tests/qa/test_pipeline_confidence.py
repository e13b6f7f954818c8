"""Honest confidence end to end: a garbled agent greeting is stored as an uncertain answer that waits for a
person, on SQLite and PostgreSQL (issue 11, deliverable 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qa.api.app import create_app
from qa.auth.service import principal_for
from qa.config import Settings
from qa.db import session_scope
from qa.evaluations import service as evaluation_service
from qa.ingestion import service as ingestion
from qa.interactions import service as interaction_service
from qa.interactions.service import InteractionFilters
from qa.jobs import runner as job_runner
from qa.models import Answer, Role, Turn
from qa.reviews import service as review_service
from qa.security import create_access_token
from tests.qa.builders import CriterionSpec, add_interaction, add_user
from tests.qa.garbled_call import UNCLEAR, ingest_garbled_call

REPO = Path(__file__).resolve().parents[2]
GOOD_CHAT = REPO / "samples" / "transcripts" / "chat-1001.json"


@pytest.fixture
def rubric_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(settings, "rubrics_dir", REPO / "rubrics")
    return settings


def test_garbled_greeting_needs_review_in_store_queue_and_api(
    rubric_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = rubric_settings
    with session_scope(settings.database_url) as session:
        add_user(session, "sam", Role.SUPERVISOR, team="North")
        # A certain auto-fail: the old priority order put it first.
        auto_fail_id = add_interaction(
            session, agent="maria.g", team="North", criteria=[CriterionSpec("privacy", "fail", critical=True)]
        ).id
    call_id = ingest_garbled_call(settings, tmp_path, monkeypatch)
    with session_scope(settings.database_url) as session:
        [chat_id] = ingestion.ingest_file(
            session=session,
            path=GOOD_CHAT,
            settings=settings,
            options=ingestion.options_from_settings(settings),
        ).ingested
    report = job_runner.run_queued(settings=settings)
    assert (report.done, report.failed) == (3, 0), report.errors  # transcribe + analyze the call, the chat

    with session_scope(settings.database_url) as session:
        turns = session.scalars(select(Turn).where(Turn.interaction_id == call_id).order_by(Turn.index)).all()
        greeting = turns[0]
        assert greeting.speaker == "agent" and "this is a Marie." in greeting.text
        assert {w["text"]: w["probability"] for w in greeting.unclear_words} == UNCLEAR
        assert all(w["start"] < w["end"] for w in greeting.unclear_words)
        assert greeting.confidence is not None and 0.5 < greeting.confidence < 0.95
        assert all(t.unclear_words == [] for t in turns[1:])
        chat_turns = session.scalars(select(Turn).where(Turn.interaction_id == chat_id)).all()
        assert chat_turns and all(t.confidence is None and t.unclear_words == [] for t in chat_turns)

        evaluation = evaluation_service.current_evaluation(session=session, interaction_id=call_id)
        assert evaluation is not None and evaluation.needs_review
        name = next(c for c in evaluation.criteria if c.criterion_id == "agent_name")
        # Before: a certain fail at confidence 100%. Now: a fail at the weakest word's probability, flagged.
        assert name.result == "fail" and name.needs_review
        assert name.confidence == pytest.approx(0.31)
        assert name.note is not None and "Marie" in name.note and "31%" in name.note
        certain = [c for c in evaluation.criteria if not c.needs_review]
        assert certain, "only answers resting on the unclear words are flagged"
        chat_evaluation = evaluation_service.current_evaluation(session=session, interaction_id=chat_id)
        assert chat_evaluation is not None and not chat_evaluation.needs_review

        sam = principal_for(session=session, username="sam")
        assert sam is not None
        queue = interaction_service.list_interactions(session=session, principal=sam, sort="priority")
        assert [i.id for i in queue.items][:2] == [call_id, auto_fail_id]
        assert queue.items[0].needs_review is True
        doubtful = interaction_service.list_interactions(
            session=session, principal=sam, filters=InteractionFilters(needs_review=True)
        )
        assert [i.id for i in doubtful.items] == [call_id] and doubtful.total == 1
        assert interaction_service.count_needing_review(session=session, principal=sam) == 1

    client = TestClient(create_app())
    token = create_access_token(subject="sam", secret=settings.secret_key, minutes=5)
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/interactions", params={"needs_review": "true"}, headers=headers)
    assert listed.status_code == 200 and [i["id"] for i in listed.json()["items"]] == [call_id]
    detail = client.get(f"/api/interactions/{call_id}", headers=headers).json()
    assert detail["evaluation"]["needs_review"] is True
    answer = next(c for c in detail["evaluation"]["criteria"] if c["criterion_id"] == "agent_name")
    assert answer["needs_review"] is True and answer["confidence"] == pytest.approx(0.31)
    heard = detail["turns"][0]
    assert heard["confidence"] == pytest.approx(greeting.confidence)
    assert [(w["text"], w["probability"]) for w in heard["low_confidence_words"]] == list(UNCLEAR.items())

    # A person answers each doubtful question: once the last is answered the interaction leaves the
    # needs-review filter; the answers keep their flag as history (like machine_result).
    doubtful_ids = [c["criterion_id"] for c in detail["evaluation"]["criteria"] if c["needs_review"]]
    assert "agent_name" in doubtful_ids
    with session_scope(settings.database_url) as session:
        sam = principal_for(session=session, username="sam")
        assert sam is not None
        for n, criterion_id in enumerate(doubtful_ids, start=1):
            assert interaction_service.count_needing_review(session=session, principal=sam) == 1
            reviewed = review_service.override_criterion(
                session=session,
                principal=sam,
                interaction_id=call_id,
                criterion_id=criterion_id,
                result=Answer.PASS,
            )
            assert reviewed.needs_review is (n < len(doubtful_ids))
        assert interaction_service.count_needing_review(session=session, principal=sam) == 0
        name_after = next(c for c in reviewed.criteria if c.criterion_id == "agent_name")
        assert name_after.needs_review and name_after.machine_result == "fail"
