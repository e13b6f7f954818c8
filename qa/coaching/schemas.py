"""Coaching notes as written and read back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CoachingNoteCreate(BaseModel):
    interaction_id: int
    text: str = Field(min_length=1, max_length=10_000)
    criterion_id: str | None = None
    at_seconds: float | None = Field(default=None, ge=0, le=31 * 24 * 3600, allow_inf_nan=False)


class CoachingNoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    interaction_id: int
    agent_id: int
    agent: str
    author: str | None
    text: str
    criterion_id: str | None
    at_seconds: float | None
    created_at: datetime
    acknowledged_at: datetime | None
