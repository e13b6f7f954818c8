"""Recognition on real human speech: the pipeline against plain faster-whisper, in the same run.

Data: shared/data/speech_dev (real recordings with human transcripts; see its README). Conditions:
- clean: each clip as recorded (the FSDD digits of one speaker chained into one utterance);
- phone: the same clips on an 8 kHz telephone line (300-3400 Hz, G.711 mu-law);
- stereo calls: two real speakers, one per channel, silence on a channel while its speaker is
  quiet (telephone line), assembled by benchmarks/_speech_dev.py from a fixed recipe;
- near-copy stereo: clips written as 44.1 kHz stereo with near-equal channels (right = 0.98 left
  + faint noise), as recorders write mono calls;
- the pipeline with the configured hotword vocabulary, on the phone clips and the stereo calls.
Plain = faster_whisper.WhisperModel.transcribe with default settings (beam 5, no VAD), same model.
Target: pipeline WER at most 1.05x plain on every condition; no stereo speaker lost or duplicated.
Also prints how often words are wrong per probability band (how the low-confidence threshold was
chosen) and, when benchmarks/real_speech_speakers.py exists, its speaker-separation rows.

Run: .venv/bin/python benchmarks/real_speech.py [--every 1] [--model tiny.en]
In parts (each process decodes every N-th clip and call, K = 1..N), then one table from all parts:
     .venv/bin/python benchmarks/real_speech.py --part 1/3 --save part1.json   (and 2/3, 3/3)
     .venv/bin/python benchmarks/real_speech.py --merge part1.json part2.json part3.json
--systems plain (or pipeline) decodes one system only, so plain figures can be saved once and merged
with pipeline runs of changed code.
Model choice (phone clips only, both systems per model, one run):
     .venv/bin/python benchmarks/real_speech.py --compare-models tiny.en /path/to/ct2-whisper-base
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))

import _speech_dev as sd  # type: ignore[import-not-found]  # noqa: E402

from transcription import EngineOptions, Transcriber, load_model  # noqa: E402

TARGET_RATIO = 1.05
# the vocabulary qa.config shipped as CALLCOACH_HOTWORDS before it was measured here
PUBLIC_WORKS_HOTWORDS = ("Public Works", "street sweeping", "bulky item", "pothole", "scooter", "e-bike")
PROBABILITY_BANDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


CONDITIONS = ("clean", "phone", "stereo calls", "near-copy stereo")
SYSTEMS = ("plain", "pipeline", "pipeline+hotwords")


@dataclass
class Record:
    """One system's reading of one item (clip, or one side of a call) under one condition."""

    condition: str
    system: str
    item: str
    reference: str
    hypothesis: str
    seconds: float
    audio: float
    # (word probability, word right) for pipeline words on clean and phone clips
    calibration: list[tuple[float, bool]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Score:
    """Word errors, reference words and compute time of one system on one condition."""

    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    audio: float = 0.0

    def add(self, record: Record) -> None:
        e, n = sd.word_errors(record.reference, record.hypothesis)
        self.errors += e
        self.words += n
        self.seconds += record.seconds
        self.audio += record.audio

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)


def timed(fn: Callable[[], str]) -> tuple[str, float]:
    started = time.perf_counter()
    text = fn()
    return text, time.perf_counter() - started


def compare_models(models: list[str], clips: list[sd.Utterance]) -> None:
    """WER and speed of pipeline and plain faster-whisper per model on the telephone-line clips."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [
            sd.write_wav(Path(tmp) / f"{i}.wav", [sd.telephone(u.audio)], sd.PHONE_RATE)
            for i, u in enumerate(clips)
        ]
        audio = sum(u.seconds for u in clips)
        for name in models:
            transcriber = Transcriber(EngineOptions(model=name))
            model = transcriber.recognizer.model
            for system in ("pipeline", "plain"):
                s = Score()
                for u, path in zip(clips, paths, strict=True):
                    if system == "pipeline":
                        text, took = timed(
                            lambda p=path, t=transcriber: " ".join(w.text for w in t.transcribe(p).words)  # type: ignore[misc]
                        )
                    else:
                        text, took = timed(
                            lambda p=path, m=model: " ".join(x.text for x in m.transcribe(str(p))[0])  # type: ignore[misc]
                        )
                    s.add(Record("phone", system, u.name, u.text, text, took, u.seconds))
                rows.append((name, system, s))
                print(f"  {name} {system} done", flush=True)
    print(f"\n{len(clips)} phone clips, {audio:.0f} s at 8 kHz")
    print(f"{'model':40s} {'system':9s} {'WER':>6s} {'x real time':>11s}")
    for name, system, s in rows:
        print(f"{Path(name).name or name:40s} {system:9s} {s.wer:6.3f} {s.audio / s.seconds:10.1f}x")


def near_copy(u: sd.Utterance, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The clip as 44.1 kHz stereo with right = 0.98 left + faint noise."""
    x = np.interp(
        np.arange(int(u.seconds * 44100)) / 44100 * sd.SAMPLE_RATE, np.arange(len(u.audio)), u.audio
    )
    y = 0.98 * x + 0.002 * np.random.default_rng(seed).standard_normal(len(x))
    return x.astype(np.float32), y.astype(np.float32)


def run(
    clips: list[tuple[int, sd.Utterance]],
    calls: list[sd.StereoCall],
    *,
    model_name: str,
    systems: set[str],
    conditions: set[str],
) -> list[Record]:
    """Decode the clips and calls with the chosen systems; one Record per item, system and condition."""
    options = EngineOptions(model=model_name)
    pipeline = Transcriber(options) if systems & {"pipeline"} else None
    hot = (
        Transcriber(EngineOptions(model=model_name, hotwords=PUBLIC_WORKS_HOTWORDS))
        if "pipeline+hotwords" in systems
        else None
    )
    model = load_model(options.model, options.device, options.compute_type, options.cpu_threads)
    records: list[Record] = []

    def plain(audio: np.ndarray | str) -> str:
        segments, _ = model.transcribe(audio)
        return " ".join(s.text for s in segments)

    def piped(condition: str, system: str, transcriber: Transcriber, path: Path, u: sd.Utterance) -> None:
        started = time.perf_counter()
        result = transcriber.transcribe(path)
        took = time.perf_counter() - started
        words = result.words
        record = Record(condition, system, u.name, u.text, " ".join(w.text for w in words), took, u.seconds)
        if system == "pipeline" and condition in ("clean", "phone"):
            mask = sd.correct_mask(u.text, [w.text for w in words])
            record.calibration = [(w.probability, ok) for w, ok in zip(words, mask, strict=True)]
        if condition == "near-copy stereo" and result.channels != 1:
            record.problems.append(f"near-copy {u.name}: taken as {result.channels} speakers")
        records.append(record)

    def plain_record(condition: str, path: Path, u: sd.Utterance) -> None:
        text, took = timed(lambda: plain(str(path)))
        records.append(Record(condition, "plain", u.name, u.text, text, took, u.seconds))

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n, (i, u) in enumerate(clips):
            paths = {}
            if conditions & {"clean"}:
                paths["clean"] = sd.write_wav(base / f"{i}.clean.wav", [u.audio], sd.SAMPLE_RATE)
            if conditions & {"phone"}:
                paths["phone"] = sd.write_wav(base / f"{i}.phone.wav", [sd.telephone(u.audio)], sd.PHONE_RATE)
            if conditions & {"near-copy stereo"}:
                paths["near-copy stereo"] = sd.write_wav(base / f"{i}.copy.wav", list(near_copy(u, i)), 44100)
            for condition, path in paths.items():
                if pipeline is not None:
                    piped(condition, "pipeline", pipeline, path, u)
                if hot is not None and condition == "phone":
                    piped(condition, "pipeline+hotwords", hot, path, u)
                if "plain" in systems:
                    plain_record(condition, path, u)
            print(f"  {n + 1}/{len(clips)} {u.name}", flush=True)
        if "stereo calls" not in conditions:
            return records
        for call in calls:
            left, right = sd.telephone(call.left), sd.telephone(call.right)
            path = sd.write_wav(base / f"{call.name}.wav", [left, right], sd.PHONE_RATE)
            seconds = len(call.left) / sd.SAMPLE_RATE
            sides = (("agent", left, call.left_text), ("customer", right, call.right_text))
            for name, transcriber in (("pipeline", pipeline), ("pipeline+hotwords", hot)):
                if transcriber is None:
                    continue
                started = time.perf_counter()
                result = transcriber.transcribe(path)
                took = time.perf_counter() - started
                for speaker, _, reference in sides:
                    said = [w.text for w in result.words if w.speaker == speaker]
                    record = Record(
                        "stereo calls",
                        name,
                        f"{call.name}/{speaker}",
                        reference,
                        " ".join(said),
                        took / 2,
                        seconds / 2,
                    )
                    if len(said) < 0.5 * len(sd.normalise(reference)):
                        record.problems.append(f"{name} {call.name}: {speaker} has {len(said)} words")
                    if result.channels != 2:
                        record.problems.append(f"{name} {call.name}: taken as {result.channels} channel(s)")
                    records.append(record)
            if "plain" in systems:
                for speaker, channel, reference in sides:
                    audio16 = np.repeat(channel, 2).astype(np.float32)  # plain gets the same 16 kHz samples
                    text, took = timed(lambda a=audio16: plain(a))  # type: ignore[misc]
                    records.append(
                        Record(
                            "stereo calls",
                            "plain",
                            f"{call.name}/{speaker}",
                            reference,
                            text,
                            took,
                            seconds / 2,
                        )
                    )
            print(f"  {call.name}", flush=True)
    return records


def report(records: list[Record], model_name: str, threshold: float) -> bool:
    """Print the table against the target; True when every condition measured meets it."""
    scores: dict[tuple[str, str], Score] = {}
    seen: set[tuple[str, str, str]] = set()
    for record in records:
        key = (record.condition, record.system, record.item)
        if key in seen:
            raise SystemExit(
                f"{record.condition} {record.system} {record.item}: measured twice (overlapping parts)"
            )
        seen.add(key)
        scores.setdefault((record.condition, record.system), Score()).add(record)
    items = {c: {r.item for r in records if r.condition == c} for c in CONDITIONS}
    print(f"\nmodel {model_name}; plain = WhisperModel.transcribe defaults; target: ratio <= {TARGET_RATIO}")
    print(", ".join(f"{c}: {len(items[c])} items" for c in CONDITIONS if items[c]))
    print(f"{'condition':18s} {'system':18s} {'WER':>6s} {'ratio':>6s} {'target':>7s} {'x real time':>11s}")
    met = True
    for condition in CONDITIONS:
        base_score = scores.get((condition, "plain"))
        for system in SYSTEMS:
            s = scores.get((condition, system))
            if s is None:
                continue
            if base_score is None or base_score.words != s.words:
                ratio, verdict = float("nan"), "" if system == "plain" else "n/a"  # not the same items
            else:
                ratio = s.wer / base_score.wer if base_score.wer else (1.0 if s.wer == 0 else float("inf"))
                verdict = "" if system == "plain" else ("ok" if ratio <= TARGET_RATIO else "MISSED")
            met = met and verdict != "MISSED"
            speed = s.audio / s.seconds if s.seconds else 0.0
            print(
                f"{condition:18s} {system:18s} {s.wer:6.3f} {ratio:6.2f} {verdict:>7s} {speed:10.1f}x"
                f"   ({s.errors}/{s.words})"
            )
    calibration = [c for r in records for c in r.calibration]
    print("\nrecognised words by probability (pipeline, clean + phone clips): share wrong")
    for low, high in itertools.pairwise(PROBABILITY_BANDS):
        band = [ok for p, ok in calibration if low <= p < high]
        if band:
            wrong = 1 - sum(band) / len(band)
            print(f"  {low:.1f}-{min(high, 1.0):.1f}  {len(band):5d} words  {wrong:6.1%} wrong")
    flagged = [ok for p, ok in calibration if p < threshold]
    wrong_total = sum(1 for _, ok in calibration if not ok)
    if calibration:
        print(
            f"  flagged (p < {threshold}): {len(flagged)} of {len(calibration)} words, "
            f"{1 - sum(flagged) / max(len(flagged), 1):.1%} of them wrong, "
            f"{(len(flagged) - sum(flagged)) / max(wrong_total, 1):.1%} of all wrong words"
        )
    problems = [p for r in records for p in r.problems]
    print("\nstereo layout problems:", "none" if not problems else "")
    for p in problems:
        print("  " + p)
    return met and not problems


def speaker_report() -> None:
    speakers = HERE / "real_speech_speakers.py"
    if speakers.exists():
        spec = importlib.util.spec_from_file_location("real_speech_speakers", speakers)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("\nspeaker separation (benchmarks/real_speech_speakers.py)")
        for row in module.speaker_separation_report():
            print(f"  {row}")


def part(text: str) -> tuple[int, int]:
    """'K/N' -> (K, N) with 1 <= K <= N."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--part {text!r}: expected K/N, e.g. 2/3") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"--part {text!r}: K must be between 1 and N")
    return k, n


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--every", type=int, default=1, help="use every n-th clip (1: all)")
    parser.add_argument("--model", default="tiny.en", help="model for both systems (name or folder)")
    parser.add_argument("--calls", type=int, default=0, help="at most this many stereo calls (0: all)")
    parser.add_argument(
        "--compare-models", nargs="+", default=[], help="only compare these models on phone clips"
    )
    parser.add_argument("--skip-hotwords", action="store_true", help="leave out the hotword rows")
    parser.add_argument(
        "--part", type=part, default=(1, 1), help="K/N: decode only every N-th item, from the K-th"
    )
    parser.add_argument("--save", type=Path, help="write the measured records to this JSON file")
    parser.add_argument(
        "--merge", type=Path, nargs="+", default=[], help="only print the table of saved parts"
    )
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--conditions", nargs="+", choices=CONDITIONS, default=list(CONDITIONS))
    parser.add_argument("--no-speakers", action="store_true", help="leave out the speaker-separation rows")
    args = parser.parse_args()

    threshold = EngineOptions().low_confidence_probability
    if args.merge:
        records = [
            Record(**{**r, "calibration": [tuple(c) for c in r["calibration"]]})
            for f in args.merge
            for r in json.loads(f.read_text(encoding="utf-8"))
        ]
        if not report(records, args.model, threshold):
            raise SystemExit(1)
        return
    folder = sd.speech_dev_folder()
    utterances = sd.load_utterances(folder)
    calls = sd.assemble_calls(utterances)
    calls = calls[: args.calls] if args.calls else calls
    clips = list(enumerate(utterances))[:: args.every]
    if args.compare_models:
        compare_models(args.compare_models, [u for _, u in clips])
        return
    k, n = args.part
    clips, calls = clips[k - 1 :: n], calls[k - 1 :: n]
    systems = set(args.systems) - ({"pipeline+hotwords"} if args.skip_hotwords else set())
    print(
        f"{len(clips)} clips ({sum(u.seconds for _, u in clips):.0f} s), {len(calls)} stereo calls",
        flush=True,
    )
    records = run(clips, calls, model_name=args.model, systems=systems, conditions=set(args.conditions))
    if args.save:
        args.save.write_text(json.dumps([asdict(r) for r in records], indent=1), encoding="utf-8")
    met = report(records, args.model, threshold)
    if not args.no_speakers and n == 1:
        speaker_report()
    if not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
