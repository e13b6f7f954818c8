"""The CLI works from any folder, and the shipped rubrics and topics come with an installed wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qa.config import Settings
from qa.db import session_scope
from qa.evaluations import service as evaluation_service

REPO = Path(__file__).resolve().parents[2]
CHAT = REPO / "samples" / "transcripts" / "chat-1001.json"


def callcoach(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "qa.cli.main", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_ingest_and_process_outside_the_repository_score_with_the_shipped_rubric(
    settings: Settings, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCOACH_RUBRICS")}
    env |= {"PYTHONPATH": str(REPO), "CALLCOACH_DATABASE_URL": settings.database_url}
    ingested = callcoach("ingest", str(CHAT), "--json", cwd=elsewhere, env=env)
    assert ingested.returncode == 0, ingested.stderr
    [interaction_id] = json.loads(ingested.stdout)["interactions"]

    processed = callcoach("process", cwd=elsewhere, env=env)
    assert processed.returncode == 0, processed.stderr + processed.stdout
    assert "processed 1, failed 0" in processed.stdout
    with session_scope(settings.database_url) as session:
        evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
        assert evaluation is not None
        assert evaluation.rubric_version.rubric_id == "public_works_chat"


@pytest.mark.slow
def test_a_built_wheel_carries_the_rubrics_and_finds_them_from_any_folder(tmp_path: Path) -> None:
    source = _mkdir(tmp_path / "source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for folder in ("qa", "scoring", "transcription", "coaching_ui", "rubrics"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    built = subprocess.run(
        [*pip, "-w", str(tmp_path), str(source)], capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("callcoach-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    assert {"rubrics/public_works_call.yaml", "rubrics/public_works_chat.yaml", "rubrics/topics.yaml"} <= set(
        names
    )
    shutil.rmtree(source)  # only the installed copy is left to find

    elsewhere = _mkdir(tmp_path / "elsewhere")
    probe = (
        "from qa.config import Settings; from qa.jobs import ml_models; s = Settings(); "
        "print(*sorted(ml_models.rubrics(s)), ml_models.topics_file(s), ml_models.rubrics_folder(s))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCOACH_")}
    env["PYTHONPATH"] = str(installed)
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    call, chat, topics, folder = run.stdout.split()
    assert (call, chat) == ("public_works_call", "public_works_chat")
    assert Path(topics) == installed / "rubrics" / "topics.yaml" and Path(folder) == installed / "rubrics"


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
