"""Decoding with PyAV into bounded windows of 16 kHz float32 audio, one array per channel."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from transcription.errors import (
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    EmptyAudio,
    MissingAudio,
    UnsupportedAudio,
)

SAMPLE_RATE = 16000
SUPPORTED_EXTENSIONS = (".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac")
_CUT_SEARCH_SECONDS = 20.0  # window ends are moved back to the quietest spot in this span
_FRAME = SAMPLE_RATE // 20  # 50 ms energy frames

FloatArray = npt.NDArray[np.float32]


@dataclass(slots=True)
class AudioWindow:
    """A stretch of the call: `offset` seconds from the start, one float32 array per channel."""

    offset: float
    channels: list[FloatArray]
    is_last: bool

    @property
    def duration(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """What the container says before decoding."""

    channels: int
    duration: float | None
    sample_rate: int = 0  # as stored, before resampling to SAMPLE_RATE


def probe_audio(path: str | Path, *, max_duration: float | None = None) -> AudioInfo:
    """Check that the file exists, is non-empty and holds a decodable audio stream."""
    if not os.path.exists(path):
        raise MissingAudio(path)
    if os.path.getsize(path) == 0:
        raise EmptyAudio(path)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnsupportedAudio(path, "no audio stream")
            stream = container.streams.audio[0]
            if stream.codec_context is None or stream.codec_context.name in ("", "none"):
                raise UnsupportedAudio(path, "unknown codec")
            channels = int(stream.codec_context.channels or 1)
            sample_rate = int(stream.codec_context.sample_rate or 0)
            if next(container.decode(stream), None) is None:
                raise EmptyAudio(path)  # a header without a single decodable frame
            duration = None
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
    except (UnsupportedAudio, MissingAudio, EmptyAudio):
        raise
    except av.error.FileNotFoundError as exc:
        raise MissingAudio(path) from exc
    except (av.error.InvalidDataError, av.error.EOFError) as exc:
        raise CorruptAudio(path, str(exc)) from exc
    except av.error.DecoderNotFoundError as exc:
        raise UnsupportedAudio(path, str(exc)) from exc
    except av.error.FFmpegError as exc:
        raise CorruptAudio(path, str(exc)) from exc
    if max_duration is not None and duration is not None and duration > max_duration + 1.0:
        raise AudioTooLong(path, f"{duration:.0f} s > {max_duration:.0f} s")
    return AudioInfo(channels=max(1, channels), duration=duration, sample_rate=sample_rate)


def _decoded_blocks(path: str | Path, stereo: bool) -> Iterator[npt.NDArray[np.int16]]:
    """Yield (n, channels) int16 blocks at 16 kHz; invalid frames are skipped as faster-whisper does."""
    resampler = av.audio.resampler.AudioResampler(
        format="s16", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE
    )
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            frames = container.decode(audio=0)
            while True:
                try:
                    frame = next(frames)
                except StopIteration:
                    break
                except av.error.InvalidDataError:
                    continue
                frame.pts = None
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1, 2 if stereo else 1).astype(np.int16, copy=False)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1, 2 if stereo else 1).astype(np.int16, copy=False)
    except av.error.DecoderNotFoundError as exc:
        raise UnsupportedAudio(path, str(exc)) from exc
    except av.error.FFmpegError as exc:
        raise CorruptAudio(path, str(exc)) from exc
    finally:
        # PyAV resampler objects are only freed by the collector (faster-whisper issue 390)
        del resampler
        gc.collect()


def _quietest_cut(block: npt.NDArray[np.int16], earliest: int) -> int:
    """Index at or after `earliest` in the middle of the quietest 50 ms frame of the block."""
    tail = block[earliest:].astype(np.float32)
    n_frames = len(tail) // _FRAME
    if n_frames < 2:
        return len(block)
    energy = (tail[: n_frames * _FRAME] ** 2).reshape(n_frames, _FRAME, -1).mean(axis=(1, 2))
    return earliest + int(np.argmin(energy)) * _FRAME + _FRAME // 2


def iter_audio_windows(
    path: str | Path,
    *,
    window_seconds: float = 600.0,
    max_duration: float = 4 * 3600.0,
    min_duration: float = 0.5,
) -> Iterator[AudioWindow]:
    """Decode the file into windows of about `window_seconds`, cut where the audio is quietest.

    Memory stays proportional to the window, not the call. Stereo files give two channels
    (left, right); anything else is mixed down to one.
    """
    info = probe_audio(path, max_duration=max_duration)
    stereo = info.channels >= 2
    window = int(window_seconds * SAMPLE_RATE)
    search = min(int(_CUT_SEARCH_SECONDS * SAMPLE_RATE), window // 2)
    max_samples = int(max_duration * SAMPLE_RATE)
    pending: list[npt.NDArray[np.int16]] = []
    pending_len = 0
    emitted = 0

    def to_window(block: npt.NDArray[np.int16], is_last: bool) -> AudioWindow:
        channels = [
            np.ascontiguousarray(block[:, c], dtype=np.float32) / 32768.0 for c in range(block.shape[1])
        ]
        return AudioWindow(offset=emitted / SAMPLE_RATE, channels=channels, is_last=is_last)

    for block in _decoded_blocks(path, stereo):
        pending.append(block)
        pending_len += len(block)
        if emitted + pending_len > max_samples + SAMPLE_RATE:
            raise AudioTooLong(path, f"more than {max_duration:.0f} s")
        if pending_len >= window + search:
            joined = np.concatenate(pending)
            cut = _quietest_cut(joined[:window], window - search)
            yield to_window(joined[:cut], is_last=False)
            emitted += cut
            pending = [joined[cut:]]
            pending_len = len(pending[0])
            del joined
    rest = np.concatenate(pending) if pending else np.zeros((0, 2 if stereo else 1), np.int16)
    total = emitted + len(rest)
    if total == 0:
        raise EmptyAudio(path)
    if total < min_duration * SAMPLE_RATE:
        raise AudioTooShort(path, f"{total / SAMPLE_RATE:.2f} s < {min_duration:.2f} s")
    yield to_window(rest, is_last=True)


def decode_channels(path: str | Path, **kwargs: float) -> list[FloatArray]:
    """Decode a whole (short) file into one float32 array per channel; for tests and tools."""
    windows = list(iter_audio_windows(path, **kwargs))
    return [np.concatenate([w.channels[c] for w in windows]) for c in range(len(windows[0].channels))]
