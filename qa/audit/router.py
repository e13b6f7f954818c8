"""GET /api/audit: the newest audit entries (manager, admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qa.audit import service
from qa.audit.schemas import AuditEntryRead
from qa.auth.dependencies import CurrentPrincipal, SessionDep

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("", response_model=list[AuditEntryRead])
def list_entries(
    session: SessionDep,
    principal: CurrentPrincipal,
    entity: str | None = None,
    entity_id: int | None = None,
    interaction_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_ENTRIES)] = 100,
) -> list[AuditEntryRead]:
    """Who changed what, when, with the values before and after."""
    return service.list_entries(
        session=session,
        principal=principal,
        limit=limit,
        entity=entity,
        entity_id=entity_id,
        interaction_id=interaction_id,
    )
