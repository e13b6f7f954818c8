"""The sentiment head: a small MLP (or linear layer) over frozen sentence embeddings, run in numpy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["LEXICON_SCALE", "SentimentHead", "default_head_path", "head_features", "lexicon_features"]

# VADER's four scores are appended to the 384 embedding dims, scaled so they weigh in at the input.
LEXICON_SCALE = 3.0
_analyzer: Any = None


def default_head_path() -> Path:
    """The committed head weights."""
    return Path(__file__).resolve().parents[1] / "models" / "sentiment_head.npz"


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """(n, 4) VADER compound, pos, neg, neu: lexical polarity and negation the frozen encoder misses."""
    global _analyzer
    if _analyzer is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _analyzer = SentimentIntensityAnalyzer()
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for i, text in enumerate(texts):
        d = _analyzer.polarity_scores(text)
        out[i] = (d["compound"], d["pos"], d["neg"], d["neu"])
    return out


def head_features(emb: np.ndarray, texts: Sequence[str], lexicon_scale: float = LEXICON_SCALE) -> np.ndarray:
    """The head's input: sentence embedding plus scaled lexicon scores."""
    if len(texts) != len(emb):
        raise ValueError(f"{len(emb)} embeddings but {len(texts)} texts")
    return np.hstack([emb.astype(np.float32, copy=False), lexicon_scale * lexicon_features(texts)])


@dataclass(slots=True)
class SentimentHead:
    """Logits = layers applied to the embedding, plus per-class offsets calibrated on validation data."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    class_offsets: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(self, features: np.ndarray) -> np.ndarray:
        h = features.astype(np.float32, copy=False)
        last = len(self.weights) - 1
        for k, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if k < last:
                h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h**3)))  # GELU (tanh form)
        return h

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, 3) softmax probabilities of negative, neutral, positive (uncalibrated)."""
        z = self.logits(features)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and labels (argmax after the calibrated offsets)."""
        probs = self.probabilities(features)
        labels = (np.log(probs + 1e-12) + self.class_offsets).argmax(axis=1)
        return probs, labels

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"class_offsets": self.class_offsets.astype(np.float32)}
        for k, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            arrays[f"w{k}"] = w.astype(np.float32)
            arrays[f"b{k}"] = b.astype(np.float32)
        arrays["meta"] = np.array(json.dumps(self.meta, sort_keys=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]  # stub types allow_pickle via **

    @classmethod
    def load(cls, path: Path | None = None) -> SentimentHead:
        with np.load(path or default_head_path(), allow_pickle=False) as data:
            n = sum(1 for key in data.files if key.startswith("w"))
            weights = [data[f"w{k}"] for k in range(n)]
            biases = [data[f"b{k}"] for k in range(n)]
            meta = json.loads(str(data["meta"])) if "meta" in data.files else {}
            return cls(weights, biases, data["class_offsets"], meta)
