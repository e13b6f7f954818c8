"""The `callcoach` command line against real databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa.cli import app
from qa.config import Settings
from tests.factories import conversation, tone, write_json, write_wav

runner = CliRunner()


def call(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    (folder / "chats").mkdir(parents=True)
    write_json(folder / "chats" / "one.json", conversation("chat-1"))
    write_json(
        folder / "chats" / "two.json", [conversation("chat-2"), conversation("chat-3", agent="james.t")]
    )
    (folder / "chats" / "broken.json").write_text('{"external_id": ')
    write_wav(folder / "call.wav", [tone(1.0), tone(1.0, 300)])
    (folder / "silent.mp3").write_bytes(b"")
    return folder


def test_ingest_reports_each_bad_file_and_goes_on(settings: Settings, batch: Path) -> None:
    result = call("ingest", str(batch))
    assert result.exit_code == 1
    assert "ingested 4, duplicates 0, failed 2" in result.stdout
    assert f"{batch / 'chats' / 'broken.json'}: malformed JSON" in result.stderr
    assert f"{batch / 'silent.mp3'}: file is empty (no audio samples)" in result.stderr


def test_ingest_json_summary_and_duplicates(settings: Settings, batch: Path) -> None:
    first = json.loads(call("ingest", str(batch), "--json").stdout)
    assert first["ingested"] == 4 and len(first["interactions"]) == 4
    assert {f["file"] for f in first["failed"]} == {
        str(batch / "chats" / "broken.json"),
        str(batch / "silent.mp3"),
    }
    second = json.loads(call("ingest", str(batch), "--json").stdout)
    assert (second["ingested"], second["duplicates"], second["interactions"]) == (0, 4, [])
    again = call("ingest", str(batch / "chats" / "one.json"))
    assert again.exit_code == 0 and "duplicate: " in again.stdout + again.stderr


def test_failed_ingest_is_a_job_that_can_be_retried(settings: Settings, batch: Path) -> None:
    call("ingest", str(batch))
    jobs = [json.loads(line) for line in call("jobs", "list", "--json").stdout.splitlines()]
    failed = [j for j in jobs if j["status"] == "failed"]
    assert {j["kind"] for j in failed} == {"ingest"} and len(failed) == 2
    assert all(j["error"] and j["attempts"] == 1 for j in failed)
    assert {j["kind"] for j in jobs if j["status"] == "queued"} == {"analyze", "transcribe"}
    write_json(batch / "chats" / "broken.json", conversation("chat-4"))
    retried = call("jobs", "retry")
    assert retried.exit_code == 1  # the empty mp3 still fails
    assert "re-ingested 1, still failing 1" in retried.stdout
    after = [
        json.loads(line) for line in call("jobs", "list", "--json", "--status", "failed").stdout.splitlines()
    ]
    assert len(after) == 1 and after[0]["attempts"] == 2 and after[0]["file"].endswith("silent.mp3")


def test_strict_agents_flag(settings: Settings, tmp_path: Path) -> None:
    write_json(tmp_path / "c.json", conversation(agent="new.agent"))
    result = call("ingest", str(tmp_path / "c.json"), "--strict-agents")
    assert result.exit_code == 1 and "unknown agent 'new.agent'" in result.stderr


def test_missing_path_and_bad_manifest(settings: Settings, tmp_path: Path) -> None:
    missing = call("ingest", str(tmp_path / "nope.json"))
    assert missing.exit_code == 1 and "nope.json: no such file" in missing.stderr
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,csat\nx.wav,7\n")
    bad = call("ingest", str(tmp_path), "--manifest", str(manifest))
    assert bad.exit_code == 1 and "line 2: bad metadata field 'csat'" in bad.stderr


def test_users_create_and_list(settings: Settings, tmp_path: Path) -> None:
    call("ingest", str(write_json(tmp_path / "c.json", conversation())))
    made = call(
        "users", "create", "maria", "--role", "agent", "--agent", "maria.g", "--password", "s3cret-pass"
    )
    assert made.exit_code == 0, made.stderr
    assert (
        call(
            "users", "create", "sam", "--role", "supervisor", "--team", "north", "--password", "pw-123456"
        ).exit_code
        == 0
    )
    duplicate = call("users", "create", "maria", "--role", "manager", "--password", "another-pass")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.stderr
    no_agent = call(
        "users", "create", "x", "--role", "agent", "--agent", "ghost", "--password", "another-pass"
    )
    assert no_agent.exit_code == 1 and "no agent named 'ghost'" in no_agent.stderr
    listing = call("users", "list").stdout
    assert "maria" in listing and "supervisor" in listing and "s3cret" not in listing


def test_placeholder_secret_is_refused_outside_development(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa import config

    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", "production")
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "change-me")
    config.get_settings.cache_clear()
    result = call("jobs", "list")
    assert result.exit_code == 1 and "CALLCOACH_SECRET_KEY is a placeholder" in result.stderr


COMMANDS = [[], ["ingest"], ["process"], ["jobs"], ["jobs", "list"], ["jobs", "retry"], ["users", "create"]]
COMMANDS += [
    ["users", "list"],
    ["serve"],
    ["ui"],
    ["demo"],
    ["report"],
    ["report", "review"],
    ["report", "period"],
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout


def test_users_update_teams_and_the_last_admin(settings: Settings, tmp_path: Path) -> None:
    call("ingest", str(write_json(tmp_path / "c.json", conversation(agent="maria.g"))))
    call("users", "create", "root", "--role", "admin", "--password", "Quiet-Harbor-Lantern-5")
    call("users", "create", "sam", "--role", "supervisor", "--team", "North", "--password", "Lamp-Orbit-42")
    made = call("users", "create", "mia", "--role", "manager", "--password", "Lamp-Orbit-42")
    assert made.exit_code == 0, made.stderr
    linked = call("users", "update", "mia", "--role", "agent", "--agent", "maria.g", "--team", "South")
    assert linked.exit_code == 0, linked.stderr
    assert call("users", "list").stdout.splitlines()[0].split() == [
        "mia",
        "agent",
        "active",
        "South",
        "maria.g",
    ]
    east = call("users", "create-team", "East", "--supervisor", "sam")
    assert east.exit_code == 0, east.stderr
    teams = {line.split()[0]: line.split() for line in call("users", "teams").stdout.splitlines()}
    assert teams["East"][-1] == "sam" and teams["South"][1] == "1"
    last = call("users", "disable", "root")
    assert last.exit_code == 1 and "last active admin" in last.stderr
    too_long = call("users", "update", "mia", "--team", "x" * 200)
    assert too_long.exit_code == 1 and "--team" in too_long.stderr
