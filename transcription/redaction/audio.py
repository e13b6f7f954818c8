"""Audio redaction: the time spans of redacted words become silence or a tone; PyAV writes the result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import av
import numpy as np

from transcription.audio import SAMPLE_RATE as DECODE_RATE
from transcription.audio import FloatArray, decode_channels
from transcription.redaction.types import Entity, EntityType, Turn

Fill = Literal["silence", "tone"]
WRITABLE = {".wav": "pcm_s16le", ".flac": "flac"}  # lossless, so silence stays silent
_NEAR_COPY = 0.05  # channels this close (relative RMS of the difference) carry the same voices


@dataclass(frozen=True, slots=True)
class AudioSpan:
    """Seconds to blank, and who spoke there (None: unknown, blank every channel)."""

    start: float
    end: float
    speaker: str | None
    types: tuple[EntityType, ...] = ()


def audio_spans(
    turns: Sequence[Turn], entities: Sequence[Entity], *, padding: float = 0.5
) -> list[AudioSpan]:
    """The time spans of word-timed entities, widened by `padding` seconds (word times are approximate)
    and merged per speaker where they overlap."""
    raw = sorted(
        (max(0.0, e.start_time - padding), e.end_time + padding, turns[e.turn].speaker, e.type)
        for e in entities
        if e.start_time is not None and e.end_time is not None
    )
    merged: list[AudioSpan] = []
    for start, end, speaker, kind in raw:
        for i, span in enumerate(merged):
            if span.speaker == speaker and start <= span.end and span.start <= end:
                types = span.types if kind in span.types else (*span.types, kind)
                merged[i] = AudioSpan(min(start, span.start), max(end, span.end), speaker, types)
                break
        else:
            merged.append(AudioSpan(start, end, speaker, (kind,)))
    return sorted(merged, key=lambda s: (s.start, s.end))


def is_near_copy(channels: Sequence[FloatArray]) -> bool:
    """True for mono, and for 'stereo' whose channels carry the same mix (both must be redacted)."""
    if len(channels) < 2:
        return True
    a, b = channels[0], channels[1]
    energy = float(np.sqrt(np.mean(np.square(a, dtype=np.float64)) + 1e-12))
    diff = float(np.sqrt(np.mean(np.square(a - b, dtype=np.float64))))
    return diff <= _NEAR_COPY * energy


def redact_audio(
    channels: Sequence[FloatArray],
    sample_rate: int,
    spans: Sequence[AudioSpan],
    *,
    speaker_channels: Mapping[str, int] | None = None,
    fill: Fill = "silence",
    tone_hz: float = 1000.0,
    tone_level: float = 0.1,
) -> list[FloatArray]:
    """Copies of the channels with every span silenced (or replaced by a tone).

    `speaker_channels` maps a speaker to the channel that carries only that speaker ({"agent": 0,
    "customer": 1} for a split stereo call). A span is blanked on its speaker's channel only when the
    channels really are separate; on mono, near-copy stereo or an unknown speaker, on every channel.
    """
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive, got {sample_rate}")
    out = [np.array(c, dtype=np.float32, copy=True) for c in channels]
    separate = speaker_channels is not None and not is_near_copy(out)
    for span in spans:
        if span.end <= span.start:
            continue
        a = max(0, int(np.floor(span.start * sample_rate)))
        targets = range(len(out))
        if separate and speaker_channels is not None and span.speaker is not None:
            index = speaker_channels.get(span.speaker, -1)
            if 0 <= index < len(out):
                targets = range(index, index + 1)
        for c in targets:
            b = min(len(out[c]), int(np.ceil(span.end * sample_rate)))
            if b <= a:
                continue
            if fill == "tone":
                t = np.arange(a, b, dtype=np.float64) / sample_rate
                out[c][a:b] = (tone_level * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
            else:
                out[c][a:b] = 0.0
    return out


def write_audio(path: str | Path, channels: Sequence[FloatArray], sample_rate: int) -> None:
    """Write float channels (-1..1) as 16-bit WAV or FLAC with PyAV."""
    target = Path(path)
    codec = WRITABLE.get(target.suffix.lower())
    if codec is None:
        raise ValueError(f"{target}: cannot write '{target.suffix}' audio (use {' or '.join(WRITABLE)})")
    if not channels or len({len(c) for c in channels}) != 1:
        raise ValueError(f"{target}: channels missing or of different lengths")
    layout = "mono" if len(channels) == 1 else "stereo"
    pcm = np.clip(np.stack(channels, axis=1), -1.0, 1.0)
    interleaved = (pcm * 32767.0).round().astype(np.int16).reshape(1, -1)
    with av.open(str(target), mode="w") as container:
        stream = container.add_stream(codec, rate=sample_rate, layout=layout)
        if not isinstance(stream, av.AudioStream):
            raise TypeError(f"{target}: PyAV gave no audio stream for {codec}")
        frame = av.AudioFrame.from_ndarray(interleaved, format="s16", layout=layout)
        frame.sample_rate = sample_rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def redact_audio_file(
    source: str | Path,
    target: str | Path,
    spans: Sequence[AudioSpan],
    *,
    speaker_channels: Mapping[str, int] | None = None,
    fill: Fill = "silence",
) -> None:
    """Decode `source` (16 kHz, as for transcription), blank the spans, write `target` (.wav or .flac)."""
    channels = decode_channels(source)
    write_audio(
        target,
        redact_audio(channels, DECODE_RATE, spans, speaker_channels=speaker_channels, fill=fill),
        DECODE_RATE,
    )
