"""Re-ingesting any kind of input reports duplicates and stores nothing twice, on SQLite and PostgreSQL.

Every entry point goes through `ingest_one`, and every kind of input through one duplicate rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from qa.cli import app
from qa.config import Settings
from qa.db import session_scope
from qa.errors import describe_failure
from qa.ingestion import identity as identity_rule
from qa.ingestion import service as ingestion
from qa.ingestion.metadata import read_manifest
from qa.models import Interaction, Job, JobStatus, Media, Turn
from tests.factories import conversation, tone, write_json, write_wav


def ingest(settings: Settings, path: Path, **options: object) -> ingestion.FileOutcome:
    outcome = ingestion.ingest_one(
        settings=settings, path=path, options=ingestion.options_from_settings(settings, **options)
    )
    assert outcome.failure is None, outcome.error
    return outcome


def count(settings: Settings, model: type) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def stored_sources(settings: Settings) -> set[tuple[str, str, str]]:
    with session_scope(settings.database_url) as session:
        rows = session.execute(select(Interaction.channel, Interaction.source, Interaction.external_id))
        return {(r.channel, r.source, r.external_id) for r in rows}


def assert_twice_is_once(settings: Settings, path: Path, conversations: int, **options: object) -> None:
    first = ingest(settings, path, **options)
    tables = (
        count(settings, Interaction),
        count(settings, Turn),
        count(settings, Job),
        count(settings, Media),
    )
    again = ingest(settings, path, **options)
    assert len(first.ingested) == conversations and not first.duplicates
    assert again.ingested == [] and sorted(again.duplicates) == sorted(first.ingested)
    after = (
        count(settings, Interaction),
        count(settings, Turn),
        count(settings, Job),
        count(settings, Media),
    )
    assert after == tables


def test_call_transcript_ingested_twice_is_a_duplicate(settings: Settings, tmp_path: Path) -> None:
    # The bug: the check looked under source "call", the insert stored source "phone".
    path = write_json(tmp_path / "call.json", conversation("call-transcript-1", channel="call"))
    assert_twice_is_once(settings, path, 1)
    assert stored_sources(settings) == {("call", "phone", "call-transcript-1")}


@pytest.mark.parametrize("channel", ["call", "chat", "email", "form"])
def test_json_list_of_every_channel(settings: Settings, tmp_path: Path, channel: str) -> None:
    path = write_json(
        tmp_path / "many.json", [conversation("c-1", channel=channel), conversation("c-2", channel=channel)]
    )
    assert_twice_is_once(settings, path, 2)


def test_jsonl(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "chats.jsonl"
    lines = [conversation("l-1", channel="call"), conversation("l-2"), conversation("l-3", channel="email")]
    path.write_text("\n".join(json.dumps(c) for c in lines) + "\n", encoding="utf-8")
    assert_twice_is_once(settings, path, 3)


def test_csv(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "conversation_id,speaker,text,agent,channel\n"
        "x-1,customer,my bin is missing,maria.g,call\n"
        "x-1,agent,sorry about that,maria.g,call\n"
        "x-2,customer,pothole on Main,li.w,chat\n",
        encoding="utf-8",
    )
    assert_twice_is_once(settings, path, 2)
    assert stored_sources(settings) == {("call", "phone", "x-1"), ("chat", "chat", "x-2")}


def test_plain_text_with_a_call_sidecar(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(
        "Agent: Public Works, how can I help?\nCustomer: A streetlight is out.\n", encoding="utf-8"
    )
    write_json(tmp_path / "notes.json", {"channel": "call", "agent": "dave.r"})
    assert_twice_is_once(settings, path, 1)
    assert stored_sources(settings) == {("call", "phone", "notes")}


def test_recording_by_content_and_by_external_id(settings: Settings, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "rec-5.wav", [tone(1.0), tone(1.0, 220)])
    assert_twice_is_once(settings, path, 1)
    # Other bytes (re-exported at another rate), same recording name: the same call by its external id.
    (tmp_path / "again").mkdir()
    other = write_wav(tmp_path / "again" / "rec-5.wav", [tone(1.0, rate=16000), tone(1.0, 220, rate=16000)])
    assert ingest(settings, other).duplicates == [ingest(settings, path).duplicates[0]]
    assert count(settings, Media) == 1


def test_manifest_entry(settings: Settings, tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", [tone(1.0), tone(1.0)])
    write_wav(tmp_path / "b.wav", [tone(1.2), tone(1.2)])
    manifest = tmp_path / "calls.csv"
    manifest.write_text("file,external_id,agent\na.wav,CALL-7,priya.k\nb.wav,CALL-7,priya.k\n")
    rows = read_manifest(manifest)
    assert_twice_is_once(settings, tmp_path / "a.wav", 1, manifest=rows)
    # A different file that the manifest says is the same call.
    moved = ingest(settings, tmp_path / "b.wav", manifest=rows)
    assert moved.ingested == [] and len(moved.duplicates) == 1
    assert stored_sources(settings) == {("call", "phone", "CALL-7")}


def test_cli_reingest_of_call_transcripts_says_duplicate(settings: Settings, tmp_path: Path) -> None:
    for n in range(3):
        write_json(tmp_path / f"call-{n}.json", conversation(f"call-{n}", channel="call"))
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(tmp_path)], catch_exceptions=False)
    again = runner.invoke(app, ["ingest", str(tmp_path)], catch_exceptions=False)
    assert first.exit_code == 0 and "ingested 3, duplicates 0, failed 0" in first.stdout
    assert again.exit_code == 0 and "ingested 0, duplicates 3, failed 0" in again.stdout
    assert "IntegrityError" not in again.output and "INSERT" not in again.output


def test_a_lost_race_is_retried_and_answers_duplicate(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes pass the duplicate check at once; the loser's insert fails and is looked at again."""
    path = write_json(tmp_path / "race.json", conversation("race-1", channel="call"))
    stored = ingest(settings, path).ingested
    real = identity_rule.find_duplicate
    blind = iter([None])  # the first look misses the row, as the other process had not committed yet
    monkeypatch.setattr(ingestion, "find_duplicate", lambda s, i: next(blind, None) or real(s, i))
    again = ingest(settings, path)
    assert again.ingested == [] and again.duplicates == stored
    assert count(settings, Interaction) == 1
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(func.count()).where(Job.status == JobStatus.FAILED)) == 0


def test_a_database_refusal_is_one_line_without_sql(settings: Settings, tmp_path: Path) -> None:
    path = write_json(tmp_path / "x.json", conversation("x-1"))
    ingest(settings, path)
    with pytest.raises(IntegrityError) as caught, session_scope(settings.database_url) as session:
        session.add(Interaction(channel="chat", source="chat", external_id="x-1", raw_metadata={}))
        session.flush()
    message = describe_failure(path, caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert "INSERT" not in message and "SQL" not in message and "the database refused it (" in message
