"""Choose a sentiment backend by name, as configuration gives it; one instance per process and settings."""

from __future__ import annotations

import threading

from scoring.sentiment.base import SentimentBackend, UnknownSentimentBackend
from scoring.sentiment.hf import LabelSpec

__all__ = ["BACKEND_NAMES", "get_sentiment_backend"]

BACKEND_NAMES = ("embedded", "transformers", "vader")

_cache: dict[tuple[str, str | None, str], SentimentBackend] = {}
_lock = threading.Lock()


def get_sentiment_backend(
    name: str, model: str | None = None, labels: LabelSpec | None = None
) -> SentimentBackend:
    """name: "embedded" (model = head .npz path, optional), "transformers" (model = folder or hub name,
    labels = mapping of its classes), or "vader"."""
    key = (name, model, repr(labels))
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            backend = _build(name, model, labels)
            _cache[key] = backend
        return backend


def _build(name: str, model: str | None, labels: LabelSpec | None) -> SentimentBackend:
    if name == "embedded":
        from pathlib import Path

        from scoring.sentiment.embedded import EmbeddedSentiment

        return EmbeddedSentiment(head_path=Path(model) if model else None)
    if name == "transformers":
        from scoring.sentiment.hf import TransformersSentiment

        if not model:
            raise UnknownSentimentBackend("the transformers backend needs a model folder or hub name")
        return TransformersSentiment(model, labels)
    if name == "vader":
        from scoring.sentiment.vader import VaderSentiment

        return VaderSentiment()
    raise UnknownSentimentBackend(
        f"unknown sentiment backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}"
    )
