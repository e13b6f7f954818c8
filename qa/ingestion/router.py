"""Upload route: a recording or transcript in, through the same ingestion as the CLI.

The body is read by hand, not by FastAPI's form parsing: the caller's token and role are checked before a
single byte is read, and the bytes are counted while they stream, so an unauthenticated or oversized body
is refused at once instead of being spooled to disk first.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from fastapi import APIRouter, BackgroundTasks, Request, status
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from qa import access
from qa.auth.dependencies import CurrentPrincipal, SettingsDep
from qa.errors import InputError
from qa.ingestion import upload as upload_service
from qa.ingestion.schemas import UploadResult
from qa.jobs import runner

router = APIRouter(prefix="/api/interactions", tags=["interactions"])

# Room for multipart boundaries, part headers and the metadata field around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
# The metadata field is a small JSON object.
MAX_METADATA_BYTES = 64 * 1024

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "a recording or a transcript",
                        },
                        "metadata": {"type": "string", "description": "JSON object of sidecar metadata"},
                    },
                }
            }
        },
    }
}


@router.post(
    "",
    response_model=UploadResult,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=UPLOAD_BODY,
    responses={
        401: {"description": "no valid token (answered before the body is read)"},
        413: {"description": "larger than CALLCOACH_MAX_UPLOAD_BYTES"},
        415: {"description": "not a recording or transcript type"},
        422: {"description": "bad content or metadata"},
    },
)
async def upload_interaction(
    request: Request, settings: SettingsDep, principal: CurrentPrincipal, background: BackgroundTasks
) -> UploadResult:
    """Upload a recording or transcript (supervisor, manager, admin); answers the new and duplicate ids.

    Processing starts after the answer: on the Celery workers when a queue is set, else in this process.
    """
    access.require_role(principal, access.UPLOADERS, "uploading interactions")
    form = await _read_form(request, settings.max_upload_bytes)
    try:
        file, metadata = form.get("file"), form.get("metadata")
        if not isinstance(file, UploadFile):
            raise InputError("upload", "the form has no 'file' part")
        if metadata is not None and not isinstance(metadata, str):
            raise InputError("upload", "'metadata' must be a text field holding a JSON object")
        result = await run_in_threadpool(
            upload_service.upload,
            principal=principal,
            settings=settings,
            filename=file.filename or "upload",
            stream=file.file,
            metadata=metadata,
        )
    finally:
        await form.close()
    # The upload committed in its own transaction; its work runs after the response.
    background.add_task(runner.process_new_interactions, settings, result.interactions)
    return result


async def _read_form(request: Request, max_upload_bytes: int) -> FormData:
    """The multipart form, refused (UploadTooLarge) as soon as the body passes the limit."""
    limit = max_upload_bytes + MULTIPART_OVERHEAD_BYTES
    too_large = upload_service.UploadTooLarge("upload", f"larger than the limit of {max_upload_bytes} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InputError("upload", "send the file as multipart/form-data with a 'file' part")

    async def counted() -> AsyncGenerator[bytes]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise too_large
            yield chunk

    parser = MultiPartParser(
        request.headers, counted(), max_files=1, max_fields=1, max_part_size=MAX_METADATA_BYTES
    )
    try:
        return await parser.parse()
    except MultiPartException as exc:
        raise InputError("upload", f"malformed multipart form: {exc.message}") from None
