import numpy as np
import pytest
from transcription_helpers import real_clip, write_wav  # type: ignore[import-not-found]

from transcription import decode_channels
from transcription.audio import FloatArray
from transcription.channels import copy_measures, speaker_channels

AGENT = "pyroomacoustics/cmu_arctic_us_aew_a0003.wav"
CUSTOMER = "pyroomacoustics/cmu_arctic_us_axb_a0004.wav"


def two_speaker_call() -> tuple[FloatArray, FloatArray]:
    """Agent, then customer, one per channel, silence on the other side."""
    agent, customer = real_clip(AGENT), real_clip(CUSTOMER)
    gap = np.zeros(8000, np.float32)
    left = np.concatenate([agent, gap, np.zeros_like(customer), gap])
    right = np.concatenate([np.zeros_like(agent), gap, customer, gap])
    return left, right


def test_two_real_speakers_stay_two_channels_even_with_crosstalk() -> None:
    left, right = two_speaker_call()
    assert speaker_channels([left, right]) == [0, 1]
    leaky = [(left + 0.3 * right).astype(np.float32), (right + 0.3 * left).astype(np.float32)]
    assert speaker_channels(leaky) == [0, 1]
    assert copy_measures(*leaky)[1] > 6.0  # the level swings between the talkers


@pytest.mark.parametrize(
    "make_copy",
    [
        lambda a: 0.5 * a,  # one side recorded quieter
        lambda a: np.concatenate([np.zeros(16, np.float32), a[:-16]]),  # 1 ms late
        lambda a: a + 0.003 * np.random.default_rng(1).standard_normal(len(a)).astype(np.float32),
    ],
)
def test_near_copies_are_one_channel_and_the_louder_is_kept(make_copy: object) -> None:
    audio = real_clip(AGENT)
    copy = make_copy(audio)  # type: ignore[operator]
    assert len(speaker_channels([audio, copy])) == 1
    assert len(speaker_channels([copy, audio])) == 1
    quieter = 0.5 * audio
    assert speaker_channels([quieter, audio]) == [1]
    assert speaker_channels([audio, quieter]) == [0]


def test_near_equal_44k_stereo_file_is_one_channel(tmp_path) -> None:  # type: ignore[no-untyped-def]
    audio = real_clip(AGENT)
    x = np.interp(np.arange(int(len(audio) * 44100 / 16000)) * 16000 / 44100, np.arange(len(audio)), audio)
    y = 0.98 * x + 0.002 * np.random.default_rng(2).standard_normal(len(x))
    channels = decode_channels(write_wav(tmp_path / "copy.wav", [x, y], rate=44100))
    assert speaker_channels(channels) == [0]


def test_digital_silence_channel_is_skipped() -> None:
    audio = real_clip(AGENT)
    silent = np.zeros_like(audio)
    assert speaker_channels([silent, audio]) == [1]
    assert speaker_channels([audio, silent]) == [0]
    assert speaker_channels([silent, silent]) == [0]
