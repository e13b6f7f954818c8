"""Measured trust: calibration sessions, the machine's trust per criterion, and weekly review assignments."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.models.base import Base, CreatedAtMixin

ANSWER_CHECK = "answer IN ('pass', 'fail', 'na')"


class CalibrationStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CalibrationSession(CreatedAtMixin, Base):
    """Reviewers score the same interactions blind; after closing their answers are compared."""

    __tablename__ = "calibration_session"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(200))
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Kept as text too, so the session still says who organised it after the user is deleted.
    organizer_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default=CalibrationStatus.OPEN.value)
    closed_at: Mapped[datetime | None]

    items: Mapped[list[CalibrationItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CalibrationItem.position"
    )
    reviewers: Mapped[list[CalibrationReviewer]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CalibrationReviewer.id"
    )


class CalibrationItem(Base):
    """One interaction of a session, with the machine evaluation whose answers count as one more rater."""

    __tablename__ = "calibration_item"
    __table_args__ = (UniqueConstraint("session_id", "interaction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_session.id", ondelete="CASCADE"))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id", ondelete="SET NULL"))
    position: Mapped[int]


class CalibrationReviewer(Base):
    """A reviewer invited to a session."""

    __tablename__ = "calibration_reviewer"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(120))


class CalibrationAnswer(CreatedAtMixin, Base):
    """A reviewer's blind answer to one criterion of one interaction of a session."""

    __tablename__ = "calibration_answer"
    __table_args__ = (
        UniqueConstraint("session_id", "interaction_id", "user_id", "criterion_id"),
        CheckConstraint(ANSWER_CHECK, name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_session.id", ondelete="CASCADE"))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(120))
    answer: Mapped[str] = mapped_column(String(16))


class CalibrationExpertAnswer(CreatedAtMixin, Base):
    """The organizer's final ("expert") answer, against which reviewers and the machine are graded."""

    __tablename__ = "calibration_expert_answer"
    __table_args__ = (
        UniqueConstraint("session_id", "interaction_id", "criterion_id"),
        CheckConstraint(ANSWER_CHECK, name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_session.id", ondelete="CASCADE"))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(120))
    answer: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class CriterionTrust(Base):
    """How far the machine's answers to one criterion of one rubric version agree with people's."""

    __tablename__ = "criterion_trust"
    __table_args__ = (
        UniqueConstraint("rubric_version_id", "criterion_id"),
        CheckConstraint("status IN ('trusted', 'needs_human', 'unmeasured')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_version.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    n: Mapped[int]
    agreement: Mapped[float | None]
    kappa: Mapped[float | None]
    kappa_low: Mapped[float | None]
    kappa_high: Mapped[float | None]
    computed_at: Mapped[datetime]


class ReviewAssignment(CreatedAtMixin, Base):
    """An interaction a reviewer is to review for one ISO week's sampling plan; at most once per week."""

    __tablename__ = "review_assignment"
    __table_args__ = (
        UniqueConstraint("interaction_id", "week"),
        Index("ix_review_assignment_reviewer_week", "reviewer_id", "week"),
        Index("ix_review_assignment_team_week", "team_id", "week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(8))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewer_name: Mapped[str] = mapped_column(String(120))
    # "sample" or the always-review rule that picked it (auto_fail, negative_sentiment, ...).
    reason: Mapped[str] = mapped_column(String(32))
    stratum: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
