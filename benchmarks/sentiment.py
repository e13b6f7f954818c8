"""Sentiment accuracy per backend and corpus, and sentiment + topic throughput on twenty-turn chats.

Accuracy: 3-class macro-F1 and accuracy of the embedded head, VADER (and a transformers model when
given) on the held-out splits of the training corpora and on corpora never used in training, in one run.
On binary corpora (SST-2, emotion mapped to polarity) macro-F1 averages negative and positive, and a
neutral answer counts as a miss.

Speed: chats/s for sentiment of every turn + the topic from the customer turns, each turn encoded once,
against a plain per-turn loop in the same process; then per-chat batches, batches across chats
(length-sorted), and the int8 encoder.

    .venv/bin/python benchmarks/sentiment.py [--chats 60] [--skip-accuracy] [--skip-speed]
        [--transformers-model FOLDER_OR_NAME --transformers-labels negative,neutral,positive]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.conversation import Turn  # noqa: E402
from scoring.embedding import TextEncoder  # noqa: E402
from scoring.sentiment import SENTIMENT_LABELS, EmbeddedSentiment, VaderSentiment, analyze_interactions  # noqa: E402
from scoring.topics import TopicClassifier, load_topics  # noqa: E402
from scoring.training.metrics import accuracy, macro_f1  # noqa: E402
from scoring.training.train_sentiment_head import load_splits  # noqa: E402


def _labels(results: list) -> np.ndarray:  # type: ignore[type-arg]
    return np.array([SENTIMENT_LABELS.index(r.label) for r in results], dtype=np.int64)


def run_accuracy(args: argparse.Namespace) -> None:
    splits = load_splits()
    head = EmbeddedSentiment(encoder=None)
    columns: list[tuple[str, Callable[[str, np.ndarray, list[str]], np.ndarray]]] = [
        ("embedded", lambda _n, emb, texts: _labels(head.score_embeddings(emb, texts)))
    ]
    if args.int8_accuracy:
        enc8 = TextEncoder(quantize=True)
        columns.append(
            ("embedded-int8", lambda _n, _e, texts: _labels(head.score_embeddings(enc8.encode(texts), texts)))
        )
    vader = VaderSentiment()
    columns.append(("vader", lambda _n, _e, texts: _labels(vader.score(texts))))
    if args.transformers_model:
        from scoring.sentiment import TransformersSentiment

        tf = TransformersSentiment(args.transformers_model, args.transformers_labels or None)
        columns.append(("transformers", lambda _n, _e, texts: _labels(tf.score(texts))))
    print("\n== Sentiment accuracy: macro-F1 / accuracy ==")
    header = f"{'corpus':<44}{'n':>6}" + "".join(f"{name:>22}" for name, _ in columns)
    print(header)
    for corpus, (emb, gold, classes) in splits.held_out.items():
        texts = splits.texts[corpus]
        cells = []
        for _name, predict in columns:
            pred = predict(corpus, emb, texts)
            cells.append(f"{macro_f1(gold, pred, classes):.3f} / {accuracy(gold, pred):.3f}")
        print(f"{corpus:<44}{len(gold):>6}" + "".join(f"{c:>22}" for c in cells))
    print("(embedded trained on:", ", ".join(head.head.meta["config"]["train_on"]) + ")")


def _sample_turns() -> list[tuple[str, str]]:
    """(speaker, text) of every sample chat turn; a few written lines when samples are absent."""
    from qa.ingestion.transcripts import SpeakerLabels, read_transcript_file

    out: list[tuple[str, str]] = []
    folder = ROOT / "samples" / "transcripts"
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        if path.with_suffix(".txt").exists():
            continue
        for conv in read_transcript_file(path, SpeakerLabels()):
            out += [(t.speaker, t.text) for t in conv.turns if t.speaker in ("agent", "customer")]
    return out or [("customer", "My trash was not picked up."), ("agent", "I'm sorry, let me check that.")]


def _chats(n: int) -> list[list[tuple[str, str]]]:
    turns = _sample_turns()
    rng = np.random.default_rng(7)
    return [[turns[int(i)] for i in rng.integers(0, len(turns), 20)] for _ in range(n)]


def _analyze_per_turn(
    chats: list[list[tuple[str, str]]], enc: TextEncoder, head: EmbeddedSentiment, topics: TopicClassifier
) -> None:
    for chat in chats:
        embs = []
        for _speaker, text in chat:
            emb = enc.encode([text])
            head.score_embeddings(emb, [text])
            embs.append(emb[0])
        cust = [i for i, (s, _t) in enumerate(chat) if s == "customer"]
        topics.classify([chat[i][1] for i in cust], np.array([embs[i] for i in cust]).reshape(len(cust), -1))


def _analyze_batch(
    chats: list[list[tuple[str, str]]], enc: TextEncoder, head: EmbeddedSentiment, topics: TopicClassifier
) -> None:
    interactions = [[Turn(speaker, text) for speaker, text in chat] for chat in chats]  # type: ignore[arg-type]
    analyze_interactions(interactions, backend=head, topics=topics, encoder=enc)


def _analyze_each(
    chats: list[list[tuple[str, str]]], encoder: TextEncoder, head: EmbeddedSentiment, topics: TopicClassifier
) -> None:
    """One batch per chat: the per-chat baseline of the batched path."""
    for chat in chats:
        _analyze_batch([chat], encoder, head, topics)


def _rate(fn: Callable[[], None], n_chats: int, repeat: int = 2) -> tuple[float, float]:
    """Best of `repeat` runs: chats per wall-clock second and per CPU-second of this process."""
    best = (0.0, 0.0)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        rate = (n_chats / (time.perf_counter() - wall), n_chats / max(1e-9, time.process_time() - cpu))
        best = (max(best[0], rate[0]), max(best[1], rate[1]))
    return best


def run_speed(args: argparse.Namespace) -> None:
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    chats = _chats(args.chats)
    baseline_chats = chats[: args.baseline_chats]
    print(f"\n== Sentiment + topic throughput: 20-turn chats/s (torch threads {torch.get_num_threads()}) ==")
    fp32 = TextEncoder()
    head = EmbeddedSentiment(fp32)
    topics = TopicClassifier(load_topics(), fp32)
    _analyze_batch(chats[:4], fp32, head, topics)  # warm-up
    base = _rate(lambda: _analyze_per_turn(baseline_chats, fp32, head, topics), len(baseline_chats))
    rows = [("plain per-turn loop (fp32)", base)]
    rows.append(
        (
            "per-chat batch (fp32)",
            _rate(lambda: _analyze_each(chats, fp32, head, topics), len(chats)),
        )
    )
    rows.append(
        (
            "all chats, length-sorted batches of 64 (fp32)",
            _rate(lambda: _analyze_batch(chats, fp32, head, topics), len(chats)),
        )
    )
    int8 = TextEncoder(quantize=True)
    head8, topics8 = EmbeddedSentiment(int8), TopicClassifier(load_topics(), int8)
    _analyze_batch(chats[:4], int8, head8, topics8)
    rows.append(
        (
            "per-turn loop (int8 encoder)",
            _rate(lambda: _analyze_per_turn(baseline_chats, int8, head8, topics8), len(baseline_chats)),
        )
    )
    rows.append(
        (
            "all chats, length-sorted batches of 64 (int8)",
            _rate(lambda: _analyze_batch(chats, int8, head8, topics8), len(chats)),
        )
    )
    print(f"{'':<50}{'chats/s':>9}{'ratio':>8}{'chats/CPU-s':>13}{'ratio':>8}")
    for label, (rate, cpu_rate) in rows:
        print(f"{label:<50}{rate:9.1f}{rate / base[0]:7.1f}x{cpu_rate:13.1f}{cpu_rate / base[1]:7.1f}x")
    print(
        f"({len(chats)} chats, baseline on {len(baseline_chats)}; "
        "other processes on the machine skew absolute figures)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--baseline-chats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's choice)")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--int8-accuracy", action="store_true", help="also score every corpus with the int8 encoder"
    )
    parser.add_argument("--transformers-model", default="")
    parser.add_argument("--transformers-labels", default="")
    args = parser.parse_args()
    if not args.skip_accuracy:
        run_accuracy(args)
    if not args.skip_speed:
        run_speed(args)


if __name__ == "__main__":
    main()
