"""Fixtures for transcription tests: audio written with numpy, sample calls from samples/calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from transcription_helpers import write_wav  # type: ignore[import-not-found]

WriteWav = Callable[..., Path]


@pytest.fixture
def wav(tmp_path: Path) -> WriteWav:
    """Factory: wav(name, *channels, rate=8000) -> path."""

    def make(name: str, *channels: np.ndarray, rate: int = 8000) -> Path:
        return write_wav(tmp_path / name, list(channels), rate)

    return make
