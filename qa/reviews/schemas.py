"""Requests of the human review routes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from qa.models import Answer


class CriterionOverride(BaseModel):
    result: Answer
    comment: str | None = Field(default=None, max_length=5000)
