import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from transcription_helpers import real_clip, sample_call, telephone_line, write_wav  # type: ignore[import-not-found]

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
    keys = ["speaker", "start", "end", "text", "confidence", "low_confidence_words"]
    assert all(list(t) == keys for t in data["turns"])
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


PUBLIC_WORKS = ("Public Works", "street sweeping", "bulky item", "pothole", "scooter", "e-bike")


def words_of(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c == " " else " " for c in text.lower()).split()


@pytest.fixture(scope="module")
def sparse_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real voices: the agent talks twice on the left; the customer says one short line on the right,
    in the agent's pause; each channel is silent while its speaker is quiet."""
    agent1 = real_clip("pyroomacoustics/cmu_arctic_us_aew_a0001.wav")
    agent2 = real_clip("pyroomacoustics/cmu_arctic_us_aew_a0003.wav")
    customer = real_clip("pyroomacoustics/cmu_arctic_us_axb_a0005.wav")  # "Will we ever forget it."
    gap = np.zeros(12000, np.float32)
    left = np.concatenate([agent1, gap, np.zeros_like(customer), gap, agent2])
    right = np.concatenate([np.zeros_like(agent1), gap, customer, gap, np.zeros_like(agent2)])
    path = tmp_path_factory.mktemp("sparse") / "sparse_call.wav"
    return write_wav(path, [left, right], rate=16000)


@pytest.mark.parametrize("hotwords", [(), PUBLIC_WORKS])
def test_sparse_real_channel_is_not_silenced_by_hotwords(
    sparse_call: Path, hotwords: tuple[str, ...]
) -> None:
    result = Transcriber(EngineOptions(hotwords=hotwords)).transcribe(sparse_call)
    assert result.channels == 2
    customer = words_of(" ".join(w.text for w in result.words if w.speaker == "customer"))
    agent = words_of(" ".join(w.text for w in result.words if w.speaker == "agent"))
    assert len(set(customer) & {"will", "we", "ever", "forget", "it"}) >= 4, customer
    assert {"evening", "shook", "hands"} <= set(agent), agent
    # no line is heard on both channels
    assert not {"forget"} & set(agent) and not {"evening", "shook"} & set(customer)


def test_near_copy_stereo_of_real_speech_is_transcribed_once(tmp_path: Path) -> None:
    audio = real_clip("pyroomacoustics/cmu_arctic_us_aew_a0003.wav")  # "...the two men shook hands."
    x = np.interp(np.arange(int(len(audio) * 44100 / 16000)) * 16000 / 44100, np.arange(len(audio)), audio)
    y = 0.98 * x + 0.002 * np.random.default_rng(3).standard_normal(len(x))
    result = transcribe_file(write_wav(tmp_path / "near_copy.wav", [x, y], rate=44100))
    assert result.channels == 1
    said = words_of(" ".join(w.text for w in result.words))
    assert said.count("shook") == 1 and said.count("hands") == 1, said


def test_low_confidence_words_follow_the_threshold(sparse_call: Path) -> None:
    everything = Transcriber(EngineOptions(low_confidence_probability=1.01)).transcribe(sparse_call)
    assert all(w.low_confidence for w in everything.words)
    turn = everything.turns[0]
    assert turn.low_confidence_words == turn.words
    assert turn.to_dict()["low_confidence_words"][0]["low_confidence"] is True
    nothing = Transcriber(EngineOptions(low_confidence_probability=0.0)).transcribe(sparse_call)
    assert nothing.words and not any(t.low_confidence_words for t in nothing.turns)
    assert nothing.turns[0].to_dict()["low_confidence_words"] == []
    default = transcribe_file(sparse_call)
    for w in default.words:
        assert w.low_confidence == (w.probability < EngineOptions().low_confidence_probability)
        assert 0.0 < w.probability <= 1.0


def test_ten_digits_on_a_telephone_line_are_all_heard(tmp_path: Path) -> None:
    """Real FSDD digits (8 kHz) read as an account number: Silero VAD finds speech in the first
    second only; the pipeline must still hear all ten (plain faster-whisper does)."""
    gap = np.zeros(4800, np.float32)
    digits = [real_clip(f"fsdd/{d}_george_0.wav") for d in range(10)]
    audio = telephone_line(np.concatenate([part for d in digits for part in (d, gap)]))
    said = words_of(
        " ".join(w.text for w in transcribe_file(write_wav(tmp_path / "digits.wav", [audio])).words)
    )
    names = "zero one two three four five six seven eight nine"
    spoken = dict(zip("0123456789", names.split(), strict=True))
    assert [spoken.get(w, w) for w in said] == list(spoken.values()), said
