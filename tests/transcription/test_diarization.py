import numpy as np

from transcription import SAMPLE_RATE, Word, assign_speakers, region_features, speech_regions


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
    labels = assign_speakers(words, regions, region_features(audio, regions))
    assert labels == [w.speaker for w in words]


def test_no_words_or_one_region() -> None:
    assert assign_speakers([], [], np.zeros((0, 25))) == []
    one = [Word(" hi", 0.0, 0.3)]
    assert assign_speakers(one, [(0.0, 0.3)], np.zeros((1, 25))) == ["agent"]


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
    for speaker, seconds in plan:
        tilt = rng.uniform(0.0, 1.5)  # what is said changes the spectrum more than who says it
        pieces.append(phone_voice(98.0 if speaker == "agent" else 85.0, seconds, rng, tilt, ripple=0.9))
        pieces.append(0.002 * rng.standard_normal(int(0.5 * SAMPLE_RATE)))
        for k in range(int(seconds / 0.4)):
            words.append(Word(" w", t + k * 0.4, t + k * 0.4 + 0.35, 0.9, speaker))  # type: ignore[arg-type]
        t += seconds + 0.5
    audio = np.concatenate(pieces).astype(np.float32)
    regions = speech_regions(audio)
    assert len(regions) == len(plan)
    labels = assign_speakers(words, regions, region_features(audio, regions))
    assert labels == [w.speaker for w in words]
