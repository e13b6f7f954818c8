"""Interaction routes: the filtered list, one interaction in full, its audio (uploads: qa.ingestion)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.interactions import service
from qa.interactions.schemas import InteractionDetail, Page
from qa.models import Channel, ReviewStatus
from qa.redaction import service as redaction_service

router = APIRouter(prefix="/api/interactions", tags=["interactions"])


@router.get("", response_model=Page)
def list_interactions(
    session: SessionDep,
    principal: CurrentPrincipal,
    agent: str | None = None,
    channel: Channel | None = None,
    topic: str | None = None,
    start: Annotated[date | None, Query(description="first day (UTC), inclusive")] = None,
    end: Annotated[date | None, Query(description="last day (UTC), inclusive")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    auto_fail: bool | None = None,
    sentiment: Literal["negative", "neutral", "positive"] | None = None,
    review_status: ReviewStatus | None = None,
    needs_review: Annotated[
        bool | None, Query(description="only (or no) answers on unclear speech waiting for a person")
    ] = None,
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
        needs_review=needs_review,
        needs_human=needs_human,
        assigned_to_me=assigned_to_me,
    )
    return service.list_interactions(
        session=session, principal=principal, filters=filters, limit=limit, offset=offset, sort=sort
    )


@router.get("/{interaction_id}", response_model=InteractionDetail)
def get_interaction(
    interaction_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    turn_offset: Annotated[int, Query(ge=0)] = 0,
    turn_limit: Annotated[int, Query(ge=1, le=service.MAX_TURN_PAGE)] = service.MAX_TURN_PAGE,
) -> InteractionDetail:
    """Metrics, sentiment, the current evaluation with its evidence and a page of turns (`turn_total`)."""
    return service.get_interaction_detail(
        session=session,
        principal=principal,
        interaction_id=interaction_id,
        turn_offset=turn_offset,
        turn_limit=turn_limit,
    )


@router.get("/{interaction_id}/audio", response_class=FileResponse)
def get_audio(interaction_id: int, session: SessionDep, principal: CurrentPrincipal) -> FileResponse:
    """The stored recording."""
    path, media_type = service.audio_file(session=session, principal=principal, interaction_id=interaction_id)
    return FileResponse(path, media_type=media_type, filename=path.name)


@router.get("/{interaction_id}/audio/original", response_class=FileResponse)
def get_original_audio(interaction_id: int, session: SessionDep, principal: CurrentPrincipal) -> FileResponse:
    """The unredacted recording, kept only with CALLCOACH_KEEP_UNREDACTED_AUDIO: admins only, audited."""
    path = redaction_service.original_audio_file(
        session=session, principal=principal, interaction_id=interaction_id
    )
    return FileResponse(
        path, media_type=service.MEDIA_TYPES.get(path.suffix.lstrip(".").lower()), filename=path.name
    )
