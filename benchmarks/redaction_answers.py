"""Audio redaction of the sample calls as Callcoach does it (entity spans plus the whole answer to a request
for protected data, `answer_spans`), against the entity spans alone (baseline), measured in the same run.

Per call: the recognised transcript (`samples/redaction/calls/*.transcript.json`), the labels' true time
spans; a label counts as redacted when its speaker's channel is silent from 0.3 s after it starts to 0.3 s
before it ends. The cost: the share of each channel's audio that is blanked.

    PYTHONPATH=. python benchmarks/redaction_answers.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redaction import CHANNEL_OF, SILENT, TOLERANCE  # noqa: E402 - benchmarks/redaction.py's criterion

from transcription import decode_channels  # noqa: E402
from transcription.audio import SAMPLE_RATE  # noqa: E402
from transcription.redaction import (  # noqa: E402
    AudioSpan,
    answer_spans,
    audio_spans,
    detect,
    redact_audio,
    turns_from_dict,
)

CALLS = ROOT / "samples" / "redaction" / "calls"


def measure(with_answers: bool) -> tuple[Counter[str], Counter[str], float]:
    found: Counter[str] = Counter()
    labels_by_type: Counter[str] = Counter()
    blanked = total = 0.0
    for labels_path in sorted(CALLS.glob("*.labels.json")):
        name = labels_path.name[: -len(".labels.json")]
        labels = json.loads(labels_path.read_text())["entities"]
        turns = turns_from_dict(json.loads((CALLS / f"{name}.transcript.json").read_text()))
        spans: list[AudioSpan] = audio_spans(turns, detect(turns))
        if with_answers:
            spans += answer_spans(turns)
        channels = decode_channels(CALLS / f"{name}.ogg")
        redacted = redact_audio(channels, SAMPLE_RATE, spans, speaker_channels=CHANNEL_OF)
        for before, after in zip(channels, redacted, strict=True):
            blanked += float(np.sum((after == 0) & (before != 0)))
            total += len(before)
        for label in labels:
            labels_by_type[label["type"]] += 1
            a = int((label["start"] + TOLERANCE) * SAMPLE_RATE)
            b = int((label["end"] - TOLERANCE) * SAMPLE_RATE)
            channel = redacted[CHANNEL_OF[label["speaker"]]]
            if b <= a or float(np.max(np.abs(channel[a:b]))) < SILENT:
                found[label["type"]] += 1
    return found, labels_by_type, blanked / total


def main() -> None:
    base, labels, base_cost = measure(with_answers=False)
    product, _, cost = measure(with_answers=True)
    print(f"audio recall on {sum(labels.values())} labels of {len(list(CALLS.glob('*.labels.json')))} calls")
    print(f"{'type':<8} {'labels':>6} {'entity spans':>13} {'+ answers':>10}")
    for kind in sorted(labels):
        n = labels[kind]
        print(f"{kind:<8} {n:>6} {base[kind] / n:>13.0%} {product[kind] / n:>10.0%}")
    b, p = sum(base.values()), sum(product.values())
    n = sum(labels.values())
    print(f"{'all':<8} {n:>6} {b / n:>13.0%} {p / n:>10.0%}   ratio {p / b:.2f}x")
    print(f"audio blanked: {base_cost:.1%} -> {cost:.1%} of the samples (ratio {cost / base_cost:.2f}x)")


if __name__ == "__main__":
    main()
