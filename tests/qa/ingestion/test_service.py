"""Ingestion through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.errors import InputError
from qa.ingestion import service as ingestion
from qa.ingestion.metadata import read_manifest
from qa.models import Agent, Interaction, Job, JobKind, JobStatus, Media, Turn
from tests.factories import conversation, tone, write_encoded, write_json, write_wav


def ingest(settings: Settings, path: Path, **options: object) -> ingestion.FileOutcome:
    with session_scope(settings.database_url) as session:
        return ingestion.ingest_file(
            session=session,
            path=path,
            settings=settings,
            options=ingestion.options_from_settings(settings, **options),
        )


def count(settings: Settings, model: type) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_chat_is_stored_with_turns_metadata_and_an_analysis_job(settings: Settings, tmp_path: Path) -> None:
    outcome = ingest(settings, write_json(tmp_path / "chat.json", conversation()))
    assert len(outcome.ingested) == 1 and not outcome.duplicates
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, outcome.ingested[0])
        assert interaction is not None
        assert (interaction.channel, interaction.source, interaction.external_id) == (
            "chat",
            "chat",
            "chat-1042",
        )
        assert interaction.queue == "solid_waste" and interaction.csat == 4
        assert interaction.customer_hash and "555" not in interaction.customer_hash
        assert "customer_ref" not in interaction.raw_metadata
        agent = session.get(Agent, interaction.agent_id)
        assert agent is not None and agent.name == "maria.g"
        turns = session.scalars(
            select(Turn).where(Turn.interaction_id == interaction.id).order_by(Turn.index)
        )
        assert next(t.text for t in turns) == "Hi, my bins were not picked up."
        job = session.scalars(select(Job)).one()
        assert (job.kind, job.status, job.interaction_id) == (
            JobKind.ANALYZE,
            JobStatus.QUEUED,
            interaction.id,
        )


def test_same_file_or_external_id_twice_is_stored_once(settings: Settings, tmp_path: Path) -> None:
    first = write_json(tmp_path / "a.json", conversation())
    ingest(settings, first)
    again = ingest(settings, first)
    renamed = ingest(settings, write_json(tmp_path / "b.json", conversation()))
    assert again.ingested == [] and len(again.duplicates) == 1
    assert renamed.duplicates == again.duplicates
    assert count(settings, Interaction) == 1 and count(settings, Turn) == 4 and count(settings, Job) == 1


def test_stereo_recording_with_sidecar_is_stored_with_media(settings: Settings, tmp_path: Path) -> None:
    audio = write_wav(tmp_path / "call-9.wav", [tone(2.0), tone(2.0, 220)])
    write_json(tmp_path / "call-9.json", {"agent": "dave.r", "queue": "infrastructure", "csat": 2})
    outcome = ingest(settings, audio)
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, outcome.ingested[0])
        media = session.scalars(select(Media)).one()
        assert interaction is not None and interaction.channel == "call" and interaction.csat == 2
        assert interaction.external_id == "call-9" and interaction.duration_seconds == pytest.approx(2.0)
        assert (media.channels, media.sample_rate, media.format) == (2, 8000, "wav")
        assert Path(media.path).read_bytes() == audio.read_bytes()
        assert session.scalars(select(Job)).one().kind == JobKind.TRANSCRIBE
    assert ingest(settings, audio).duplicates == outcome.ingested


@pytest.mark.parametrize("suffix", [".mp3", ".flac", ".ogg", ".m4a"])
def test_every_audio_format_is_accepted(settings: Settings, tmp_path: Path, suffix: str) -> None:
    outcome = ingest(settings, write_encoded(tmp_path / f"call{suffix}"))
    with session_scope(settings.database_url) as session:
        media = session.scalars(select(Media)).one()
        assert media.interaction_id == outcome.ingested[0]
        assert media.channels == 2 and media.format == suffix[1:]
        assert media.duration_seconds == pytest.approx(1.5, abs=0.15)


def test_manifest_supplies_call_metadata(settings: Settings, tmp_path: Path) -> None:
    write_wav(tmp_path / "rec.wav", [tone(1.0), tone(1.0)])
    manifest = tmp_path / "calls.csv"
    manifest.write_text(
        "file,external_id,agent,started_at,queue,wait_seconds,handle_seconds,disposition,csat,customer_ref\n"
        "rec.wav,CALL-1,priya.k,2026-03-04T14:05:00Z,parking_enforcement,42,310,resolved,5,555-0199\n"
    )
    outcome = ingest(settings, tmp_path / "rec.wav", manifest=read_manifest(manifest))
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, outcome.ingested[0])
        assert interaction is not None
        assert (interaction.external_id, interaction.wait_seconds, interaction.disposition) == (
            "CALL-1",
            42.0,
            "resolved",
        )
        assert interaction.started_at is not None and interaction.started_at.hour == 14


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.wav", b"", "file is empty (no audio samples)"),
        ("corrupt.mp3", b"ID3" + b"\x00garbage" * 50, "file is corrupt or not an audio file"),
        ("fake.flac", b"RIFF1234WAVEfmt " + b"\x01" * 40, "file is corrupt or not an audio file"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ],
)
def test_bad_audio_is_refused_and_nothing_is_stored(
    settings: Settings, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        ingest(settings, path)
    assert str(caught.value) == f"{path}: {message}" or str(caught.value).startswith(f"{path}: {message}")
    assert count(settings, Interaction) == 0 and count(settings, Media) == 0


def test_recording_without_a_single_sample_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "header-only.wav", [tone(0.0), tone(0.0)])
    with pytest.raises(InputError, match=r"header-only\.wav: file is empty"):
        ingest(settings, path)
    assert count(settings, Interaction) == 0


def test_strict_agents_refuses_unknown_agent(settings: Settings, tmp_path: Path) -> None:
    path = write_json(tmp_path / "chat.json", conversation(agent="nobody"))
    with pytest.raises(InputError, match="unknown agent 'nobody'"):
        ingest(settings, path, strict_agents=True)
    assert count(settings, Agent) == 0 and count(settings, Interaction) == 0


def test_failed_file_in_a_list_stores_nothing_of_that_file(settings: Settings, tmp_path: Path) -> None:
    good, bad = conversation("ok"), conversation("broken", turns=[{"speaker": "robot", "text": "beep"}])
    with pytest.raises(InputError, match="conversation 2, turn 1: unknown speaker label 'robot'"):
        ingest(settings, write_json(tmp_path / "both.json", [good, bad]))
    assert count(settings, Interaction) == 0


def test_discover_skips_sidecars_and_scripts(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", [tone(0.5)])
    write_json(tmp_path / "a.json", {"agent": "x"})
    write_json(tmp_path / "a.script.json", {"turns": []})
    (tmp_path / "sub").mkdir()
    write_json(tmp_path / "sub" / "c.json", conversation())
    (tmp_path / "README.md").write_text("notes")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in ingestion.discover_files([tmp_path]))
    assert found == ["a.wav", "sub/c.json"]


def test_each_test_starts_with_an_empty_database(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(Interaction)) == 0


def test_malformed_recording_sidecar_names_the_sidecar(settings: Settings, tmp_path: Path) -> None:
    audio = write_wav(tmp_path / "call-3.wav", [tone(1.0), tone(1.0)])
    (tmp_path / "call-3.json").write_text('{"agent": "maria.g",')
    with pytest.raises(InputError) as caught:
        ingest(settings, audio)
    assert str(caught.value).startswith(f"{tmp_path / 'call-3.json'}: malformed JSON sidecar")
    assert count(settings, Interaction) == 0


def test_manifest_without_a_file_column_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "calls.csv"
    manifest.write_text("external_id,agent\nCALL-1,maria.g\n")
    with pytest.raises(InputError, match="manifest lacks column"):
        read_manifest(manifest)
