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
