"""Speak each topic example with espeak-ng over a telephone band, recognise it with tiny.en, cache the text.

REQUIRES espeak-ng and sox (apt-get install -y espeak-ng sox). Run from the repository root:

    .venv/bin/python scripts/recognise_topic_examples.py [--topics rubrics/topics.yaml] [--out FILE]

Writes `<topics>.recognised.json` next to the topics file (or --out): for every example, what the recogniser
heard in each voice. scoring.topics adds those renderings as extra prototypes, so recognised calls, with their
misheard words, are compared with examples that went through the same noise. The voices are espeak voices the
sample calls do not use, so the sample calls stay a held-out check. Deterministic for a given espeak-ng, sox
and model. Each voice speaks all examples in one recording, a second of silence apart, recognised in one pass
(as a call would be); each word goes to the example whose time span holds its midpoint.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import wave
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from render import SAMPLE_RATE, Voice, require_tools, synthesise  # noqa: E402

from scoring.topics import load_topics, recognised_examples_path  # noqa: E402
from transcription import EngineOptions, SpeechRecognizer, decode_channels  # noqa: E402

# Customer-like voices the sample calls do not use (they use en-us +m1 +m2 +f2 +f5, en-029+m4, en-gb-x-rp+m2).
VOICES = (
    Voice("en-us+m4", pitch=45, speed=160),
    Voice("en-us+f1", pitch=55, speed=165),
    Voice("en-gb-x-rp+m3", pitch=45, speed=155),
    Voice("en-029+f3", pitch=55, speed=175),
)


def recognise(texts: list[str], voices: tuple[Voice, ...]) -> dict[str, list[str]]:
    """text -> what tiny.en heard, one entry per voice (empty string when it heard nothing)."""
    recognizer = SpeechRecognizer(EngineOptions(cpu_threads=1))
    out: dict[str, list[str]] = {text: [] for text in texts}
    gap = array("h", bytes(2 * SAMPLE_RATE))  # one second of silence between examples
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for voice in voices:
            audio = array("h", bytes(SAMPLE_RATE // 2))
            spans: list[tuple[float, float]] = []
            for text in texts:
                samples = synthesise(text, voice, work)
                spans.append((len(audio) / SAMPLE_RATE, (len(audio) + len(samples)) / SAMPLE_RATE))
                audio.extend(samples)
                audio.extend(gap)
            clip = work / "voice.wav"
            with wave.open(str(clip), "wb") as fh:
                fh.setnchannels(1)
                fh.setsampwidth(2)
                fh.setframerate(SAMPLE_RATE)
                fh.writeframes(audio.tobytes())
            (words,) = recognizer.recognize(decode_channels(clip))
            heard: list[list[str]] = [[] for _ in texts]
            for word in words:
                mid = (word.start + word.end) / 2
                k = min(
                    range(len(spans)),
                    key=lambda i: (
                        0
                        if spans[i][0] <= mid <= spans[i][1]
                        else min(abs(mid - spans[i][0]), abs(mid - spans[i][1]))
                    ),
                )
                heard[k].append(word.text.strip())
            for text, got in zip(texts, heard, strict=True):
                out[text].append(" ".join(got))
            print(f"{voice.voice}: {len(words)} words", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--topics", type=Path, default=ROOT / "rubrics" / "topics.yaml")
    parser.add_argument("--out", type=Path, default=None, help="default: <topics>.recognised.json")
    args = parser.parse_args()
    require_tools("espeak-ng", "sox")
    catalog = load_topics(args.topics)
    texts = list(dict.fromkeys(e for topic in catalog.topics for e in topic.examples))
    heard = recognise(texts, VOICES)
    doc = {
        "about": "tiny.en transcripts of the topic examples spoken by espeak-ng over a telephone band; "
        "written by scripts/recognise_topic_examples.py",
        "voices": [v.voice for v in VOICES],
        "examples": heard,
    }
    out = args.out or recognised_examples_path(args.topics)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
