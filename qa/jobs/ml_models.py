"""The models a process needs, built from settings and loaded once per process."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import Settings
from qa.errors import CallcoachError
from scoring import rubric as rubric_lib
from scoring.embedding import TextEncoder, get_encoder
from scoring.sentiment import EmbeddedSentiment, SentimentBackend, get_sentiment_backend
from scoring.shipped import SHIPPED_TOPICS_FILE
from scoring.topics import TopicClassifier, get_topic_classifier
from transcription import EMBEDDED_MODEL, EngineOptions


class RubricNotConfigured(CallcoachError):
    """No rubric file matches the interaction's channel or queue."""


def engine_options(settings: Settings) -> EngineOptions:
    """Transcription options from settings (hashable: they key the process-wide model cache).

    Whisper settings left unset keep the library's defaults."""
    whisper: dict[str, Any] = {
        "device": settings.whisper_device,
        "compute_type": settings.whisper_compute_type,
        "beam_size": settings.whisper_beam_size,
        "cpu_threads": settings.whisper_threads,
    }
    return EngineOptions(
        model=settings.whisper_model or EMBEDDED_MODEL,
        **{name: value for name, value in whisper.items() if value is not None},
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


def rubrics_folder(settings: Settings) -> Path:
    """The configured rubrics folder, else the one shipped with Callcoach."""
    return (settings.rubrics_dir or rubric_lib.rubrics_dir()).resolve()


def topics_file(settings: Settings) -> Path:
    """The configured topics file, else topics.yaml in the rubrics folder, else the shipped one."""
    if settings.topics_file is not None:
        return settings.topics_file.resolve()
    beside = rubrics_folder(settings) / "topics.yaml"
    return beside if beside.is_file() else SHIPPED_TOPICS_FILE


def rubric_paths(settings: Settings) -> list[Path]:
    """The rubric files of the configured folder (topics.yaml and other data left out)."""
    return rubric_lib.shipped_rubric_paths(rubrics_folder(settings))


def rubrics(settings: Settings) -> dict[str, tuple[rubric_lib.Rubric, str]]:
    """Rubrics in the configured folder by id, with their file text; re-read when a file changes."""
    files = rubric_paths(settings)
    stamp = tuple((p.name, p.stat().st_mtime) for p in files)
    return _rubrics_in(str(rubrics_folder(settings)), stamp)


def rubric_named(settings: Settings, rubric_id: str) -> tuple[rubric_lib.Rubric, str]:
    """The rubric with this id in the configured folder."""
    available = rubrics(settings)
    if rubric_id not in available:
        have = ", ".join(available) or "none"
        raise RubricNotConfigured(f"no rubric '{rubric_id}' in {rubrics_folder(settings)} (have: {have})")
    return available[rubric_id]


def rubric_for(settings: Settings, channel: str, queue: str | None) -> tuple[rubric_lib.Rubric, str]:
    """The rubric configured for this queue, else for this channel."""
    wanted = settings.rubric_for_queue.get(queue or "") or settings.rubric_for_channel.get(channel)
    if wanted is None:
        raise RubricNotConfigured(f"no rubric configured for channel {channel}")
    try:
        return rubric_named(settings, wanted)
    except RubricNotConfigured as exc:
        raise RubricNotConfigured(f"{exc} for channel {channel}") from None


def rubric_targets(settings: Settings, rubric_id: str) -> tuple[list[str], list[str]]:
    """The channels and queues configured to be scored with this rubric."""
    channels = [channel for channel, wanted in settings.rubric_for_channel.items() if wanted == rubric_id]
    queues = [queue for queue, wanted in settings.rubric_for_queue.items() if wanted == rubric_id]
    return channels, queues


def encoder(settings: Settings) -> TextEncoder:
    """The process-wide sentence encoder as configured (int8 by default), for scoring and rubric tests."""
    return get_encoder(
        settings.encoder_model or None,
        quantize=settings.encoder_int8,
        num_threads=settings.torch_threads or None,
    )


def rubric_encoder(settings: Settings, rubric: rubric_lib.Rubric) -> TextEncoder | None:
    """The encoder for a rubric with semantic detectors; None (no model loaded) for one without."""
    return encoder(settings) if rubric_lib.needs_embeddings(rubric) else None


def topic_classifier(settings: Settings) -> TopicClassifier:
    """The process-wide topic classifier for the configured topics file and encoder."""
    return get_topic_classifier(topics_file(settings), encoder=encoder(settings))


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
        return (
            np.stack([v for v in found if v is not None]).astype(np.float32)
            if found
            else np.zeros((0, 384), dtype=np.float32)
        )


embedding_cache = EmbeddingCache()


@lru_cache(maxsize=4)
def _embedded_sentiment(text_encoder: TextEncoder, head: str) -> EmbeddedSentiment:
    return EmbeddedSentiment(text_encoder, head_path=Path(head) if head else None)


def sentiment_backend(
    settings: Settings, name: str | None = None, model: str | None = None, labels: str | None = None
) -> SentimentBackend:
    """The configured sentiment backend, or `name` with its own model and labels; the embedded one shares the
    pipeline's encoder (model: its head weights file)."""
    if name is None or name == settings.sentiment_backend:
        name = settings.sentiment_backend
        model = settings.sentiment_model if model is None else model
        labels = settings.sentiment_labels if labels is None else labels
    if name == "embedded":
        return _embedded_sentiment(encoder(settings), model or "")
    return get_sentiment_backend(name, model, labels)
