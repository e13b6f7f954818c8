"""The audit log: every change to a score, a review or a coaching note, with who, when, before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import repository
from qa.audit.schemas import AuditEntryRead
from qa.models import AuditEntry

MAX_ENTRIES = 1000


def record(
    *,
    session: Session,
    principal: Principal,
    action: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    interaction_id: int | None = None,
) -> None:
    """Append one entry; part of the caller's unit of work, so it commits or rolls back with the change."""
    repository.add(
        session,
        AuditEntry(
            user_id=principal.user_id,
            username=principal.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            interaction_id=interaction_id,
            before=before,
            after=after,
        ),
    )


def list_entries(
    *,
    session: Session,
    principal: Principal,
    limit: int = 100,
    entity: str | None = None,
    entity_id: int | None = None,
    interaction_id: int | None = None,
) -> list[AuditEntryRead]:
    """The newest entries first; managers and admins only."""
    access.require_role(principal, access.AUDITORS, "reading the audit log")
    rows = repository.latest(
        session,
        limit=max(1, min(limit, MAX_ENTRIES)),
        entity=entity,
        entity_id=entity_id,
        interaction_id=interaction_id,
    )
    return [AuditEntryRead.model_validate(row) for row in rows]
