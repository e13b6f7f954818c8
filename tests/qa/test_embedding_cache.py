"""Turn embeddings encoded ahead for many interactions serve the analysis exactly like fresh ones."""

from __future__ import annotations

import numpy as np

from qa.jobs.ml_models import EmbeddingCache


class CountingEncoder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), t.count("a")] for t in texts], dtype=np.float32)


def test_prewarmed_texts_are_not_encoded_again_and_misses_are() -> None:
    encoder = CountingEncoder()
    cache = EmbeddingCache()
    cache.prewarm(["hello", "bins", "hello"], encoder)  # type: ignore[arg-type]
    assert encoder.calls == [["hello", "bins"]]
    vectors = cache.encode(["bins", "pothole", "hello"], encoder)  # type: ignore[arg-type]
    assert encoder.calls[-1] == ["pothole"]
    assert vectors.tolist() == [[4, 0], [7, 0], [5, 0]]
    cache.encode(["bins"], encoder)  # type: ignore[arg-type]
    assert encoder.calls[-1] == ["bins"]  # each prewarmed vector serves once, so the cache cannot grow stale


def test_cache_is_cleared_rather_than_growing_past_its_size() -> None:
    encoder = CountingEncoder()
    cache = EmbeddingCache(max_entries=3)
    cache.prewarm(["a", "b"], encoder)  # type: ignore[arg-type]
    cache.prewarm(["c", "d"], encoder)  # type: ignore[arg-type]
    cache.encode(["a"], encoder)  # type: ignore[arg-type]
    assert encoder.calls[-1] == ["a"]  # cleared when c and d arrived
