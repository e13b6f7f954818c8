"""`callcoach ingest` of 500 calls: streams with bounded memory, and an interrupted run resumes."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from qa.cli import app
from qa.config import Settings
from qa.db import session_scope
from qa.ingestion import service as ingestion
from qa.models import Interaction, Job
from tests.factories import write_wav

CALLS = 500
runner = CliRunner()


@pytest.fixture(scope="module")
def calls_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """500 distinct two-second stereo recordings (64 KB each, 32 MB in all)."""
    folder = tmp_path_factory.mktemp("calls")
    rng = np.random.default_rng(6)
    for number in range(CALLS):
        left, right = (0.1 * rng.standard_normal(16000)).astype(np.float32), np.zeros(16000, np.float32)
        write_wav(folder / f"call_{number:04d}.wav", [left, right])
    return folder


def stored(settings: Settings) -> tuple[int, int]:
    with session_scope(settings.database_url) as session:
        interactions = session.scalar(select(func.count()).select_from(Interaction)) or 0
        jobs = session.scalar(select(func.count()).select_from(Job)) or 0
    return interactions, jobs


def test_interrupted_batch_resumes_and_skips_what_is_stored(
    settings: Settings, calls_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_ingest = ingestion.ingest_file
    seen: list[Path] = []

    def ctrl_c_at_file_200(**kwargs: object) -> ingestion.FileOutcome:
        seen.append(kwargs["path"])  # type: ignore[arg-type]
        if len(seen) == 200:
            raise KeyboardInterrupt
        return real_ingest(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingestion, "ingest_file", ctrl_c_at_file_200)
    interrupted = runner.invoke(app, ["ingest", str(calls_folder)])
    assert interrupted.exit_code == 130, interrupted.output
    assert "interrupted after 199 of 500 files (199 ingested)" in interrupted.stderr
    assert stored(settings) == (199, 199)  # the file being read when interrupted left nothing

    monkeypatch.setattr(ingestion, "ingest_file", real_ingest)
    tracemalloc.start()
    resumed = runner.invoke(app, ["ingest", str(calls_folder), "--json"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert resumed.exit_code == 0, resumed.output
    summary = json.loads(resumed.stdout)
    assert (summary["ingested"], summary["duplicates"], summary["failed"]) == (301, 199, [])
    assert stored(settings) == (CALLS, CALLS)  # one transcribe job per call, none twice
    # Streaming: the 32 MB of audio never sit in memory together.
    assert peak < 12 * 1024 * 1024, f"peak traced memory {peak / 2**20:.1f} MB"
