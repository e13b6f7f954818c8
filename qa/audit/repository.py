"""Queries for the audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.models import AuditEntry


def add(session: Session, entry: AuditEntry) -> AuditEntry:
    session.add(entry)
    session.flush()
    return entry


def latest(
    session: Session,
    *,
    limit: int,
    entity: str | None = None,
    entity_id: int | None = None,
    interaction_id: int | None = None,
) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if interaction_id is not None:
        query = query.where(AuditEntry.interaction_id == interaction_id)
    return list(session.scalars(query))
