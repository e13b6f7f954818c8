"""The audit log: every change to a score, a review or a coaching note, with who, when, before and after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import repository
from qa.audit.schemas import AuditEntryRead
from qa.models import AuditEntry

MAX_ENTRIES = 1000


Snapshot = Callable[[], dict[str, Any] | None]


@dataclass(slots=True)
class Change:
    """What an audited block changes; a block that creates the row sets `entity_id` once it is known."""

    entity_id: int | None


@contextmanager
def audited(
    *,
    session: Session,
    principal: Principal,
    action: str,
    entity: str,
    snapshot: Snapshot,
    entity_id: int | None = None,
    interaction_id: int | None = None,
) -> Iterator[Change]:
    """Record `snapshot()` before and after the block as one audit entry (none when the block raises).

    The entry is part of the caller's unit of work, so it commits or rolls back with the change. For a
    row the block creates, `snapshot` returns None until it exists and the block sets `Change.entity_id`.
    """
    before = snapshot()
    change = Change(entity_id=entity_id)
    yield change
    session.flush()
    if change.entity_id is None:
        raise ValueError(f"audited {action}: the block did not say which {entity} it changed")
    repository.add(
        session,
        AuditEntry(
            user_id=principal.user_id,
            username=principal.username,
            action=action,
            entity=entity,
            entity_id=change.entity_id,
            interaction_id=interaction_id,
            before=before,
            after=snapshot(),
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
