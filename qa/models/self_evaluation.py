"""An agent's own answers to the scorecard of one of her interactions, given before seeing the reviewer's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qa.models.base import Base, CreatedAtMixin


class SelfEvaluation(CreatedAtMixin, Base):
    __tablename__ = "self_evaluation"
    __table_args__ = (UniqueConstraint("evaluation_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    # criterion_id -> answer (pass, fail, na)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
