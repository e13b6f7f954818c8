"""Audio redaction: redacted words' spans become silence (or a tone) on the right channels; files written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from transcription import decode_channels
from transcription.redaction import (
    AudioSpan,
    Turn,
    Word,
    audio_spans,
    detect,
    is_near_copy,
    redact_audio,
    redact_audio_file,
    write_audio,
)

RATE = 16000


def tone(seconds: float, hz: float = 440.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def loudest(channel: np.ndarray, start: float, end: float) -> float:
    return float(np.max(np.abs(channel[int(start * RATE) : int(end * RATE)])))


def call_turn() -> Turn:
    texts = ["my", "number", "is", "555", "201", "3344", "thanks"]
    words = tuple(Word(t, 1.0 + i * 0.5, 1.0 + i * 0.5 + 0.4) for i, t in enumerate(texts))
    return Turn(" ".join(texts), "customer", words)


def test_spans_come_from_word_times_with_padding() -> None:
    turn = call_turn()
    (span,) = audio_spans([turn], detect([turn]), padding=0.1)
    assert (span.start, span.end) == (pytest.approx(2.4), pytest.approx(4.0))
    assert (span.speaker, span.types) == ("customer", ("PHONE",))


def test_separate_stereo_silences_only_the_speakers_channel() -> None:
    agent, customer = tone(5.0, 440), tone(5.0, 620)
    spans = [AudioSpan(2.0, 3.0, "customer", ("PHONE",))]
    out = redact_audio([agent, customer], RATE, spans, speaker_channels={"agent": 0, "customer": 1})
    assert loudest(out[1], 2.0, 3.0) == 0.0
    assert loudest(out[1], 0.5, 1.9) > 0.4 and loudest(out[1], 3.1, 4.5) > 0.4
    assert loudest(out[0], 2.0, 3.0) > 0.4  # the agent said nothing private there
    assert loudest(customer, 2.0, 3.0) > 0.4  # the input is not changed


def test_mono_and_near_copy_stereo_silence_every_channel() -> None:
    mixed = tone(4.0)
    copy = (mixed * 0.999).astype(np.float32)
    assert is_near_copy([mixed, copy]) and not is_near_copy([tone(4.0, 440), tone(4.0, 620)])
    spans = [AudioSpan(1.0, 2.0, "customer")]
    out = redact_audio([mixed, copy], RATE, spans, speaker_channels={"agent": 0, "customer": 1})
    assert loudest(out[0], 1.0, 2.0) == 0.0 and loudest(out[1], 1.0, 2.0) == 0.0
    (mono,) = redact_audio([mixed], RATE, spans)
    assert loudest(mono, 1.0, 2.0) == 0.0 and loudest(mono, 2.1, 3.0) > 0.4


def test_tone_fill_replaces_the_speech_with_a_beep() -> None:
    (out,) = redact_audio([tone(3.0, 440)], RATE, [AudioSpan(1.0, 2.0, None)], fill="tone", tone_hz=1000.0)
    segment = out[int(1.1 * RATE) : int(1.9 * RATE)]
    spectrum = np.abs(np.fft.rfft(segment))
    assert np.fft.rfftfreq(len(segment), 1 / RATE)[int(np.argmax(spectrum))] == pytest.approx(1000.0, abs=5)


def test_redacted_file_is_silent_where_the_entity_was_spoken(tmp_path: Path) -> None:
    source = tmp_path / "call.wav"
    write_audio(source, [tone(6.0, 440), tone(6.0, 620)], RATE)
    turn = call_turn()
    target = tmp_path / "redacted.flac"
    redact_audio_file(
        source, target, audio_spans([turn], detect([turn])), speaker_channels={"agent": 0, "customer": 1}
    )
    agent, customer = decode_channels(target)
    assert loudest(customer, 2.5, 3.8) == 0.0
    assert loudest(customer, 0.5, 2.2) > 0.4 and loudest(agent, 2.5, 3.8) > 0.4
    assert len(customer) == 6 * RATE


def test_unwritable_format_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"redacted\.mp3: cannot write '\.mp3'"):
        write_audio(tmp_path / "redacted.mp3", [tone(1.0)], RATE)
