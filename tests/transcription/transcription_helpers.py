"""Helpers shared by the transcription tests (a uniquely named module, unlike conftest)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "calls"


def write_wav(path: Path, channels: list[np.ndarray], rate: int = 8000) -> Path:
    """Write float channels in [-1, 1] as a 16-bit PCM WAV."""
    pcm = (np.clip(np.stack(channels, axis=1), -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(len(channels))
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def sample_call(stem: str) -> Path:
    """A committed sample call by file stem; skips the test when samples are absent."""
    matches = [p for p in SAMPLES.glob(stem + ".*") if not p.name.endswith(".json")]
    if not matches:
        pytest.skip(f"sample call {stem} not present in {SAMPLES}")
    return matches[0]


def speech_dev_folder() -> Path:
    """shared/data/speech_dev next to the clone (CI) or next to the worktree folder (developers)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "speech_dev"
        if (folder / "manifest.tsv").is_file():
            return folder
    raise FileNotFoundError(f"real speech data missing: {ROOT.parent / 'shared' / 'data' / 'speech_dev'}")


def real_clip(relative: str) -> np.ndarray:
    """A speech_dev recording as 16 kHz mono float32."""
    from transcription import decode_channels

    return np.mean(decode_channels(speech_dev_folder() / relative, min_duration=0.0), axis=0)


def telephone_line(audio: np.ndarray) -> np.ndarray:
    """16 kHz audio through the benchmarks' 8 kHz telephone line (300-3400 Hz, mu-law), at 8 kHz."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("_speech_dev", ROOT / "benchmarks" / "_speech_dev.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.get(spec.name) or importlib.util.module_from_spec(spec)
    if spec.name not in sys.modules:
        sys.modules[spec.name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return np.asarray(module.telephone(audio.astype(np.float32)))
