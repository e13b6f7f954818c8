"""Splitting a mono call into agent and customer, offline and CPU-only.

Method: frame energy cuts the audio into speech regions at pauses of 0.25 s or more (turn changes
almost always leave one). A trained voice encoder (transcription.speaker_embedding) embeds windows
of 1 s every 0.5 s inside each region; windows stop at region edges. The windows are clustered
into two voices by two-means on the embeddings, then a Viterbi pass smooths the voice sequence:
a change inside a region costs more than one at a pause. Every word takes the voice of the window
nearest its midpoint. When the encoder hears the two clusters as one voice (two synthetic voices
of one timbre), the hand-made region features decide instead (below). The voice that speaks first, and the one
that says agent phrases ("thank you for calling", "how can I help"), is the agent.

The hand-made region features (12 MFCCs and pitch, `region_features` with
`assign_speakers_by_features`) are the method before voice embeddings; they separate synthetic
voices well and real ones poorly: they back the encoder where it cannot tell two voices apart, and
are the baseline the benchmark measures against."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from transcription.audio import SAMPLE_RATE, FloatArray
from transcription.speaker_embedding import EMBEDDING_SIZE, HOP, TARGET_DBFS, SpeakerEncoder, mel_frames
from transcription.transcript import Speaker, Word

_FRAME = 512  # 32 ms
_HOP = 160  # 10 ms
_BANDS = 24
_CEPSTRA = 12
_PITCH_FRAME = 640  # 40 ms: two periods at 60 Hz
_MIN_LAG = SAMPLE_RATE // 350
_MAX_LAG = SAMPLE_RATE // 60
PAUSE_SECONDS = 0.25
FEATURE_SIZE = 2 * _CEPSTRA + 1

AGENT_PHRASES = (
    "thank you for calling",
    "thanks for calling",
    "how can i help",
    "how may i help",
    "how can i assist",
    "my name is",
    "public works",
    "reference number",
    "service request",
    "case number",
    "anything else",
    "can i get your",
    "can i have your",
    "may i have your",
    "can you give me",
    "can you confirm",
    "thank you for holding",
    "thanks for holding",
    "place you on",
    "i've logged",
    "i have logged",
    "i've scheduled",
    "i have created",
    "i've created",
    "have a nice day",
    "have a great day",
)
CUSTOMER_PHRASES = (
    "i want",
    "i'd like",
    "i would like",
    "i need",
    "i'm trying",
    "i'm calling",
    "i am calling",
    "i called",
    "i live",
    "my street",
    "my house",
    "in front of my",
    "i got a",
)
FIRST_SPEAKER_WEIGHT = 2.0  # the agent answers the call
# Pitch weighs like one cepstrum when it does not split the regions in two (two voices of one pitch)
# and up to PITCH_WEIGHT_MAX times more when it does (two voices alike in timbre, apart in pitch).
PITCH_WEIGHT_MAX = 6.0
_GAUSSIAN_SPLIT_SHARE = 2.0 / np.pi  # variance share that the best two-way split of one Gaussian explains


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


def _frame_pitch(signal: FloatArray) -> npt.NDArray[np.float64]:
    """Log pitch of each voiced 40 ms frame (60-350 Hz), by normalised autocorrelation.

    The shortest lag whose correlation is within 8% of the best one is taken, so twice the period
    (half the pitch, the usual error on band-limited audio) does not win.
    """
    size = _PITCH_FRAME
    if len(signal) < size:
        return np.zeros(0)
    count = 1 + (len(signal) - size) // _HOP
    frames = signal[np.arange(size)[None, :] + _HOP * np.arange(count)[:, None]].astype(np.float64)
    frames -= frames.mean(axis=1, keepdims=True)
    power = (frames**2).sum(axis=1)
    frames = frames[power >= np.percentile(power, 30)]  # the quiet frames are mostly unvoiced
    corr = np.fft.irfft(np.abs(np.fft.rfft(frames, n=2 * size)) ** 2)[:, :size]
    squares = frames**2
    tail = np.cumsum(squares[:, ::-1], axis=1)[:, ::-1]  # energy of frame[k:]
    head = np.cumsum(squares, axis=1)  # energy of frame[:k+1]
    lags = np.arange(_MIN_LAG, _MAX_LAG)
    norm = corr[:, lags] / (np.sqrt(tail[:, lags] * head[:, size - 1 - lags]) + 1e-12)
    best = norm.max(axis=1)
    first = np.argmax(norm >= 0.92 * best[:, None], axis=1)
    voiced = best > 0.6
    return np.asarray(np.log(SAMPLE_RATE / lags[first[voiced]]), dtype=np.float64)


def speech_regions(audio: FloatArray, offset: float = 0.0) -> list[tuple[float, float]]:
    """Stretches of speech between pauses of at least PAUSE_SECONDS, from frame energy.

    Turn changes in a mono call almost always leave a short pause, so each region is one voice.
    """
    hop = _HOP
    count = len(audio) // hop
    if count == 0:
        return []
    energy = 10 * np.log10(
        (audio[: count * hop].astype(np.float64).reshape(count, hop) ** 2).mean(axis=1) + 1e-12
    )
    floor, peak = np.percentile(energy, 10), np.percentile(energy, 99)
    threshold = max(floor + 0.35 * (peak - floor), peak - 40.0)
    voiced = energy > threshold
    regions: list[tuple[int, int]] = []
    min_gap = int(PAUSE_SECONDS * SAMPLE_RATE / hop)
    start = None
    silent = 0
    for i, v in enumerate(voiced):
        if v:
            if start is None:
                start = i
            silent = 0
        elif start is not None:
            silent += 1
            if silent >= min_gap:
                regions.append((start, i - silent + 1))
                start, silent = None, 0
    if start is not None:
        regions.append((start, count - silent))
    seconds = hop / SAMPLE_RATE
    return [(offset + a * seconds, offset + b * seconds) for a, b in regions if (b - a) * seconds >= 0.08]


def region_features(
    audio: FloatArray, regions: Sequence[tuple[float, float]], offset: float = 0.0
) -> npt.NDArray[np.float64]:
    """One row of acoustic features per region of `audio` (which starts at `offset` seconds)."""
    rows = np.zeros((len(regions), FEATURE_SIZE))
    for i, (start, end) in enumerate(regions):
        a = max(0, int((start - offset) * SAMPLE_RATE))
        b = min(len(audio), int((end - offset) * SAMPLE_RATE))
        frames = _frames(audio[a:b])
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        logbands = np.log(power @ _BANK.T + 1e-10)
        loud = logbands.sum(axis=1)
        loudest = loud >= np.percentile(loud, 30)
        cepstra = logbands[loudest] @ _DCT.T
        rows[i, :_CEPSTRA] = cepstra.mean(axis=0)
        rows[i, _CEPSTRA : 2 * _CEPSTRA] = cepstra.std(axis=0)
        pitch = _frame_pitch(audio[a:b])
        rows[i, -1] = float(np.median(pitch)) if len(pitch) else 0.0
    return rows


def _two_means(
    points: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], labels: npt.NDArray[np.int_]
) -> tuple[npt.NDArray[np.int_], float]:
    """Weighted Lloyd iterations from initial labels; returns labels and weighted inertia."""
    centres = np.zeros((2, points.shape[1]))
    for _ in range(50):
        for k in (0, 1):
            members = labels == k
            if not members.any():
                return labels, float("inf")
            centres[k] = np.average(points[members], axis=0, weights=weights[members])
        distance = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = np.argmin(distance, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    inertia = float((weights * distance[np.arange(len(points)), labels]).sum())
    return labels, inertia


def _kmeans2(points: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int_]:
    """Weighted two-means; the best of a principal-axis split and splits along each feature."""
    centred = points - np.average(points, axis=0, weights=weights)
    _, _, vt = np.linalg.svd(centred * np.sqrt(weights)[:, None], full_matrices=False)
    starts = [centred @ vt[0] > 0] + [centred[:, j] > 0 for j in range(points.shape[1])]
    best, best_inertia = np.zeros(len(points), dtype=int), float("inf")
    for start in starts:
        labels, inertia = _two_means(points, weights, start.astype(int))
        if inertia < best_inertia:
            best, best_inertia = labels, inertia
    return best


def _split_share(values: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]) -> float:
    """Share of the weighted variance of `values` explained by their best split into two groups."""
    order = np.argsort(values)
    x, w = values[order], weights[order]
    total = float(np.sum(w * (x - np.average(x, weights=w)) ** 2))
    if len(x) < 2 or total <= 0.0:
        return 0.0
    left_w = np.cumsum(w)[:-1]
    left_sum = np.cumsum(w * x)[:-1]
    right_w = w.sum() - left_w
    right_sum = (w * x).sum() - left_sum
    between = (left_sum / left_w - right_sum / right_w) ** 2 * left_w * right_w / w.sum()
    return float(between.max() / total)


def _pitch_weight(pitch: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]) -> float:
    """1 for pitch that splits no better than a single Gaussian would, up to PITCH_WEIGHT_MAX."""
    share = _split_share(pitch, weights)
    bimodal = (share - _GAUSSIAN_SPLIT_SHARE) / (1.0 - _GAUSSIAN_SPLIT_SHARE)
    return 1.0 + (PITCH_WEIGHT_MAX - 1.0) * float(np.clip(bimodal, 0.0, 1.0))


def _agent_score(words: Sequence[Word], labels: npt.NDArray[np.int_], cluster: int) -> float:
    text = " ".join(w.text.strip().lower() for w, k in zip(words, labels, strict=False) if k == cluster)
    text = " " + " ".join(re.sub(r"[^a-z' ]", " ", text).split()) + " "
    agent = sum(text.count(f" {p} ") for p in AGENT_PHRASES)
    customer = sum(text.count(f" {p} ") for p in CUSTOMER_PHRASES)
    first = FIRST_SPEAKER_WEIGHT if labels[0] == cluster else 0.0
    return first + agent - customer


def _region_of(word: Word, regions: Sequence[tuple[float, float]]) -> int:
    middle = (word.start + word.end) / 2
    distances = [0.0 if a <= middle <= b else min(abs(a - middle), abs(b - middle)) for a, b in regions]
    return int(np.argmin(distances))


def assign_speakers_by_features(
    words: Sequence[Word], regions: Sequence[tuple[float, float]], features: npt.NDArray[np.float64]
) -> list[Speaker]:
    """Label each word by two-means on hand-made region features (the method before voice embeddings)."""
    if len(words) == 0:
        return []
    if len(regions) < 2:
        return ["agent"] * len(words)
    features = features.copy()
    pitch = features[:, -1]
    if (pitch > 0).any():  # a region without voiced frames (0) takes the typical pitch, not its own
        pitch[pitch <= 0] = np.median(pitch[pitch > 0])
    scale = features.std(axis=0) + 1e-6
    z = np.clip((features - features.mean(axis=0)) / scale, -3.0, 3.0)  # one odd region is not a voice
    weights = np.array([max(b - a, 0.05) for a, b in regions])
    z[:, -1] *= _pitch_weight(z[:, -1], weights)
    region_labels = _kmeans2(z, weights)
    labels = np.array([region_labels[_region_of(w, regions)] for w in words])
    return _name_voices(words, labels)


def _name_voices(words: Sequence[Word], labels: npt.NDArray[np.int_]) -> list[Speaker]:
    """Agent is the voice that speaks first and says agent phrases; the other is the customer."""
    agent_cluster = 0 if _agent_score(words, labels, 0) >= _agent_score(words, labels, 1) else 1
    return ["agent" if k == agent_cluster else "customer" for k in labels]


# --- Voice embeddings: the trained encoder's view of who speaks -------------------------------------

WINDOW_SECONDS = 1.0  # long enough for a stable embedding, short enough to end near a turn change
HOP_SECONDS = 0.5  # windows overlap by half: the encoder is the cost
MIN_WINDOW_SECONDS = 0.4
SWITCH_PENALTY = 0.15  # cosine-similarity margin a change of voice inside one region must earn
PAUSE_SWITCH_PENALTY = 0.02  # at a pause a change is cheap: turns change at pauses
# Above this cosine between the two voices' mean embeddings the encoder hears one voice (two
# synthetic voices of one timbre: 0.97); real pairs measured 0.55-0.87. Then the hand-made features
# (which lean on pitch) decide.
SAME_VOICE_COSINE = 0.92


@dataclass
class VoiceWindows:
    """Speaker embeddings of short windows inside speech regions, with the time each one stands for."""

    centres: npt.NDArray[np.float64]  # seconds from the start of the call
    regions: npt.NDArray[np.int_]  # index of the region each window lies in (rising)
    vectors: npt.NDArray[np.float32]  # unit length, one row per window
    spans: list[tuple[float, float]]  # the speech regions (seconds from the start of the call)
    features: npt.NDArray[
        np.float64
    ]  # hand-made features of each region, for voices the encoder hears as one

    @classmethod
    def concat(cls, parts: Sequence[VoiceWindows]) -> VoiceWindows:
        """Join the windows of consecutive stretches of one call (region indices stay distinct)."""
        if not parts:
            empty = np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
            return cls(np.zeros(0), np.zeros(0, dtype=int), empty, [], np.zeros((0, FEATURE_SIZE)))
        bases = np.cumsum([0] + [len(p.spans) for p in parts[:-1]])
        return cls(
            np.concatenate([p.centres for p in parts]),
            np.concatenate([p.regions + base for p, base in zip(parts, bases, strict=True)]),
            np.concatenate([p.vectors for p in parts]),
            [span for p in parts for span in p.spans],
            np.concatenate([p.features for p in parts]),
        )


def voice_windows(
    audio: FloatArray,
    regions: Sequence[tuple[float, float]],
    encoder: SpeakerEncoder,
    offset: float = 0.0,
    window_seconds: float = WINDOW_SECONDS,
    hop_seconds: float = HOP_SECONDS,
) -> VoiceWindows:
    """Embed windows of WINDOW_SECONDS every HOP_SECONDS inside each speech region of `audio`.

    Windows stop at region edges, so one window rarely holds both sides of a turn change.
    """
    fps = SAMPLE_RATE / HOP
    spans = [(int((a - offset) * SAMPLE_RATE), int((b - offset) * SAMPLE_RATE)) for a, b in regions]
    speech = np.concatenate([audio[max(a, 0) : b] for a, b in spans]) if spans else audio
    level = float(np.sqrt(np.mean(speech.astype(np.float64) ** 2))) if len(speech) else 0.0
    gain = 10 ** (TARGET_DBFS / 20) / level if level > 0 else 1.0  # the encoder hears a fixed level
    mel = mel_frames(audio * gain)
    width, step, shortest = (
        round(window_seconds * fps),
        round(hop_seconds * fps),
        round(MIN_WINDOW_SECONDS * fps),
    )
    slices: list[tuple[int, int]] = []
    owners: list[int] = []
    for index, (start, end) in enumerate(regions):
        a, b = round((start - offset) * fps), min(round((end - offset) * fps), len(mel))
        if b - a < shortest:  # pad a short region with its surroundings rather than drop its words
            middle = (a + b) // 2
            a, b = max(0, middle - shortest // 2), min(len(mel), middle + shortest // 2)
        if b - a <= width:
            slices.append((a, b))
            owners.append(index)
            continue
        count = 1 + int(np.ceil((b - a - width) / step))
        for k in range(count):
            s = min(a + k * step, b - width)
            slices.append((s, s + width))
            owners.append(index)
    vectors = encoder.embed_slices(mel, slices)
    centres = np.array([offset + (s + e) / 2 / fps for s, e in slices])
    features = region_features(audio, regions, offset)
    return VoiceWindows(centres, np.array(owners, dtype=int), vectors, list(regions), features)


def _viterbi(similarity: npt.NDArray[np.float64], regions: npt.NDArray[np.int_]) -> npt.NDArray[np.int_]:
    """Best voice sequence for windows scored by similarity to each voice, changes cost a penalty."""
    count = len(similarity)
    score = similarity[0].copy()
    back = np.zeros((count, 2), dtype=int)
    for i in range(1, count):
        penalty = SWITCH_PENALTY if regions[i] == regions[i - 1] else PAUSE_SWITCH_PENALTY
        stay, switch = score, score[::-1] - penalty
        back[i] = np.where(stay >= switch, [0, 1], [1, 0])
        score = np.maximum(stay, switch) + similarity[i]
    path = np.zeros(count, dtype=int)
    path[-1] = int(np.argmax(score))
    for i in range(count - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def cluster_voices(windows: VoiceWindows) -> npt.NDArray[np.int_] | None:
    """Two voices over the windows: two-means on the embeddings, smoothed along time.

    None when the two clusters sound alike to the encoder (see SAME_VOICE_COSINE).
    """
    count = len(windows.vectors)
    if count < 2:
        return np.zeros(count, dtype=int)
    points = windows.vectors.astype(np.float64)
    weights = np.ones(count)
    centred = points - points.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    # the principal axis and the least similar pair of windows: two starts suit 256 dimensions
    far = np.unravel_index(np.argmin(points @ points.T), (count, count))
    starts = [centred @ vt[0] > 0, points @ points[far[0]] < points @ points[far[1]]]
    labels = min((_two_means(points, weights, s.astype(int)) for s in starts), key=lambda r: r[1])[0]
    centres = np.stack(
        [points[labels == k].mean(axis=0) if (labels == k).any() else points.mean(0) for k in (0, 1)]
    )
    if _cosine(centres[0], centres[1]) > SAME_VOICE_COSINE:
        return None
    centres /= np.linalg.norm(centres, axis=1, keepdims=True) + 1e-9
    return _viterbi(points @ centres.T, windows.regions)


def _cosine(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def assign_speakers(words: Sequence[Word], windows: VoiceWindows) -> list[Speaker]:
    """Label each word of a mono call as agent or customer by the voice of the nearest window."""
    if len(words) == 0:
        return []
    if len(windows.centres) < 2:
        return ["agent"] * len(words)
    voice = cluster_voices(windows)
    if voice is None:
        return assign_speakers_by_features(words, windows.spans, windows.features)
    middles = np.array([(w.start + w.end) / 2 for w in words])
    nearest = np.argmin(np.abs(middles[:, None] - windows.centres[None, :]), axis=1)
    return _name_voices(words, voice[nearest])
