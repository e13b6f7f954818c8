"""Inbox routes: the caller's notifications and marking them read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.notifications import service
from qa.notifications.schemas import Inbox, MarkRead

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


@router.get("", response_model=Inbox)
def inbox(
    session: SessionDep,
    principal: CurrentPrincipal,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=service.MAX_ITEMS)] = 50,
) -> Inbox:
    """The caller's notifications, newest first, and how many are unread."""
    return service.inbox(session=session, principal=principal, unread_only=unread, limit=limit)


@router.post("/read")
def mark_read(body: MarkRead, session: SessionDep, principal: CurrentPrincipal) -> dict[str, int]:
    """Mark the caller's notifications read (all, or the ids given)."""
    return {"marked": service.mark_read(session=session, principal=principal, ids=body.ids)}
