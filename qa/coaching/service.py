"""Coaching notes: reviewers write them about an interaction, the agent reads and acknowledges them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import service as audit_service
from qa.coaching import repository
from qa.coaching.schemas import CoachingNoteRead
from qa.errors import Conflict, NotFound, PermissionDenied
from qa.interactions import service as interaction_service
from qa.models import CoachingNote
from qa.models.base import utcnow
from qa.notifications import service as notification_service
from qa.notifications.service import Kind


def _read(session: Session, note_id: int) -> CoachingNoteRead:
    row = repository.row(session, note_id)
    if row is None:
        raise NotFound(f"coaching note {note_id} not found")
    return CoachingNoteRead.model_validate(row._mapping)


def _state(note: CoachingNote) -> dict[str, Any]:
    return {
        "text": note.text,
        "criterion_id": note.criterion_id,
        "at_seconds": note.at_seconds,
        "acknowledged_at": note.acknowledged_at.isoformat() if note.acknowledged_at else None,
    }


def create_note(
    *,
    session: Session,
    principal: Principal,
    interaction_id: int,
    text: str,
    criterion_id: str | None = None,
    at_seconds: float | None = None,
) -> CoachingNoteRead:
    """A note to the agent of a visible interaction; supervisors, managers and admins only."""
    access.require_reviewer(principal, "writing coaching notes")
    interaction = interaction_service.get_visible(
        session=session, principal=principal, interaction_id=interaction_id
    )
    if interaction.agent_id is None:
        raise Conflict(f"interaction {interaction_id} has no agent to coach")
    if not text.strip():
        raise Conflict("a coaching note needs some text")
    note = CoachingNote(
        interaction_id=interaction.id,
        agent_id=interaction.agent_id,
        author_id=principal.user_id,
        text=text.strip(),
        criterion_id=criterion_id,
        at_seconds=at_seconds,
    )
    with audit_service.audited(
        session=session,
        principal=principal,
        action="create_note",
        entity="coaching_note",
        interaction_id=interaction.id,
        snapshot=lambda: _state(note) if note.id is not None else None,
    ) as change:
        change.entity_id = repository.add(session, note).id
    notification_service.notify_agent(
        session=session,
        actor=principal,
        agent_id=interaction.agent_id,
        kind=Kind.NOTE_CREATED,
        text=f"New coaching note from {principal.username} on interaction #{interaction.id}",
        interaction_id=interaction.id,
    )
    return _read(session, note.id)


def list_notes(
    *, session: Session, principal: Principal, agent: str | None = None, interaction_id: int | None = None
) -> list[CoachingNoteRead]:
    """Notes inside the principal's scope, newest first, optionally of one agent or interaction."""
    rows = repository.list_rows(
        session, access.scope_of(principal), agent=agent, interaction_id=interaction_id
    )
    return [CoachingNoteRead.model_validate(row._mapping) for row in rows]


def acknowledge_note(*, session: Session, principal: Principal, note_id: int) -> CoachingNoteRead:
    """The note's agent confirms reading it (idempotent); nobody else may."""
    note = repository.get(session, note_id)
    if note is None or not access.can_see_agent(
        principal, agent_id=note.agent_id, agent_team_id=repository.agent_team(session, note.agent_id)
    ):
        raise NotFound(f"coaching note {note_id} not found")
    if principal.agent_id is None or principal.agent_id != note.agent_id:
        raise PermissionDenied("only the agent the note is for can acknowledge it")
    if note.acknowledged_at is None:
        with audit_service.audited(
            session=session,
            principal=principal,
            action="acknowledge_note",
            entity="coaching_note",
            entity_id=note.id,
            interaction_id=note.interaction_id,
            snapshot=lambda: _state(note),
        ):
            note.acknowledged_at = utcnow()
    return _read(session, note.id)
