"""The models a process needs, built from settings and loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
