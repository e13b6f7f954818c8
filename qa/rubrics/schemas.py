"""Requests and answers of the scorecard routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# A scorecard is a few kilobytes (the shipped ones are under 20 KB); far larger is refused before parsing.
MAX_RUBRIC_CHARS = 200_000
RubricYaml = Annotated[str, StringConstraints(min_length=1, max_length=MAX_RUBRIC_CHARS)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]


class RubricSummary(BaseModel):
    id: str
    name: str
    version: str
    channels: list[str]
    file: str
    criteria: int
    drafts: int
    can_edit: bool


class RubricRead(RubricSummary):
    yaml: str


class DraftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Omitted: a copy of the published version.
    yaml: RubricYaml | None = None


class DraftUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    yaml: RubricYaml


class DraftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rubric_id: str
    yaml: str = Field(validation_alias="content")
    version: str = ""  # the content hash the draft would publish as
    base_version: str | None
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    preview_status: str
    published_version: str | None
    published_by: str | None
    published_at: datetime | None
    publish_reason: str | None


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: int
    limit: int | None = Field(default=None, ge=1)  # default and cap: settings.rubric_preview_default/_max


class PreviewStarted(BaseModel):
    draft_id: int
    job_id: int
    status: str


class PreviewRead(BaseModel):
    """The impact of a draft on recent scores; `result` as qa.rubrics.impact.summarize gives it, cut to the
    caller's scope."""

    draft_id: int
    status: str
    done: int
    total: int
    error: str | None
    result: dict[str, Any] | None


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: int
    reason: Reason


class Published(BaseModel):
    rubric_id: str
    version: str
    previous_version: str
    file: str
    published_by: str


class RescoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: date | None = None


class RescoreStarted(BaseModel):
    rubric_id: str
    since: date | None
    jobs: int


class CaseCheckRead(BaseModel):
    case: str
    criterion: str
    expected: str
    actual: str
    confidence: float | None
    evidence: str
    ok: bool


class TestReportRead(BaseModel):
    rubric: str
    version: str
    ok: bool
    passed: int
    failed: int
    checks: list[CaseCheckRead]


class VersionRead(BaseModel):
    version: str
    name: str
    created_at: datetime | None
    current: bool
    published_by: str | None
    published_at: datetime | None
    reason: str | None
    yaml: str
    diff: str  # unified diff of the YAML against the version before it ("" for the first)
