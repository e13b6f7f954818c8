"""Whisper settings map onto transcription.EngineOptions; unset ones keep the library's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from qa.config import Settings
from qa.jobs.ml_models import engine_options
from transcription import EngineOptions

WHISPER_VARS = (
    "CALLCOACH_WHISPER_DEVICE",
    "CALLCOACH_WHISPER_COMPUTE_TYPE",
    "CALLCOACH_WHISPER_BEAM_SIZE",
    "CALLCOACH_WHISPER_THREADS",
)


@pytest.fixture(autouse=True)
def _no_whisper_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file read
    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", "test")
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "test-secret-key-not-a-placeholder")
    for name in WHISPER_VARS:
        monkeypatch.delenv(name, raising=False)


def whisper_fields(options: EngineOptions) -> tuple[str, str, int, int]:
    return options.device, options.compute_type, options.beam_size, options.cpu_threads


def test_unset_whisper_settings_are_the_library_defaults() -> None:
    assert whisper_fields(engine_options(Settings())) == whisper_fields(EngineOptions())


def test_set_whisper_settings_reach_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCOACH_WHISPER_DEVICE", "cuda")
    monkeypatch.setenv("CALLCOACH_WHISPER_COMPUTE_TYPE", "float16")
    monkeypatch.setenv("CALLCOACH_WHISPER_BEAM_SIZE", "2")
    monkeypatch.setenv("CALLCOACH_WHISPER_THREADS", "1")
    assert whisper_fields(engine_options(Settings())) == ("cuda", "float16", 2, 1)


def test_a_beam_of_zero_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCOACH_WHISPER_BEAM_SIZE", "0")
    with pytest.raises(ValidationError, match="whisper_beam_size"):
        Settings()
