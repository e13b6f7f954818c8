"""Processing end to end with the real embedded models, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from qa.cli import app
from qa.config import Settings
from qa.db import session_scope
from qa.evaluations import service as evaluation_service
from qa.ingestion import service as ingestion
from qa.jobs import runner as job_runner
from qa.models import Evaluation, Interaction, Job, JobStatus, Turn
from tests.factories import tone, write_wav

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
GOOD_CHAT = SAMPLES / "transcripts" / "chat-1001.json"
GOOD_CALL = SAMPLES / "calls" / "call_01_missed_bin_good.flac"
runner = CliRunner()


def ingest(settings: Settings, path: Path) -> list[int]:
    with session_scope(settings.database_url) as session:
        outcome = ingestion.ingest_file(
            session=session, path=path, settings=settings, options=ingestion.options_from_settings(settings)
        )
    return outcome.ingested


@pytest.fixture
def rubric_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(settings, "rubrics_dir", REPO / "rubrics")
    return settings


def test_chat_gets_sentiment_topic_and_an_evaluation_with_evidence(rubric_settings: Settings) -> None:
    settings = rubric_settings
    [interaction_id] = ingest(settings, GOOD_CHAT)
    report = job_runner.run_queued(settings=settings)
    assert (report.done, report.failed) == (1, 0)
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, interaction_id)
        assert interaction is not None and interaction.processed_at is not None
        assert interaction.topic == "solid_waste" and 0 < (interaction.topic_confidence or 0) <= 1
        assert interaction.sentiment is not None and interaction.sentiment["customer"]["overall"] is not None
        turns = session.scalars(select(Turn).where(Turn.interaction_id == interaction_id)).all()
        assert turns and all(t.sentiment is not None and -1 <= t.sentiment <= 1 for t in turns)
        evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
        assert evaluation is not None and evaluation.rubric_version.rubric_id == "public_works_chat"
        results = {c.criterion_id: c for c in evaluation.criteria}
        assert {"greeting", "empathy", "closing", "prohibited_language"} <= set(results)
        greeting = results["greeting"]
        assert greeting.result == "pass" and greeting.evidence and greeting.evidence[0]["speaker"] == "agent"
        assert evaluation.total is not None and evaluation.total > 60 and not evaluation.auto_fail


def test_rescoring_keeps_history_and_never_duplicates_turns(rubric_settings: Settings) -> None:
    settings = rubric_settings
    [interaction_id] = ingest(settings, GOOD_CHAT)
    job_runner.run_queued(settings=settings)
    result = runner.invoke(app, ["rescore", "--rubric", "public_works_chat"])
    assert result.exit_code == 0, result.stderr
    assert "re-scored 1 interactions with public_works_chat" in result.stdout
    with session_scope(settings.database_url) as session:
        evaluations = session.scalars(
            select(Evaluation).where(Evaluation.interaction_id == interaction_id)
        ).all()
        assert len(evaluations) == 2 and sum(e.is_current for e in evaluations) == 1
        turn_count = session.scalar(
            select(func.count()).select_from(Turn).where(Turn.interaction_id == interaction_id)
        )
        assert turn_count == len(json.loads(GOOD_CHAT.read_text())["turns"])


@pytest.mark.slow
def test_stereo_call_is_transcribed_into_speaker_turns_and_scored(rubric_settings: Settings) -> None:
    settings = rubric_settings
    [interaction_id] = ingest(settings, GOOD_CALL)
    report = job_runner.run_queued(settings=settings)
    assert (report.done, report.failed) == (2, 0)  # transcribe, then analyze
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, interaction_id)
        assert interaction is not None and interaction.metrics is not None
        assert interaction.metrics["hold_count"] >= 1  # the scripted hold at 42.5-56.5 s
        turns = session.scalars(
            select(Turn).where(Turn.interaction_id == interaction_id).order_by(Turn.index)
        ).all()
        assert {t.speaker for t in turns} == {"agent", "customer"}
        # tiny.en without a hotword prompt hears "Thank you for calling Public Works" as "And you for calling
        # public words" on this synthetic voice (issue 11 is still open on recognition)
        assert turns[0].speaker == "agent" and "for calling public w" in turns[0].text.lower()
        starts = [t.start_seconds for t in turns]
        assert all(s is not None for s in starts) and starts == sorted(starts)  # type: ignore[type-var]
        evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
        assert evaluation is not None and evaluation.rubric_version.rubric_id == "public_works_call"


def test_bad_audio_fails_its_job_with_the_reason_and_can_be_retried(
    rubric_settings: Settings, tmp_path: Path
) -> None:
    settings = rubric_settings
    clip = write_wav(tmp_path / "blip.wav", [tone(0.2), tone(0.2)])
    [interaction_id] = ingest(settings, clip)
    report = job_runner.run_queued(settings=settings)
    assert report.failed == 1 and "blip.wav" in report.errors[0]
    with session_scope(settings.database_url) as session:
        job = session.scalars(select(Job).where(Job.interaction_id == interaction_id)).one()
        assert job.status == JobStatus.FAILED and job.error and "short" in job.error.lower()
    retried = job_runner.retry_failed(settings=settings, job_ids=[])
    assert retried.requeued == 1
    with session_scope(settings.database_url) as session:
        assert session.scalars(select(Job)).one().status == JobStatus.QUEUED


def test_silent_call_has_no_turns_a_flag_and_no_invented_score(
    rubric_settings: Settings, tmp_path: Path
) -> None:
    settings = rubric_settings
    silence = np.zeros(8000 * 6, dtype=np.float32)
    [interaction_id] = ingest(settings, write_wav(tmp_path / "quiet.wav", [silence, silence]))
    report = job_runner.run_queued(settings=settings)
    assert report.failed == 0
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, interaction_id)
        assert interaction is not None and interaction.no_speech and interaction.processed_at is not None
        assert session.scalar(select(func.count()).select_from(Turn)) == 0
        assert evaluation_service.current_evaluation(session=session, interaction_id=interaction_id) is None


def test_analyze_json_for_a_transcript_stores_nothing(rubric_settings: Settings) -> None:
    result = runner.invoke(
        app,
        ["analyze", str(GOOD_CHAT), "--rubric", str(REPO / "rubrics" / "public_works_chat.yaml"), "--json"],
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"channel", "duration", "turns", "metrics", "topic", "sentiment", "score"} <= set(report)
    assert report["topic"] == "solid_waste"
    assert all(-1 <= t["sentiment"] <= 1 for t in report["turns"])
    assert report["score"]["rubric"] == "public_works_chat" and len(report["score"]["rubric_version"]) >= 6
    greeting = next(c for c in report["score"]["criteria"] if c["id"] == "greeting")
    assert greeting["evidence"] and {"turn", "start", "text"} <= set(greeting["evidence"][0])
    with session_scope(rubric_settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 0


def test_analyze_refuses_bad_input_with_one_line(rubric_settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: [unclosed\n")
    result = runner.invoke(app, ["analyze", str(GOOD_CHAT), "--rubric", str(broken), "--json"])
    assert result.exit_code == 1 and str(broken) in result.stderr
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(empty), "--json"])
    assert result.exit_code == 1 and "empty.wav" in result.stderr and result.stdout == ""


@pytest.mark.slow
def test_transcribe_json_prints_exactly_one_object(tmp_path: Path) -> None:
    copy = shutil.copy(GOOD_CALL, tmp_path / GOOD_CALL.name)
    result = runner.invoke(app, ["transcribe", str(copy), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["channels"] == 2 and report["language"] == "en" and report["duration"] > 30
    assert set(report["turns"][0]) >= {"speaker", "start", "end", "text", "confidence"}
    assert report["metrics"]["agent_first_words_seconds"] < 2.0


@pytest.mark.parametrize("backend", ["transformers", "vader"])
def test_configured_sentiment_backend_is_used(
    rubric_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    from tests.factories import tiny_sentiment_model

    settings = rubric_settings
    monkeypatch.setattr(settings, "sentiment_backend", backend)
    if backend == "transformers":
        folder = tiny_sentiment_model(tmp_path / "tiny", {0: "NEG", 1: "NEU", 2: "POS"})
        monkeypatch.setattr(settings, "sentiment_model", str(folder))
        monkeypatch.setattr(settings, "sentiment_labels", "negative,neutral,positive")
    [interaction_id] = ingest(settings, GOOD_CHAT)
    assert job_runner.run_queued(settings=settings).failed == 0
    with session_scope(settings.database_url) as session:
        scores = [
            t.sentiment for t in session.scalars(select(Turn).where(Turn.interaction_id == interaction_id))
        ]
    assert all(s is not None and -1 <= s <= 1 for s in scores)
    from scoring.sentiment import get_sentiment_backend

    expected = get_sentiment_backend(backend, settings.sentiment_model, settings.sentiment_labels)
    texts = [t["text"] for t in json.loads(GOOD_CHAT.read_text())["turns"]]
    assert scores == pytest.approx([r.score for r in expected.score(texts)], abs=1e-5)


def test_analyze_refuses_a_file_of_several_conversations(rubric_settings: Settings, tmp_path: Path) -> None:
    many = SAMPLES / "transcripts"
    listed = next(p for p in many.glob("*.json") if p.read_text().lstrip().startswith("["))
    copy = shutil.copy(listed, tmp_path / listed.name)
    result = runner.invoke(app, ["analyze", str(copy), "--json"])
    assert result.exit_code == 1 and "analyze takes one" in result.stderr and result.stdout == ""
