"""Topic (contact driver) accuracy on the sample interactions, plus customer start/end sentiment agreement.

Reads samples/labels.json ({external_id: {"topic", "customer_mood_start", "customer_mood_end"}}), the chat and
email transcripts in samples/transcripts/ and the call scripts (reference transcripts) in samples/calls/.

Then the topic of the calls as tiny.en heard them (benchmarks/data/sample_calls_recognised.json, refreshed by
--retranscribe), with the shipped catalog and with the catalog plus the recognised renderings of its examples
(benchmarks/data/topics.recognised.json, from scripts/recognise_topic_examples.py; not shipped, because it did
not help, see docs/sentiment.md), in one run. The sample calls are never used to build the catalog.

    .venv/bin/python benchmarks/topics.py [--verbose] [--retranscribe]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.conversation import Turn, UnclearWord  # noqa: E402
from scoring.embedding import TextEncoder, get_encoder  # noqa: E402
from scoring.sentiment import (  # noqa: E402
    NEUTRAL_BAND,
    EmbeddedSentiment,
    VaderSentiment,
    mood,
    summarize_sentiment,
)
from scoring.topics import (  # noqa: E402
    TopicClassifier,
    default_topics_path,
    get_topic_classifier,
    load_topics,
    recognised_examples_path,
)

RECOGNISED = ROOT / "benchmarks" / "data" / "sample_calls_recognised.json"
RECOGNISED_EXAMPLES = ROOT / "benchmarks" / "data" / "topics.recognised.json"


def load_samples(samples: Path) -> dict[str, tuple[list[Turn], str | None]]:
    """external_id -> (turns, queue) for every sample chat, email and call script."""
    from qa.ingestion.transcripts import SpeakerLabels, read_transcript_file

    out: dict[str, tuple[list[Turn], str | None]] = {}
    for path in sorted((samples / "transcripts").iterdir()):
        if path.suffix == ".json" and path.with_suffix(".txt").exists():
            continue  # metadata sidecar of a .txt transcript
        for conv in read_transcript_file(path, SpeakerLabels()):
            turns = [Turn(t.speaker, t.text, t.start, t.end) for t in conv.turns]  # type: ignore[arg-type]
            out[conv.metadata.external_id or path.stem] = (turns, getattr(conv.metadata, "queue", None))
    for script in sorted((samples / "calls").glob("*.script.json")):
        meta = json.loads(script.with_name(script.name.replace(".script.json", ".json")).read_text())
        turns = [
            Turn(t["speaker"], t["text"], t["start"], t["end"])
            for t in json.loads(script.read_text())["turns"]
        ]
        out[meta["external_id"]] = (turns, meta.get("queue"))
    return out


def _mood(score: float | None, band: float) -> str:
    return "neutral" if score is None else mood(score, band)


def retranscribe(samples: Path, out: Path) -> None:
    """Transcribe every sample call with the default engine and write the cache the audio figures read."""
    from transcription import transcribe_file

    calls: dict[str, list[dict[str, object]]] = {}
    for path in sorted((samples / "calls").iterdir()):
        if path.suffix not in {".flac", ".mp3", ".ogg", ".wav"}:
            continue
        external_id = json.loads(path.with_suffix(".json").read_text())["external_id"]
        print(f"transcribing {path.name}", flush=True)
        calls[external_id] = [
            {
                "speaker": t.speaker,
                "start": round(t.start, 2),
                "end": round(t.end, 2),
                "text": t.text,
                "confidence": round(t.confidence, 3),
                "words": [[w.text.strip(), round(w.probability, 3)] for w in t.words],
            }
            for t in transcribe_file(path).turns
        ]
    about = "tiny.en transcripts of samples/calls (benchmarks/topics.py --retranscribe); words: [text, p]"
    lines = [f'{{"about":{json.dumps(about)},"calls":{{']
    lines += [f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}," for k, v in calls.items()]
    lines[-1] = lines[-1].rstrip(",")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join([*lines, "}}"]) + "\n", encoding="utf-8")


def load_recognised(path: Path, unclear_below: float) -> dict[str, list[Turn]]:
    """external_id -> the call's recognised turns, words under `unclear_below` probability marked unclear."""
    calls = json.loads(path.read_text(encoding="utf-8"))["calls"]
    return {
        eid: [
            Turn(
                t["speaker"],
                t["text"],
                t["start"],
                t["end"],
                confidence=t["confidence"],
                unclear_words=tuple(UnclearWord(w, p) for w, p in t["words"] if p < unclear_below),
            )
            for t in turns
        ]
        for eid, turns in calls.items()
    }


def topic_accuracy(
    convs: dict[str, list[Turn]], labels: dict[str, dict[str, str]], clf: TopicClassifier, enc: TextEncoder
) -> tuple[int, list[str]]:
    """Hits and the misses (as lines) of the topic from the customer turns."""
    hits, misses = 0, []
    for eid, turns in sorted(convs.items()):
        texts = [t.text for t in turns if t.speaker == "customer"]
        result = clf.classify(texts, enc.encode(texts))
        gold = labels[eid]["topic"]
        hits += result.topic == gold
        if result.topic != gold:
            misses.append(f"{eid}: {gold} -> {result.topic} ({result.confidence:.2f})")
    return hits, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument(
        "--mood-band", type=float, default=NEUTRAL_BAND, help="|mean score| below this is neutral"
    )
    parser.add_argument("--recognised", type=Path, default=RECOGNISED, help="cached transcripts of the calls")
    parser.add_argument("--retranscribe", action="store_true", help="transcribe the sample calls again first")
    parser.add_argument(
        "--unclear-below", type=float, default=0.5, help="word probability counted as unclear"
    )
    parser.add_argument("--int8", action="store_true", help="int8-quantised encoder")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.retranscribe:
        retranscribe(args.samples, args.recognised)
    labels = json.loads((args.samples / "labels.json").read_text())
    convs = load_samples(args.samples)
    enc = get_encoder(quantize=args.int8)
    classifier = get_topic_classifier(encoder=enc)
    backends: dict[str, EmbeddedSentiment | VaderSentiment] = {
        "embedded": EmbeddedSentiment(enc),
        "vader": VaderSentiment(),
    }
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

    heard = load_recognised(args.recognised, args.unclear_below)
    exact = {eid: convs[eid][0] for eid in heard}
    shipped = load_topics()
    with tempfile.TemporaryDirectory() as tmp:
        topics = Path(tmp) / "topics.yaml"
        shutil.copy(default_topics_path(), topics)
        shutil.copy(RECOGNISED_EXAMPLES, recognised_examples_path(topics))
        with_recognised = load_topics(topics)
    print(f"\n== Topic from the {len(heard)} sample calls: exact script vs as tiny.en heard them ==")
    for name, catalog in (("shipped catalog", shipped), ("+ recognised examples", with_recognised)):
        clf = TopicClassifier(catalog, enc)
        for source, calls in (("exact script", exact), ("recognised", heard)):
            hits, misses = topic_accuracy(calls, labels, clf, enc)
            print(f"{name:<30}{source:<14}{hits}/{len(calls)} = {hits / len(calls):.3f}")
            for line in misses:
                print("    miss", line)


if __name__ == "__main__":
    main()
