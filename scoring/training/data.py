"""Labelled corpora read from the shared data folder (not copied into the repo: tweet and SST licences)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "LABELS",
    "Corpus",
    "data_root",
    "load_customer_service",
    "load_sst2",
    "load_tweeteval_emotion",
    "load_tweeteval_sentiment",
    "split_indices",
]

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
NEG, NEU, POS = 0, 1, 2

_REPO_ROOT = Path(__file__).resolve().parents[2]
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Corpus:
    """Texts with labels 0 negative, 1 neutral, 2 positive; `classes` lists the labels it uses."""

    name: str
    texts: list[str]
    labels: np.ndarray
    classes: tuple[int, ...]

    def subset(self, idx: np.ndarray, name: str) -> Corpus:
        return Corpus(name, [self.texts[i] for i in idx], self.labels[idx], self.classes)


def data_root() -> Path:
    """../shared/data next to the repository (the loaders take another root as an argument)."""
    return _REPO_ROOT.parent / "shared" / "data"


def _clean_tweet(text: str) -> str:
    return _URL.sub("http", text.strip())


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load_tweeteval_sentiment(root: Path | None = None) -> Corpus:
    """TweetEval sentiment test set: 12,284 tweets, 3 classes."""
    base = (root or data_root()) / "sentiment" / "tweeteval" / "sentiment"
    texts = [_clean_tweet(t) for t in _read_lines(base / "test_text.txt")]
    labels = np.array([int(x) for x in _read_lines(base / "test_labels.txt")], dtype=np.int64)
    return Corpus("tweeteval-sentiment", texts, labels, (NEG, NEU, POS))


def load_tweeteval_emotion(root: Path | None = None) -> Corpus:
    """TweetEval emotion mapped to polarity: anger, sadness -> negative; joy, optimism -> positive."""
    base = (root or data_root()) / "sentiment" / "tweeteval" / "emotion"
    texts = [_clean_tweet(t) for t in _read_lines(base / "test_text.txt")]
    emo = [int(x) for x in _read_lines(base / "test_labels.txt")]
    labels = np.array([NEG if e in (0, 3) else POS for e in emo], dtype=np.int64)
    return Corpus("tweeteval-emotion(binary)", texts, labels, (NEG, POS))


def load_sst2(root: Path | None = None) -> Corpus:
    """SST-2 dev: 872 sentences, binary (0 negative -> 0, 1 positive -> 2)."""
    path = (root or data_root()) / "sentiment" / "sst2" / "dev.tsv"
    texts: list[str] = []
    labels: list[int] = []
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            texts.append(row[0].strip())
            labels.append(POS if int(row[1]) == 1 else NEG)
    return Corpus("sst2-dev", texts, np.array(labels, dtype=np.int64), (NEG, POS))


def load_customer_service(path: Path | None = None) -> Corpus:
    """Hand-written, hand-labelled customer-service utterances committed in the repo (TSV: label, text)."""
    path = path or Path(__file__).with_name("customer_service_sentiment.tsv")
    texts: list[str] = []
    labels: list[int] = []
    for line in _read_lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        texts.append(text.strip())
        labels.append(LABELS.index(label.strip()))
    return Corpus("customer-service(hand)", texts, np.array(labels, dtype=np.int64), (NEG, NEU, POS))


def split_indices(labels: np.ndarray, fractions: tuple[float, ...], seed: int) -> list[np.ndarray]:
    """Stratified split of range(len(labels)) into len(fractions) parts, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    parts: list[list[int]] = [[] for _ in fractions]
    for cls in np.unique(labels):
        idx = np.flatnonzero(labels == cls)
        rng.shuffle(idx)
        bounds = np.cumsum([0.0, *fractions]) * len(idx)
        for k in range(len(fractions)):
            parts[k].extend(idx[round(bounds[k]) : round(bounds[k + 1])].tolist())
    return [np.array(sorted(p), dtype=np.int64) for p in parts]
