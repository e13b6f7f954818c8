"""Checking and storing call recordings before they are transcribed."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import av

from qa.errors import InputError

AUDIO_SUFFIXES = {".wav", ".mp3", ".flac", ".ogg", ".m4a"}


@dataclass(frozen=True, slots=True)
class AudioInfo:
    format: str
    channels: int
    sample_rate: int
    duration_seconds: float
    size_bytes: int


def probe_audio(path: Path) -> AudioInfo:
    """Open `path` with PyAV and decode its first frames, or raise an InputError saying why not."""
    suffix = path.suffix.lower()
    if suffix not in AUDIO_SUFFIXES:
        raise InputError(path, f"unsupported audio format '{suffix}' (use wav, mp3, flac, ogg or m4a)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror}") from None
    if size == 0:
        raise InputError(path, "audio file is empty (0 bytes)")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise InputError(path, "contains no audio stream")
            stream = container.streams.audio[0]
            decoded = 0.0
            for frame in container.decode(stream):
                decoded += frame.samples / (frame.sample_rate or 1)
                if decoded > 1.0:
                    break
            if decoded == 0.0:
                raise InputError(path, "no decodable audio (empty or corrupt stream)")
            duration = _duration(container, stream)
            return AudioInfo(
                format=suffix.lstrip("."),
                channels=stream.codec_context.channels,
                sample_rate=stream.codec_context.sample_rate,
                duration_seconds=round(max(duration, decoded), 3),
                size_bytes=size,
            )
    except InputError:
        raise
    except (av.FFmpegError, ValueError, IndexError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(path, f"not a readable audio file ({reason})") from None


def _duration(container: av.container.InputContainer, stream: av.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


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
