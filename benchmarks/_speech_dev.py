"""Real development speech (shared/data/speech_dev): clips, telephone degradation, assembled calls, WER.

Shared by benchmarks/real_speech.py and the threshold measurements in docs/transcription.md. The leading
underscore keeps benchmarks/run_all.py from running it as a benchmark of its own.
"""

from __future__ import annotations

import csv
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_RATE = 16000
PHONE_RATE = 8000
FloatArray = npt.NDArray[np.float32]


def speech_dev_folder() -> Path:
    """shared/data/speech_dev next to the clone (CI), or next to the worktree folder (developers)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "speech_dev"
        if (folder / "manifest.tsv").is_file():
            return folder
    raise SystemExit(f"speech_dev not found: expected {ROOT.parent / 'shared' / 'data' / 'speech_dev'}")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One real recording (or a chain of them), 16 kHz mono, with its reference text."""

    name: str
    speaker: str
    audio: FloatArray
    text: str

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


def _load(path: Path) -> FloatArray:
    from transcription import decode_channels

    channels = decode_channels(path, min_duration=0.0)
    return np.mean(channels, axis=0).astype(np.float32)


def load_utterances(folder: Path, *, limit: int = 0) -> list[Utterance]:
    """Every single-speaker clip with a transcript; the FSDD digits of one speaker chained into one
    ten-digit utterance (an account-number turn; single digits are shorter than the 0.5 s minimum)."""
    rows = list(csv.DictReader((folder / "manifest.tsv").open(encoding="utf-8"), delimiter="\t"))
    result: list[Utterance] = []
    digits: dict[str, list[tuple[str, FloatArray]]] = {}
    gap = np.zeros(int(0.3 * SAMPLE_RATE), np.float32)
    for row in rows:
        if not row["reference_text"].strip():
            continue  # AMI excerpts: speaker turns only
        audio = _load(folder / row["path"])
        if row["path"].startswith("fsdd/"):
            digits.setdefault(row["speaker"], []).append((row["reference_text"], audio))
            continue
        result.append(
            Utterance(row["path"], row["speaker"] or row["path"].split("/")[1], audio, row["reference_text"])
        )
    for speaker, items in sorted(digits.items()):
        audio = np.concatenate([part for _, a in items for part in (a, gap)])
        result.append(Utterance(f"fsdd/{speaker}", speaker, audio, " ".join(t for t, _ in items)))
    return result[:limit] if limit else result


def telephone(audio: FloatArray, rate: int = SAMPLE_RATE) -> FloatArray:
    """8 kHz telephone line: band-limited to 300-3400 Hz (which is also the anti-aliasing filter),
    resampled, then G.711 mu-law encoded and decoded (8-bit)."""
    n = len(audio)
    n_out = round(n * PHONE_RATE / rate)
    spectrum = np.fft.rfft(audio.astype(np.float64))
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    line = np.fft.irfft(spectrum[: n_out // 2 + 1], n_out) * (n_out / n)
    line = np.clip(line, -1.0, 1.0)
    mu = 255.0
    encoded = np.round(np.sign(line) * np.log1p(mu * np.abs(line)) / np.log1p(mu) * 127) / 127
    decoded = np.sign(encoded) * ((1 + mu) ** np.abs(encoded) - 1) / mu
    return decoded.astype(np.float32)


def write_wav(path: Path, channels: list[FloatArray], rate: int) -> Path:
    pcm = (np.clip(np.stack(channels, axis=1), -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(len(channels))
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


@dataclass(frozen=True, slots=True)
class StereoCall:
    """Two real speakers, one per channel, silence on a channel while its speaker is quiet."""

    name: str
    left: FloatArray
    right: FloatArray
    left_text: str
    right_text: str


def assemble_call(name: str, agent: list[Utterance], customer: list[Utterance], *, seed: int) -> StereoCall:
    """Alternate turns, agent first, with 0.3-1.5 s gaps (now and then a 4 s hold) at 16 kHz."""
    rng = np.random.default_rng(seed)
    tracks: list[list[FloatArray]] = [[], []]
    texts: list[list[str]] = [[], []]
    turns = [(0, u) for u in agent]
    for i, u in enumerate(customer):
        turns.insert(2 * i + 1, (1, u))
    for channel, utterance in turns:
        pause = 4.0 if rng.random() < 0.15 else float(rng.uniform(0.3, 1.5))
        length = len(utterance.audio) + int(pause * SAMPLE_RATE)
        speech = np.zeros(length, np.float32)
        speech[: len(utterance.audio)] = utterance.audio * (10 ** (rng.uniform(-3, 3) / 20))
        tracks[channel].append(speech)
        tracks[1 - channel].append(np.zeros(length, np.float32))
        texts[channel].append(utterance.text)
    left, right = (np.concatenate(t) for t in tracks)
    return StereoCall(name, left, right, " ".join(texts[0]), " ".join(texts[1]))


def assemble_calls(utterances: list[Utterance]) -> list[StereoCall]:
    """Calls between speakers who have several recordings, pairing a male and female voice, and a
    same-gender pair; the last call uses the chained digits as account-number turns."""
    by_speaker: dict[str, list[Utterance]] = {}
    for u in utterances:
        by_speaker.setdefault(u.speaker, []).append(u)
    recipes = [
        ("1221", "2412", 1),
        ("aew", "axb", 2),
        ("p225", "1088", 3),
        ("307", "george", 4),
        ("jackson", "theo", 5),
    ]
    calls = []
    for a, b, seed in recipes:
        if a in by_speaker and b in by_speaker:
            calls.append(assemble_call(f"call_{a}_{b}", by_speaker[a], by_speaker[b], seed=seed))
    return calls


# --- WER -------------------------------------------------------------------------------------------
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "ok": "okay"}


def _number(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (_number(n % 100) if n % 100 else [])
    if 1100 <= n < 2000 and n % 100:  # years are read in pairs: sixteen sixty five
        return _number(n // 100) + (["oh"] if n % 100 < 10 else []) + _number(n % 100)
    if n < 1_000_000:
        return _number(n // 1000) + ["thousand"] + (_number(n % 1000) if n % 1000 else [])
    return [str(n)]


def normalise(text: str) -> list[str]:
    """Lower case, no punctuation, digits spelled out, common abbreviations expanded."""
    text = text.lower().replace("-", " ").replace("'", "").replace("’", "")
    text = re.sub(r"(\d),(\d)", r"\1\2", text)
    tokens: list[str] = []
    for token in re.sub(r"[^a-z0-9 ]", " ", text).split():
        if token.isdigit():
            tokens.extend(_number(int(token)) if len(token) < 7 else list(token))
        elif re.fullmatch(r"\d+(st|nd|rd|th)", token):
            tokens.extend(_number(int(token[:-2])))
        else:
            tokens.append(_ABBREVIATIONS.get(token, token))
    return tokens


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference words) after normalising both."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return Levenshtein.distance(ref, hyp), len(ref)


def correct_mask(reference: str, hypothesis_words: list[str]) -> list[bool]:
    """For each hypothesis word, whether all its normalised tokens align with equal reference words."""
    ref = normalise(reference)
    owner: list[int] = []
    hyp: list[str] = []
    for i, word in enumerate(hypothesis_words):
        for token in normalise(word):
            hyp.append(token)
            owner.append(i)
    wrong = set()
    for op in Levenshtein.editops(ref, hyp):
        if op.tag in ("replace", "insert"):
            wrong.add(owner[op.dest_pos])
    result = [True] * len(hypothesis_words)
    for i in wrong:
        result[i] = False
    for i, word in enumerate(hypothesis_words):
        if not normalise(word):
            result[i] = True  # punctuation-only tokens carry no word
    return result
