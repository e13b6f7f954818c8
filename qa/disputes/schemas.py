"""Disputes as opened, resolved and read back."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qa.models import Answer, DisputeStatus


class DisputeCreate(BaseModel):
    criterion_id: str = Field(min_length=1, max_length=120)
    reason: str = Field(min_length=1, max_length=5000)
    # The answer the agent asks for; default: the opposite of pass/fail, pass for na.
    requested_result: Answer | None = None


class DisputeResolve(BaseModel):
    decision: Literal[DisputeStatus.UPHELD, DisputeStatus.REJECTED]
    comment: str = Field(default="", max_length=5000)


class DisputeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    interaction_id: int
    evaluation_id: int
    agent_id: int
    agent: str
    criterion_id: str
    status: DisputeStatus
    reason: str
    disputed_result: str
    requested_result: str
    opened_by: str | None
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    decision_comment: str | None
    # The evaluation's total now (after an upheld dispute: the new total).
    evaluation_total: float | None
