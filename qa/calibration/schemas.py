"""Requests and answers of the calibration routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from qa.models.enums import Answer

# The lengths of the columns they are compared with: longer is refused (422) before any lookup.
Username = Annotated[str, StringConstraints(min_length=1, max_length=120)]
CriterionId = Annotated[str, StringConstraints(min_length=1, max_length=120)]
MAX_INTERACTIONS = 50
MAX_REVIEWERS = 30
MAX_CRITERIA = 200


class CalibrationCreate(BaseModel):
    interaction_ids: list[int] = Field(min_length=1, max_length=MAX_INTERACTIONS)
    reviewers: list[Username] = Field(min_length=1, max_length=MAX_REVIEWERS)
    title: str | None = Field(default=None, max_length=200)


class AnswersSubmit(BaseModel):
    interaction_id: int
    answers: dict[CriterionId, Answer] = Field(min_length=1, max_length=MAX_CRITERIA)


class CriterionQuestion(BaseModel):
    criterion_id: str
    question: str


class CalibrationItemRead(BaseModel):
    """One interaction to score: the questions (never the machine's answers) and the caller's own answers."""

    interaction_id: int
    agent: str | None
    channel: str
    criteria: list[CriterionQuestion]
    my_answers: dict[str, str]


class ReviewerStatus(BaseModel):
    username: str
    answered: int
    submitted: bool
    # Filled after closing, where the organizer gave expert answers.
    compared: int = 0
    deviations: int = 0


class CriterionComparison(BaseModel):
    """One criterion side by side: answers by interaction (id as text) and reviewer, the machine's, the
    expert's, pairwise agreement and kappa (Fleiss' with complete answers, else Krippendorff's alpha)
    with the machine as one more rater, and the same among people only."""

    criterion_id: str
    question: str
    units: int
    agreement: float | None
    kappa: float | None
    statistic: str
    people_agreement: float | None
    people_kappa: float | None
    answers: dict[str, dict[str, str]]
    machine: dict[str, str]
    expert: dict[str, str]


class CalibrationRead(BaseModel):
    id: int
    title: str | None
    organizer: str
    status: str
    created_at: datetime
    closed_at: datetime | None
    can_manage: bool
    is_reviewer: bool
    reviewers: list[ReviewerStatus]
    items: list[CalibrationItemRead]
    criteria: list[CriterionComparison]


class CalibrationSummary(BaseModel):
    id: int
    title: str | None
    organizer: str
    status: str
    created_at: datetime
    interactions: int
    reviewers: int


class GraderWeek(BaseModel):
    """A rater's answers compared with expert answers in sessions closed that ISO week (Monday)."""

    rater: str
    week: date
    compared: int
    deviations: int
    deviation_rate: float | None
