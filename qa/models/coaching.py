"""Coaching notes a reviewer writes to an agent about one interaction, and the agent's acknowledgement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.models.base import Base, CreatedAtMixin
from qa.models.interaction import Interaction
from qa.models.people import Agent, User


class CoachingNote(CreatedAtMixin, Base):
    __tablename__ = "coaching_note"
    __table_args__ = (Index("ix_coaching_note_agent_created", "agent_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    # Optional anchor: the rubric criterion and the moment of the recording the note is about.
    criterion_id: Mapped[str | None] = mapped_column(String(120))
    at_seconds: Mapped[float | None]
    acknowledged_at: Mapped[datetime | None]

    interaction: Mapped[Interaction] = relationship(lazy="raise")
    agent: Mapped[Agent] = relationship(lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise")
