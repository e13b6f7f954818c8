"""Attacks: a transcript with a huge number of turns, one enormous turn, or too much text in all; and an
interaction detail answer that would carry every turn of a long conversation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from qa.cli import app
from qa.config import Settings
from qa.db import session_scope
from qa.interactions import service as interaction_service
from qa.jobs import runner
from qa.models import Interaction, Turn
from tests.factories import conversation, write_json
from tests.qa.api import conftest as api
from tests.qa.api.conftest import World

world, client, auth = api.world, api.client, api.auth
Auth = Callable[[str], dict[str, str]]


def _turns(count: int, chars: int = 20) -> list[dict[str, str]]:
    speakers = ("customer", "agent")
    return [{"speaker": speakers[i % 2], "text": "x" * chars} for i in range(count)]


def _interactions(settings: Settings) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(Interaction)) or 0


@pytest.mark.parametrize(
    ("turns", "limit"),
    [
        (_turns(5_001), "more than the limit of 5000 (CALLCOACH_MAX_TURNS)"),
        (
            _turns(2, chars=20_001),
            "20001 characters, more than the limit of 20000 (CALLCOACH_MAX_TURN_CHARS)",
        ),
        (_turns(26, chars=19_999), "more than the limit of 500000 (CALLCOACH_MAX_INTERACTION_CHARS)"),
    ],
    ids=["turns", "turn_chars", "interaction_chars"],
)
def test_upload_beyond_a_content_limit_is_refused(
    client: TestClient,
    world: World,
    auth: Auth,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    turns: list[dict[str, str]],
    limit: str,
) -> None:
    monkeypatch.setattr(runner, "process_new_interactions", lambda *_: None)
    before = _interactions(settings)
    body = json.dumps(conversation("big-1", turns=turns)).encode()
    answer = client.post("/api/interactions", headers=auth("mona"), files={"file": ("big.json", body)})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("big.json: ") and limit in answer.json()["detail"]
    assert _interactions(settings) == before


def test_limits_are_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from qa import config

    monkeypatch.setenv("CALLCOACH_MAX_TURNS", "3")
    config.get_settings.cache_clear()
    path = write_json(tmp_path / "four.json", conversation("four"))  # four turns
    result = CliRunner().invoke(app, ["ingest", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{path}: conversation 1: 4 turns, more than the limit of 3 (CALLCOACH_MAX_TURNS)" in result.stderr


def test_cli_batch_names_the_oversized_file_and_ingests_the_others(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    write_json(folder / "a.json", conversation("ok-a"))
    write_json(folder / "b-huge.json", conversation("huge", turns=_turns(5_001)))
    write_json(folder / "c.json", conversation("ok-c"))
    result = CliRunner().invoke(app, ["ingest", str(folder)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "ingested 2, duplicates 0, failed 1" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors == [
        f"failed: {folder / 'b-huge.json'}: conversation 1: 5001 turns, more than the limit of 5000 "
        "(CALLCOACH_MAX_TURNS)"
    ]


def test_interaction_detail_pages_its_turns(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    interaction_id = world.interactions["maria_chat"]
    with session_scope(settings.database_url) as session:
        start = session.scalar(
            select(func.count()).select_from(Turn).where(Turn.interaction_id == interaction_id)
        )
        session.add_all(
            Turn(interaction_id=interaction_id, index=(start or 0) + i, speaker="agent", text=f"t{i}")
            for i in range(interaction_service.MAX_TURN_PAGE + 10)
        )
        total = (start or 0) + interaction_service.MAX_TURN_PAGE + 10
    first = client.get(f"/api/interactions/{interaction_id}", headers=auth("maria")).json()
    assert len(first["turns"]) == interaction_service.MAX_TURN_PAGE and first["turn_total"] == total
    rest = client.get(
        f"/api/interactions/{interaction_id}?turn_offset={interaction_service.MAX_TURN_PAGE}",
        headers=auth("maria"),
    ).json()
    assert [t["index"] for t in rest["turns"]] == list(range(interaction_service.MAX_TURN_PAGE, total))
    too_many = f"/api/interactions/{interaction_id}?turn_limit={interaction_service.MAX_TURN_PAGE + 1}"
    assert client.get(too_many, headers=auth("maria")).status_code == 422
