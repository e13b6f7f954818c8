"""Upload route: a recording or transcript in, through the same ingestion as the CLI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, UploadFile, status

from qa.auth.dependencies import CurrentPrincipal, SettingsDep
from qa.ingestion import upload as upload_service
from qa.ingestion.schemas import UploadResult
from qa.jobs import runner

router = APIRouter(prefix="/api/interactions", tags=["interactions"])


@router.post("", response_model=UploadResult, status_code=status.HTTP_201_CREATED)
def upload_interaction(
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="a recording or a transcript")],
    background: BackgroundTasks,
    metadata: Annotated[str | None, Form(description="JSON object of sidecar metadata")] = None,
) -> UploadResult:
    """Upload a recording or transcript (supervisor, manager, admin); answers the new and duplicate ids.

    Processing starts after the answer: on the Celery workers when a queue is set, else in this process.
    """
    result = upload_service.upload(
        principal=principal,
        settings=settings,
        filename=file.filename or "upload",
        stream=file.file,
        metadata=metadata,
    )
    # The upload committed in its own transaction; its work runs after the response.
    background.add_task(runner.process_new_interactions, settings, result.interactions)
    return result
