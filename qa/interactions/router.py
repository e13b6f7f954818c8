"""Interaction routes: the filtered list, one interaction in full, its audio, and uploads."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse

from qa import pipeline
from qa.auth.dependencies import CurrentPrincipal, SessionDep, SettingsDep
from qa.interactions import service
from qa.interactions.schemas import InteractionDetail, Page, UploadResult

router = APIRouter(prefix="/api/interactions", tags=["interactions"])


@router.get("", response_model=Page)
def list_interactions(
    session: SessionDep,
    principal: CurrentPrincipal,
    agent: str | None = None,
    channel: Literal["call", "chat", "email", "form"] | None = None,
    topic: str | None = None,
    start: Annotated[date | None, Query(description="first day (UTC), inclusive")] = None,
    end: Annotated[date | None, Query(description="last day (UTC), inclusive")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    auto_fail: bool | None = None,
    sentiment: Literal["negative", "neutral", "positive"] | None = None,
    review_status: Literal["pending", "reviewed", "final"] | None = None,
    needs_human: Annotated[
        bool | None,
        Query(
            description="only (true) or never (false) those with a criterion the machine is not trusted on"
        ),
    ] = None,
    assigned_to_me: Annotated[bool, Query(description="only those assigned to the caller")] = False,
    sort: service.Sort = "newest",
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    """Interactions the caller may see, filtered, newest first by default, with the total matching."""
    filters = service.InteractionFilters(
        agent=agent,
        channel=channel,
        topic=topic,
        start=start,
        end=end,
        min_score=min_score,
        max_score=max_score,
        auto_fail=auto_fail,
        sentiment=sentiment,
        review_status=review_status,
        needs_human=needs_human,
        assigned_to_me=assigned_to_me,
    )
    return service.list_interactions(
        session=session, principal=principal, filters=filters, limit=limit, offset=offset, sort=sort
    )


@router.get("/{interaction_id}", response_model=InteractionDetail)
def get_interaction(
    interaction_id: int, session: SessionDep, principal: CurrentPrincipal
) -> InteractionDetail:
    """Turns, metrics, sentiment and the current evaluation with its evidence."""
    return service.get_interaction_detail(session=session, principal=principal, interaction_id=interaction_id)


@router.get("/{interaction_id}/audio", response_class=FileResponse)
def get_audio(interaction_id: int, session: SessionDep, principal: CurrentPrincipal) -> FileResponse:
    """The stored recording."""
    path, media_type = service.audio_file(session=session, principal=principal, interaction_id=interaction_id)
    return FileResponse(path, media_type=media_type, filename=path.name)


@router.post("", response_model=UploadResult, status_code=status.HTTP_201_CREATED)
def upload_interaction(
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="a recording or a transcript")],
    background: BackgroundTasks,
    metadata: Annotated[str | None, Form(description="JSON object of sidecar metadata")] = None,
) -> UploadResult:
    """Upload a recording or transcript (supervisor, manager, admin); answers the new and duplicate ids.

    Processing starts after the answer: on the Celery workers when a queue is set, else in this process.
    """
    result = service.upload(
        session=session,
        principal=principal,
        settings=settings,
        filename=file.filename or "upload",
        stream=file.file,
        metadata=metadata,
    )
    # Runs after the response, i.e. after SessionDep committed the new interaction.
    background.add_task(pipeline.process_new_interactions, settings, result.interactions)
    return result
