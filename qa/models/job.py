"""Units of background work (ingest, transcribe, analyze, rubric preview) and their outcome."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa.models.base import Base, CreatedAtMixin, utcnow


class JobKind(enum.StrEnum):
    INGEST = "ingest"
    TRANSCRIBE = "transcribe"
    ANALYZE = "analyze"
    RUBRIC_PREVIEW = "rubric_preview"  # a draft scorecard over recent interactions (qa.jobs.rubric_preview)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def _values(e: type[enum.Enum]) -> list[str]:
    return [m.value for m in e]


class Job(CreatedAtMixin, Base):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_kind", "status", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JobKind] = mapped_column(
        Enum(JobKind, native_enum=False, length=16, values_callable=_values)
    )
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=16, values_callable=_values), default=JobStatus.QUEUED
    )
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), index=True
    )
    # For rubric preview jobs: the draft to preview.
    rubric_draft_id: Mapped[int | None] = mapped_column(ForeignKey("rubric_draft.id", ondelete="CASCADE"))
    # For ingest jobs: the file that failed, so a retry can read it again.
    source_path: Mapped[str | None] = mapped_column(String(1024))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class JobLease(Base):
    """A running job's lease: its worker renews it while the job runs (a heartbeat); once it has run out,
    the process is taken to be dead and the job is claimed again. A table of its own, so the heartbeat
    never waits for the job row, which the running attempt keeps locked."""

    __tablename__ = "job_lease"

    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
