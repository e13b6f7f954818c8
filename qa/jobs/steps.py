"""The two job steps, plain functions: transcribe a call, then analyze any interaction (sentiment, topic,
score). They write in the caller's session; qa.jobs.lifecycle runs them and records the outcome."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from qa.config import Settings
from qa.errors import InputError, NotFound, audio_input_error
from qa.evaluations import service as evaluation_service
from qa.interactions import repository as interaction_repository
from qa.interactions import turns as turn_forms
from qa.jobs import analysis
from qa.jobs import service as job_service
from qa.jobs.ml_models import engine_options
from qa.models import Interaction, JobKind
from qa.models.base import utcnow
from qa.redaction import service as redaction_service
from transcription import AudioError, transcribe_file


def _interaction(session: Session, interaction_id: int) -> Interaction:
    interaction = interaction_repository.get(session, interaction_id, with_turns=True)
    if interaction is None:
        raise NotFound(f"interaction {interaction_id} not found")
    return interaction


def transcribe_step(session: Session, interaction_id: int, settings: Settings) -> None:
    """Transcribe the call's recording, redact it, replace its turns and metrics, then queue its analysis."""
    interaction = _interaction(session, interaction_id)
    if interaction.media is None:
        raise InputError(f"interaction {interaction_id}", "has no recording to transcribe")
    media_path = Path(interaction.media.path)
    try:
        transcript = transcribe_file(media_path, engine_options(settings))
    except AudioError as exc:
        raise audio_input_error(exc, interaction.media.original_name) from None
    rows = turn_forms.transcript_rows(transcript.turns)
    redaction_service.redact_transcribed_call(
        session=session, settings=settings, interaction=interaction, transcript=transcript, rows=rows
    )
    interaction_repository.replace_turns(session, interaction.id, rows)
    interaction.metrics = dict(transcript.metrics)
    interaction.duration_seconds = transcript.duration
    interaction.language = transcript.language
    interaction.no_speech = transcript.no_speech
    job_service.enqueue(session=session, kind=JobKind.ANALYZE, interaction_id=interaction.id)


def analyze_step(session: Session, interaction_id: int, settings: Settings) -> None:
    """Per-turn sentiment, the topic and the rubric score of one interaction (re-runnable)."""
    interaction = _interaction(session, interaction_id)
    turns = interaction_repository.list_turns(session, interaction.id)
    result = analysis.analyze(
        settings=settings,
        channel=interaction.channel,
        queue=interaction.queue,
        turns=turn_forms.stored_for_scoring(turns),
        metrics=interaction.metrics or {},
    )
    for turn, score in zip(turns, result.turn_sentiment, strict=True):
        turn.sentiment = score
    interaction.sentiment = result.sentiment
    interaction.customer_sentiment_end = result.customer_sentiment_end
    interaction.topic = result.topic
    interaction.topic_confidence = result.topic_confidence
    if result.evaluation is not None:
        version = evaluation_service.rubric_version_row(
            session=session, rubric=result.rubric, content=result.rubric_content
        )
        evaluation_service.store_evaluation(
            session=session,
            interaction_id=interaction.id,
            version=version,
            rubric=result.rubric,
            evaluation=result.evaluation,
        )
    interaction.processed_at = utcnow()
