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
Model choice (phone clips only, both systems per model, one run):
     .venv/bin/python benchmarks/real_speech.py --compare-models tiny.en /path/to/ct2-whisper-base
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass
class Score:
    """Word errors, reference words and compute time of one system on one condition."""

    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    audio: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add(self, reference: str, hypothesis: str, seconds: float, audio: float) -> None:
        e, n = sd.word_errors(reference, hypothesis)
        self.errors += e
        self.words += n
        self.seconds += seconds
        self.audio += audio

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
                    s.add(u.text, text, took, u.seconds)
                rows.append((name, system, s))
                print(f"  {name} {system} done", flush=True)
    print(f"\n{len(clips)} phone clips, {audio:.0f} s at 8 kHz")
    print(f"{'model':40s} {'system':9s} {'WER':>6s} {'x real time':>11s}")
    for name, system, s in rows:
        print(f"{Path(name).name or name:40s} {system:9s} {s.wer:6.3f} {s.audio / s.seconds:10.1f}x")


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
    args = parser.parse_args()

    folder = sd.speech_dev_folder()
    utterances = sd.load_utterances(folder)
    calls = sd.assemble_calls(utterances)
    calls = calls[: args.calls] if args.calls else calls
    clips = utterances[:: args.every]
    if args.compare_models:
        compare_models(args.compare_models, clips)
        return
    options = EngineOptions(model=args.model)
    pipeline = Transcriber(options)
    hot = Transcriber(EngineOptions(model=args.model, hotwords=PUBLIC_WORKS_HOTWORDS))
    model = load_model(options.model, options.device, options.compute_type, options.cpu_threads)

    def plain(audio: np.ndarray | str) -> str:
        segments, _ = model.transcribe(audio)
        return " ".join(s.text for s in segments)

    def piped(transcriber: Transcriber, path: Path) -> str:
        return " ".join(w.text for w in transcriber.transcribe(path).words)

    scores: dict[tuple[str, str], Score] = {}
    calibration: list[tuple[float, bool]] = []
    problems: list[str] = []

    def score(condition: str, system: str) -> Score:
        return scores.setdefault((condition, system), Score())

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        print(
            f"{len(clips)} clips ({sum(u.seconds for u in clips):.0f} s), {len(calls)} stereo calls",
            flush=True,
        )
        for i, u in enumerate(clips):
            clean = sd.write_wav(base / f"{i}.clean.wav", [u.audio], sd.SAMPLE_RATE)
            phone = sd.write_wav(base / f"{i}.phone.wav", [sd.telephone(u.audio)], sd.PHONE_RATE)
            for condition, path in (("clean", clean), ("phone", phone)):
                started = time.perf_counter()
                result = pipeline.transcribe(path)
                took = time.perf_counter() - started
                words = result.words
                score(condition, "pipeline").add(u.text, " ".join(w.text for w in words), took, u.seconds)
                mask = sd.correct_mask(u.text, [w.text for w in words])
                calibration.extend((w.probability, ok) for w, ok in zip(words, mask, strict=True))
                text, took = timed(lambda p=path: plain(str(p)))  # type: ignore[misc]
                score(condition, "plain").add(u.text, text, took, u.seconds)
            if not args.skip_hotwords:
                text, took = timed(lambda p=phone: piped(hot, p))  # type: ignore[misc]
                score("phone", "pipeline+hotwords").add(u.text, text, took, u.seconds)
            # near-copy stereo at 44.1 kHz
            x = np.interp(
                np.arange(int(u.seconds * 44100)) / 44100 * sd.SAMPLE_RATE, np.arange(len(u.audio)), u.audio
            )
            rng = np.random.default_rng(i)
            y = 0.98 * x + 0.002 * rng.standard_normal(len(x))
            copy = sd.write_wav(base / f"{i}.copy.wav", [x.astype(np.float32), y.astype(np.float32)], 44100)
            started = time.perf_counter()
            result = pipeline.transcribe(copy)
            took = time.perf_counter() - started
            score("near-copy stereo", "pipeline").add(
                u.text, " ".join(w.text for w in result.words), took, u.seconds
            )
            if result.channels != 1:
                problems.append(f"near-copy {u.name}: taken as {result.channels} speakers")
            text, took = timed(lambda p=copy: plain(str(p)))  # type: ignore[misc]
            score("near-copy stereo", "plain").add(u.text, text, took, u.seconds)
            print(f"  {i + 1}/{len(clips)} {u.name}", flush=True)
        for call in calls:
            left, right = sd.telephone(call.left), sd.telephone(call.right)
            path = sd.write_wav(base / f"{call.name}.wav", [left, right], sd.PHONE_RATE)
            seconds = len(call.left) / sd.SAMPLE_RATE
            systems = [("pipeline", pipeline)] + ([] if args.skip_hotwords else [("pipeline+hotwords", hot)])
            for name, transcriber in systems:
                started = time.perf_counter()
                result = transcriber.transcribe(path)
                took = time.perf_counter() - started
                for speaker, reference in (("agent", call.left_text), ("customer", call.right_text)):
                    said = [w.text for w in result.words if w.speaker == speaker]
                    score("stereo calls", name).add(reference, " ".join(said), took / 2, seconds / 2)
                    if len(said) < 0.5 * len(sd.normalise(reference)):
                        problems.append(f"{name} {call.name}: {speaker} has {len(said)} words")
                if result.channels != 2:
                    problems.append(f"{name} {call.name}: taken as {result.channels} channel(s)")
            for channel, reference in ((left, call.left_text), (right, call.right_text)):
                audio16 = np.repeat(channel, 2).astype(np.float32)  # plain gets the same 16 kHz samples
                text, took = timed(lambda a=audio16: plain(a))  # type: ignore[misc]
                score("stereo calls", "plain").add(reference, text, took, seconds / 2)
            print(f"  {call.name}", flush=True)

    print(f"\nmodel {args.model}; plain = WhisperModel.transcribe defaults; target: ratio <= {TARGET_RATIO}")
    print(f"{'condition':18s} {'system':18s} {'WER':>6s} {'ratio':>6s} {'target':>7s} {'x real time':>11s}")
    for condition in ("clean", "phone", "stereo calls", "near-copy stereo"):
        base_score = scores.get((condition, "plain"))
        for system in ("plain", "pipeline", "pipeline+hotwords"):
            s = scores.get((condition, system))
            if s is None or base_score is None:
                continue
            ratio = s.wer / base_score.wer if base_score.wer else (1.0 if s.wer == 0 else float("inf"))
            verdict = "" if system == "plain" else ("ok" if ratio <= TARGET_RATIO else "MISSED")
            speed = s.audio / s.seconds if s.seconds else 0.0
            print(
                f"{condition:18s} {system:18s} {s.wer:6.3f} {ratio:6.2f} {verdict:>7s} {speed:10.1f}x"
                f"   ({s.errors}/{s.words})"
            )
    print("\nrecognised words by probability (pipeline, clean + phone clips): share wrong")
    for low, high in itertools.pairwise(PROBABILITY_BANDS):
        band = [ok for p, ok in calibration if low <= p < high]
        if band:
            wrong = 1 - sum(band) / len(band)
            print(f"  {low:.1f}-{min(high, 1.0):.1f}  {len(band):5d} words  {wrong:6.1%} wrong")
    threshold = options.low_confidence_probability
    flagged = [ok for p, ok in calibration if p < threshold]
    wrong_total = sum(1 for _, ok in calibration if not ok)
    if calibration:
        print(
            f"  flagged (p < {threshold}): {len(flagged)} of {len(calibration)} words, "
            f"{1 - sum(flagged) / max(len(flagged), 1):.1%} of them wrong, "
            f"{(len(flagged) - sum(flagged)) / max(wrong_total, 1):.1%} of all wrong words"
        )
    print("\nstereo layout problems:", "none" if not problems else "")
    for p in problems:
        print("  " + p)
    speakers = HERE / "real_speech_speakers.py"
    if speakers.exists():
        spec = importlib.util.spec_from_file_location("real_speech_speakers", speakers)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("\nspeaker separation (benchmarks/real_speech_speakers.py)")
        for row in module.speaker_separation_report():
            print(f"  {row}")
    if problems or any(
        scores[(c, "pipeline")].wer > TARGET_RATIO * scores[(c, "plain")].wer + 1e-9
        for c in ("clean", "phone", "stereo calls", "near-copy stereo")
    ):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
