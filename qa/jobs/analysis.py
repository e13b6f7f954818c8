"""Analysis of one conversation: each turn is encoded once for sentiment, topic and rubric."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import InputError, audio_input_error, rubric_input_error
from qa.ingestion.audio import AUDIO_SUFFIXES
from qa.ingestion.transcripts import content_limits, read_transcript_file, speaker_labels
from qa.interactions import turns as turn_forms
from qa.jobs import ml_models
from qa.jobs.ml_models import engine_options, rubric_for
from qa.models import Channel, Speaker
from scoring import rubric as rubric_lib
from scoring.conversation import Conversation, Turn
from scoring.sentiment import summarize_sentiment


@dataclass(slots=True)
class AnalysisResult:
    turns: list[Turn]
    metrics: dict[str, Any]
    sentiment: dict[str, Any]
    customer_sentiment_end: float | None
    topic: str | None
    topic_confidence: float | None
    rubric: rubric_lib.Rubric
    rubric_content: str
    evaluation: rubric_lib.Evaluation | None

    @property
    def turn_sentiment(self) -> list[float | None]:
        return [t.sentiment for t in self.turns]


def analyze(
    *,
    settings: Settings,
    channel: str,
    queue: str | None,
    turns: list[Turn],
    metrics: dict[str, Any],
    rubric: tuple[rubric_lib.Rubric, str] | None = None,
) -> AnalysisResult:
    """Sentiment per turn and per speaker, the contact driver, and the rubric evaluation."""
    chosen, content = rubric or rubric_for(settings, channel, queue)
    texts = [t.text for t in turns]
    encoder = ml_models.encoder(settings)
    embeddings = ml_models.embedding_cache.encode(texts, encoder)
    backend = ml_models.sentiment_backend(settings)
    score_embeddings = getattr(backend, "score_embeddings", None)
    results = score_embeddings(embeddings, texts) if score_embeddings else backend.score(texts)
    scored = [replace(t, sentiment=r.score) for t, r in zip(turns, results, strict=True)]
    summary = summarize_sentiment(scored, [r.score for r in results])
    customer = [i for i, t in enumerate(scored) if t.speaker == Speaker.CUSTOMER]
    topic = None
    if customer:
        classifier = ml_models.topic_classifier(settings)
        topic = classifier.classify([texts[i] for i in customer], embeddings[customer])
    conversation = conversation_for(
        channel=channel, queue=queue, turns=scored, metrics=metrics, topic=topic.topic if topic else None
    )
    # A call with no speech gets no score rather than a row of invented failures.
    evaluation = (
        rubric_lib.evaluate(
            conversation,
            chosen,
            encoder=encoder,
            turn_embeddings=embeddings,
            regex_timeout=settings.regex_timeout,
        )
        if scored
        else None
    )
    sentiment = summary.to_dict()
    return AnalysisResult(
        turns=scored,
        metrics=metrics,
        sentiment=sentiment,
        customer_sentiment_end=summary.customer.end,
        topic=topic.topic if topic else None,
        topic_confidence=topic.confidence if topic else None,
        rubric=chosen,
        rubric_content=content,
        evaluation=evaluation,
    )


def conversation_for(
    *, channel: str, queue: str | None, turns: list[Turn], metrics: dict[str, Any], topic: str | None
) -> Conversation:
    """The conversation a rubric scores: numeric metrics only (stored metrics may hold other values)."""
    return Conversation(
        channel=channel,  # type: ignore[arg-type]
        turns=turns,
        metrics={k: float(v) for k, v in metrics.items() if isinstance(v, int | float)},
        topic=topic,
        queue=queue,
    )


def analyze_file(*, settings: Settings, path: Path, rubric_path: Path | None) -> dict[str, Any]:
    """Transcribe (audio) or read (transcript) one file and analyze it; nothing is stored."""
    from transcription import AudioError, TranscriptionError, transcribe_file

    if not path.exists():
        raise InputError(path, "no such file")
    rubric = None
    if rubric_path is not None:
        try:
            rubric = (rubric_lib.load_rubric(rubric_path), rubric_path.read_text(encoding="utf-8"))
        except rubric_lib.RubricInvalid as exc:
            raise rubric_input_error(exc, rubric_path) from None
    duration: float | None = None
    metrics: dict[str, Any] = {}
    queue = None
    if path.suffix.lower() in AUDIO_SUFFIXES:
        try:
            transcript = transcribe_file(path, engine_options(settings))
        except AudioError as exc:
            raise audio_input_error(exc) from None
        except TranscriptionError as exc:
            raise InputError(path, str(exc)) from None
        channel, duration, metrics = Channel.CALL, transcript.duration, dict(transcript.metrics)
        turns = [turn_forms.for_scoring(t) for t in transcript.turns]
    else:
        conversations = read_transcript_file(path, speaker_labels(settings), content_limits(settings))
        if len(conversations) != 1:
            raise InputError(path, f"holds {len(conversations)} conversations; analyze takes one")
        parsed = conversations[0]
        channel, queue = parsed.metadata.channel or Channel.CHAT, parsed.metadata.queue
        turns = [turn_forms.for_scoring(t) for t in parsed.turns]
        duration = turn_forms.duration_of(parsed.turns)
    result = analyze(
        settings=settings, channel=channel, queue=queue, turns=turns, metrics=metrics, rubric=rubric
    )
    return {
        "channel": channel,
        "duration": duration,
        "turns": [
            {
                "speaker": t.speaker,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "confidence": t.confidence,
                "low_confidence_words": [
                    {"text": w.text, "probability": w.probability} for w in t.unclear_words
                ],
                "sentiment": t.sentiment,
            }
            for t in result.turns
        ],
        "metrics": result.metrics,
        "topic": result.topic,
        "topic_confidence": result.topic_confidence,
        "sentiment": result.sentiment,
        "score": _score_dict(result),
    }


def _score_dict(result: AnalysisResult) -> dict[str, Any]:
    if result.evaluation is None:
        return {
            "rubric": result.rubric.spec.id,
            "rubric_version": result.rubric.version,
            "total": None,
            "auto_fail": False,
            "criteria": [],
            "no_speech": True,
        }
    return result.evaluation.to_dict()


def prewarm_queued_analyses(settings: Settings, limit: int = 20_000) -> None:
    """Encode the turns of queued analyses together before the jobs run one by one."""
    from qa.db import session_scope
    from qa.jobs import repository as job_repository

    with session_scope(settings.database_url) as session:
        texts = job_repository.queued_analysis_texts(session, limit)
    if texts:
        ml_models.embedding_cache.prewarm(texts, ml_models.encoder(settings))
