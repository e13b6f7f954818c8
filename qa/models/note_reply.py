"""A reply in the thread under a coaching note (the agent answers, the reviewer answers back)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa.models.base import Base, CreatedAtMixin


class NoteReply(CreatedAtMixin, Base):
    __tablename__ = "note_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("coaching_note.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
