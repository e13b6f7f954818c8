"""Validation of interaction metadata from sidecars, manifests and transcript headers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from qa.errors import InputError
from qa.models.enums import Channel


class InteractionMetadata(BaseModel):
    """What we know about an interaction besides its content; unknown keys are kept as raw metadata."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, allow_inf_nan=False)

    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    source: str | None = Field(default=None, min_length=1, max_length=64)
    channel: Channel | None = None
    agent: str | None = Field(default=None, max_length=120)
    team: str | None = Field(default=None, max_length=120)
    started_at: datetime | None = None
    queue: str | None = Field(default=None, max_length=64)
    wait_seconds: float | None = Field(default=None, ge=0)
    handle_seconds: float | None = Field(default=None, ge=0)
    disposition: str | None = Field(default=None, max_length=64)
    csat: int | None = Field(default=None, ge=1, le=5)
    # E-mails and web forms: seconds from the customer's message to the case being resolved (reports).
    resolution_seconds: float | None = Field(default=None, ge=0)
    customer_ref: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("external_id", "agent", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("channel", mode="before")
    @classmethod
    def _known_channel(cls, value: Any) -> Any:
        if value is not None and value not in tuple(Channel):
            raise ValueError(f"must be one of {', '.join(Channel)}")
        return value

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def merged(self, other: InteractionMetadata) -> InteractionMetadata:
        """These values, with `other`'s filling the gaps."""
        data = other.model_dump(exclude_none=True)
        data.update(self.model_dump(exclude_none=True))
        return InteractionMetadata.model_validate(data)

    def extra_fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


def validate_metadata(path: str | Path, data: Any) -> InteractionMetadata:
    """Validate `data` read from `path`, or raise an InputError naming the first bad field."""
    if not isinstance(data, dict):
        raise InputError(path, f"metadata must be a JSON object, not {type(data).__name__}")
    try:
        return InteractionMetadata.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "metadata"
        raise InputError(path, f"bad metadata field '{field}': {first['msg']}") from None


def read_manifest(path: Path) -> dict[Path, InteractionMetadata]:
    """Rows of a calls manifest CSV, keyed by the resolved audio path."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read manifest: {exc}") from None
    return {(path.parent / name).resolve(): row for name, row in parse_manifest(path, data).items()}


def parse_manifest(source: str | Path, data: bytes) -> dict[str, InteractionMetadata]:
    """Rows of a calls manifest CSV (UTF-8), keyed by their 'file' column as written; errors name `source`."""
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        missing = [c for c in ("file",) if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(source, f"manifest lacks column(s) {', '.join(missing)}")
        rows: dict[str, InteractionMetadata] = {}
        for line_no, row in enumerate(reader, start=2):
            file_name = (row.pop("file") or "").strip()
            if not file_name:
                raise InputError(source, f"line {line_no}: empty 'file'")
            try:
                rows[file_name] = validate_metadata(source, row)
            except InputError as exc:
                raise InputError(source, f"line {line_no}: {exc.problem}") from None
        return rows
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(source, f"cannot read manifest: {exc}") from None
