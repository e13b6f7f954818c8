"""Inbox entries as read back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    text: str
    interaction_id: int | None
    created_at: datetime
    read_at: datetime | None


class Inbox(BaseModel):
    unread: int
    items: list[NotificationRead]


class MarkRead(BaseModel):
    """Which notifications to mark read; none given: all of the caller's."""

    ids: list[int] | None = Field(default=None, max_length=1000)
