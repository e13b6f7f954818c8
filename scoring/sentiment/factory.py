"""Choose a sentiment backend by name, as configuration gives it; one instance per process and settings."""

from __future__ import annotations

import threading

from scoring.sentiment.base import SentimentBackend, UnknownSentimentBackend
from scoring.sentiment.hf import LabelSpec

__all__ = ["BACKEND_NAMES", "get_sentiment_backend"]

BACKEND_NAMES = ("embedded", "transformers", "vader")

_cache: dict[tuple[str, str | None, str, str | None], SentimentBackend] = {}
_lock = threading.Lock()


def get_sentiment_backend(
    name: str, model: str | None = None, labels: LabelSpec | None = None, *, encoder: str | None = None
) -> SentimentBackend:
    """name: "embedded" (model = head .npz path, default the committed head; encoder = encoder folder or
    name for get_encoder), "transformers" (model = folder or hub name, labels = mapping of its classes,
    e.g. "negative,neutral,positive"), or "vader". Empty strings mean "not set"."""
    model = model or None
    encoder = encoder or None
    if isinstance(labels, str) and not labels.strip():
        labels = None
    key = (name, model, repr(labels), encoder)
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            backend = _build(name, model, labels, encoder)
            _cache[key] = backend
        return backend


def _build(name: str, model: str | None, labels: LabelSpec | None, encoder: str | None) -> SentimentBackend:
    if name == "embedded":
        from pathlib import Path

        from scoring.embedding import get_encoder
        from scoring.sentiment.embedded import EmbeddedSentiment

        return EmbeddedSentiment(get_encoder(encoder), head_path=Path(model) if model else None)
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
