"""Throughput and memory of the transcription pipeline against plain faster-whisper, side by side.

On the sample calls (same model, compute type, beam size, VAD and batch size for all runs):
- pipeline: transcription.transcribe_file (decode, per-channel recognition with word timestamps,
  speaker turns, metrics);
- plain batched faster-whisper on the file's mono mixdown, and on each channel, with word timestamps
  (same settings) and text only;
and the ratios. Then a 60-minute stereo call, built by concatenating the sample calls, is
transcribed in a fresh process that reports its peak resident memory (resource.getrusage).

Run: .venv/bin/python benchmarks/transcription.py [--skip-long] [--long-minutes 60]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription import EngineOptions, decode_channels, get_transcriber, load_model  # noqa: E402

SAMPLES = ROOT / "samples" / "calls"
AUDIO_SUFFIXES = (".flac", ".mp3", ".ogg", ".wav", ".m4a")


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in AUDIO_SUFFIXES)


def duration_of(path: Path) -> float:
    return len(decode_channels(path)[0]) / 16000


def plain_runner(options: EngineOptions, *, split: bool, words: bool) -> Callable[[Path], None]:
    """Plain BatchedInferencePipeline from the file path, decoding included."""
    from faster_whisper import BatchedInferencePipeline
    from faster_whisper.audio import decode_audio

    pipeline = BatchedInferencePipeline(
        load_model(options.model, options.device, options.compute_type, options.cpu_threads)
    )

    def run(path: Path) -> None:
        audios = decode_audio(str(path), split_stereo=split)
        for audio in audios if split else [audios]:
            segments, _ = pipeline.transcribe(
                audio,
                language=options.language,
                beam_size=options.beam_size,
                batch_size=options.batch_size,
                vad_filter=True,
                condition_on_previous_text=False,
                word_timestamps=words,
            )
            list(segments)

    return run


def best_times(
    runs: Mapping[str, Callable[[Path], object]], files: list[Path], repeats: int
) -> dict[str, float]:
    """Best wall time per run over all files; runs take turns so background load hits all alike."""
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            for path in files:
                run(path)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def write_long_call(target: Path, minutes: float) -> float:
    """Concatenate the sample calls (8 kHz stereo WAV) until `minutes` long; returns seconds."""
    calls = [np.stack(decode_channels(p), axis=1)[::2] for p in sample_files()]  # 16 kHz -> 8 kHz
    needed = int(minutes * 60 * 8000)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        written, i = 0, 0
        while written < needed:
            block = calls[i % len(calls)][: needed - written]
            out.writeframes((np.clip(block, -1, 1) * 32767).astype(np.int16).tobytes())
            written += len(block)
            i += 1
    return written / 8000


def long_child(path: str) -> None:
    """Runs in a fresh process: transcribe one file, print seconds, turns and peak RSS as JSON."""
    start = time.perf_counter()
    result = get_transcriber(EngineOptions()).transcribe(path)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "duration": result.duration,
                "turns": len(result.turns),
                "peak_rss_mb": peak_mb,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-long", action="store_true")
    parser.add_argument("--long-minutes", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--long-child")
    args = parser.parse_args()
    if args.long_child:
        long_child(args.long_child)
        return
    files = sample_files()
    if not files:
        raise SystemExit(f"no sample calls in {SAMPLES}")
    options = EngineOptions()
    audio_seconds = sum(duration_of(p) for p in files)
    transcriber = get_transcriber(options)
    transcriber.transcribe(files[0])  # warm-up: model, VAD session, allocator
    runs = {
        "pipeline (turns, words, metrics)": lambda p: transcriber.transcribe(p),
        "plain batched, per channel, words": plain_runner(options, split=True, words=True),
        "plain batched, per channel, text": plain_runner(options, split=True, words=False),
        "plain batched, mono mixdown, words": plain_runner(options, split=False, words=True),
        "plain batched, mono mixdown, text": plain_runner(options, split=False, words=False),
    }
    speeds = {name: audio_seconds / t for name, t in best_times(runs, files, args.repeats).items()}
    print(
        f"{len(files)} sample calls, {audio_seconds:.0f} s of audio; "
        f"model {options.model} {options.compute_type}, beam {options.beam_size}, "
        f"batch {options.batch_size}, best of {args.repeats}"
    )
    pipeline = speeds["pipeline (turns, words, metrics)"]
    for name, speed in speeds.items():
        print(f"  {name:36s} {speed:6.1f}x real time   pipeline/this = {pipeline / speed:4.2f}")
    if args.skip_long:
        return
    with tempfile.TemporaryDirectory() as tmp:
        long_path = Path(tmp) / "long_call.wav"
        seconds = write_long_call(long_path, args.long_minutes)
        out = subprocess.run(
            [sys.executable, __file__, "--long-child", str(long_path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        report = json.loads(out.strip().splitlines()[-1])
    print(
        f"long call: {seconds / 60:.0f} min stereo, {report['turns']} turns, "
        f"{seconds / report['seconds']:.1f}x real time, "
        f"peak RSS {report['peak_rss_mb']:.0f} MB (limit 2048 MB)"
    )


if __name__ == "__main__":
    main()
