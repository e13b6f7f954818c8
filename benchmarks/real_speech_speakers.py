"""Speaker separation of mono calls on real voices: hand-made features (before) vs voice embeddings (after).

Conditions:
- real pairs: two-speaker calls assembled from the real recordings in speech_dev (LibriSpeech readers,
  CMU ARCTIC, VCTK): each reader's utterance is cut at its own pauses into turns of 1.5-4 s, and the
  turns of the two speakers alternate with gaps of 0.15-0.6 s and levels a few dB apart. Several
  pairs, women with women, men with men and mixed.
- sample calls: the mono mixdown of samples/calls/* against their dialogue scripts.
- AMI: the two real meeting excerpts in speech_dev/pyannote/ against their RTTM turns.

Attribution is measured on reference words: each reference turn's words (its script text, or one
word per 0.3 s where the source gives no timing) spread evenly over the turn, labelled by the
method and compared with the turn's speaker. The recogniser is not run, so the figures measure the
speaker split alone. The first speaker of an assembled call is the "agent"; naming uses the same
rule as the pipeline (first speaker, agent phrases). Change recall: share of reference speaker
changes with a labelled change within 1 s; precision: share of labelled changes within 1 s of a
reference change. "either naming" scores the split alone (a call whose agent and customer names
are swapped counts as right), as for the AMI meetings, where no one answers a call. Real-time
factor: seconds of separation work per second of audio, recogniser excluded.

Run: .venv/bin/python benchmarks/real_speech_speakers.py [path/to/speech_dev]
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription import SAMPLE_RATE, Word, decode_channels  # noqa: E402
from transcription.diarization import (  # noqa: E402
    assign_speakers,
    assign_speakers_by_features,
    region_features,
    speech_regions,
    voice_windows,
)
from transcription.speaker_embedding import SpeakerEncoder  # noqa: E402

ATTRIBUTION_TARGET = 0.90
CHANGE_TARGET = 0.80
CHANGE_TOLERANCE_SECONDS = 1.0
PSEUDO_WORD_SECONDS = 0.3

# (speaker A files, speaker B files, kind); paths relative to speech_dev
PAIRS: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    (("resemblyzer/39-121914-0000.flac",), ("resemblyzer/248-130644-0000.flac",), "F-F"),
    (("resemblyzer/587-41611-0000.flac",), ("resemblyzer/1088-129236-0000.flac",), "F-F"),
    (("resemblyzer/1898-145702-0000.flac",), ("resemblyzer/2092-145706-0000.flac",), "F-F"),
    (("resemblyzer/2817-142371-0000.flac",), ("resemblyzer/3526-175658-0000.flac",), "F-F"),
    (("resemblyzer/4137-11701-0000.flac",), ("resemblyzer/4481-17498-0000.flac",), "F-F"),
    (("resemblyzer/5789-57158-0000.flac",), ("resemblyzer/7302-86814-0000.flac",), "F-F"),
    (
        ("lhotse/2412-153948-0000.flac", "lhotse/2412-153948-0001.flac"),
        ("triton-asr-client/1221-135766-0001.wav", "triton-asr-client/1221-135766-0002.wav"),
        "F-F",
    ),
    (("resemblyzer/26-495-0000.flac",), ("resemblyzer/196-122150-0000.flac",), "M-M"),
    (("resemblyzer/460-172357-0000.flac",), ("resemblyzer/1334-135589-0000.flac",), "M-M"),
    (("resemblyzer/2136-5140-0000.flac",), ("resemblyzer/2843-152918-0000.flac",), "M-M"),
    (("resemblyzer/3486-166424-0000.flac",), ("resemblyzer/4014-186175-0000.flac",), "M-M"),
    (("resemblyzer/8123-275193-0000.flac",), ("resemblyzer/8425-246962-0000.flac",), "F-M"),
    (
        tuple(f"pyroomacoustics/cmu_arctic_us_axb_a000{i}.wav" for i in (4, 5, 6)),
        tuple(f"pyroomacoustics/cmu_arctic_us_aew_a000{i}.wav" for i in (1, 2, 3)),
        "F-M",
    ),
    (
        ("huggingface-datasets-vctk/p225_001_mic1.flac", "huggingface-datasets-vctk/p225_002_mic1.flac"),
        ("huggingface-datasets-vctk/p226_001_mic1.flac",),
        "F-M",
    ),
]


@dataclass
class Turn:
    speaker: str
    start: float
    end: float
    text: str = ""


@dataclass
class Call:
    name: str
    kind: str
    audio: np.ndarray
    turns: list[Turn]


def speech_dev_folder() -> Path:
    """CALLCOACH_DATA_DIR/speech_dev, else ../shared/data/speech_dev next to the repository."""
    base = os.environ.get("CALLCOACH_DATA_DIR")
    return (Path(base) if base else ROOT.parent / "shared" / "data") / "speech_dev"


def speaker_turns(audio: np.ndarray, shortest: float = 1.5, longest: float = 4.0) -> list[np.ndarray]:
    """Cut one speaker's recording at its own pauses into pieces of about `shortest`-`longest` s."""
    pieces, start = [], None
    regions = speech_regions(audio)
    for i, (a, b) in enumerate(regions):
        start = a if start is None else start
        last = i == len(regions) - 1
        if b - start >= shortest and (last or regions[i + 1][1] - start > longest):
            pieces.append(audio[max(0, int((start - 0.05) * SAMPLE_RATE)) : int((b + 0.05) * SAMPLE_RATE)])
            start = None
    if start is not None and regions:  # a short tail (or a short clip) is a turn of its own
        tail = audio[max(0, int((start - 0.05) * SAMPLE_RATE)) : int((regions[-1][1] + 0.05) * SAMPLE_RATE)]
        pieces.append(tail)
    return pieces


def assemble_call(
    name: str, kind: str, a_clips: Sequence[np.ndarray], b_clips: Sequence[np.ndarray], seed: int
) -> Call:
    """Alternate the two speakers' pieces with short noisy gaps and a few dB between their levels."""
    rng = np.random.default_rng(seed)
    a_pieces = [p for clip in a_clips for p in speaker_turns(clip)]
    b_pieces = [p for clip in b_clips for p in speaker_turns(clip)]
    levels = {"A": 0.05 * 10 ** (rng.uniform(-3, 3) / 20), "B": 0.05 * 10 ** (rng.uniform(-3, 3) / 20)}
    parts, turns, t = [0.001 * rng.standard_normal(int(0.3 * SAMPLE_RATE))], [], 0.3
    for k in range(max(len(a_pieces), len(b_pieces))):
        for speaker, pieces in (("A", a_pieces), ("B", b_pieces)):
            if k >= len(pieces):
                continue
            piece = pieces[k].astype(np.float64)
            piece = piece * levels[speaker] / (np.sqrt(np.mean(piece**2)) + 1e-9)
            parts.append(piece)
            turns.append(Turn(speaker, t, t + len(piece) / SAMPLE_RATE))
            t += len(piece) / SAMPLE_RATE
            gap = rng.uniform(0.15, 0.6)
            parts.append(0.001 * rng.standard_normal(int(gap * SAMPLE_RATE)))
            t += int(gap * SAMPLE_RATE) / SAMPLE_RATE
    audio = np.concatenate(parts).astype(np.float32)
    merged: list[Turn] = []
    for turn in turns:  # one speaker's consecutive pieces (when the other ran out) are one turn
        if merged and merged[-1].speaker == turn.speaker:
            merged[-1].end = turn.end
        else:
            merged.append(turn)
    return Call(name, kind, audio, merged)


def real_pair_calls(folder: Path) -> list[Call]:
    calls = []
    for i, (a_files, b_files, kind) in enumerate(PAIRS):
        a = [decode_channels(folder / f)[0] for f in a_files]
        b = [decode_channels(folder / f)[0] for f in b_files]
        name = f"{Path(a_files[0]).name.split('-')[0].split('_')[-2 if 'arctic' in a_files[0] else 0]}"
        name += f"+{Path(b_files[0]).name.split('-')[0].split('_')[-2 if 'arctic' in b_files[0] else 0]}"
        calls.append(assemble_call(name, kind, a, b, seed=i))
    return calls


def sample_calls(folder: Path) -> list[Call]:
    """Mono mixdowns of the sample calls with their scripted turns (agent/customer)."""
    calls = []
    for script_path in sorted(folder.glob("*.script.json")):
        script = json.loads(script_path.read_text())
        channels = decode_channels(folder / script["audio_file"])
        audio = np.mean(channels, axis=0).astype(np.float32)
        turns = [Turn(t["speaker"], t["start"], t["end"], t["text"]) for t in script["turns"]]
        calls.append(Call(script_path.name.split(".")[0], "sample", audio, turns))
    return calls


def ami_calls(folder: Path) -> list[Call]:
    """The AMI excerpts; overlapping stretches are left out of the reference (either voice is right)."""
    rows: dict[str, list[Turn]] = {}
    with open(folder / "pyannote" / "debug.development.rttm") as handle:
        for line in handle:
            f = line.split()
            rows.setdefault(f[1], []).append(Turn(f[7], float(f[3]), float(f[3]) + float(f[4])))
    calls = []
    for name, turns in sorted(rows.items()):
        audio = decode_channels(folder / "pyannote" / f"{name}.wav")[0]
        turns.sort(key=lambda t: t.start)
        calls.append(Call(name, "AMI", audio, turns))
    return calls


def reference_words(call: Call) -> tuple[list[Word], list[str]]:
    """Words spread evenly over each reference turn, with the turn's speaker; overlaps left out."""
    words, speakers = [], []
    for turn in call.turns:
        texts = turn.text.split() or ["w"] * max(1, int((turn.end - turn.start) / PSEUDO_WORD_SECONDS))
        step = (turn.end - turn.start) / len(texts)
        for k, text in enumerate(texts):
            start = turn.start + k * step
            middle = start + step / 2
            if any(o is not turn and o.start <= middle <= o.end for o in call.turns):
                continue
            words.append(Word(f" {text}", start, start + step * 0.9))
            speakers.append(turn.speaker)
    return words, speakers


def _mapped(call: Call, speakers: list[str]) -> list[str]:
    """Reference speakers as agent/customer: the scripted roles, else the first speaker is the agent."""
    if set(speakers) <= {"agent", "customer"}:
        return speakers
    first = call.turns[0].speaker
    return ["agent" if s == first else "customer" for s in speakers]


def change_times(words: Sequence[Word], labels: Sequence[str]) -> list[float]:
    return [
        (words[i].end + words[i + 1].start) / 2 for i in range(len(words) - 1) if labels[i] != labels[i + 1]
    ]


@dataclass
class Score:
    right: int = 0
    right_either_naming: int = 0  # the split alone: a call whose two names are swapped counts as right
    words: int = 0
    found: int = 0
    changes: int = 0
    spurious: int = 0
    hyp_changes: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0

    def add(self, other: Score) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def attribution(self) -> float:
        return self.right / max(self.words, 1)

    @property
    def split(self) -> float:
        return self.right_either_naming / max(self.words, 1)

    @property
    def recall(self) -> float:
        return self.found / max(self.changes, 1)

    @property
    def precision(self) -> float:
        return 1 - self.spurious / max(self.hyp_changes, 1)


Method = Callable[[np.ndarray, list[Word]], list[str]]


def before_method(audio: np.ndarray, words: list[Word]) -> list[str]:
    regions = speech_regions(audio)
    return list(assign_speakers_by_features(words, regions, region_features(audio, regions)))


def after_method(encoder: SpeakerEncoder) -> Method:
    def run(audio: np.ndarray, words: list[Word]) -> list[str]:
        return list(assign_speakers(words, voice_windows(audio, speech_regions(audio), encoder)))

    return run


def score_call(call: Call, method: Method) -> Score:
    words, speakers = reference_words(call)
    truth = _mapped(call, speakers)
    started = time.perf_counter()
    labels = method(call.audio, words)
    seconds = time.perf_counter() - started
    ref = change_times(words, truth)
    hyp = change_times(words, labels)
    right = sum(a == b for a, b in zip(labels, truth, strict=True))
    return Score(
        right=right,
        right_either_naming=max(right, len(words) - right),
        words=len(words),
        found=sum(any(abs(h - r) <= CHANGE_TOLERANCE_SECONDS for h in hyp) for r in ref),
        changes=len(ref),
        spurious=sum(not any(abs(h - r) <= CHANGE_TOLERANCE_SECONDS for r in ref) for h in hyp),
        hyp_changes=len(hyp),
        seconds=seconds,
        audio_seconds=len(call.audio) / SAMPLE_RATE,
    )


def _row(label: str, before: Score, after: Score) -> str:
    return (
        f"{label:<26} words {after.words:5d}"
        f"  attribution {before.attribution:6.1%} -> {after.attribution:6.1%}"
        f" (either naming {before.split:6.1%} -> {after.split:6.1%})"
        f"  change recall@1s {before.recall:6.1%} -> {after.recall:6.1%}"
        f"  change precision {before.precision:6.1%} -> {after.precision:6.1%}"
    )


def speaker_separation_report(
    data: Path | None = None, encoder: SpeakerEncoder | None = None, echo: Callable[[str], None] | None = None
) -> list[str]:
    """Printable rows: attribution and change recall per condition, before vs after, real-time factor.

    `echo` receives each row as soon as it is measured (progress on a long run).
    """
    folder = data or speech_dev_folder()
    encoder = encoder or SpeakerEncoder.load()
    after = after_method(encoder)
    conditions = {
        "real pairs mono": real_pair_calls(folder),
        "sample calls mono": sample_calls(ROOT / "samples" / "calls"),
        "AMI excerpts": ami_calls(folder),
    }
    rows: list[str] = []

    def emit(row: str) -> None:
        rows.append(row)
        if echo:
            echo(row)

    totals = {"before": Score(), "after": Score()}
    for condition, calls in conditions.items():
        groups: dict[str, dict[str, Score]] = {}
        for call in calls:
            b, a = score_call(call, before_method), score_call(call, after)
            emit("  " + _row(f"{call.kind} {call.name}", b, a))
            keys = [condition]
            if call.kind in ("F-F", "M-M"):
                keys.append("same-gender pairs")
            for key in keys:
                group = groups.setdefault(key, {"before": Score(), "after": Score()})
                group["before"].add(b)
                group["after"].add(a)
            totals["before"].add(b)
            totals["after"].add(a)
        for key, group in groups.items():
            emit(_row(key, group["before"], group["after"]))
    b, a = totals["before"], totals["after"]
    emit(
        f"real-time factor (separation only): before {b.seconds / b.audio_seconds:.4f}, "
        f"after {a.seconds / a.audio_seconds:.4f} ({a.seconds / max(b.seconds, 1e-9):.1f}x the old cost)"
    )
    return rows


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else speech_dev_folder()
    if not data.is_dir():
        sys.exit(f"{data}: speech_dev folder not found (pass its path or set CALLCOACH_DATA_DIR)")
    print(
        f"targets on real pairs (mono): attribution >= {ATTRIBUTION_TARGET:.0%}, "
        f"change recall within {CHANGE_TOLERANCE_SECONDS:.0f} s >= {CHANGE_TARGET:.0%}; sample calls no worse"
    )
    speaker_separation_report(data, echo=lambda row: print(row, flush=True))


if __name__ == "__main__":
    main()


__all__ = ["speaker_separation_report"]
