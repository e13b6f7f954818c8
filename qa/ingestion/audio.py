"""Checking and storing call recordings before they are transcribed."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import transcription
from qa.errors import InputError, audio_input_error

AUDIO_SUFFIXES = {".wav", ".mp3", ".flac", ".ogg", ".m4a"}


@dataclass(frozen=True, slots=True)
class AudioInfo:
    format: str
    channels: int
    sample_rate: int
    duration_seconds: float
    size_bytes: int


def probe_audio(path: Path) -> AudioInfo:
    """What we store about a recording, from `transcription.probe_audio`; an InputError saying why not."""
    suffix = path.suffix.lower()
    if suffix not in AUDIO_SUFFIXES:
        raise InputError(path, f"unsupported audio format '{suffix}' (use wav, mp3, flac, ogg or m4a)")
    try:
        heard = transcription.probe_audio(path)
        size = path.stat().st_size
    except transcription.AudioError as exc:
        raise audio_input_error(exc) from None
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror}") from None
    return AudioInfo(
        format=suffix.lstrip("."),
        channels=heard.channels,
        sample_rate=heard.sample_rate,
        duration_seconds=round(heard.duration or 0.0, 3),
        size_bytes=size,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_media(path: Path, sha256: str, media_dir: Path) -> Path:
    """Copy `path` into the content-addressed media folder (idempotent) and return where it lies."""
    target = media_dir / sha256[:2] / f"{sha256}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return target
