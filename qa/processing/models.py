"""The models a process needs, built from settings and loaded once per process."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.errors import CallcoachError
from scoring import rubric as rubric_lib
from scoring.embedding import TextEncoder, get_encoder
from scoring.sentiment import EmbeddedSentiment, SentimentBackend, get_sentiment_backend
from transcription import EMBEDDED_MODEL, EngineOptions


class RubricNotConfigured(CallcoachError):
    """No rubric file matches the interaction's channel or queue."""


def engine_options(settings: Settings) -> EngineOptions:
    """Transcription options from settings (hashable: they key the process-wide model cache)."""
    return EngineOptions(
        model=settings.whisper_model or EMBEDDED_MODEL,
        device=settings.whisper_device,
        compute_type=settings.whisper_compute_type,
        beam_size=settings.whisper_beam_size,
        cpu_threads=settings.whisper_threads,
        hotwords=tuple(w.strip() for w in settings.hotwords.split(",") if w.strip()),
        agent_channel=settings.agent_channel,
        hold_threshold_seconds=settings.hold_threshold_seconds,
        max_duration_seconds=settings.max_audio_seconds,
    )


@lru_cache(maxsize=8)
def _rubrics_in(
    folder: str, stamp: tuple[tuple[str, float], ...]
) -> dict[str, tuple[rubric_lib.Rubric, str]]:
    found: dict[str, tuple[rubric_lib.Rubric, str]] = {}
    for name, _mtime in stamp:
        path = Path(folder) / name
        rubric = rubric_lib.load_rubric(path)
        found[rubric.spec.id] = (rubric, path.read_text(encoding="utf-8"))
    return found


def rubrics(settings: Settings) -> dict[str, tuple[rubric_lib.Rubric, str]]:
    """Rubrics in the configured folder by id, with their file text; re-read when a file changes."""
    folder = settings.rubrics_dir.resolve()
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "topics.yaml")
    stamp = tuple((p.name, p.stat().st_mtime) for p in files)
    return _rubrics_in(str(folder), stamp)


def rubric_for(settings: Settings, channel: str, queue: str | None) -> tuple[rubric_lib.Rubric, str]:
    """The rubric configured for this queue, else for this channel."""
    available = rubrics(settings)
    wanted = settings.rubric_for_queue.get(queue or "") or settings.rubric_for_channel.get(channel)
    if wanted is None or wanted not in available:
        have = ", ".join(available) or "none"
        folder = settings.rubrics_dir
        raise RubricNotConfigured(f"no rubric '{wanted}' for channel {channel} in {folder} (have: {have})")
    return available[wanted]


def encoder(settings: Settings) -> TextEncoder:
    """The process-wide sentence encoder (int8 unless configured otherwise)."""
    return get_encoder(settings.encoder_model or None, quantize=settings.encoder_int8)


class EmbeddingCache:
    """Turn embeddings computed ahead in large batches (many interactions at once pad and batch better)."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def prewarm(self, texts: list[str], text_encoder: TextEncoder) -> None:
        """Encode these texts in one call and keep their vectors."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if not missing:
            return
        vectors = text_encoder.encode(missing)
        with self._lock:
            if len(self._vectors) + len(missing) > self.max_entries:
                self._vectors.clear()
            self._vectors.update(zip(missing, vectors, strict=True))

    def encode(self, texts: list[str], text_encoder: TextEncoder) -> np.ndarray:
        """Vectors of `texts`, from the cache where prewarmed (taken out: each is used once), else encoded."""
        with self._lock:
            found = [self._vectors.pop(t, None) for t in texts]
        missing = [t for t, v in zip(texts, found, strict=True) if v is None]
        if missing:
            fresh = iter(text_encoder.encode(missing))
            found = [v if v is not None else next(fresh) for v in found]
        return np.stack(found).astype(np.float32) if found else np.zeros((0, 384), dtype=np.float32)


embedding_cache = EmbeddingCache()


@lru_cache(maxsize=4)
def _embedded_sentiment(model: str, quantize: bool) -> EmbeddedSentiment:
    return EmbeddedSentiment(get_encoder(model or None, quantize=quantize))


def sentiment_backend(settings: Settings) -> SentimentBackend:
    """The configured sentiment backend; the embedded one shares the pipeline's encoder."""
    if settings.sentiment_backend == "embedded":
        return _embedded_sentiment(settings.encoder_model, settings.encoder_int8)
    return get_sentiment_backend(
        settings.sentiment_backend, settings.sentiment_model, settings.sentiment_labels
    )
