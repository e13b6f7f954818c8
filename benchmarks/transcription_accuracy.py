"""Accuracy of the transcription pipeline on the sample calls against their dialogue scripts.

Prints, for stereo files and for mono mixdowns of the same calls:
- word error rate of the pipeline and of plain batched faster-whisper (same model and settings),
- the share of script turns whose start is matched by a transcript turn of the same speaker within 1 s,
- the share of recognised words attributed to the right speaker (by where the word sits in the
  script timeline; inside a scripted overlap either speaker counts as right).

Run: .venv/bin/python benchmarks/transcription_accuracy.py [samples/calls]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription import EngineOptions, Transcriber, Word, decode_channels, load_model  # noqa: E402
from transcription.audio import SAMPLE_RATE  # noqa: E402

AUDIO_SUFFIXES = (".flac", ".mp3", ".ogg", ".wav", ".m4a")
TURN_TOLERANCE_SECONDS = 1.0


def sample_calls(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """(audio path, script) for every call that has a <name>.script.json next to it."""
    calls = []
    for script_path in sorted(folder.glob("*.script.json")):
        stem = script_path.name[: -len(".script.json")]
        audio = [p for p in folder.glob(stem + ".*") if p.suffix in AUDIO_SUFFIXES]
        if audio:
            calls.append((audio[0], json.loads(script_path.read_text())))
    return calls


def write_mono_mixdown(path: Path, target: Path) -> None:
    """Average the two channels into a 16 kHz mono WAV, as a mono recording would carry them."""
    channels = decode_channels(path)
    mono = np.mean(channels, axis=0)
    pcm = (np.clip(mono, -1, 1) * 32767).astype(np.int16)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())


def normalise(text: str) -> list[str]:
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^a-z0-9' ]", " ", text)
    return text.split()


def words_of(turns: list[dict[str, Any]]) -> list[str]:
    return [word for t in turns for word in normalise(t["text"])]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def plain_text(audio: np.ndarray, options: EngineOptions) -> str:
    """Plain batched faster-whisper: same model, beam, VAD and batch size; text only."""
    from faster_whisper import BatchedInferencePipeline

    model = load_model(options.model, options.device, options.compute_type, options.cpu_threads)
    segments, _ = BatchedInferencePipeline(model).transcribe(
        audio,
        language=options.language,
        beam_size=options.beam_size,
        batch_size=options.batch_size,
        vad_filter=True,
        condition_on_previous_text=False,
    )
    return " ".join(s.text for s in segments)


def attribution(words: list[Word], turns: list[dict[str, Any]]) -> tuple[int, int]:
    """(correct, total) speaker labels, judged by the script turn at each word's midpoint."""
    correct = 0
    for w in words:
        middle = (w.start + w.end) / 2
        covering = {t["speaker"] for t in turns if t["start"] - 0.25 <= middle <= t["end"] + 0.25}
        if not covering:
            nearest = min(turns, key=lambda t: min(abs(t["start"] - middle), abs(t["end"] - middle)))
            covering = {nearest["speaker"]}
        correct += w.speaker in covering
    return correct, len(words)


def turn_starts(predicted: list[tuple[str, float]], turns: list[dict[str, Any]]) -> tuple[int, int]:
    hits = sum(
        any(s == t["speaker"] and abs(start - t["start"]) <= TURN_TOLERANCE_SECONDS for s, start in predicted)
        for t in turns
    )
    return hits, len(turns)


def main(folder: Path) -> None:
    options = EngineOptions()
    transcriber = Transcriber(options)
    calls = sample_calls(folder)
    if not calls:
        raise SystemExit(f"no sample calls with scripts in {folder}")
    totals: dict[str, list[int]] = {}

    def add(key: str, value: tuple[int, int]) -> None:
        acc = totals.setdefault(key, [0, 0])
        acc[0] += value[0]
        acc[1] += value[1]

    with tempfile.TemporaryDirectory() as tmp:
        for path, script in calls:
            turns = script["turns"]
            ref = {s: words_of([t for t in turns if t["speaker"] == s]) for s in ("agent", "customer")}
            ref_all = words_of(turns)
            # stereo
            result = transcriber.transcribe(path)
            words = result.words
            for s in ("agent", "customer"):
                hyp = normalise(" ".join(w.text for w in words if w.speaker == s))
                add("stereo_wer_pipeline", (edit_distance(ref[s], hyp), len(ref[s])))
            left, right = decode_channels(path)
            for s, audio in (("agent", left), ("customer", right)):
                add(
                    "stereo_wer_plain",
                    (edit_distance(ref[s], normalise(plain_text(audio, options))), len(ref[s])),
                )
            add("stereo_turn_starts", turn_starts([(t.speaker, t.start) for t in result.turns], turns))
            add("stereo_attribution", attribution(words, turns))
            # mono mixdown
            mono_path = Path(tmp) / (path.stem + ".mono.wav")
            write_mono_mixdown(path, mono_path)
            mono = transcriber.transcribe(mono_path)
            mono_words = mono.words
            hyp_all = normalise(" ".join(w.text for w in sorted(mono_words, key=lambda w: w.start)))
            add("mono_wer_pipeline", (edit_distance(ref_all, hyp_all), len(ref_all)))
            plain = plain_text(decode_channels(mono_path)[0], options)
            add("mono_wer_plain", (edit_distance(ref_all, normalise(plain)), len(ref_all)))
            add("mono_turn_starts", turn_starts([(t.speaker, t.start) for t in mono.turns], turns))
            a_ok, a_n = attribution(mono_words, turns)
            add("mono_attribution", (a_ok, a_n))
            share = a_ok / max(a_n, 1)
            print(f"{path.name:40s} mono attribution {share:6.1%}  turns {len(result.turns)}/{len(turns)}")
    print()
    print(f"calls: {len(calls)} (model {options.model}, {options.compute_type}, beam {options.beam_size})")
    for key, (num, den) in totals.items():
        print(f"{key:24s} {num / max(den, 1):7.1%}   ({num}/{den})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples" / "calls")
