from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import torch

from transcription import SAMPLE_RATE, ModelUnavailable, Speaker, Word, decode_channels
from transcription.diarization import (
    VoiceWindows,
    assign_speakers,
    assign_speakers_by_features,
    region_features,
    speech_regions,
    voice_windows,
)
from transcription.speaker_embedding import SpeakerEncoder, VoiceEncoderNet, embedded_encoder_path, mel_frames

DATA = Path(__file__).parent / "data"


def voice(pitch: float, brightness: float, seconds: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    tone = sum(brightness ** (k - 1) * np.sin(2 * np.pi * pitch * k * t) for k in range(1, 15))
    return 0.1 * tone / 3 + 0.002 * rng.standard_normal(len(t))


def test_two_voices_split_and_first_speaker_is_agent() -> None:
    rng = np.random.default_rng(3)
    plan = [
        ("agent", 2.0),
        ("customer", 3.0),
        ("agent", 1.5),
        ("customer", 1.0),
        ("agent", 2.5),
        ("customer", 2.0),
    ]
    pieces, words, t = [], [], 0.5
    pieces.append(np.zeros(int(0.5 * SAMPLE_RATE)))
    for speaker, seconds in plan:
        a = speaker == "agent"
        pieces.append(voice(210.0 if a else 115.0, 0.8 if a else 0.45, seconds, rng))
        pieces.append(0.002 * rng.standard_normal(int(0.6 * SAMPLE_RATE)))
        for k in range(int(seconds / 0.5)):
            words.append(Word(" w", t + k * 0.5, t + k * 0.5 + 0.45, 0.9, speaker))  # type: ignore[arg-type]
        t += seconds + 0.6
    audio = np.concatenate(pieces).astype(np.float32)
    regions = speech_regions(audio)
    assert len(regions) == len(plan)
    labels = assign_speakers_by_features(words, regions, region_features(audio, regions))
    assert labels == [w.speaker for w in words]


def test_no_words_or_one_region() -> None:
    assert assign_speakers_by_features([], [], np.zeros((0, 25))) == []
    one = [Word(" hi", 0.0, 0.3)]
    assert assign_speakers_by_features(one, [(0.0, 0.3)], np.zeros((1, 25))) == ["agent"]


def phone_voice(
    pitch: float, seconds: float, rng: np.random.Generator, tilt: float = 0.5, ripple: float = 0.0
) -> np.ndarray:
    """Harmonics between 300 and 3400 Hz only (the fundamental is missing, as on a phone)."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    vibrato = pitch * (1 + 0.03 * np.sin(2 * np.pi * 3 * t))
    phase = 2 * np.pi * np.cumsum(vibrato) / SAMPLE_RATE
    harmonics = [k for k in range(1, 40) if 300 <= k * pitch <= 3400]
    period, shift = rng.uniform(400.0, 1500.0), rng.uniform(0.0, 2 * np.pi)  # formant-like ripple
    gain = [(1 + ripple * np.sin(2 * np.pi * k * pitch / period + shift)) / k**tilt for k in harmonics]
    tone = sum(g * np.sin(k * phase) for g, k in zip(gain, harmonics, strict=True))
    tone = 0.1 * tone / np.sqrt(np.mean(tone**2))
    return tone + 0.002 * rng.standard_normal(len(t))


def test_pitch_of_band_limited_voice_is_not_doubled() -> None:
    rng = np.random.default_rng(5)
    for pitch in (85.0, 120.0, 220.0):
        audio = phone_voice(pitch, 1.0, rng).astype(np.float32)
        (row,) = region_features(audio, [(0.0, 1.0)])
        assert abs(np.exp(row[-1]) / pitch - 1) < 0.05


def test_voices_of_one_timbre_split_by_pitch() -> None:
    """Two voices 15% apart in pitch whose timbre varies as much within a voice as between them."""
    rng = np.random.default_rng(7)
    seconds = [2.0, 3.5, 3.0, 1.5, 2.5, 1.0, 3.0, 0.8, 1.2]
    plan = [("agent" if i % 2 == 0 else "customer", s) for i, s in enumerate(seconds)]
    pieces, words, t = [np.zeros(int(0.5 * SAMPLE_RATE))], [], 0.5
    for speaker, length in plan:
        tilt = rng.uniform(0.0, 1.5)  # what is said changes the spectrum more than who says it
        pieces.append(phone_voice(98.0 if speaker == "agent" else 85.0, length, rng, tilt, ripple=0.9))
        pieces.append(0.002 * rng.standard_normal(int(0.5 * SAMPLE_RATE)))
        for k in range(int(length / 0.4)):
            words.append(Word(" w", t + k * 0.4, t + k * 0.4 + 0.35, 0.9, speaker))  # type: ignore[arg-type]
        t += length + 0.5
    audio = np.concatenate(pieces).astype(np.float32)
    regions = speech_regions(audio)
    assert len(regions) == len(plan)
    labels = assign_speakers_by_features(words, regions, region_features(audio, regions))
    assert labels == [w.speaker for w in words]


# --- voice embeddings on real speech -----------------------------------------------------------------


@pytest.fixture(scope="module")
def encoder() -> SpeakerEncoder:
    return SpeakerEncoder.load()


def real_two_women_call() -> tuple[np.ndarray, list[Word], list[float]]:
    """Two real women readers (LibriSpeech 39 and 248) alternating A B A B at their own pauses.

    Returns the mono audio, one reference word per 0.3 s of each turn (speaker A is the agent,
    as the first voice) and the times of the three speaker changes.
    """
    rng = np.random.default_rng(11)
    pieces = {}
    for name, level in (("39", 0.05), ("248", 0.035)):
        audio = decode_channels(DATA / f"librispeech_{name}_female.flac")[0]
        regions = speech_regions(audio)
        pieces[name] = [audio[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)] for a, b in regions]
        pieces[name] = [p * level / np.sqrt(np.mean(p**2)) for p in pieces[name]]
    parts: list[npt.NDArray[np.floating[Any]]] = [np.zeros(int(0.3 * SAMPLE_RATE))]
    words, changes, t = [], [], 0.3
    for k in range(2):
        for name, speaker in (("39", "agent"), ("248", "customer")):
            piece = pieces[name][k]
            if t > 0.3:
                changes.append(t - 0.15)
            seconds = len(piece) / SAMPLE_RATE
            count = int(seconds / 0.3)
            words += [Word(" w", t + i * 0.3, t + i * 0.3 + 0.25, 0.9, speaker) for i in range(count)]  # type: ignore[arg-type]
            parts += [piece, 0.001 * rng.standard_normal(int(0.3 * SAMPLE_RATE))]
            t += seconds + 0.3
    return np.concatenate(parts).astype(np.float32), words, changes


@pytest.mark.slow
def test_real_voices_of_two_women_split_and_changes_found(encoder: SpeakerEncoder) -> None:
    audio, words, changes = real_two_women_call()
    windows = voice_windows(audio, speech_regions(audio), encoder)
    labels = assign_speakers(words, windows)
    right = np.mean([label == w.speaker for label, w in zip(labels, words, strict=True)])
    assert right >= 0.95
    found = [
        (words[i].end + words[i + 1].start) / 2 for i in range(len(words) - 1) if labels[i] != labels[i + 1]
    ]
    assert all(any(abs(f - c) <= 1.0 for f in found) for c in changes)
    assert len(found) <= len(changes) + 1


@pytest.mark.slow
def test_embedded_encoder_tells_real_speakers_apart(encoder: SpeakerEncoder) -> None:
    """Two halves of one reader are closer than halves of two readers: the trained weights, offline."""
    assert encoder.source == embedded_encoder_path()
    assert encoder.source.parent.name == "resemblyzer"
    halves = []
    for name in ("39", "248"):
        audio = decode_channels(DATA / f"librispeech_{name}_female.flac")[0]
        mel = mel_frames(audio / np.sqrt(np.mean(audio**2)) * 0.03)
        middle = len(mel) // 2
        halves.append(encoder.embed_slices(mel, [(0, middle), (middle, len(mel))]))
    same = min(float(h[0] @ h[1]) for h in halves)
    other = max(float(halves[0][i] @ halves[1][j]) for i in (0, 1) for j in (0, 1))
    assert same > other


@pytest.mark.slow
def test_mel_front_end_matches_what_the_encoder_was_trained_on() -> None:
    """librosa's melspectrogram (resemblyzer's own front end) on the same signal."""
    import librosa

    signal = np.random.default_rng(2).standard_normal(SAMPLE_RATE).astype(np.float32) * 0.05
    expected = librosa.feature.melspectrogram(
        y=signal, sr=SAMPLE_RATE, n_fft=400, hop_length=160, n_mels=40
    ).T
    assert np.allclose(mel_frames(signal), expected, rtol=1e-4, atol=1e-7)


def test_a_named_encoder_is_loaded_from_a_file_or_folder(tmp_path: Path) -> None:
    torch.manual_seed(0)
    net = VoiceEncoderNet(layers=1, hidden=16, size=8)
    torch.save({"model_state": net.state_dict(), "step": 1}, tmp_path / "pretrained.pt")
    torch.save(net.state_dict(), tmp_path / "bare.pt")
    mel = np.abs(np.random.default_rng(0).standard_normal((50, 40))).astype(np.float32)
    with torch.inference_mode():
        expected = net(torch.from_numpy(mel[None, 5:30])).numpy()[0]
    for source in (tmp_path, tmp_path / "bare.pt"):
        loaded = SpeakerEncoder.load(source)
        vectors = loaded.embed_slices(mel, [(5, 30), (0, 50)])
        assert vectors.shape == (2, 8)
        assert np.allclose(vectors[0], expected, atol=1e-6)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_missing_or_wrong_encoder_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="not found"):
        SpeakerEncoder.load(tmp_path / "absent.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ModelUnavailable, match=r"junk\.pt: not a voice-encoder checkpoint"):
        SpeakerEncoder.load(tmp_path / "junk.pt")


def test_windows_stop_at_region_edges_and_short_regions_still_get_one(tmp_path: Path) -> None:
    torch.manual_seed(1)
    net = VoiceEncoderNet(layers=1, hidden=16, size=8)
    torch.save(net.state_dict(), tmp_path / "small.pt")
    small = SpeakerEncoder.load(tmp_path / "small.pt")
    audio = (0.05 * np.random.default_rng(0).standard_normal(5 * SAMPLE_RATE)).astype(np.float32)
    windows = voice_windows(audio, [(0.5, 3.0), (3.5, 3.6)], small, window_seconds=1.0, hop_seconds=0.5)
    first = windows.centres[windows.regions == 0]
    assert first.min() >= 1.0 - 1e-6 and first.max() <= 2.5 + 1e-6
    assert list(windows.regions).count(1) == 1
    assert windows.vectors.shape == (len(windows.centres), 8)
    joined = VoiceWindows.concat([windows, windows])
    assert sorted(set(joined.regions)) == [0, 1, 2, 3]


def test_voice_assignment_without_words_or_windows() -> None:
    empty = VoiceWindows.concat([])
    assert assign_speakers([], empty) == []
    assert assign_speakers([Word(" hi", 0.0, 0.3)], empty) == ["agent"]


def test_voices_the_encoder_hears_as_one_fall_back_to_handmade_features() -> None:
    """Two synthetic voices apart in pitch whose embeddings all point one way: the features decide."""
    rng = np.random.default_rng(3)
    pieces, words, t = [np.zeros(int(0.5 * SAMPLE_RATE))], [], 0.5
    plan: list[tuple[Speaker, float]] = [("agent", 2.0), ("customer", 3.0), ("agent", 1.5), ("customer", 2.0)]
    for speaker, seconds in plan:
        a = speaker == "agent"
        pieces += [
            voice(210.0 if a else 115.0, 0.8 if a else 0.45, seconds, rng),
            np.zeros(int(0.6 * SAMPLE_RATE)),
        ]
        words += [
            Word(" w", t + k * 0.5, t + k * 0.5 + 0.45, 0.9, speaker) for k in range(int(seconds / 0.5))
        ]
        t += seconds + 0.6
    audio = np.concatenate(pieces).astype(np.float32)
    regions = speech_regions(audio)
    centres = np.array([(w.start + w.end) / 2 for w in words])
    one_voice = np.ones((len(words), 256)) + 0.05 * rng.standard_normal((len(words), 256))
    one_voice /= np.linalg.norm(one_voice, axis=1, keepdims=True)
    owners = np.array([min(range(len(regions)), key=lambda i: abs(sum(regions[i]) / 2 - c)) for c in centres])
    windows = VoiceWindows(
        centres, owners, one_voice.astype(np.float32), regions, region_features(audio, regions)
    )
    assert assign_speakers(words, windows) == [w.speaker for w in words]
