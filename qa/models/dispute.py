"""An agent's dispute of one criterion of one of her evaluations, and the supervisor's decision."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from qa.models.base import Base, CreatedAtMixin
from qa.models.enums import sql_in_list


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


class Dispute(CreatedAtMixin, Base):
    __tablename__ = "dispute"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in_list(DisputeStatus)})", name="status"),
        # One open dispute per criterion per evaluation; closed ones stay as history.
        Index(
            "uq_dispute_open_criterion",
            "evaluation_id",
            "criterion_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_dispute_agent_status", "agent_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(120))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DisputeStatus.OPEN.value)
    # The answer when the dispute was opened, and the one it becomes when upheld.
    disputed_result: Mapped[str] = mapped_column(String(16))
    requested_result: Mapped[str] = mapped_column(String(16))
    # The review was final when the dispute opened it again; resolving the last open dispute closes it.
    reopened_final: Mapped[bool] = mapped_column(default=False)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(Text)
