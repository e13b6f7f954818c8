import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from transcription_helpers import sample_call, write_wav  # type: ignore[import-not-found]

from transcription import (
    METRIC_KEYS,
    EngineOptions,
    ModelUnavailable,
    Transcriber,
    decode_channels,
    embedded_model_path,
    get_transcriber,
    load_model,
    transcribe_file,
)

WriteWav = Callable[..., Path]
SHORT_CALL = "call_07_pothole_repeat"


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_model_loads_once_per_process() -> None:
    assert get_transcriber(EngineOptions()) is get_transcriber(EngineOptions())
    assert load_model("tiny.en", "cpu", "int8", 0) is load_model("tiny.en", "cpu", "int8", 0)


def test_model_from_a_local_folder(wav: WriteWav) -> None:
    folder = embedded_model_path()
    transcriber = Transcriber(EngineOptions(model=folder, cpu_threads=1))
    result = transcriber.transcribe(wav("quiet.wav", np.zeros(8000 * 2)))
    assert result.no_speech and result.turns == []


def test_unknown_model_name_is_a_clear_error() -> None:
    with pytest.raises(ModelUnavailable, match="no-such-whisper-model"):
        Transcriber(EngineOptions(model="no-such-whisper-model"))
    with pytest.raises(ModelUnavailable, match="folder does not exist"):
        Transcriber(EngineOptions(model="/nonexistent/models/whisper"))


@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_silence_and_noise_give_no_invented_text(wav: WriteWav, kind: str) -> None:
    rng = np.random.default_rng(7)
    n = 8000 * 12
    signal = np.zeros(n) if kind == "silence" else 0.05 * rng.standard_normal(n)
    result = transcribe_file(wav(f"{kind}.wav", signal, signal[::-1].copy()))
    assert result.no_speech
    assert result.turns == []
    assert result.to_dict()["turns"] == []
    assert result.metrics["agent_talk_seconds"] == 0.0


def test_sample_call_end_to_end() -> None:
    path = sample_call(SHORT_CALL)
    script = json.loads(path.with_name(SHORT_CALL + ".script.json").read_text())["turns"]
    result = transcribe_file(path)
    data = result.to_dict()
    assert list(data) == ["duration", "channels", "language", "turns", "metrics"]
    assert data["channels"] == 2 and data["language"] == "en"
    assert data["duration"] == pytest.approx(script[-1]["end"], abs=1.0)
    assert list(data["metrics"]) == list(METRIC_KEYS)
    assert all(list(t) == ["speaker", "start", "end", "text", "confidence"] for t in data["turns"])
    assert [t["speaker"] for t in data["turns"]] == [t["speaker"] for t in script]
    for got, want in zip(data["turns"], script, strict=False):
        assert abs(got["start"] - want["start"]) < 1.0
        assert 0.0 < got["confidence"] <= 1.0
    text = " ".join(t["text"] for t in data["turns"]).lower()
    assert "pothole" in text or "maple" in text
    assert data["metrics"]["agent_first_words_seconds"] < 1.0
    assert "words" in result.turns[0].to_dict(with_words=True)


def test_agent_channel_is_configurable_per_source() -> None:
    path = sample_call(SHORT_CALL)
    swapped = transcribe_file(path, agent_channel="right")
    assert swapped.turns[0].speaker == "customer"


def test_mono_mixdown_is_split_into_agent_and_customer(tmp_path: Path) -> None:
    path = sample_call(SHORT_CALL)
    left, right = decode_channels(path)
    mono = write_wav(tmp_path / "mono.wav", [(left + right) / 2], rate=16000)
    result = transcribe_file(mono)
    assert result.channels == 1
    assert result.turns[0].speaker == "agent"
    assert {t.speaker for t in result.turns} == {"agent", "customer"}


@pytest.mark.parametrize("suffix", [".flac", ".mp3", ".ogg"])
def test_every_sample_format_decodes(suffix: str) -> None:
    root = Path(__file__).resolve().parents[2] / "samples" / "calls"
    files = sorted(root.glob("*" + suffix))
    if not files:
        pytest.skip(f"no {suffix} sample")
    channels = decode_channels(files[0])
    assert len(channels) == 2 and len(channels[0]) > 16000
