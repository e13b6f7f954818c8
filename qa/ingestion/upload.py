"""Uploads: a file sent to the API goes through the same `ingest_one` as a file on disk."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from qa import access
from qa.access import Principal
from qa.config import Settings
from qa.db import session_scope
from qa.errors import InputError, NotFound
from qa.ingestion import service as ingestion_service
from qa.ingestion.audio import AUDIO_SUFFIXES
from qa.ingestion.jsontext import load_json
from qa.ingestion.metadata import validate_metadata
from qa.ingestion.schemas import UploadResult
from qa.ingestion.transcripts import TRANSCRIPT_SUFFIXES
from qa.interactions import service as interaction_service

# Where uploaded metadata can go: a sidecar is read for recordings and plain-text transcripts only.
SIDECAR_SUFFIXES = AUDIO_SUFFIXES | {".txt"}
# Longest file name kept (bytes of UTF-8; file systems stop at 255, and the sidecar adds a suffix).
MAX_FILENAME_BYTES = 200
# Under the media folder: an upload that fails stays here, so its failed ingest job can be retried.
UPLOADS_FOLDER = "uploads"


class UnsupportedUpload(InputError):
    """An upload whose file type is not one Callcoach reads (the API answers 415)."""


class UploadTooLarge(InputError):
    """An upload above settings.max_upload_bytes (the API answers 413)."""


def upload(
    *,
    principal: Principal,
    settings: Settings,
    filename: str,
    stream: BinaryIO,
    metadata: str | None = None,
) -> UploadResult:
    """Ingest an uploaded file under its original name; supervisors, managers and admins only.

    Refuses more than settings.max_upload_bytes (UploadTooLarge), unknown types (UnsupportedUpload) and bad
    content (InputError, also recorded as a failed ingest job). `metadata` is a JSON object with the sidecar
    keys (agent, started_at, queue, ...) for recordings and plain-text transcripts; JSON and CSV transcripts
    carry their own.
    """
    access.require_role(principal, access.UPLOADERS, "uploading interactions")
    name = upload_name(filename)
    _check_type(name)
    folder = settings.media_dir / UPLOADS_FOLDER / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / name
    try:
        _copy_limited(stream, path, settings.max_upload_bytes)
        if metadata:
            _write_sidecar(path, metadata)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    options = ingestion_service.options_from_settings(settings, uploaded_by=principal)
    outcome = ingestion_service.ingest_one(settings=settings, path=path, options=options)
    if outcome.failure is None:
        shutil.rmtree(folder, ignore_errors=True)
        visible = _visible(settings, principal, outcome.duplicates)
        return UploadResult(
            file=name,
            interactions=outcome.ingested,
            duplicates=visible,
            duplicates_out_of_scope=len(outcome.duplicates) - len(visible),
        )
    if isinstance(outcome.failure, InputError):
        # Named as the caller sent it: the folder it waits in is the server's business.
        raise InputError(name, outcome.failure.problem.replace(str(folder), "upload"))
    raise outcome.failure  # a Conflict answers 409; anything else is a server error, logged, without SQL


def upload_name(filename: str) -> str:
    """The last part of an uploaded file's name, refused (InputError) when it cannot be a stored file name."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    shown = name[:60].encode("utf-8", "backslashreplace").decode("utf-8")
    if name in {"", ".", ".."}:
        raise InputError(shown or "upload", "the file name is empty or a folder reference")
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise InputError(shown, "the file name holds control or invalid characters")
    if len(name.encode("utf-8")) > MAX_FILENAME_BYTES:
        raise InputError(f"{shown}...", f"the file name is longer than {MAX_FILENAME_BYTES} bytes")
    return name


def _visible(settings: Settings, principal: Principal, interaction_ids: list[int]) -> list[int]:
    """Those of the ids the principal may see: a duplicate outside their scope is counted, never named."""
    visible = []
    with session_scope(settings.database_url) as session:
        for interaction_id in interaction_ids:
            try:
                interaction_service.get_visible(
                    session=session, principal=principal, interaction_id=interaction_id
                )
            except NotFound:
                continue
            visible.append(interaction_id)
    return visible


def _check_type(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in AUDIO_SUFFIXES | TRANSCRIPT_SUFFIXES:
        raise UnsupportedUpload(
            name,
            f"unsupported file type '{suffix or name}' (audio: wav, mp3, flac, ogg, m4a; "
            "transcripts: json, jsonl, csv, txt)",
        )


def _copy_limited(stream: BinaryIO, path: Path, max_bytes: int) -> None:
    written = 0
    with path.open("wb") as out:
        for block in iter(lambda: stream.read(1 << 20), b""):
            written += len(block)
            if written > max_bytes:
                raise UploadTooLarge(path.name, f"larger than the upload limit of {max_bytes} bytes")
            out.write(block)


def _write_sidecar(path: Path, metadata: str) -> None:
    if path.suffix.lower() not in SIDECAR_SUFFIXES:
        raise InputError(path.name, "the metadata field applies to recordings and .txt transcripts only")
    data = load_json(path.name, metadata, "metadata")
    validate_metadata("metadata", data)
    path.with_suffix(".json").write_text(json.dumps(data), encoding="utf-8")
