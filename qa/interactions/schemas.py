"""What the interaction services return (and the API serialises)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from qa.evaluations.origin import AnswerOrigin, answer_origin


class InteractionSummary(BaseModel):
    """One row of the review queue."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    agent: str | None
    channel: str
    started_at: datetime | None
    topic: str | None
    queue: str | None
    score: float | None
    auto_fail: bool | None
    customer_sentiment_end: float | None
    review_status: str | None
    needs_review: bool | None
    duration_seconds: float | None
    csat: int | None


class Page(BaseModel):
    items: list[InteractionSummary]
    total: int
    limit: int
    offset: int


class UnclearWordRead(BaseModel):
    """A word the recognizer was unsure of; times in seconds from the start of the call."""

    text: str
    start: float
    end: float
    probability: float


class TurnRead(BaseModel):
    """confidence: the recognizer's mean word probability (None for typed text)."""

    model_config = ConfigDict(from_attributes=True)

    index: int
    speaker: str
    start: float | None
    end: float | None
    text: str
    confidence: float | None
    low_confidence_words: list[UnclearWordRead] = []
    sentiment: float | None


class CriterionRead(BaseModel):
    """needs_review: the machine's answer rests on unclear speech (confidence lowered, note names words)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    criterion_id: str
    section: str | None
    question: str
    result: str
    points: float
    max_points: float
    confidence: float | None
    critical: bool
    evidence: list[dict[str, Any]]
    needs_review: bool = False
    note: str | None = None
    machine_result: str | None
    override_comment: str | None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def origin(self) -> AnswerOrigin:
        """machine, machine_low_confidence, person (reviewed_by, reviewed_at) or pending."""
        return answer_origin(
            result=self.result,
            confidence=self.confidence,
            reviewed_by=self.reviewed_by,
            needs_review=self.needs_review,
        )


class EvaluationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    interaction_id: int
    rubric_id: str
    rubric_version: str
    total: float | None
    auto_fail: bool
    review_status: str
    needs_review: bool = False
    sections: list[dict[str, Any]]
    criteria: list[CriterionRead]
    created_at: datetime | None = None
    finalized_at: datetime | None = None


class InteractionDetail(BaseModel):
    id: int
    external_id: str
    source: str
    agent: str | None
    team_id: int | None
    channel: str
    started_at: datetime | None
    duration_seconds: float | None
    queue: str | None
    wait_seconds: float | None
    handle_seconds: float | None
    disposition: str | None
    csat: int | None
    topic: str | None
    topic_confidence: float | None
    sentiment: dict[str, Any] | None
    customer_sentiment_end: float | None
    metrics: dict[str, Any] | None
    no_speech: bool
    processed_at: datetime | None
    has_audio: bool
    turns: list[TurnRead]  # one page: turn_offset onwards
    turn_total: int
    turn_offset: int = 0
    evaluation: EvaluationRead | None
    # Criteria whose machine answer is only a suggestion (qa.agreement: not trusted for this rubric version).
    needs_human_criteria: list[str] = []
    # True while the caller still has to answer it blind in a calibration session: no evaluation is shown.
    calibration_blind: bool = False


def evaluation_read(evaluation: Any) -> EvaluationRead:
    """An EvaluationRead of an Evaluation row loaded with its criteria and rubric version."""
    return EvaluationRead(
        id=evaluation.id,
        interaction_id=evaluation.interaction_id,
        rubric_id=evaluation.rubric_version.rubric_id,
        rubric_version=evaluation.rubric_version.version,
        total=evaluation.total,
        auto_fail=evaluation.auto_fail,
        review_status=evaluation.review_status,
        needs_review=evaluation.needs_review,
        created_at=evaluation.created_at,
        finalized_at=evaluation.finalized_at,
        sections=list(evaluation.sections or []),
        criteria=[CriterionRead.model_validate(c) for c in evaluation.criteria],
    )
