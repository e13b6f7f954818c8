"""Which channels of a recording carry distinct speakers: near-copies and digital silence are not speakers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from transcription.audio import SAMPLE_RATE, FloatArray

# Channels whose normalised cross-correlation (best lag within MAX_LAG_SECONDS) reaches this are one
# signal recorded twice. Measured (docs/transcription.md): near-copies (scaled, 0.5-1 ms delayed,
# resampled from 44.1 kHz, mu-law on one side) 0.96-1.00; two-speaker calls from real clips, with or
# without 10 % crosstalk, 0.00-0.13.
NEAR_COPY_CORRELATION = 0.8
MAX_LAG_SECONDS = 0.02
# A channel with no sample above a few int16 steps is digital silence (an unused recorder input).
SILENT_PEAK = 8 / 32768
# Both checks use the telephone band, so a copy that went through a phone line on one side still matches.
BAND_HZ = (300.0, 3400.0)
# ... and the level difference between the channels must stay within this spread (dB).
MAX_LEVEL_SPREAD_DB = 6.0
LEVEL_FRAME_SECONDS = 0.25
SOUND_FLOOR_ENERGY = 1e-5  # -50 dBFS mean square
# Enough audio to judge the layout; speech on both sides is almost always in the first minutes.
ANALYSIS_SECONDS = 120.0


def is_digital_silence(audio: FloatArray) -> bool:
    """True when the channel has no sample above a few int16 steps."""
    return bool(np.max(np.abs(audio), initial=0.0) < SILENT_PEAK)


def _band_limited(left: FloatArray, right: FloatArray) -> tuple[np.ndarray, np.ndarray, int]:
    """Both channels (first ANALYSIS_SECONDS) filtered to the telephone band, and the FFT size used."""
    n = min(len(left), len(right), int(ANALYSIS_SECONDS * SAMPLE_RATE))
    size = 1 << int(np.ceil(np.log2(max(2 * n, 2))))
    freqs = np.fft.rfftfreq(size, 1.0 / SAMPLE_RATE)
    band = (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])
    spectra = [np.fft.rfft(x[:n].astype(np.float64), size) * band for x in (left, right)]
    return spectra[0], spectra[1], n


def copy_measures(left: FloatArray, right: FloatArray) -> tuple[float, float]:
    """(correlation, level spread in dB) of two channels, both in the telephone band.

    correlation: the largest absolute normalised cross-correlation over lags up to MAX_LAG_SECONDS,
    1.0 for a scaled or delayed copy, near 0 for two speakers on separate channels.
    level spread: 10th to 90th percentile of the right-minus-left level over 0.25 s frames with
    sound. A copy keeps one level difference all through; two speakers with crosstalk swing by
    tens of dB between the frames where each one talks.
    """
    a, b, n = _band_limited(left, right)
    size = 2 * (len(a) - 1)
    energy_a = float(np.sum(np.abs(a) ** 2))
    energy_b = float(np.sum(np.abs(b) ** 2))
    if energy_a == 0.0 or energy_b == 0.0:
        return 0.0, 0.0
    cross = np.fft.irfft(a * np.conj(b), size)
    lag = int(MAX_LAG_SECONDS * SAMPLE_RATE)
    near = np.concatenate([cross[: lag + 1], cross[-lag:]])
    # a one-sided spectrum holds half of the energy (DC and Nyquist are outside the band)
    correlation = float(np.max(np.abs(near)) * size / (2.0 * np.sqrt(energy_a * energy_b)))
    frame = int(LEVEL_FRAME_SECONDS * SAMPLE_RATE)
    count = n // frame
    if count == 0:
        return correlation, 0.0
    energies = [
        np.mean(np.square(np.fft.irfft(x, size)[: count * frame].reshape(count, frame)), axis=1)
        for x in (a, b)
    ]
    loud = np.maximum(energies[0], energies[1])
    # frames with sound: within 30 dB of the loudest and above -50 dBFS; below that, faint noise on
    # one copy against digital zero on the other (a pause) would read as a level swing
    active = (loud > loud.max() * 1e-3) & (loud > SOUND_FLOOR_ENERGY)
    tiny = loud.max() * 1e-6
    ratio = 10 * np.log10((energies[1][active] + tiny) / (energies[0][active] + tiny))
    return correlation, float(np.percentile(ratio, 90) - np.percentile(ratio, 10))


def speaker_channels(channels: Sequence[FloatArray]) -> list[int]:
    """Indices of the channels to transcribe as separate speakers.

    Two indices for a real stereo call. One index when the file is effectively mono: a single channel,
    a channel that is digital silence (the other one is kept), or two near-copies (high correlation,
    also when one is a scaled or slightly delayed copy; the louder one is kept).
    """
    if len(channels) < 2:
        return [0]
    left, right = channels[0], channels[1]
    silent = [is_digital_silence(left), is_digital_silence(right)]
    if silent[0] or silent[1]:
        return [1] if silent[0] and not silent[1] else [0]
    correlation, spread = copy_measures(left, right)
    if correlation >= NEAR_COPY_CORRELATION and spread <= MAX_LEVEL_SPREAD_DB:
        louder = float(np.mean(np.square(right))) > float(np.mean(np.square(left)))
        return [1 if louder else 0]
    return [0, 1]
