"""What the upload route answers."""

from __future__ import annotations

from pydantic import BaseModel


class UploadResult(BaseModel):
    file: str
    interactions: list[int]
    duplicates: list[int]
