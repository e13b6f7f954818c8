"""Domain exceptions; str() is one line naming the file and the problem."""

from __future__ import annotations

from pathlib import Path


class TranscriptionError(Exception):
    """Base class of everything this package raises on purpose."""


class AudioError(TranscriptionError):
    """The audio file cannot be transcribed."""

    problem = "cannot be transcribed"

    def __init__(self, path: str | Path, detail: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        message = f"{self.path}: {self.problem}"
        if detail:
            detail = " ".join(detail.replace(f": '{self.path}'", "").split())
            message += f" ({detail})"
        super().__init__(message)


class MissingAudio(AudioError):
    problem = "file not found"


class EmptyAudio(AudioError):
    problem = "file is empty (no audio samples)"


class CorruptAudio(AudioError):
    problem = "file is corrupt or not an audio file"


class UnsupportedAudio(AudioError):
    problem = "audio format or codec is not supported"


class AudioTooShort(AudioError):
    problem = "audio is too short to transcribe"


class AudioTooLong(AudioError):
    problem = "audio is longer than the configured maximum"


class ModelUnavailable(TranscriptionError):
    """The speech model cannot be loaded (unknown name, missing folder, offline)."""

    def __init__(self, model: str, detail: str | None = None) -> None:
        self.model = model
        message = f"speech model {model!r} is not available offline"
        if detail:
            message += f" ({' '.join(detail.split())[:200]})"
        super().__init__(message)
