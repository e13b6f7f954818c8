"""Any transformers sequence-classification model (folder or hub name) as a sentiment backend."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scoring.sentiment.base import (
    SENTIMENT_LABELS,
    SentimentLabel,
    SentimentResult,
    UnknownSentimentBackend,
    results_from_probs,
)

__all__ = ["LabelSpec", "TransformersSentiment", "resolve_label_mapping"]

# Ways to give the label mapping: "negative,neutral,positive" (per class id), a list of the same,
# or {"LABEL_0": "negative", "2": "positive", ...} keyed by the model's label name or class id.
LabelSpec = str | Sequence[str] | Mapping[str, str] | Mapping[int, str]

_NAME_HINTS: tuple[tuple[str, SentimentLabel], ...] = (
    (r"neg|bad|1 star|2 stars", "negative"),
    (r"neu|mixed|3 stars", "neutral"),
    (r"pos|good|4 stars|5 stars", "positive"),
)


def _as_sentiment_label(value: str) -> SentimentLabel:
    value = value.strip().lower()
    for label in SENTIMENT_LABELS:
        if value == label:
            return label
    raise UnknownSentimentBackend(f"label mapping target {value!r} is not negative, neutral or positive")


def resolve_label_mapping(id2label: Mapping[int, str], labels: LabelSpec | None) -> list[SentimentLabel]:
    """For each class id of the model, the sentiment label it stands for."""
    n = len(id2label)
    if labels is None:
        names = [str(id2label[i]).lower() for i in range(n)]
        out: list[SentimentLabel] = []
        for name in names:
            hit = next((lab for pattern, lab in _NAME_HINTS if re.search(pattern, name)), None)
            if hit is None:
                break
            out.append(hit)
        if len(out) == n:
            return out
        # Generic LABEL_i names: the common conventions for 2 and 3 classes.
        if n == 2:
            return ["negative", "positive"]
        if n == 3:
            return ["negative", "neutral", "positive"]
        raise UnknownSentimentBackend(f"cannot infer a sentiment mapping for labels {names}; configure one")
    if isinstance(labels, str):
        labels = [part for part in labels.split(",") if part.strip()]
    if isinstance(labels, Mapping):
        by_name = {str(k).lower(): _as_sentiment_label(str(v)) for k, v in labels.items()}
        mapped: list[SentimentLabel] = []
        for i in range(n):
            key_name, key_id = str(id2label[i]).lower(), str(i)
            if key_name in by_name:
                mapped.append(by_name[key_name])
            elif key_id in by_name:
                mapped.append(by_name[key_id])
            else:
                raise UnknownSentimentBackend(f"label mapping has no entry for class {i} ({id2label[i]!r})")
        return mapped
    seq = [_as_sentiment_label(str(v)) for v in labels]
    if len(seq) != n:
        raise UnknownSentimentBackend(f"label mapping has {len(seq)} entries, the model has {n} classes")
    return seq


class TransformersSentiment:
    """Softmax over the model's classes, summed into negative/neutral/positive; score = P(pos) - P(neg).

    For models without a neutral class, texts with |score| < neutral_band are labelled neutral.
    """

    name = "transformers"

    def __init__(
        self,
        model: str | Path,
        labels: LabelSpec | None = None,
        *,
        batch_size: int = 32,
        max_length: int = 256,
        neutral_band: float = 0.5,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.source = str(model)
        self._tokenizer: Any = AutoTokenizer.from_pretrained(self.source)
        self._model: Any = AutoModelForSequenceClassification.from_pretrained(self.source).eval()
        id2label = {int(k): str(v) for k, v in self._model.config.id2label.items()}
        self.class_labels = resolve_label_mapping(id2label, labels)
        self._has_neutral = "neutral" in self.class_labels
        self._to3 = np.zeros((len(self.class_labels), 3), dtype=np.float32)
        for i, lab in enumerate(self.class_labels):
            self._to3[i, SENTIMENT_LABELS.index(lab)] = 1.0
        self.batch_size = batch_size
        self.max_length = max_length
        self.neutral_band = neutral_band
        self._lock = threading.Lock()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities of negative, neutral, positive."""
        import torch

        n = len(texts)
        out = np.zeros((n, 3), dtype=np.float32)
        order = sorted(range(n), key=lambda i: len(texts[i]))
        with self._lock, torch.inference_mode():
            for lo in range(0, n, self.batch_size):
                idx = order[lo : lo + self.batch_size]
                batch = self._tokenizer(
                    [texts[i] or "." for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                logits = self._model(**batch).logits.float()
                probs = torch.softmax(logits, dim=-1).numpy()
                out[idx] = probs @ self._to3
        return out

    def score(self, texts: Sequence[str]) -> list[SentimentResult]:
        if not texts:
            return []
        probs = self.probabilities(texts)
        labels = probs.argmax(axis=1)
        if not self._has_neutral:
            labels = np.where(np.abs(probs[:, 2] - probs[:, 0]) < self.neutral_band, 1, labels)
        return results_from_probs(probs, labels)
