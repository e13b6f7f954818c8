"""What the agreement and trust reports return."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class CriterionAgreement(BaseModel):
    """Machine against the person's final answer for one criterion; confusion keys are "machine/human"."""

    rubric_id: str
    criterion_id: str
    question: str
    n: int
    agreement: float | None
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    confusion: dict[str, int]


class AgreementWeek(BaseModel):
    rubric_id: str
    criterion_id: str
    week: date
    n: int
    agreement: float | None
    kappa: float | None


class CriterionTrustRead(BaseModel):
    """Whether the machine's answers to a criterion of one rubric version stand without a person."""

    rubric_id: str
    version: str
    criterion_id: str
    status: str
    n: int
    agreement: float | None
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    computed_at: datetime
