"""POST /api/interactions: size limit, type checks by extension and content, duplicates, roles."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from qa.config import Settings
from tests.factories import conversation, tone, write_wav
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def _post(client: TestClient, headers: dict[str, str], name: str, content: bytes, **data: str):  # type: ignore[no-untyped-def]
    return client.post("/api/interactions", headers=headers, files={"file": (name, content)}, data=data)


def test_transcript_upload_then_duplicate(client: TestClient, world: World, auth: Auth) -> None:
    content = json.dumps(conversation("chat-upload-1", agent="maria.g")).encode()
    first = _post(client, auth("sam"), "chat.json", content)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["file"] == "chat.json" and len(body["interactions"]) == 1 and body["duplicates"] == []
    new_id = body["interactions"][0]
    detail = client.get(f"/api/interactions/{new_id}", headers=auth("maria")).json()
    assert detail["agent"] == "maria.g" and len(detail["turns"]) == 4
    # Processed in this process after the answer (no queue configured): scored, with sentiment and topic.
    assert detail["evaluation"] is not None and detail["evaluation"]["criteria"]
    assert detail["topic"] == "solid_waste" and all(t["sentiment"] is not None for t in detail["turns"])
    again = _post(client, auth("mona"), "chat.json", content)
    assert again.status_code == 201
    assert again.json()["interactions"] == [] and again.json()["duplicates"] == [new_id]


def test_recording_upload_with_metadata(client: TestClient, world: World, auth: Auth, tmp_path: Path) -> None:
    wav = write_wav(tmp_path / "x.wav", [tone(1.2), tone(1.2, 220.0)])
    metadata = json.dumps({"agent": "li.w", "external_id": "call-77", "queue": "potholes"})
    answer = _post(client, auth("ada"), "call-77.wav", wav.read_bytes(), metadata=metadata)
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["interactions"][0]
    detail = client.get(f"/api/interactions/{new_id}", headers=auth("li")).json()
    assert detail["channel"] == "call" and detail["queue"] == "potholes" and detail["has_audio"] is True
    audio = client.get(f"/api/interactions/{new_id}/audio", headers=auth("li"))
    # Redaction is on by default: the stored recording is the redacted FLAC copy (docs/redaction.md).
    assert audio.status_code == 200 and audio.content.startswith(b"fLaC")
    assert audio.headers["content-type"] == "audio/flac"


def test_too_large_is_413(client: TestClient, world: World, auth: Auth, settings: Settings) -> None:
    settings.max_upload_bytes = 1000
    answer = _post(client, auth("sam"), "chat.json", b"x" * 1001)
    assert answer.status_code == 413
    assert "limit" in answer.json()["detail"]
    # Far above the limit: refused from the declared length, before the body is parsed.
    huge = _post(client, auth("sam"), "chat.json", b"x" * 200_000)
    assert huge.status_code == 413 and huge.json()["detail"] == "upload: larger than the limit of 1000 bytes"


def test_wrong_type_is_415_and_bad_content_422(client: TestClient, world: World, auth: Auth) -> None:
    sam = auth("sam")
    exe = _post(client, sam, "setup.exe", b"MZ\x90\x00")
    assert exe.status_code == 415 and "unsupported file type" in exe.json()["detail"]
    fake_audio = _post(client, sam, "call.wav", b"this is not audio at all" * 10)
    assert fake_audio.status_code == 422 and "call.wav" in fake_audio.json()["detail"]
    bad_json = _post(client, sam, "chat.json", b"{not json")
    assert bad_json.status_code == 422 and "chat.json" in bad_json.json()["detail"]
    bad_metadata = _post(client, sam, "notes.txt", b"Agent: hi\nCustomer: hello\n", metadata="[1, 2")
    assert bad_metadata.status_code == 422
    # Nothing was stored by the refused uploads.
    assert client.get("/api/interactions", headers=auth("mona")).json()["total"] == 4


def test_agents_cannot_upload(client: TestClient, world: World, auth: Auth) -> None:
    content = json.dumps(conversation("chat-upload-2", agent="maria.g")).encode()
    assert _post(client, auth("maria"), "chat.json", content).status_code == 403


def test_every_transcript_kind_uploaded_twice_answers_duplicates(
    client: TestClient, world: World, auth: Auth
) -> None:
    sam = auth("sam")
    uploads = {
        "call.json": (json.dumps(conversation("up-call", agent="maria.g", channel="call")).encode(), {}),
        "chats.jsonl": (
            "\n".join(json.dumps(conversation(f"up-l{n}", agent="li.w")) for n in (1, 2)).encode(),
            {},
        ),
        "export.csv": (
            b"conversation_id,speaker,text,agent,channel\nup-c1,customer,bins missed,maria.g,call\n"
            b"up-c1,agent,sorry,maria.g,call\nup-c2,customer,pothole,li.w,chat\n",
            {},
        ),
        "note.txt": (
            b"Agent: hello\nCustomer: my street light is out\n",
            {"metadata": '{"channel": "call", "agent": "li.w"}'},  # a supervisor names their agent
        ),
    }
    for name, (content, form) in uploads.items():
        first = _post(client, sam, name, content, **form)
        again = _post(client, sam, name, content, **form)
        assert first.status_code == again.status_code == 201, (name, first.text, again.text)
        assert again.json()["interactions"] == [], name
        assert sorted(again.json()["duplicates"]) == sorted(first.json()["interactions"]), name
        assert len(first.json()["interactions"]) == (2 if name in ("chats.jsonl", "export.csv") else 1)


def test_recording_uploaded_twice_or_after_the_cli_is_a_duplicate(
    client: TestClient, world: World, auth: Auth, settings: Settings, tmp_path: Path
) -> None:
    from qa.ingestion import service as ingestion

    wav = write_wav(tmp_path / "call-88.wav", [tone(1.0), tone(1.0, 220.0)])
    by_cli = ingestion.ingest_one(
        settings=settings, path=wav, options=ingestion.options_from_settings(settings)
    )
    answer = _post(client, auth("ada"), "call-88.wav", wav.read_bytes())
    assert answer.status_code == 201 and answer.json()["duplicates"] == by_cli.ingested
    # The same bytes under another name: still the same recording.
    renamed = _post(client, auth("ada"), "renamed.wav", wav.read_bytes())
    assert renamed.json() == {
        "file": "renamed.wav",
        "interactions": [],
        "duplicates": by_cli.ingested,
        "duplicates_out_of_scope": 0,
    }


def test_bad_upload_is_a_failed_ingest_job_that_can_be_retried(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    from qa.db import session_scope
    from qa.jobs import runner
    from qa.jobs import service as job_service
    from qa.models import JobKind, JobStatus

    bad = json.dumps(conversation("up-retry", agent="maria.g", turns=[{"speaker": "robot", "text": "x"}]))
    answer = _post(client, auth("sam"), "retry.json", bad.encode())
    assert answer.status_code == 422
    assert answer.json()["detail"] == "retry.json: conversation 1, turn 1: unknown speaker label 'robot'"
    with session_scope(settings.database_url) as session:
        (job,) = job_service.list_jobs(session=session, statuses=[JobStatus.FAILED], kinds=[JobKind.INGEST])
        kept = Path(job.source_path or "")
    assert kept.name == "retry.json" and kept.is_file()
    # Fixed where it waits, the retry reads it again.
    kept.write_text(json.dumps(conversation("up-retry", agent="maria.g")), encoding="utf-8")
    report = runner.retry_failed(settings=settings, job_ids=[job.id])
    assert report.reingested == 1 and report.failed == 0
