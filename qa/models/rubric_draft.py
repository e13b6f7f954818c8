"""A scorecard being edited in the browser: its YAML, the impact preview, and how it was published."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa.models.base import Base, CreatedAtMixin, utcnow


class DraftStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class PreviewStatus(enum.StrEnum):
    NONE = "none"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RubricDraft(CreatedAtMixin, Base):
    """An unpublished rubric version; the preview is what it would do to recent scores (never evaluations)."""

    __tablename__ = "rubric_draft"
    __table_args__ = (
        Index("ix_rubric_draft_rubric_id", "rubric_id", "status"),
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint(
            "preview_status IN ('none', 'queued', 'running', 'done', 'failed')", name="preview_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[str] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(Text)
    # The published version the draft was copied from: publishing over a newer one is refused.
    base_version: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default=DraftStatus.DRAFT.value)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    preview_status: Mapped[str] = mapped_column(String(16), default=PreviewStatus.NONE.value)
    preview_done: Mapped[int] = mapped_column(default=0)
    preview_total: Mapped[int] = mapped_column(default=0)
    preview: Mapped[dict[str, Any] | None]
    preview_error: Mapped[str | None] = mapped_column(Text)
    published_version: Mapped[str | None] = mapped_column(String(64))
    published_by: Mapped[str | None] = mapped_column(String(120))
    published_at: Mapped[datetime | None]
    publish_reason: Mapped[str | None] = mapped_column(Text)
