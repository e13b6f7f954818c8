"""What the upload route answers."""

from __future__ import annotations

from pydantic import BaseModel


class UploadResult(BaseModel):
    file: str
    interactions: list[int]
    duplicates: list[int]
    # Already stored, but outside the uploader's scope: counted, the id is not shown.
    duplicates_out_of_scope: int = 0
