import itertools
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from transcription import (
    AudioError,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    EmptyAudio,
    MissingAudio,
    UnsupportedAudio,
    decode_channels,
    iter_audio_windows,
)

WriteWav = Callable[..., Path]


def _one_line_naming(error: AudioError, path: Path) -> None:
    text = str(error)
    assert "\n" not in text
    assert text.startswith(str(path) + ": ")


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(EmptyAudio) as info:
        list(iter_audio_windows(path))
    _one_line_naming(info.value, path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingAudio, match="file not found"):
        list(iter_audio_windows(tmp_path / "nope.mp3"))


@pytest.mark.parametrize("name", ["noise.mp3", "text.wav", "half.flac"])
def test_corrupt(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = (
        b"fLaC\x00\x00"
        if name == "half.flac"
        else np.random.default_rng(11).bytes(4000)  # fixed: some random bytes decode as mp3 frames
        if name == "noise.mp3"
        else b"not audio " * 50
    )
    path.write_bytes(data)
    with pytest.raises(CorruptAudio) as info:
        list(iter_audio_windows(path))
    _one_line_naming(info.value, path)
    assert "corrupt" in str(info.value)


def test_unsupported_codec(tmp_path: Path) -> None:
    samples = np.zeros(8000, np.int16).tobytes()
    fmt = struct.pack("<HHIIHH", 0x1234, 1, 8000, 16000, 2, 16)  # a WAV format tag no decoder knows
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )
    path = tmp_path / "odd.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(UnsupportedAudio) as info:
        list(iter_audio_windows(path))
    _one_line_naming(info.value, path)


def test_too_short(wav: WriteWav) -> None:
    path = wav("short.wav", np.zeros(1600))  # 0.2 s
    with pytest.raises(AudioTooShort, match=r"0\.20 s"):
        list(iter_audio_windows(path))


def test_too_long(wav: WriteWav) -> None:
    path = wav("long.wav", np.zeros(8000 * 5))
    with pytest.raises(AudioTooLong) as info:
        list(iter_audio_windows(path, max_duration=2.0))
    _one_line_naming(info.value, path)


def test_stereo_windows_cut_in_quiet_spots_and_cover_everything(wav: WriteWav) -> None:
    t = np.arange(8000 * 30) / 8000
    tone = 0.3 * np.sin(2 * np.pi * 440 * t) * (np.sin(2 * np.pi * 0.25 * t) > 0)  # 2 s on, 2 s off
    path = wav("stereo.wav", tone, 0.5 * tone)
    windows = list(iter_audio_windows(path, window_seconds=8.0))
    assert len(windows) >= 3
    assert all(len(w.channels) == 2 for w in windows)
    assert windows[-1].is_last and not windows[0].is_last
    for a, b in itertools.pairwise(windows):
        assert b.offset == pytest.approx(a.offset + a.duration)
        cut = int(b.offset * 8000)
        assert abs(tone[cut]) < 1e-6  # cut in the silent half of the tone cycle
    total = sum(w.duration for w in windows)
    assert total == pytest.approx(30.0, abs=0.01)
    left, right = decode_channels(path)
    assert len(left) == len(right) == 16000 * 30
    assert np.max(np.abs(right)) == pytest.approx(0.15, abs=0.01)


def test_m4a_ogg_mp3_written_with_pyav_decode(tmp_path: Path) -> None:
    import av

    rate = 16000
    tone = (0.2 * np.sin(2 * np.pi * 300 * np.arange(rate * 2) / rate)).astype(np.float32)
    for name, codec in (("tone.m4a", "aac"), ("tone.ogg", "libopus"), ("tone.mp3", "libmp3lame")):
        path = tmp_path / name
        with av.open(str(path), "w") as container:
            stream = container.add_stream(codec, rate=rate, layout="stereo")
            assert isinstance(stream, av.AudioStream)
            frame = av.AudioFrame.from_ndarray(np.stack([tone, tone * 0.5]), format="fltp", layout="stereo")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
        left, right = decode_channels(path)
        assert abs(len(left) / rate - 2.0) < 0.2  # encoder priming and frame padding
        assert np.max(np.abs(left)) > 1.5 * np.max(np.abs(right)) > 0.05
