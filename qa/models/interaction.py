"""An interaction (call, chat, email or form), its stored media and its speaker turns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.models.base import Base, CreatedAtMixin
from qa.models.enums import Channel, Speaker, sql_in_list
from qa.models.people import Agent


class Interaction(CreatedAtMixin, Base):
    __tablename__ = "interaction"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        CheckConstraint(f"channel IN ({sql_in_list(Channel)})", name="channel"),
        CheckConstraint("csat IS NULL OR (csat BETWEEN 1 AND 5)", name="csat"),
        Index("ix_interaction_agent_started", "agent_id", "started_at"),
        Index("ix_interaction_started_at", "started_at"),
        Index("ix_interaction_customer_hash", "customer_hash", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    started_at: Mapped[datetime | None]
    duration_seconds: Mapped[float | None]
    queue: Mapped[str | None] = mapped_column(String(64), index=True)
    wait_seconds: Mapped[float | None]
    handle_seconds: Mapped[float | None]
    disposition: Mapped[str | None] = mapped_column(String(64))
    csat: Mapped[int | None]
    customer_hash: Mapped[str | None] = mapped_column(String(64))
    raw_metadata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source_file: Mapped[str | None] = mapped_column(String(1024))
    # Filled by processing.
    metrics: Mapped[dict[str, Any] | None]
    no_speech: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64), index=True)
    topic_confidence: Mapped[float | None]
    sentiment: Mapped[dict[str, Any] | None]
    # Denormalised from `sentiment` so the review queue can sort and filter on it with an index.
    customer_sentiment_end: Mapped[float | None] = mapped_column(index=True)
    processed_at: Mapped[datetime | None]
    # When personal data was redacted (at ingestion, after transcription, or by `redact --all`); the marker
    # that makes `redact --all` resumable.
    redacted_at: Mapped[datetime | None]

    agent: Mapped[Agent | None] = relationship(lazy="raise")
    media: Mapped[Media | None] = relationship(back_populates="interaction", lazy="raise")
    turns: Mapped[list[Turn]] = relationship(
        back_populates="interaction", lazy="raise", order_by="Turn.index", cascade="all, delete-orphan"
    )
    redactions: Mapped[list[RedactedEntity]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="RedactedEntity.id"
    )


class Media(CreatedAtMixin, Base):
    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), unique=True)
    path: Mapped[str] = mapped_column(String(1024))
    # Set when the stored recording was replaced by its redacted copy and CALLCOACH_KEEP_UNREDACTED_AUDIO
    # kept the original (admins only). `sha256` stays the original file's: it is the duplicate identity.
    unredacted_path: Mapped[str | None] = mapped_column(String(1024))
    redacted: Mapped[bool] = mapped_column(default=False, server_default=false())
    original_name: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(32))
    channels: Mapped[int]
    sample_rate: Mapped[int]
    duration_seconds: Mapped[float]
    size_bytes: Mapped[int]

    interaction: Mapped[Interaction] = relationship(back_populates="media", lazy="raise")


class Turn(Base):
    __tablename__ = "turn"
    __table_args__ = (
        UniqueConstraint("interaction_id", "index"),
        CheckConstraint(f"speaker IN ({sql_in_list(Speaker)})", name="speaker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"))
    index: Mapped[int]
    speaker: Mapped[str] = mapped_column(String(16))
    start_seconds: Mapped[float | None]
    end_seconds: Mapped[float | None]
    text: Mapped[str] = mapped_column(Text)
    # Recognised turns: mean word probability, and the words under the recogniser's low-confidence
    # threshold as [{text, start, end, probability}] (qa.interactions.turns). Typed turns: None and [].
    confidence: Mapped[float | None]
    unclear_words: Mapped[list[Any]] = mapped_column(default=list)
    sentiment: Mapped[float | None]

    interaction: Mapped[Interaction] = relationship(back_populates="turns", lazy="raise")


class RedactedEntity(Base):
    """Where a placeholder such as `[CARD]` sits in a stored turn, with its time span; never the value."""

    __tablename__ = "redacted_entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    turn_index: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    # Character offsets of the placeholder in the stored (redacted) turn text.
    start: Mapped[int]
    end: Mapped[int]
    start_seconds: Mapped[float | None]
    end_seconds: Mapped[float | None]
    # The detection rule's own estimate; below 0.8 is a guess from context a person should check.
    confidence: Mapped[float]
    rule: Mapped[str] = mapped_column(String(64), default="")
