"""Topic (contact driver) accuracy on the sample interactions, plus customer start/end sentiment agreement.

Reads samples/labels.json ({external_id: {"topic", "customer_mood_start", "customer_mood_end"}}), the chat and
email transcripts in samples/transcripts/ and the call scripts (reference transcripts) in samples/calls/.

    .venv/bin/python benchmarks/topics.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.conversation import Turn  # noqa: E402
from scoring.embedding import get_encoder  # noqa: E402
from scoring.sentiment import EmbeddedSentiment, VaderSentiment, summarize_sentiment  # noqa: E402
from scoring.topics import get_topic_classifier  # noqa: E402


def load_samples(samples: Path) -> dict[str, tuple[list[Turn], str | None]]:
    """external_id -> (turns, queue) for every sample chat, email and call script."""
    from qa.ingestion.transcripts import SpeakerLabels, read_transcript_file

    out: dict[str, tuple[list[Turn], str | None]] = {}
    for path in sorted((samples / "transcripts").iterdir()):
        if path.suffix == ".json" and path.with_suffix(".txt").exists():
            continue  # metadata sidecar of a .txt transcript
        for conv in read_transcript_file(path, SpeakerLabels()):
            turns = [Turn(t.speaker, t.text, t.start, t.end) for t in conv.turns]  # type: ignore[arg-type]
            out[conv.metadata.external_id] = (turns, getattr(conv.metadata, "queue", None))
    for script in sorted((samples / "calls").glob("*.script.json")):
        meta = json.loads(script.with_name(script.name.replace(".script.json", ".json")).read_text())
        turns = [
            Turn(t["speaker"], t["text"], t["start"], t["end"])
            for t in json.loads(script.read_text())["turns"]
        ]
        out[meta["external_id"]] = (turns, meta.get("queue"))
    return out


def _mood(score: float | None, band: float) -> str:
    if score is None:
        return "neutral"
    return "positive" if score >= band else "negative" if score <= -band else "neutral"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--mood-band", type=float, default=0.25, help="|mean score| below this is neutral")
    parser.add_argument("--int8", action="store_true", help="int8-quantised encoder")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    labels = json.loads((args.samples / "labels.json").read_text())
    convs = load_samples(args.samples)
    enc = get_encoder(quantize=args.int8)
    classifier = get_topic_classifier(encoder=enc)
    backends = {"embedded": EmbeddedSentiment(enc), "vader": VaderSentiment()}
    topic_hits = queue_hits = n = 0
    mood_hits: Counter[str] = Counter()
    confusions: list[str] = []
    for eid, gold in sorted(labels.items()):
        if eid not in convs:
            print(f"missing transcript for {eid}")
            continue
        turns, queue = convs[eid]
        n += 1
        idx = [i for i, t in enumerate(turns) if t.speaker == "customer"]
        texts = [turns[i].text for i in idx]
        all_emb = enc.encode([t.text for t in turns])  # each turn encoded once, shared by topic and sentiment
        result = classifier.classify(texts, all_emb[idx])
        topic_hits += result.topic == gold["topic"]
        queue_hits += queue == gold["topic"]
        if result.topic != gold["topic"]:
            confusions.append(f"{eid}: {gold['topic']} -> {result.topic} ({result.confidence:.2f})")
        for name, backend in backends.items():
            if isinstance(backend, EmbeddedSentiment):
                scores = [r.score for r in backend.score_embeddings(all_emb, [t.text for t in turns])]
            else:
                scores = [r.score for r in backend.score([t.text for t in turns])]
            summary = summarize_sentiment(turns, scores)
            start, end = (
                _mood(summary.customer.start, args.mood_band),
                _mood(summary.customer.end, args.mood_band),
            )
            mood_hits[f"{name} start"] += start == gold.get("customer_mood_start")
            mood_hits[f"{name} end"] += end == gold.get("customer_mood_end")
            if args.verbose and name == "embedded":
                print(
                    eid,
                    "mood",
                    gold.get("customer_mood_start"),
                    gold.get("customer_mood_end"),
                    "->",
                    start,
                    end,
                )
    print(f"\n== Topic accuracy on {n} sample interactions ==")
    print(f"topic from customer turns: {topic_hits}/{n} = {topic_hits / n:.3f}")
    print(f"queue from metadata (some misrouted on purpose): {queue_hits}/{n} = {queue_hits / n:.3f}")
    for line in confusions:
        print("  miss", line)
    print(f"\n== Customer mood (start / end third) vs labels, band +-{args.mood_band} ==")
    for key, hits in sorted(mood_hits.items()):
        print(f"{key:<18}{hits}/{n} = {hits / n:.3f}")


if __name__ == "__main__":
    main()
