"""Redaction end to end: the sample chats and calls go in, and no card, SSN, phone or e-mail comes back out of
the database, the media folder, the API or a CSV export; the audio over those words is silent.

Calls use the committed tiny.en transcript of each sample recording (written once by
`samples/redaction/render.py --transcribe`) in place of running the recogniser in every test; the slow test at
the end runs the real engine on one call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from qa import config as qa_config
from qa.api.app import create_app
from qa.cli import app as cli_app
from qa.config import Settings
from qa.db import session_scope
from qa.ingestion import service as ingestion
from qa.jobs import runner
from qa.models import (
    AuditEntry,
    Base,
    CoachingNote,
    Dispute,
    Evaluation,
    Interaction,
    Job,
    JobStatus,
    Media,
    NoteReply,
    Notification,
    RedactedEntity,
    Role,
    Turn,
    User,
)
from qa.redaction import service as redaction_service
from qa.security import create_access_token
from scoring.conversation import Conversation, Speaker
from scoring.conversation import Turn as ScoringTurn
from scoring.rubric import evaluate, load_rubric
from scoring.rubric.loader import rubrics_dir
from tests.qa.builders import add_user
from transcription import Transcript, TranscriptTurn, Word, decode_channels
from transcription.redaction import Turn as RedactionTurn

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "redaction"
CALLS = SAMPLES / "calls"
SECRET_TYPES = {"CARD", "SSN", "PHONE", "EMAIL"}
# Digits joined by separators people type or a recogniser writes: "(555) 201-3344", "4111 1111".
DIGIT_RUN = re.compile(r"\d(?:[\s\-().,/]*\d)*")


# --- sample data -----------------------------------------------------------------------------------------


def chat_file(tmp_path: Path) -> tuple[Path, list[str]]:
    """The sample chats as one ingestable JSON list (one gets metadata with a phone number), and the card,
    SSN, phone and e-mail values in them."""
    data = json.loads((SAMPLES / "chats.json").read_text())
    conversations = []
    for c in data["conversations"]:
        conversations.append(
            {"external_id": c["id"], "channel": c["channel"], "agent": "maria.g", "turns": c["turns"]}
        )
    conversations[0]["metadata"] = {
        "queue": "parking",
        "note": "resident asked for a callback on 555-201-9876",
    }
    secrets = [e["text"] for c in data["conversations"] for e in c["entities"] if e["type"] in SECRET_TYPES]
    path = tmp_path / "redaction_chats.json"
    path.write_text(json.dumps(conversations))
    return path, [*secrets, "555-201-9876"]


def call_labels(name: str) -> list[dict[str, Any]]:
    return list(json.loads((CALLS / f"{name}.labels.json").read_text())["entities"])


def committed_transcript(path: Path) -> Transcript:
    """The recogniser's committed output for a sample recording, as `transcribe_file` returns it."""
    data = json.loads((CALLS / f"{path.stem}.transcript.json").read_text())
    turns = [
        TranscriptTurn(
            speaker=t["speaker"],
            start=t["start"],
            end=t["end"],
            text=t["text"],
            confidence=t.get("confidence", 1.0),
            words=[
                Word(w["text"], w["start"], w["end"], w.get("probability", 1.0), t["speaker"])
                for w in t["words"]
            ],
        )
        for t in data["turns"]
    ]
    return Transcript(
        duration=data["duration"],
        channels=data["channels"],
        language=data["language"],
        turns=turns,
        metrics=data.get("metrics", {}),
    )


@pytest.fixture
def recorded_transcripts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Transcription of the sample calls gives their committed transcript (by the stored file's sha256)."""
    by_sha: dict[str, Path] = {}
    from qa.ingestion.audio import file_sha256

    for ogg in CALLS.glob("*.ogg"):
        by_sha[file_sha256(ogg)] = ogg

    def transcribe(path: Path, *_: object) -> Transcript:
        return committed_transcript(by_sha[Path(path).name.split(".")[0]])

    monkeypatch.setattr("qa.jobs.steps.transcribe_file", transcribe)
    monkeypatch.setattr("qa.redaction.service.transcribe_file", transcribe)


def ingest(settings: Settings, *paths: Path) -> list[int]:
    ids: list[int] = []
    for path in paths:
        outcome = ingestion.ingest_one(
            settings=settings, path=path, options=ingestion.options_from_settings(settings)
        )
        assert outcome.failure is None, outcome.error
        ids += outcome.ingested
    report = runner.run_queued(settings=settings, workers=1)
    assert report.failed == 0, report.errors
    return ids


# --- where a value could be read back ---------------------------------------------------------------------


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def leaked(text: str, secrets: list[str]) -> list[str]:
    """The secrets `text` still holds: as typed, or as the same digits with other separators."""
    runs = [digits(r) for r in DIGIT_RUN.findall(text)]
    found = []
    for secret in secrets:
        secret_digits = digits(secret)
        typed = re.search(rf"(?<!\d){re.escape(secret.lower())}(?!\d)", text.lower())
        if typed or (len(secret_digits) >= 7 and any(secret_digits in run for run in runs)):
            found.append(secret)
    return found


def database_text(session: Session) -> Iterator[tuple[str, str]]:
    """Every non-null value of every column of every table, as text."""
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)):
            for column, value in row._mapping.items():
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    yield f"{table.name}.{column}", text


def database_leaks(settings: Settings, secrets: list[str]) -> list[tuple[str, list[str]]]:
    with session_scope(settings.database_url) as session:
        return [(where, found) for where, text in database_text(session) if (found := leaked(text, secrets))]


def headers(settings: Settings, username: str) -> dict[str, str]:
    token = create_access_token(subject=username, secret=settings.secret_key, minutes=5)
    return {"Authorization": f"Bearer {token}"}


def api_text(settings: Settings, ids: list[int]) -> str:
    """What an admin reads of these interactions through the API, and the period CSV export."""
    client = TestClient(create_app())
    auth = headers(settings, "ada")
    parts = [client.get("/api/interactions?limit=500", headers=auth).text]
    for interaction_id in ids:
        response = client.get(f"/api/interactions/{interaction_id}", headers=auth)
        assert response.status_code == 200, response.text
        parts.append(response.text)
    csv = client.get("/api/reports/period?start=2000-01-01&end=2100-01-01&format=csv", headers=auth)
    assert csv.status_code == 200, csv.text
    parts.append(csv.text)
    return "\n".join(parts)


def media_files(settings: Settings) -> list[Path]:
    return sorted(p for p in settings.media_dir.rglob("*") if p.is_file())


def channel_rms(channels: list[np.ndarray], channel: int, start: float, end: float) -> float:
    window = channels[channel][int(start * 16000) : int(end * 16000)]
    return float(np.sqrt(np.mean(np.square(window, dtype=np.float64)))) if window.size else 0.0


@pytest.fixture
def admin(settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        add_user(session, "ada", Role.ADMIN)
        add_user(session, "mona", Role.MANAGER)


# --- on by default ----------------------------------------------------------------------------------------


def test_sample_chats_keep_no_card_ssn_phone_or_email_anywhere(
    settings: Settings, admin: None, tmp_path: Path
) -> None:
    path, secrets = chat_file(tmp_path)
    assert leaked(path.read_text(), secrets) == secrets  # the search finds each value where it is
    ids = ingest(settings, path)
    assert len(ids) == 8
    assert database_leaks(settings, secrets) == []
    assert leaked(api_text(settings, ids), secrets) == []
    with session_scope(settings.database_url) as session:
        turns = session.scalars(select(Turn).order_by(Turn.interaction_id, Turn.index)).all()
        assert "4111" not in " ".join(t.text for t in turns)
        assert any("[CARD]" in t.text for t in turns) and any("[EMAIL]" in t.text for t in turns)
        # Positions and types are kept: each row points at its placeholder in the stored text.
        rows = session.scalars(select(RedactedEntity)).all()
        by_turn = {(t.interaction_id, t.index): t.text for t in turns}
        assert rows and all(
            by_turn[(r.interaction_id, r.turn_index)][r.start : r.end] == f"[{r.type}]" for r in rows
        )
        assert {"CARD", "SSN", "PHONE", "EMAIL", "NAME"} <= {r.type for r in rows}
        assert all(0 < r.confidence <= 1 for r in rows)
        assert all(i.redacted_at is not None for i in session.scalars(select(Interaction)))
        assert session.scalar(select(Job).where(Job.status == JobStatus.FAILED)) is None


def test_a_failed_file_is_recorded_without_the_value_it_quotes(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"turns": [{"speaker": "4111 1111 1111 1111", "text": "hello"}]}))
    outcome = ingestion.ingest_one(
        settings=settings, path=bad, options=ingestion.options_from_settings(settings)
    )
    assert outcome.failure is not None and "unknown speaker label" in outcome.error
    assert "4111" not in outcome.error and "[CARD]" in outcome.error
    assert database_leaks(settings, ["4111 1111 1111 1111"]) == []


def test_sample_calls_are_silent_over_the_entities_and_only_the_redacted_file_is_kept(
    settings: Settings, admin: None, recorded_transcripts: None
) -> None:
    names = ["red_01_citation_payment", "red_03_senior_discount"]
    ids = ingest(settings, *(CALLS / f"{n}.ogg" for n in names))
    secrets = [e["text"] for n in names for e in call_labels(n) if e["type"] in SECRET_TYPES]
    assert database_leaks(settings, secrets) == []
    assert leaked(api_text(settings, ids), secrets) == []
    files = media_files(settings)
    assert [f.name.endswith(".redacted.flac") for f in files] == [True, True]  # originals deleted
    with session_scope(settings.database_url) as session:
        media = {m.original_name: m for m in session.scalars(select(Media))}
    checked = 0
    for name in names:
        row = media[f"{name}.ogg"]
        assert row.redacted and row.unredacted_path is None and Path(row.path).is_file()
        before, after = decode_channels(CALLS / f"{name}.ogg"), decode_channels(row.path)
        for label in call_labels(name):
            if label["type"] not in SECRET_TYPES:
                continue
            channel = 0 if label["speaker"] == "agent" else 1
            start, end = label["start"] + 0.3, label["end"] - 0.3
            assert channel_rms(before, channel, start, end) > 0.01, label  # speech there before
            assert channel_rms(after, channel, start, end) < 1e-4, (name, label)
            checked += 1
        # The agent's side of the call is kept where nothing was redacted on it.
        assert channel_rms(after, 0, 0.5, 5.0) > 0.01
    assert checked >= 4
    # The duplicate rule still knows the original bytes.
    again = ingestion.ingest_one(
        settings=settings, path=CALLS / f"{names[0]}.ogg", options=ingestion.options_from_settings(settings)
    )
    assert again.duplicates == [ids[0]] and not again.ingested


def test_kept_original_is_for_admins_only_and_every_read_is_audited(
    settings: Settings, admin: None, recorded_transcripts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLCOACH_KEEP_UNREDACTED_AUDIO", "true")
    qa_config.get_settings.cache_clear()
    settings = qa_config.get_settings()
    (interaction_id,) = ingest(settings, CALLS / "red_04_boot_removal.ogg")
    assert len(media_files(settings)) == 2
    client = TestClient(create_app())
    url = f"/api/interactions/{interaction_id}/audio/original"
    assert client.get(url, headers=headers(settings, "mona")).status_code == 403
    response = client.get(url, headers=headers(settings, "ada"))
    assert response.status_code == 200
    assert response.content == (CALLS / "red_04_boot_removal.ogg").read_bytes()
    redacted = client.get(f"/api/interactions/{interaction_id}/audio", headers=headers(settings, "ada"))
    assert redacted.status_code == 200 and redacted.content != response.content
    with session_scope(settings.database_url) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "read_unredacted_audio")
        ).all()
        assert [(e.username, e.interaction_id) for e in entries] == [("ada", interaction_id)]


def test_an_unknown_type_in_the_settings_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCOACH_REDACT_TYPES", '["CARD", "IBAN"]')
    settings = Settings()
    with pytest.raises(redaction_service.RedactionSettingsInvalid, match=r"unknown type.*IBAN"):
        redaction_service.options(settings)


def test_switched_off_types_stay(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCOACH_REDACT_TYPES", '["card"]')
    qa_config.get_settings.cache_clear()
    settings = qa_config.get_settings()
    path, _ = chat_file(tmp_path)
    ingest(settings, path)
    with session_scope(settings.database_url) as session:
        text = " ".join(session.scalars(select(Turn.text)))
        types = set(session.scalars(select(RedactedEntity.type)))
    assert "4111" not in text and "sam.ortiz77@example.com" in text
    assert types == {"CARD"}


# --- data stored before redaction was on ---------------------------------------------------------------


def test_redact_all_cleans_data_stored_with_redaction_off_resumably_and_audited(
    settings: Settings,
    admin: None,
    recorded_transcripts: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALLCOACH_REDACT", "false")
    qa_config.get_settings.cache_clear()
    off = qa_config.get_settings()
    path, secrets = chat_file(tmp_path)
    ids = ingest(off, path, CALLS / "red_02_abandoned_van.ogg")
    call_secrets = [e["text"] for e in call_labels("red_02_abandoned_van") if e["type"] in SECRET_TYPES]
    secrets += call_secrets
    assert database_leaks(off, secrets)  # stored in clear, also in evidence quotes and metadata
    copy_into_replies_disputes_and_notifications(off, ids[0], secrets[0])
    (original,) = media_files(off)

    monkeypatch.setenv("CALLCOACH_REDACT", "true")
    qa_config.get_settings.cache_clear()
    settings = qa_config.get_settings()
    result = CliRunner().invoke(cli_app, ["redact", "--all", "--json"])
    assert result.exit_code == 1 and "--as ADMIN" in result.output
    result = CliRunner().invoke(cli_app, ["redact", "--all", "--as", "mona", "--json"])
    assert result.exit_code == 1 and "needs the role admin" in result.output
    result = CliRunner().invoke(cli_app, ["redact", "--all", "--as", "ada", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["redacted"] == len(ids) and summary["placeholders"]["CARD"] >= 3

    assert database_leaks(settings, secrets) == []
    assert leaked(api_text(settings, ids), secrets) == []
    assert not original.exists() and [f.name.endswith(".redacted.flac") for f in media_files(settings)] == [
        True
    ]
    with session_scope(settings.database_url) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "redact")).all()
        assert sorted(e.interaction_id or 0 for e in entries) == sorted(ids)
        assert all(e.username == "ada" and e.after and e.after["redacted_at"] for e in entries)
        media = session.scalars(select(Media)).one()
    after = decode_channels(media.path)
    for label in call_labels("red_02_abandoned_van"):
        if label["type"] in SECRET_TYPES:
            channel = 0 if label["speaker"] == "agent" else 1
            assert channel_rms(after, channel, label["start"] + 0.3, label["end"] - 0.3) < 1e-4, label

    # Resumable: a second run finds nothing left to do and records nothing more.
    result = CliRunner().invoke(cli_app, ["redact", "--all", "--as", "ada", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["redacted"] == 0


def copy_into_replies_disputes_and_notifications(settings: Settings, interaction_id: int, value: str) -> None:
    """People quote what they read: a reply to a note, a dispute and its decision, a notification."""
    quoted = f"the customer said {value}, see there"
    with session_scope(settings.database_url) as session:
        interaction = session.get(Interaction, interaction_id)
        evaluation = session.scalars(
            select(Evaluation).where(Evaluation.interaction_id == interaction_id)
        ).first()
        assert interaction is not None and interaction.agent_id is not None and evaluation is not None
        note = CoachingNote(interaction_id=interaction_id, agent_id=interaction.agent_id, text="listen again")
        session.add(note)
        session.flush()
        session.add(NoteReply(note_id=note.id, text=quoted))
        session.add(
            Dispute(
                interaction_id=interaction_id,
                evaluation_id=evaluation.id,
                agent_id=interaction.agent_id,
                criterion_id="greeting",
                reason=quoted,
                disputed_result="fail",
                requested_result="pass",
                decision_comment=quoted,
            )
        )
        ada = session.scalars(select(User).where(User.username == "ada")).one()
        session.add(
            Notification(user_id=ada.id, kind="note_reply", text=quoted, interaction_id=interaction_id)
        )


def test_redact_file_is_a_registered_command(tmp_path: Path) -> None:
    path, secrets = chat_file(tmp_path)
    result = CliRunner().invoke(cli_app, ["redact", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["conversations"]) == 8
    assert leaked(result.output, secrets) == []


@pytest.mark.slow
def test_a_call_transcribed_by_the_engine_is_redacted(settings: Settings) -> None:
    (interaction_id,) = ingest(settings, CALLS / "red_03_senior_discount.ogg")
    with session_scope(settings.database_url) as session:
        types = set(
            session.scalars(
                select(RedactedEntity.type).where(RedactedEntity.interaction_id == interaction_id)
            )
        )
        media = session.scalars(select(Media)).one()
    assert "DOB" in types and media.redacted
    dob = next(e for e in call_labels("red_03_senior_discount") if e["type"] == "DOB")
    after = decode_channels(media.path)
    assert channel_rms(after, 1, dob["start"] + 0.3, dob["end"] - 0.3) < 1e-4


@pytest.mark.parametrize(
    "read_back",
    ["Is it in the travel lane in front of 1420 Maple Avenue?", "So that's 88 Cedar Lane, right?"],
)
def test_the_address_check_still_passes_on_the_placeholder(read_back: str) -> None:
    """Redaction keeps what a criterion needs: the agent reading the address back verifies it, also when the
    stored turn says [ADDRESS]."""
    said: list[tuple[Speaker, str]] = [
        ("agent", "Thank you for calling Public Works, this is Dave."),
        ("customer", "A car is parked in the bike lane at my house."),
        ("agent", read_back),
        ("customer", "Yes."),
    ]
    opts = redaction_service.options(qa_config.get_settings())
    assert opts is not None
    as_said = [RedactionTurn(text=t, speaker=s) for s, t in said]
    redacted = redaction_service.redact_conversation(opts, as_said)
    assert "[ADDRESS]" in redacted.texts[2]
    assert "Cedar" not in redacted.texts[2] and "Maple" not in redacted.texts[2]
    turns = [ScoringTurn(speaker=s, text=t) for (s, _), t in zip(said, redacted.texts, strict=True)]
    rubric = load_rubric(rubrics_dir() / "public_works_call.yaml")
    evaluation = evaluate(Conversation(channel="call", turns=turns), rubric)
    verification = next(c for c in evaluation.criteria if c.id == "verification")
    assert verification.result == "pass"
