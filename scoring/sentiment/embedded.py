"""The default backend: the shared MiniLM encoder plus the committed sentiment head."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scoring.embedding import TextEncoder, get_encoder
from scoring.sentiment.base import SentimentResult, results_from_probs
from scoring.sentiment.head import SentimentHead, head_features

__all__ = ["EmbeddedSentiment"]


class EmbeddedSentiment:
    """score(texts) encodes then classifies; score_embeddings reuses embeddings computed elsewhere."""

    name = "embedded"

    def __init__(self, encoder: TextEncoder | None = None, head_path: Path | None = None) -> None:
        self._encoder = encoder
        self.head = SentimentHead.load(head_path)

    @property
    def encoder(self) -> TextEncoder:
        if self._encoder is None:
            self._encoder = get_encoder()
        return self._encoder

    def score(self, texts: Sequence[str]) -> list[SentimentResult]:
        if not texts:
            return []
        return self.score_embeddings(self.encoder.encode(texts), texts)

    def score_embeddings(self, embeddings: np.ndarray, texts: Sequence[str]) -> list[SentimentResult]:
        """Results for texts whose encoder embeddings (n, 384) are known; the head also reads the text."""
        if len(texts) == 0:
            return []
        probs, labels = self.head.predict(head_features(embeddings, texts, self.lexicon_scale))
        return results_from_probs(probs, labels)

    @property
    def lexicon_scale(self) -> float:
        return float(self.head.meta.get("lexicon_scale", 3.0))
