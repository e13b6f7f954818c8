"""Audit entries as read back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: int
    interaction_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
