"""Rubric versions, evaluations of an interaction against one, and per-criterion results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.models.base import Base, CreatedAtMixin
from qa.models.enums import ReviewStatus


class RubricVersion(CreatedAtMixin, Base):
    """The exact content of a rubric file an evaluation used, keyed by its content hash."""

    __tablename__ = "rubric_version"
    __table_args__ = (UniqueConstraint("rubric_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)


class Evaluation(CreatedAtMixin, Base):
    """One scoring of an interaction; re-scoring adds a new current one and keeps the old."""

    __tablename__ = "evaluation"
    __table_args__ = (
        Index("ix_evaluation_interaction_current", "interaction_id", "is_current"),
        Index("ix_evaluation_current_total", "is_current", "total"),
        # The review queue reads auto-fails, then the rest, each by lowest total, off this index
        # (qa.interactions.repository pages through those segments), and filters on review status.
        Index("ix_evaluation_current_priority", "is_current", "auto_fail", "total"),
        Index("ix_evaluation_current_review_status", "is_current", "review_status"),
        Index("ix_evaluation_current_needs_review", "is_current", "needs_review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_version.id"))
    total: Mapped[float | None]
    auto_fail: Mapped[bool] = mapped_column(default=False)
    is_current: Mapped[bool] = mapped_column(default=True)
    review_status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.PENDING.value)
    sections: Mapped[list[Any]] = mapped_column(default=list)
    # Some machine answer rests on unclear recognised speech and no person has answered it yet
    # (qa.evaluations.service.refresh_needs_review keeps it; the review queue filters and sorts on it).
    needs_review: Mapped[bool] = mapped_column(default=False)
    # When the review was last finalized (the dispute window runs from it).
    finalized_at: Mapped[datetime | None]

    rubric_version: Mapped[RubricVersion] = relationship(lazy="raise")
    criteria: Mapped[list[CriterionResult]] = relationship(
        back_populates="evaluation",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="CriterionResult.position",
    )


class CriterionResult(Base):
    """The answer to one rubric question, with the evidence behind it."""

    __tablename__ = "criterion_result"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "criterion_id"),
        Index("ix_criterion_result_criterion", "criterion_id", "result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    position: Mapped[int]
    criterion_id: Mapped[str] = mapped_column(String(120))
    section: Mapped[str | None] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(16))
    points: Mapped[float]
    max_points: Mapped[float]
    confidence: Mapped[float | None]
    critical: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    # The machine's answer rests on words the recogniser was unsure of (its confidence is lowered and
    # `note` names them): a person should confirm it. Kept after an override, like machine_result.
    needs_review: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # Set when a reviewer overrides the machine's answer.
    machine_result: Mapped[str | None] = mapped_column(String(16))
    override_comment: Mapped[str | None] = mapped_column(Text)
    # Who last answered this criterion as a person (a reviewer's override or an upheld dispute), and when.
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None]

    evaluation: Mapped[Evaluation] = relationship(back_populates="criteria", lazy="raise")
