"""Splitting a mono call into agent and customer, offline and CPU-only.

Method: every recognised word gets an acoustic fingerprint (mean and spread of 12 MFCCs from
log band energies up to 3.8 kHz, plus the median pitch of its voiced frames). Words are grouped
into pieces at pauses, pieces are clustered into two voices with k-means on standardised
features, then each word is re-labelled with a Viterbi pass that makes speaker changes cheap at
pauses and expensive inside continuous speech. The voice that speaks first, and the one that
says agent phrases ("thank you for calling", "how can I help"), is the agent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from transcription.audio import SAMPLE_RATE, FloatArray
from transcription.transcript import Speaker, Word

_FRAME = 512  # 32 ms
_HOP = 160  # 10 ms
_BANDS = 24
_CEPSTRA = 12
PIECE_GAP_SECONDS = 0.25
FEATURE_SIZE = 2 * _CEPSTRA + 1

AGENT_PHRASES = (
    "thank you for calling",
    "thanks for calling",
    "how can i help",
    "how may i help",
    "how can i assist",
    "my name is",
    "this is",
    "public works",
    "reference number",
    "service request",
    "case number",
    "anything else",
    "can i have your",
    "can you give me",
    "may i have",
    "i have created",
    "i can",
    "have a nice day",
    "have a great day",
)
CUSTOMER_PHRASES = ("i want", "i'd like", "i would like", "i need", "my street", "i live", "i'm calling", "i am calling")


def _band_matrix() -> npt.NDArray[np.float64]:
    """Triangular mel filters between 80 Hz and 3.8 kHz (telephone band)."""
    def mel(f: npt.ArrayLike) -> npt.NDArray[np.float64]:
        return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)

    def hz(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(80.0), mel(3800.0), _BANDS + 2))
    freqs = np.fft.rfftfreq(_FRAME, 1.0 / SAMPLE_RATE)
    bank = np.zeros((_BANDS, len(freqs)))
    for i in range(_BANDS):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        bank[i] = np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0.0, None)
    return bank


_BANK = _band_matrix()
_DCT = np.cos(np.pi / _BANDS * (np.arange(_BANDS)[None, :] + 0.5) * np.arange(1, _CEPSTRA + 1)[:, None])


def _frames(signal: FloatArray) -> npt.NDArray[np.float64]:
    if len(signal) < _FRAME:
        signal = np.pad(signal, (0, _FRAME - len(signal)))
    count = 1 + (len(signal) - _FRAME) // _HOP
    index = np.arange(_FRAME)[None, :] + _HOP * np.arange(count)[:, None]
    return signal[index].astype(np.float64) * np.hanning(_FRAME)


def _pitch(frames: npt.NDArray[np.float64]) -> float:
    """Median log pitch of voiced frames by autocorrelation (60-400 Hz), 0 when unvoiced."""
    spectrum = np.fft.rfft(frames, n=2 * _FRAME)
    corr = np.fft.irfft(np.abs(spectrum) ** 2)[:, :_FRAME]
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 60
    energy = corr[:, 0] + 1e-9
    lags = lo + np.argmax(corr[:, lo:hi], axis=1)
    strength = corr[np.arange(len(corr)), lags] / energy
    voiced = strength > 0.4
    if not voiced.any():
        return 0.0
    return float(np.log(SAMPLE_RATE / np.median(lags[voiced])))


def word_features(audio: FloatArray, words: Sequence[Word], offset: float = 0.0) -> npt.NDArray[np.float64]:
    """One row of acoustic features per word, read from `audio` that starts at `offset` seconds."""
    rows = np.zeros((len(words), FEATURE_SIZE))
    for i, word in enumerate(words):
        a = max(0, int((word.start - offset) * SAMPLE_RATE))
        b = min(len(audio), int((word.end - offset) * SAMPLE_RATE))
        if b - a < _FRAME // 2:
            a, b = max(0, a - _FRAME // 2), min(len(audio), b + _FRAME // 2)
        frames = _frames(audio[a:b])
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        logbands = np.log(power @ _BANK.T + 1e-10)
        loudest = logbands.sum(axis=1) >= np.percentile(logbands.sum(axis=1), 30)
        cepstra = logbands[loudest] @ _DCT.T
        rows[i, :_CEPSTRA] = cepstra.mean(axis=0)
        rows[i, _CEPSTRA : 2 * _CEPSTRA] = cepstra.std(axis=0)
        rows[i, -1] = _pitch(frames[loudest])
    return rows


def _pieces(words: Sequence[Word]) -> list[list[int]]:
    groups: list[list[int]] = []
    for i, word in enumerate(words):
        if groups and word.start - words[groups[-1][-1]].end <= PIECE_GAP_SECONDS:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _kmeans2(points: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int_]:
    """Weighted two-means, seeded with the two mutually farthest-ish points."""
    first = int(np.argmax(((points - np.average(points, axis=0, weights=weights)) ** 2).sum(axis=1)))
    second = int(np.argmax(((points - points[first]) ** 2).sum(axis=1)))
    centres = points[[first, second]].copy()
    labels = np.zeros(len(points), dtype=int)
    for _ in range(50):
        distance = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = np.argmin(distance, axis=1)
        if _ and np.array_equal(new, labels):
            break
        labels = new
        for k in (0, 1):
            if (labels == k).any():
                centres[k] = np.average(points[labels == k], axis=0, weights=weights[labels == k])
    return labels


def _viterbi(
    loglik: npt.NDArray[np.float64], gaps: npt.NDArray[np.float64]
) -> npt.NDArray[np.int_]:
    """Best label path; switching costs less after a pause."""
    n = len(loglik)
    score = loglik[0].copy()
    back = np.zeros((n, 2), dtype=int)
    for t in range(1, n):
        penalty = 2.0 if gaps[t] > PIECE_GAP_SECONDS else 12.0
        stay, switch = score, score[::-1] - penalty
        back[t] = np.where(stay >= switch, [0, 1], [1, 0])
        score = np.maximum(stay, switch) + loglik[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(np.argmax(score))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _agent_score(words: Sequence[Word], labels: npt.NDArray[np.int_], cluster: int) -> float:
    text = " ".join(w.text.strip().lower() for w, k in zip(words, labels) if k == cluster)
    text = re.sub(r"[^a-z' ]", " ", text)
    agent = sum(text.count(p) for p in AGENT_PHRASES)
    customer = sum(text.count(p) for p in CUSTOMER_PHRASES)
    first = 1.5 if labels[0] == cluster else 0.0
    return first + agent - customer


def assign_speakers(words: Sequence[Word], features: npt.NDArray[np.float64]) -> list[Speaker]:
    """Label each word of a mono call as agent or customer (see the module docstring)."""
    if len(words) == 0:
        return []
    if len(words) < 4:
        return ["agent"] * len(words)
    scale = features.std(axis=0) + 1e-6
    z = (features - features.mean(axis=0)) / scale
    pieces = _pieces(words)
    durations = np.array([max(w.end - w.start, 0.05) for w in words])
    piece_points = np.array([np.average(z[p], axis=0, weights=durations[p]) for p in pieces])
    piece_weights = np.array([durations[p].sum() for p in pieces])
    piece_labels = _kmeans2(piece_points, piece_weights)
    word_labels = np.zeros(len(words), dtype=int)
    for piece, label in zip(pieces, piece_labels):
        word_labels[piece] = label
    if len(set(piece_labels.tolist())) == 2:
        loglik = np.zeros((len(words), 2))
        for k in (0, 1):
            members = z[word_labels == k]
            mean, var = members.mean(axis=0), members.var(axis=0) + 0.1
            loglik[:, k] = -0.5 * (((z - mean) ** 2) / var + np.log(var)).sum(axis=1)
        loglik /= FEATURE_SIZE / 4  # features of neighbouring words are not independent evidence
        gaps = np.array([0.0] + [b.start - a.end for a, b in zip(words, words[1:])])
        word_labels = _viterbi(loglik, gaps)
    agent_cluster = 0 if _agent_score(words, word_labels, 0) >= _agent_score(words, word_labels, 1) else 1
    return ["agent" if k == agent_cluster else "customer" for k in word_labels]
