"""Requests of the human review routes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CriterionOverride(BaseModel):
    result: Literal["pass", "fail", "na"]
    comment: str | None = Field(default=None, max_length=5000)
